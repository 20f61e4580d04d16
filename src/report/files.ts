/**
 * `evaluateFiles`: the I/O edge of the judge — read the tables (and spec and gates), evaluate,
 * render Markdown, write --json / --html atomically, apply gates. The CLI is a thin shell over it.
 */
import { readFile } from 'node:fs/promises';
import { StrataError, throwIfAborted } from '../errors.js';
import { checkGates, type GateFailure, type Gates, parseGates } from '../evaluate/gates.js';
import { type EvaluateProgress, type EvaluationReport, evaluate } from '../evaluate/index.js';
import { resolveLinks } from '../evaluate/relational/links.js';
import { withoutLinks } from '../evaluate/relational/typed-tables.js';
import {
  checkOutputPaths,
  isDirectory,
  type RawTable,
  type ReadOptions,
  readTable,
  readTableSet,
  specNaValues,
  tableStem,
  writeTextAtomic,
} from '../io/index.js';
import { loadSpec } from '../spec/index.js';
import { renderHtml, renderMarkdown } from './index.js';

export interface EvaluateFilesOptions {
  real: string;
  synthetic: string;
  holdout?: string;
  spec?: string;
  table?: string;
  target?: string;
  sensitive?: string[];
  json?: string;
  html?: string;
  gate?: string;
  seed?: number;
  trivariate?: boolean;
  /** With directories (one file per table): the tables to judge (default: every table file). */
  tables?: string[];
  /** Stated keys, foreign keys and sequence orders (`--key`, `--ref`, `--order`); the rest is detected. */
  keys?: { table: string; column: string }[];
  refs?: { child: string; column: string; parent: string; parentColumn: string }[];
  orders?: { table: string; column: string }[];
  /**
   * A panel (`--entity COL`): the one real file's rows are grouped into entities by this column and
   * ordered by `orders` (whose table is the file's stem), so the sequence figures and the per-entity
   * detection judge it; the single-table sections judge its rows without the entity column.
   */
  entity?: string;
  /** Cancels the run (reading, any section, rendering) with `run.aborted`; no report file is written. */
  signal?: AbortSignal;
  /** Tokens read as missing in every column of every table (`--na-values`). */
  naValues?: string[];
  /** Called as each evaluate step starts and ends (the CLI's progress line). */
  onProgress?: (p: EvaluateProgress) => void;
}

export interface EvaluateFilesResult {
  report: EvaluationReport;
  markdown: string;
  /** The thresholds read from `gate` (absent without one). */
  gates?: Gates;
  gateFailures: GateFailure[];
}

/** Everything the CLI does, as a library call (paths in, report + rendered text out). */
export async function evaluateFiles(o: EvaluateFilesOptions): Promise<EvaluateFilesResult> {
  throwIfAborted(o.signal);
  // Output paths are checked before the evaluation, not after it.
  checkOutputPaths([o.json, o.html], [o.real, o.synthetic, o.holdout, o.spec, o.gate]);
  // Parse the gate file first: a typo there should fail before minutes of evaluation.
  let gates: ReturnType<typeof parseGates> | undefined;
  if (o.gate) {
    let text: string;
    try {
      text = await readFile(o.gate, 'utf8');
    } catch {
      throw new StrataError(
        'evaluate.gate',
        'cannot read the gate file',
        { file: o.gate },
        'check the --gate path',
      );
    }
    gates = parseGates(text, o.gate);
  }
  // The spec first: its columns' na_values say how to read the tables.
  const spec = o.spec ? await loadSpec(o.spec) : undefined;
  const tables = Object.values(spec?.spec.tables ?? {});
  const specTable =
    (o.table ? spec?.spec.tables[o.table] : undefined) ?? (tables.length === 1 ? tables[0] : undefined);
  const read = { naValues: o.naValues, columnNaValues: specNaValues(specTable) };
  if (await isDirectory(o.real)) {
    if (o.entity !== undefined) throw panelError('--real is a directory', o.real);
    return finish(o, gates, await readSets(o, read, spec?.spec));
  }
  const [real, synthetic, holdout] = await Promise.all([
    readTable(o.real, read),
    readTable(o.synthetic, read),
    o.holdout ? readTable(o.holdout, read) : Promise.resolve(undefined),
  ]);
  if (o.entity !== undefined)
    return finish(o, gates, await evaluatePanel(o, spec?.spec, real, synthetic, holdout));
  const report = await evaluate({
    real,
    synthetic,
    holdout,
    spec: spec?.spec,
    ...judgeOptions(o),
  });
  return finish(o, gates, report);
}

