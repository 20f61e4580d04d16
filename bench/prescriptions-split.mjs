// The MIMIC-III PRESCRIPTIONS run of docs/fit.md (rare-category pool): 3,000 random rows
// (seed 5) of /work/shared/data/mimic-iii-demo/PRESCRIPTIONS.csv, the first 2,000 of them to
// train and the other 1,000 as holdout. Usage: node bench/prescriptions-split.mjs OUT_DIR
// Writes OUT_DIR/train.csv and OUT_DIR/holdout.csv (dist/ must be built: npm ci does it).
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { streamFor } from '../dist/random/stream.js';

const src = '/work/shared/data/mimic-iii-demo/PRESCRIPTIONS.csv';
const out = process.argv[2] ?? '.';
const rows = parse(readFileSync(src), { relax_column_count: false });
const [header, ...data] = rows;
// partial Fisher-Yates with the project's seeded stream
const rng = streamFor(5, 'prescriptions-split');
const idx = data.map((_, i) => i);
for (let i = 0; i < 3000; i++) {
  const j = i + Math.floor(rng.nextFloat() * (idx.length - i));
  [idx[i], idx[j]] = [idx[j], idx[i]];
}
const cell = (v) => (/[",\r\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v);
const stringify = (rs) => `${rs.map((r) => r.map(cell).join(',')).join('\n')}\n`;
const pick = (a, b) => [header, ...idx.slice(a, b).map((i) => data[i])];
writeFileSync(join(out, 'train.csv'), stringify(pick(0, 2000)));
writeFileSync(join(out, 'holdout.csv'), stringify(pick(2000, 3000)));
