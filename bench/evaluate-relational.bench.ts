/**
 * The relational section on the MIMIC-III demo (PATIENTS, ADMISSIONS, ICUSTAYS, OUTPUTEVENTS):
 * real = a patient-level half of the demo; judged against (1) the other half, a holdout — the
 * ceiling a good generator can reach — and (2) a naive baseline built from the real half: every
 * table's rows shuffled and each child row given a parent drawn uniformly at random (ancestor keys
 * copied from that parent, so foreign keys still resolve). The baseline keeps every table's own
 * distribution exactly, so only the relational figures can tell it apart.
 * Needs /work/shared/data/mimic-iii-demo (skips when absent). Run: npm run bench -- evaluate-relational
 */
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { evaluate, SECTION_NAMES, type Summary } from '../src/evaluate/index.js';
import { type RawTable, readTable, writeTable } from '../src/io/index.js';
import { streamFor } from '../src/random/index.js';
import { loadSpec } from '../src/spec/index.js';

const DIR = process.env.MIMIC_DIR ?? '/work/shared/data/mimic-iii-demo';
const TABLES = ['PATIENTS', 'ADMISSIONS', 'ICUSTAYS', 'OUTPUTEVENTS'];
/** Each child table's tree parent: [child, fk column, parent]. */
const TREE: [string, string, string][] = [
  ['ADMISSIONS', 'subject_id', 'PATIENTS'],
  ['ICUSTAYS', 'hadm_id', 'ADMISSIONS'],
  ['OUTPUTEVENTS', 'icustay_id', 'ICUSTAYS'],
];
const ORDERS = [
  { table: 'ADMISSIONS', column: 'admittime' },
  { table: 'ICUSTAYS', column: 'intime' },
  { table: 'OUTPUTEVENTS', column: 'charttime' },
];

if (!existsSync(join(DIR, 'PATIENTS.csv'))) {
  console.log(`skipped: ${DIR} not found`);
  process.exit(0);
}

const all = new Map<string, RawTable>();
for (const t of TABLES) all.set(t, await readTable(join(DIR, `${t}.csv`)));

const col = (t: RawTable, name: string) => t.data[t.columns.indexOf(name)];
function rowsWhere(t: RawTable, keep: (i: number) => boolean): RawTable {
  const idx = [...Array(t.rowCount).keys()].filter(keep);
  return { ...t, rowCount: idx.length, data: t.data.map((c) => idx.map((i) => c[i])) };
}

// patient-level split: each patient (and all its rows) goes to one half
const halfOf = new Map<string, number>();
const split = streamFor(7, 'split');
for (const s of col(all.get('PATIENTS') as RawTable, 'subject_id')) halfOf.set(s as string, split.nextInt(2));
const half = (h: number) =>
  new Map(
    [...all].map(([name, t]) => {
      const subj = col(t, 'subject_id');
      return [name, rowsWhere(t, (i) => halfOf.get(subj[i] as string) === h)] as const;
    }),
  );
const real = half(0);
const holdout = half(1);

// REL_SPLIT_DIR=dir writes the halves (dir/real, dir/holdout) as CSV and stops: fit a model on
// dir/real, generate, then judge it with REL_SYNTHETIC_DIR (and REL_SPEC for its rules).
const SPLIT_DIR = process.env.REL_SPLIT_DIR;
if (SPLIT_DIR) {
  for (const [side, set] of [
    ['real', real],
    ['holdout', holdout],
  ] as const) {
    mkdirSync(join(SPLIT_DIR, side), { recursive: true });
    for (const [name, t] of set)
      await writeTable(join(SPLIT_DIR, side, `${name}.csv`), {
        columns: t.columns,
        rows: [...Array(t.rowCount).keys()].map((i) => t.data.map((c) => c[i])),
      });
  }
  console.log(
    `wrote ${SPLIT_DIR}/real and ${SPLIT_DIR}/holdout (${real.get('PATIENTS')?.rowCount} real patients)`,
  );
  process.exit(0);
}

