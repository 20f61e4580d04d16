/**
 * What makes synthetic rows sit closer to the training rows than to the holdout (issue 15, small
 * tables): the DCR share (evaluate's privacy section, Gower distance) on all columns, with each
 * column left out, and on each column alone; and per column the share of synthetic values equal
 * to some training value, beside the holdout's own share (a fresh real sample's baseline).
 * Run: npx tsx bench/dcr-trace.ts TRAIN.csv HOLDOUT.csv SYNTHETIC.csv
 */
import { evaluate } from '../src/evaluate/index.js';
import { SECTION_NAMES } from '../src/evaluate/registry.js';
import { type RawTable, readTable } from '../src/io/index.js';

type Sections = Parameters<typeof evaluate>[0]['sections'];
// plain-object: fixed keys (section names)
const privacyOnly = Object.fromEntries(SECTION_NAMES.map((s) => [s, s === 'privacy'])) as Sections;

const keep = (t: RawTable, cols: readonly string[]): RawTable => ({
  ...t,
  columns: [...cols],
  data: cols.map((c) => t.data[t.columns.indexOf(c)]),
});

async function dcr(train: RawTable, hold: RawTable, syn: RawTable, cols: readonly string[]): Promise<number> {
  const r = await evaluate({
    real: keep(train, cols),
    holdout: keep(hold, cols),
    synthetic: keep(syn, cols),
    sections: privacyOnly,
    seed: 42,
    bootstrapReps: 0,
  });
  return r.summary.dcr_share ?? Number.NaN;
}

function valueCopyShare(values: readonly (string | null)[], seen: ReadonlySet<string>): number {
  let n = 0;
  let hit = 0;
  for (const v of values) {
    if (v === null || v === '') continue;
    n++;
    if (seen.has(v)) hit++;
  }
  return n === 0 ? Number.NaN : hit / n;
}

async function main(): Promise<void> {
  const [trainPath, holdPath, synPath] = process.argv.slice(2);
  if (!synPath) throw new Error('usage: npx tsx bench/dcr-trace.ts TRAIN HOLDOUT SYNTHETIC');
  const [train, hold, syn] = await Promise.all([
    readTable(trainPath),
    readTable(holdPath),
    readTable(synPath),
  ]);
  const cols = train.columns.filter((c) => syn.columns.includes(c) && hold.columns.includes(c));
  const f3 = (x: number) => x.toFixed(3);
  const all = await dcr(train, hold, syn, cols);
  process.stdout.write(`DCR share, all ${cols.length} columns: ${f3(all)}\n`);
  process.stdout.write(
    'column | DCR without | DCR alone | syn values seen in train | holdout values seen in train | distinct train\n',
  );
  for (const c of cols) {
    const without = await dcr(
      train,
      hold,
      syn,
      cols.filter((x) => x !== c),
    );
    const alone = await dcr(train, hold, syn, [c]);
    const col = train.data[train.columns.indexOf(c)] as (string | null)[];
    const seen = new Set(col.filter((v): v is string => v !== null && v !== ''));
    const s = valueCopyShare(syn.data[syn.columns.indexOf(c)] as (string | null)[], seen);
    const h = valueCopyShare(hold.data[hold.columns.indexOf(c)] as (string | null)[], seen);
    process.stdout.write(`${c} | ${f3(without)} | ${f3(alone)} | ${f3(s)} | ${f3(h)} | ${seen.size}\n`);
  }
}

await main();
