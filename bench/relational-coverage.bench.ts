/**
 * Coverage plans on a relational spec (issue 14, item 2): `npm run bench -- relational-coverage`.
 * Skips when /work/shared/data is absent.
 *
 * MIMIC-III demo PATIENTS + ADMISSIONS + ICUSTAYS fitted (seed 1); the plan ADMISSIONS:
 * admission_type × PATIENTS.gender, min_per_cell rows of ADMISSIONS (REL_COV_MIN, default 300).
 * Plain generation of 1,000 patients and the planned run are interleaved (REL_COV_REPS, default 3):
 * medians of both and their ratio; per cell, the admissions delivered (recounted from the files,
 * joined to their patients), the cell entities drawn, keys unique and every foreign key resolving.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fitTables, relationalYaml } from '../src/fit/relational.js';
import { readTable } from '../src/io/index.js';
import { generateTables } from '../src/sample/generate-tables.js';
import { parseSpecText } from '../src/spec/index.js';
import type { Spec } from '../src/spec/schema.js';

const MIMIC = '/work/shared/data/mimic-iii-demo';
const MIN = Number(process.env.REL_COV_MIN ?? 300);
const REPS = Number(process.env.REL_COV_REPS ?? 3);

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

function csv(path: string): { head: string[]; rows: string[][] } {
  // The generated files hold no quoted commas in these columns (keys, categories); a plain split will do.
  const lines = readFileSync(path, 'utf8').trim().split('\n');
  return { head: lines[0].split(','), rows: lines.slice(1).map((l) => l.split(',')) };
}

async function main(): Promise<void> {
  if (!existsSync(MIMIC)) {
    console.log('skipped: /work/shared/data/mimic-iii-demo is absent');
    return;
  }
  const names = ['PATIENTS', 'ADMISSIONS', 'ICUSTAYS'];
  const raws = [];
  for (const n of names) raws.push({ ...(await readTable(`${MIMIC}/${n}.csv`)), name: n });
  const fit = fitTables(raws, { seed: 1 });
  const { spec } = parseSpecText(relationalYaml(fit), 'mimic.yaml');
  const types = Object.keys(
    (spec.tables.ADMISSIONS.columns.admission_type as { values?: Record<string, number> }).values ?? {},
  );
  const planned: Spec = {
    ...spec,
    coverage: { ADMISSIONS: { axes: ['admission_type', 'PATIENTS.gender'], min_per_cell: MIN } },
  };
  console.log(
    `MIMIC-III demo fitted (${raws.map((r) => `${r.name} ${r.rowCount}`).join(', ')}); admission_type levels: ${types.join(', ') || '(conditional)'}`,
  );
  const plain: number[] = [];
  const cov: number[] = [];
  let last: Awaited<ReturnType<typeof generateTables>> | undefined;
  let lastDir = '';
  let plainRows = 0;
  for (let r = 0; r < REPS; r++) {
    for (const withPlan of [false, true]) {
      const dir = mkdtempSync(join(tmpdir(), 'strata-relcov-bench-'));
      const t0 = performance.now();
      const res = await generateTables({ spec: withPlan ? planned : spec, rows: 1000, seed: 7, dir });
      const s = (performance.now() - t0) / 1000;
      (withPlan ? cov : plain).push(s);
      if (withPlan) {
        if (lastDir) rmSync(lastDir, { recursive: true, force: true });
        last = res;
        lastDir = dir;
      } else {
        plainRows = res.tables.reduce((t, x) => t + x.rows, 0);
        rmSync(dir, { recursive: true, force: true });
      }
    }
  }
  const c = last!.coverage!;
  console.log(
    `plain 1,000 patients (${plainRows} rows): median ${median(plain).toFixed(2)} s (${plain.map((x) => x.toFixed(2)).join(', ')})`,
  );
  console.log(
    `with the plan (min ${MIN} admissions per cell): median ${median(cov).toFixed(2)} s (${cov.map((x) => x.toFixed(2)).join(', ')}); ratio ${(median(cov) / median(plain)).toFixed(2)}×`,
  );
  console.log(
    `  ${c.freeEntities} free + ${c.entities - c.freeEntities} cell patients; rows ${last!.tables.map((t) => `${t.table} ${t.rows}`).join(', ')}; seconds per 1,000 rows: plain ${((1000 * median(plain)) / plainRows).toFixed(3)}, planned ${((1000 * median(cov)) / last!.tables.reduce((t, x) => t + x.rows, 0)).toFixed(3)}`,
  );
  // Recount from the files: each admission's cell through its patient.
  const p = csv(join(lastDir, 'PATIENTS.csv'));
  const a = csv(join(lastDir, 'ADMISSIONS.csv'));
  const i = csv(join(lastDir, 'ICUSTAYS.csv'));
  const pid = p.head.indexOf('subject_id');
  const gender = new Map(p.rows.map((r) => [r[pid], r[p.head.indexOf('gender')]]));
  const hadm = a.head.indexOf('hadm_id');
  const aSubj = a.head.indexOf('subject_id');
  const aType = a.head.indexOf('admission_type');
  const counts = new Map<string, number>();
  let badFk = 0;
  for (const r of a.rows) {
    const g = gender.get(r[aSubj]);
    if (g === undefined) badFk++;
    const k = `admission_type=${r[aType]}|PATIENTS.gender=${g}`;
    counts.set(k, (counts.get(k) ?? 0) + 1);
  }
  const admissions = new Set(a.rows.map((r) => r[hadm]));
  const iHadm = i.head.indexOf('hadm_id');
  for (const r of i.rows) if (!admissions.has(r[iHadm])) badFk++;
  const uniq = (rows: string[][], k: number) => new Set(rows.map((r) => r[k])).size === rows.length;
  console.log(
    `  keys unique: PATIENTS ${uniq(p.rows, pid)}, ADMISSIONS ${uniq(a.rows, hadm)}, ICUSTAYS ${uniq(i.rows, i.head.indexOf('icustay_id'))}; foreign keys not resolving: ${badFk}`,
  );
  for (const cell of c.cells) {
    console.log(
      `  ${cell.key.padEnd(48)} ${cell.status.padEnd(10)} quota ${cell.quota}  in files ${counts.get(cell.key) ?? 0}  report ${cell.delivered}  (${cell.drawn} from ${cell.entities} cell patients, ${cell.method})${cell.empty ? ` ${cell.empty}` : ''}`,
    );
  }
  rmSync(lastDir, { recursive: true, force: true });
}

await main();