/** Rows of every table shuffled; each child row re-parented uniformly at random, ancestor keys copied. */
function naive(set: Map<string, RawTable>): Map<string, RawTable> {
  const out = new Map<string, RawTable>();
  const s = streamFor(11, 'naive');
  for (const [name, t] of set) {
    const perm = [...Array(t.rowCount).keys()];
    for (let i = perm.length - 1; i > 0; i--) {
      const j = s.nextInt(i + 1);
      [perm[i], perm[j]] = [perm[j], perm[i]];
    }
    out.set(name, { ...t, data: t.data.map((c) => perm.map((i) => c[i])) });
  }
  for (const [child, , parent] of TREE) {
    const c = out.get(child) as RawTable;
    const p = out.get(parent) as RawTable;
    const shared = c.columns.filter((x) => p.columns.includes(x) && x !== 'row_id');
    for (let i = 0; i < c.rowCount; i++) {
      const r = s.nextInt(p.rowCount);
      for (const x of shared) c.data[c.columns.indexOf(x)][i] = p.data[p.columns.indexOf(x)][r];
    }
  }
  return out;
}
const baseline = naive(real);

const ONLY = Object.fromEntries(SECTION_NAMES.map((n) => [n, n === 'relational']));
// REL_SPEC=model.yaml: the spec (or fitted model) whose rules every set is checked against.
const spec = process.env.REL_SPEC ? (await loadSpec(process.env.REL_SPEC)).spec : undefined;
async function judge(other: Map<string, RawTable>) {
  const t0 = performance.now();
  const rep = await evaluate({
    real: real.get('PATIENTS') as RawTable,
    synthetic: other.get('PATIENTS') as RawTable,
    spec,
    sections: ONLY,
    relational: { real, synthetic: other, orders: ORDERS },
  });
  return { rep, ms: performance.now() - t0 };
}

console.log(
  `MIMIC-III demo, patient-level split: real ${TABLES.map((t) => `${t} ${real.get(t)?.rowCount}`).join(', ')}; holdout ${TABLES.map((t) => holdout.get(t)?.rowCount).join('/')}`,
);
const h = await judge(holdout);
const b = await judge(baseline);
const keys: (keyof Summary)[] = [
  'table_accuracy_univariate_min',
  'key_uniqueness_min',
  'fk_integrity_min',
  'children_tvd_min',
  'order_violations_max',
  'order_violation_rate_max',
  'sequence_length_tvd_min',
  'sequence_gap_tvd_min',
  'transition_tvd_min',
  'lag1_autocorrelation_diff_max',
];
const f = (v: number | null | undefined) =>
  v === null || v === undefined ? 'n/a' : Number.isInteger(v) ? String(v) : v.toFixed(3);
console.log(`\n${'figure'.padEnd(32)} ${'holdout (ceiling)'.padStart(18)} ${'naive baseline'.padStart(16)}`);
for (const k of keys)
  console.log(`${k.padEnd(32)} ${f(h.rep.summary[k]).padStart(18)} ${f(b.rep.summary[k]).padStart(16)}`);

const relH = h.rep.relational;
const relB = b.rep.relational;
if (relH && relB) {
  console.log('\nchildren per parent, 1 − TVD (holdout / naive):');
  relH.foreign_keys.forEach((fk, i) => {
    console.log(
      `  ${`${fk.child}.${fk.column} → ${fk.parent}`.padEnd(40)} ${f(fk.children_per_parent.value)} / ${f(relB.foreign_keys[i]?.children_per_parent.value)}`,
    );
  });
  const broken = (r: typeof relH) => r.order_relations.filter((o) => o.violations > 0);
  console.log(
    `\norder relations holding on all real rows: ${relH.order_relations.length}; violated by holdout: ${broken(relH).length}, by naive: ${broken(relB).length}`,
  );
  for (const kind of ['row', 'parent', 'previous'] as const) {
    const n = relH.order_relations.filter((o) => o.kind === kind).length;
    const vh = broken(relH).filter((o) => o.kind === kind).length;
    const vb = broken(relB).filter((o) => o.kind === kind).length;
    console.log(`  ${kind.padEnd(9)} ${n} relations; violated: holdout ${vh}, naive ${vb}`);
  }
  console.log('\nsequences (holdout / naive): length, gap, mean transition 1 − TVD');
  relH.sequences.forEach((s, i) => {
    const sb = relB.sequences[i];
    const mean = (xs: (number | null)[]) => {
      const v = xs.filter((x): x is number => x !== null);
      return v.length ? v.reduce((a, x) => a + x, 0) / v.length : null;
    };
    console.log(
      `  ${s.table.padEnd(13)} ${f(s.length.value)} / ${f(sb.length.value)}   ${f(s.gap.value)} / ${f(sb.gap.value)}   ${f(mean(s.transitions.map((t) => t.accuracy.value)))} / ${f(mean(sb.transitions.map((t) => t.accuracy.value)))}`,
    );
  });
}
console.log(
  `\nrelational section time: holdout ${(h.ms / 1000).toFixed(2)} s, naive ${(b.ms / 1000).toFixed(2)} s`,
);