function panelError(what: string, file: string): StrataError {
  return new StrataError(
    'evaluate.panel',
    `--entity judges one panel file, but ${what}`,
    { file },
    'e.g. strata evaluate --real long.csv --synthetic synth.csv --entity ID --order month (for several tables, use directories and --order TABLE=COL)',
  );
}

/** A panel file (`--entity`, `--order`): the relational section over a one-table set. */
async function evaluatePanel(
  o: EvaluateFilesOptions,
  spec: unknown,
  real: RawTable,
  synthetic: RawTable,
  holdout: RawTable | undefined,
): Promise<EvaluationReport> {
  const entity = o.entity as string;
  const name = tableStem(o.real);
  const orders = (o.orders ?? []).map((x) => ({ ...x, table: x.table || name }));
  if (orders.length !== 1)
    throw panelError(`${orders.length} --order columns were given (one is needed)`, o.real);
  const set = (t: RawTable) => new Map([[name, { ...t, name }]]);
  const drop = (t: RawTable) => withoutLinks(t, new Set([entity]));
  return evaluate({
    real: drop(real),
    synthetic: drop(synthetic),
    holdout: holdout && drop(holdout),
    spec: spec as SetInput['spec'],
    ...judgeOptions(o),
    relational: {
      real: set(real),
      synthetic: set(synthetic),
      holdout: holdout && set(holdout),
      orders,
      entities: [{ table: name, column: entity }],
    },
  });
}

type SetInput = Parameters<typeof evaluate>[0];

/** Table sets (`--real DIR --synthetic DIR`): the relational section over all, the tabular sections over one. */
async function readSets(
  o: EvaluateFilesOptions,
  read: ReadOptions,
  spec: unknown,
): Promise<EvaluationReport> {
  const dirs: [string, string | undefined][] = [
    ['--synthetic', o.synthetic],
    ['--holdout', o.holdout],
  ];
  for (const [flag, path] of dirs)
    if (path !== undefined && !(await isDirectory(path)))
      throw new StrataError(
        'evaluate.table_set',
        `--real is a directory of tables, so ${flag} must be one too`,
        { file: path },
        `give ${flag} a directory holding the same table files`,
      );
  const real = await readTableSet(o.real, { ...read, only: o.tables });
  const only = [...real.keys()];
  const synthetic = await readTableSet(o.synthetic, { ...read, only });
  const holdout = o.holdout ? await readTableSet(o.holdout, { ...read, only }) : undefined;
  const main = o.table ?? rootTable(real, o, spec);
  const pick = (set: Map<string, RawTable>) => set.get(main) as RawTable;
  if (!real.has(main))
    throw new StrataError(
      'evaluate.table_set',
      `--table "${main}" is not among the real tables`,
      { path: '--table' },
      `use one of: ${only.join(', ')}`,
    );
  const input: SetInput = {
    real: pick(real),
    synthetic: pick(synthetic),
    holdout: holdout ? pick(holdout) : undefined,
    spec: spec as SetInput['spec'],
    ...judgeOptions(o),
    relational: { real, synthetic, holdout, keys: o.keys, refs: o.refs, orders: o.orders },
  };
  return evaluate(input);
}

/** The table the single-table sections judge by default: the first with no parent (a root). */
function rootTable(real: Map<string, RawTable>, o: EvaluateFilesOptions, spec: unknown): string {
  const links = resolveLinks(real, { keys: o.keys, refs: o.refs, orders: o.orders, spec });
  const names = [...real.keys()];
  return names.find((n) => !links.parentOf.has(n)) ?? names[0];
}

async function finish(
  o: EvaluateFilesOptions,
  gates: ReturnType<typeof parseGates> | undefined,
  report: EvaluationReport,
): Promise<EvaluateFilesResult> {
  const markdown = renderMarkdown(report);
  const gateFailures = gates ? checkGates(report, gates) : [];
  const html = o.html ? await renderHtml(report) : undefined;
  throwIfAborted(o.signal); // before the first file: both reports or none
  if (o.json) await writeTextAtomic(o.json, `${JSON.stringify(report, null, 2)}\n`);
  if (o.html && html !== undefined) await writeTextAtomic(o.html, html);
  return { report, markdown, gates, gateFailures };
}

/** The options evaluate takes as given, whether the inputs were two files or two table sets. */
function judgeOptions(o: EvaluateFilesOptions) {
  const { table, target, sensitive, seed, trivariate, signal, onProgress } = o;
  return { table, target, sensitive, seed, trivariate, signal, onProgress };
}
