/**
 * The regions the detection classifier wins in (issue 15 diagnosis): the evaluator's GBDT
 * (src/evaluate/detection.ts settings, 3-fold out-of-fold scores) on Adult's bench training subset
 * against a sample of a model file, then the rows it is surest about: synthetic rows scored
 * ≥ HI (what the model makes and real data lacks) and real rows scored ≤ LO (what real data has
 * and the model lacks), described by the (column = value) and (column = value, column = value)
 * cells most over-represented among them, with counts real / synthetic in each cell.
 * Run: DIAG_MODEL=model.yaml npx tsx bench/detect-regions.ts [seed=7]. Not part of `npm test`.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { type RawTable, readTable } from '../src/io/index.js';
import {
  alignTables,
  concatRows,
  rocAuc,
  stratifiedFolds,
  takeRows,
  toFeatures,
  trainGbdt,
} from '../src/ml/index.js';
import { shuffleInPlace } from '../src/random/shuffle.js';
import { streamFor } from '../src/random/stream.js';
import { generateRows } from '../src/sample/index.js';
import { parseSpecText } from '../src/spec/index.js';

const DATA = '/work/shared/data/uci-adult';
const seed = Number(process.argv[2] ?? 7);
const modelFile = process.env.DIAG_MODEL ?? '';
const full = await readTable(join(DATA, 'adult_train.csv'));
const idx = Array.from({ length: full.rowCount }, (_, i) => i);
shuffleInPlace(idx, streamFor(42, 'bench-split'));
const rows = idx.slice(0, 16_281);
const train: RawTable = { ...full, rowCount: rows.length, data: full.data.map((c) => rows.map((i) => c[i])) };
const spec = parseSpecText(readFileSync(modelFile, 'utf8'), modelFile).spec;
const g = await generateRows({ spec, rows: train.rowCount, seed });
const syn: RawTable = {
  ...train,
  data: train.columns.map((c) => g.data[g.columns.indexOf(c)].map((v) => (v === null ? null : String(v)))),
};
const { reference, others } = alignTables(train, [syn]);
const X = concatRows(toFeatures(reference), toFeatures(others[0]));
const m = train.rowCount;
const n = 2 * m;
const y = new Int32Array(n);
y.fill(1, m);
const fold = stratifiedFolds(y, 3, 1);
const oof = new Float64Array(n);
for (let f = 0; f < 3; f++) {
  const tr: number[] = [];
  const te: number[] = [];
  for (let i = 0; i < n; i++) (fold[i] === f ? te : tr).push(i);
  const model = trainGbdt(
    takeRows(X, tr),
    Int32Array.from(tr, (i) => y[i]),
    2,
    {
      rounds: 60,
      maxDepth: 5,
      learningRate: 0.15,
      seed: 1 + f,
    },
  );
  const p = model.predictProba(takeRows(X, te));
  te.forEach((i, k) => {
    oof[i] = p[k * 2 + 1];
  });
}
console.log(`detection AUC ${rocAuc(oof, y).toFixed(3)}`);
// a row's label per column: the category, or a numeric value's band
const bandOf = (c: string, v: string | null): string => {
  if (v === null) return 'NA';
  const x = Number(v);
  if (Number.isNaN(x)) return v;
  if (c === 'age') return `${Math.floor(x / 5) * 5}s`;
  if (c === 'hours_per_week')
    return x === 40 ? '40' : x < 40 ? (x < 30 ? '<30' : '30-39') : x <= 50 ? '41-50' : '>50';
  if (c === 'capital_gain' || c === 'capital_loss') return x === 0 ? '0' : 'pos';
  if (c === 'fnlwgt') return `q${Math.min(9, Math.floor(x / 50_000))}`;
  if (c === 'education_num') return v;
  return v;
};
const cols = train.columns;
const label = (t: RawTable, i: number) => cols.map((c, j) => `${c}=${bandOf(c, t.data[j][i])}`);
const describe = (title: string, pick: (i: number) => boolean) => {
  // cells (single and pairs) among picked rows vs all rows of both tables
  const cnt = new Map<string, [number, number, number]>(); // picked, real, syn
  for (let i = 0; i < n; i++) {
    const t = i < m ? train : syn;
    const r = i < m ? i : i - m;
    const l = label(t, r);
    const keys: string[] = [...l];
    for (let a = 0; a < l.length; a++) for (let b = a + 1; b < l.length; b++) keys.push(`${l[a]} & ${l[b]}`);
    const picked = pick(i);
    for (const k of keys) {
      const e = cnt.get(k) ?? [0, 0, 0];
      if (picked) e[0]++;
      e[i < m ? 1 : 2]++;
      cnt.set(k, e);
    }
  }
  const total = Array.from({ length: n }, (_, i) => i).filter(pick).length;
  const top = [...cnt.entries()]
    .filter(([, e]) => e[0] >= 30)
    .map(([k, e]) => ({ k, e, lift: e[0] / total / ((e[1] + e[2]) / n) }))
    .sort((a, b) => b.lift - a.lift)
    .slice(0, 25);
  console.log(`${title}: ${total} rows`);
  for (const t of top)
    console.log(`  ${t.k}: picked ${t.e[0]}, real ${t.e[1]}, syn ${t.e[2]}, lift ${t.lift.toFixed(2)}`);
};
const hi = Number(process.env.HI ?? 0.8);
const lo = Number(process.env.LO ?? 0.2);
describe(`synthetic rows scored >= ${hi}`, (i) => i >= m && oof[i] >= hi);
describe(`real rows scored <= ${lo}`, (i) => i < m && oof[i] <= lo);
