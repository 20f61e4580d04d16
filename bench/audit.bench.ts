/**
 * The audit (src/evaluate/audit.ts) on real tables: run `npx tsx bench/audit.bench.ts [adult german]`.
 * Per dataset and split seed, the real rows are shuffled into three parts: train, a second real
 * sample judged as if it were synthetic, and the holdout. Printed per run:
 *  - real-as-synthetic: the audit of a fresh real sample (any failing check is a false alarm);
 *  - the holdout's own failures against train (`audit_holdout_failed`, also false alarms);
 *  - Strata's default model (fit on train, as many rows generated, seed 7): its audit;
 *  - the evaluate time with every default section, and the audit's share of it.
 * Env: AUDIT_SPLITS=1,2,3 (split seeds, default 1,2,3). Datasets whose files are absent are skipped.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { type EvaluationReport, evaluate } from '../src/evaluate/index.js';
import { fitTable } from '../src/fit/fit.js';
import { parseCsvText, type RawTable, readTable } from '../src/io/index.js';
import { shuffleInPlace } from '../src/random/shuffle.js';
import { streamFor } from '../src/random/stream.js';
import { generateRows } from '../src/sample/index.js';

const DATA = '/work/shared/data';
const GERMAN_HEADER =
  'checking_status,duration_months,credit_history,purpose,credit_amount,savings,employment_since,installment_rate,personal_status_sex,other_debtors,residence_since,property,age,other_installment_plans,housing,existing_credits,job,num_dependents,telephone,foreign_worker,class';

const DATASETS: Record<string, { file: string; target: string; load(): Promise<RawTable> }> = {
  adult: {
    file: 'uci-adult/adult_train.csv',
    target: 'income',
    load: () => readTable(join(DATA, 'uci-adult/adult_train.csv')),
  },
  german: {
    file: 'german-credit/german.csv',
    target: 'class',
    async load() {
      const path = join(DATA, 'german-credit/german.csv');
      return { ...parseCsvText(`${GERMAN_HEADER}\n${readFileSync(path, 'utf8')}`, path), name: 'german' };
    },
  },
};

function subset(t: RawTable, rows: readonly number[], name: string): RawTable {
  return { ...t, name, rowCount: rows.length, data: t.data.map((col) => rows.map((i) => col[i])) };
}

/** Train 50%, second real sample 25%, holdout 25% (Adult: 16,000 / 8,000 / 8,000 rows). */
function threeWay(t: RawTable, seed: number): { train: RawTable; fresh: RawTable; holdout: RawTable } {
  const idx = Array.from({ length: t.rowCount }, (_, i) => i);
  shuffleInPlace(idx, streamFor(seed, 'bench-audit-split'));
  const n = Math.min(t.rowCount, 32_000);
  const a = Math.floor(n / 2);
  const b = Math.floor((3 * n) / 4);
  return {
    train: subset(t, idx.slice(0, a), 'train'),
    fresh: subset(t, idx.slice(a, b), 'fresh'),
    holdout: subset(t, idx.slice(b, n), 'holdout'),
  };
}

const median = (v: number[]) => {
  const s = [...v].sort((x, y) => x - y);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

function describe(r: EvaluationReport): string {
  const a = r.audit;
  if (!a) return 'no audit';
  const failing = a.worst.filter((c) => c.failed).map((c) => c.label);
  const verdicts = a.verdicts
    .map((v) => `${v.check} ${v.failed === null ? 'n/j' : v.failed ? 'FAIL' : 'ok'}`)
    .join(', ');
  return `failed ${a.failed} (cells ${a.cells.failed}/${a.cells.judged}, tails ${a.tails.failed}/${a.tails.judged}; ${verdicts}); holdout fails ${a.holdout_failed}${failing.length ? `; worst: ${failing.slice(0, 4).join(' | ')}` : ''}`;
}

async function main(): Promise<void> {
  const wanted = process.argv.slice(2);
  const splits = (process.env.AUDIT_SPLITS ?? '1,2,3').split(',').map(Number);
  for (const [key, ds] of Object.entries(DATASETS)) {
    if (wanted.length > 0 && !wanted.includes(key)) continue;
    if (!existsSync(join(DATA, ds.file))) {
      process.stdout.write(`skip ${key}: data absent\n`);
      continue;
    }
    const all = await ds.load();
    const freshAlarms: number[] = [];
    const holdoutAlarms: number[] = [];
    const strataFailed: number[] = [];
    const auditMs: number[] = [];
    const totalMs: number[] = [];
    for (const split of splits) {
      const { train, fresh, holdout } = threeWay(all, split);
      const real = await evaluate({
        real: train,
        synthetic: fresh,
        holdout,
        bootstrapReps: 100,
        sections: { fidelity: false, detection: false, mmd: false, utility: false, bias: false },
      });
      freshAlarms.push(real.audit?.failed ?? Number.NaN);
      holdoutAlarms.push(real.audit?.holdout_failed ?? Number.NaN);
      process.stdout.write(`${key} split ${split} real-as-synthetic: ${describe(real)}\n`);
      const fit = fitTable(train, { seed: 1 });
      const gen = await generateRows({ spec: fit.spec, rows: train.rowCount, seed: 7 });
      const synthetic = {
        columns: gen.columns,
        data: gen.data.map((col) => col.map((v) => (v === null ? null : String(v)))),
        rowCount: gen.rows,
      };
      const t0 = performance.now();
      const r = await evaluate({ real: train, synthetic, holdout, target: ds.target, bootstrapReps: 100 });
      totalMs.push(performance.now() - t0);
      auditMs.push(r.timings_ms.audit ?? Number.NaN);
      strataFailed.push(r.audit?.failed ?? Number.NaN);
      process.stdout.write(
        `${key} split ${split} strata (${train.rowCount} train rows): ${describe(r)}; evaluate ${Math.round(totalMs.at(-1)!)} ms, audit ${r.timings_ms.audit} ms\n`,
      );
    }
    const runs = splits.length;
    process.stdout.write(
      `${key}: real-as-synthetic runs with a failing check ${freshAlarms.filter((x) => x > 0).length}/${runs} (checks failed ${freshAlarms.join(', ')}); holdout's own failures ${holdoutAlarms.join(', ')}; strata checks failed ${strataFailed.join(', ')}; evaluate median ${Math.round(median(totalMs))} ms, audit median ${Math.round(median(auditMs))} ms (${((100 * median(auditMs)) / median(totalMs)).toFixed(1)}%)\n`,
    );
  }
}

await main();
