// A train/holdout split of any MIMIC-III demo table, for runs on tables no bench fits
// (docs/fit.md "Missing together, identities and text lengths"). All rows, shuffled with the
// project's seeded stream, the first TRAIN_SHARE of them to train and the rest as holdout.
// Usage: node bench/mimic-split.mjs TABLE OUT_DIR [SEED=11] [TRAIN_SHARE=0.7]
// Writes OUT_DIR/train.csv and OUT_DIR/holdout.csv (dist/ must be built: npm ci does it).
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { streamFor } from '../dist/random/stream.js';

const [table, out = '.', seedText = '11', shareText = '0.7'] = process.argv.slice(2);
if (!table) throw new Error('usage: node bench/mimic-split.mjs TABLE OUT_DIR [SEED] [TRAIN_SHARE]');
const src = `/work/shared/data/mimic-iii-demo/${table}.csv`;
const rows = parse(readFileSync(src), { relax_column_count: false });
const [header, ...data] = rows;
const rng = streamFor(Number(seedText), 'mimic-split', table);
const idx = data.map((_, i) => i);
for (let i = idx.length - 1; i > 0; i--) {
  const j = Math.floor(rng.nextFloat() * (i + 1));
  [idx[i], idx[j]] = [idx[j], idx[i]];
}
const train = Math.round(Number(shareText) * idx.length);
const cell = (v) => (/[",\r\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v);
const stringify = (rs) => `${rs.map((r) => r.map(cell).join(',')).join('\n')}\n`;
const pick = (a, b) => [header, ...idx.slice(a, b).map((i) => data[i])];
mkdirSync(out, { recursive: true });
writeFileSync(join(out, 'train.csv'), stringify(pick(0, train)));
writeFileSync(join(out, 'holdout.csv'), stringify(pick(train, idx.length)));
