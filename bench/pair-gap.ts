/**
 * Where a fitted model's accuracy gap lives: per column and per pair, the accuracy of a Strata
 * sample against the training rows beside that of a bootstrap resample of the training rows (the
 * ceiling of any generator of independent rows), sorted by the gap; plus the detection
 * classifier's importances. Run: npx tsx bench/pair-gap.ts taiwan|german [seed].
 * Env: PAIR_GAP_YAML=file writes the fitted model there.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { evaluate } from '../src/evaluate/index.js';
import { fitTable } from '../src/fit/fit.js';
import { parseCsvText, type RawTable, readTable } from '../src/io/index.js';
import { shuffleInPlace } from '../src/random/shuffle.js';
import { streamFor } from '../src/random/stream.js';
import { generateRows } from '../src/sample/index.js';

const DATA = '/work/shared/data';
const GERMAN_HEADER =
  'checking_status,duration_months,credit_history,purpose,credit_amount,savings,employment_since,installment_rate,personal_status_sex,other_debtors,residence_since,property,age,other_installment_plans,housing,existing_credits,job,num_dependents,telephone,foreign_worker,class';

function halves(t: RawTable): { train: RawTable; holdout: RawTable } {
  const s = streamFor(42, 'bench-split');
  const idx = Array.from({ length: t.rowCount }, (_, i) => i);
  shuffleInPlace(idx, s);
  const half = Math.floor(t.rowCount / 2);
  const sub = (rows: number[]): RawTable => ({
    ...t,
    rowCount: rows.length,
    data: t.data.map((c) => rows.map((i) => c[i])),
  });
  return { train: sub(idx.slice(0, half)), holdout: sub(idx.slice(half)) };
}

async function load(key: string): Promise<{ table: RawTable; target: string }> {
  if (key === 'taiwan')
    return {
      table: await readTable(join(DATA, 'credit-default-taiwan/UCI_Credit_Card.csv')),
      target: 'default.payment.next.month',
    };
  const path = join(DATA, 'german-credit/german.csv');
  return {
    table: { ...parseCsvText(`${GERMAN_HEADER}\n${readFileSync(path, 'utf8')}`, path), name: 'german' },
    target: 'class',
  };
}

type Pairs = { a: string; b: string; accuracy: { value: number | null } }[];
type Cols = { name: string; accuracy: { value: number | null } }[];

async function main(): Promise<void> {
  const key = process.argv[2] ?? 'taiwan';
  const seed = Number(process.argv[3] ?? 7);
  if (!existsSync(DATA)) return;
  const { table, target } = await load(key);
  const { train } = halves(table);
  const fit = fitTable(train, { target, seed: 1 });
  if (process.env.PAIR_GAP_YAML) writeFileSync(process.env.PAIR_GAP_YAML, fit.yaml);
  const ids = new Set(fit.columns.filter((c) => c.kind === 'id').map((c) => c.name));
  const drop = (t: RawTable): RawTable => {
    const keep = t.columns.map((c, i) => [c, i] as const).filter(([c]) => !ids.has(c));
    return { ...t, columns: keep.map(([c]) => c), data: keep.map(([, i]) => t.data[i]) };
  };
  const g = await generateRows({ spec: fit.spec, rows: train.rowCount, seed });
  const synth: RawTable = {
    name: 'synthetic',
    source: 'synthetic',
    columns: g.columns,
    rowCount: g.rows,
    data: g.data.map((col) => col.map((v) => (v === null ? null : String(v)))),
  } as RawTable;
  const st = streamFor(seed, 'bootstrap-ceiling');
  const pick = Array.from({ length: train.rowCount }, () => st.nextInt(train.rowCount));
  const boot: RawTable = { ...train, data: train.data.map((c) => pick.map((i) => c[i])) };
  const off = { mmd: false, bias: false, knnCoverage: false, rules: false, privacy: false, utility: false };
  const rs = await evaluate({
    real: drop(train),
    synthetic: drop(synth),
    target,
    bootstrapReps: 0,
    sections: off,
  });
  const rb = await evaluate({
    real: drop(train),
    synthetic: drop(boot),
    target,
    bootstrapReps: 0,
    sections: { ...off, detection: false },
  });
  const fs = (rs as unknown as { fidelity: { pairs: Pairs; columns: Cols } }).fidelity;
  const fb = (rb as unknown as { fidelity: { pairs: Pairs; columns: Cols } }).fidelity;
  const ceil = new Map(fb.pairs.map((p) => [`${p.a}×${p.b}`, p.accuracy.value ?? 1]));
  const ceilC = new Map(fb.columns.map((c) => [c.name, c.accuracy.value ?? 1]));
  const gaps = fs.pairs
    .map((p) => ({ k: `${p.a}×${p.b}`, s: p.accuracy.value ?? 1, c: ceil.get(`${p.a}×${p.b}`) ?? 1 }))
    .sort((x, y) => y.c - y.s - (x.c - x.s));
  const total = gaps.reduce((t, x) => t + (x.c - x.s), 0);
  const f3 = (x: number) => x.toFixed(3);
  process.stdout.write(`${key}: ${gaps.length} pairs, mean gap ${f3(total / gaps.length)}\n`);
  for (const x of gaps.slice(0, Number(process.env.PAIR_GAP_TOP ?? 30)))
    process.stdout.write(`  ${x.k}: ${f3(x.s)} vs ${f3(x.c)} (gap ${f3(x.c - x.s)})\n`);
  // Share of the summed gap by column (each pair's gap split between its two columns).
  const byCol = new Map<string, number>();
  for (const x of gaps)
    for (const c of x.k.split('×')) byCol.set(c, (byCol.get(c) ?? 0) + (x.c - x.s) / 2 / total);
  process.stdout.write(
    `gap share by column: ${[...byCol]
      .sort((a, b) => b[1] - a[1])
      .slice(0, 12)
      .map(([c, v]) => `${c} ${(100 * v).toFixed(1)}%`)
      .join(', ')}\n`,
  );
  process.stdout.write(
    `columns: ${fs.columns
      .map((c) => ({ n: c.name, g: (ceilC.get(c.name) ?? 1) - (c.accuracy.value ?? 1) }))
      .sort((a, b) => b.g - a.g)
      .slice(0, 10)
      .map((c) => `${c.n} −${f3(c.g)}`)
      .join(', ')}\n`,
  );
  const det = (
    rs as unknown as {
      detection?: { auc: { value: number }; importances: { column: string; importance: number }[] };
    }
  ).detection;
  process.stdout.write(
    `detection ${det ? f3(det.auc.value) : 'n/a'}: ${(det?.importances ?? [])
      .slice(0, 10)
      .map((i) => `${i.column} ${i.importance.toFixed(3)}`)
      .join(', ')}\n`,
  );
}

await main();