// REL_SYNTHETIC_DIR=dir: Strata's synthetic tables (one CSV per table, e.g. `strata fit
// SPLIT/real -o model.yaml` then `strata generate model.yaml -n PATIENTS -o dir/`), judged like
// the holdout and the baseline; the figures issue 14.5 added are printed for all three.
const SYN_DIR = process.env.REL_SYNTHETIC_DIR;
const sources: [string, Awaited<ReturnType<typeof judge>>][] = [];
if (SYN_DIR) {
  const syn = new Map<string, RawTable>();
  for (const t of TABLES) syn.set(t, await readTable(join(SYN_DIR, `${t}.csv`)));
  sources.push(['Strata synthetic', await judge(syn)]);
}
sources.push(['holdout half', h], ['naive re-parented', b]);
const newKeys: (keyof Summary)[] = [
  'parent_child_pairs_min',
  'parent_child_dependence_min',
  'relational_rule_violations_max',
  'relational_rule_violation_rate_max',
  'children_tvd_min',
  'order_violations_max',
  'entity_detection_auc_max',
];
console.log(`\n${'figure'.padEnd(36)}${sources.map(([n]) => n.padStart(20)).join('')}`);
for (const k of newKeys)
  console.log(`${k.padEnd(36)}${sources.map(([, x]) => f(x.rep.summary[k]).padStart(20)).join('')}`);
console.log('\nparent–child pairs per foreign key (pairs judged): mean 1 − TVD | mean dependence figure');
for (const [i, fk] of (h.rep.relational?.foreign_keys ?? []).entries())
  console.log(
    `  ${`${fk.child}.${fk.column} → ${fk.parent} (${fk.pairs_judged})`.padEnd(44)}${sources
      .map(([, x]) => {
        const fx = x.rep.relational?.foreign_keys[i];
        return `${f(fx?.parent_child_pairs.value)} | ${f(fx?.parent_child_dependence.value)}`.padStart(20);
      })
      .join('')}`,
  );
const rules = sources.map(([, x]) => x.rep.relational?.rules ?? []);
if (rules[0].length) {
  const across = rules[0].filter((r) => r.across).length;
  console.log(
    `\nrules of ${process.env.REL_SPEC}: ${rules[0].length} (${across} read another row); rules violated / rows violating: ${sources
      .map(
        ([n], i) =>
          `${n} ${rules[i].filter((r) => r.violations > 0).length} / ${rules[i].reduce((a, r) => a + r.violations, 0)}`,
      )
      .join(', ')}`,
  );
  const worst = (i: number) =>
    [...rules[i]]
      .filter((r) => r.violations > 0)
      .sort((a, c) => c.violations - a.violations)
      .slice(0, 3)
      .map((r) => `${r.table}: ${r.check} (${r.violations}/${r.checked})`)
      .join('; ');
  sources.forEach(([n], i) => {
    console.log(`  most violated, ${n}: ${worst(i) || 'none'}`);
  });
}
console.log(
  `relational section time: ${sources.map(([n, x]) => `${n} ${(x.ms / 1000).toFixed(2)} s`).join(', ')}`,
);
