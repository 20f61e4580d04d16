/**
 * `fitFile`: the I/O edge of fit — read the data (CSV, JSONL, Parquet), the knowledge file and a
 * partial spec, fit, and write the model atomically.
 */
import { coverageFromData } from '../coverage/from-data.js';
import { throwIfAborted } from '../errors.js';
import { checkOutputPaths, readTable, specNaValues, tableStem, writeTextAtomic } from '../io/index.js';
import { nameMap } from '../names.js';
import { loadSpec } from '../spec/index.js';
import { toYaml } from '../spec/yaml.js';
import { type FitOptions, type FitResult, fitTableAsync } from './fit.js';
import { loadKnowledge } from './knowledge.js';
import { loadPartialSpec } from './partial.js';
import { guardedFit, type PrivacyGuardOptions } from './privacy-guard.js';
import { type RefineLoopOptions, refineFitTable } from './refine-loop.js';
import { type RefinedModel, refineModel } from './refine-model.js';

export interface FitFileOptions extends Omit<FitOptions, 'knowledge' | 'from' | 'source'> {
  /** Output model path (.yaml); absent = do not write. */
  out?: string;
  knowledgePath?: string;
  fromPath?: string;
  /** Columns whose real per-cell frequencies become a coverage plan in the model (`--coverage-from`). */
  coverageFrom?: string[];
  /** How the model names its data (`fit.source`, header); default the path given. */
  sourceName?: string;
  /** Tokens read as missing in every column (`--na-values`), besides empty fields and the column rule. */
  naValues?: string[];
  /** Run the refine loop after fitting (`--refine [ROUNDS]`; refine-loop.ts). */
  refine?: RefineLoopOptions;
  /** Fit through the privacy guard (`--privacy-guard [BOUND]`; privacy-guard.ts); not with `refine`. */
  privacyGuard?: PrivacyGuardOptions;
}

/** Fit a data file and write the model; `opts.signal` cancels it between steps (nothing is written). */
export async function fitFile(dataPath: string, opts: FitFileOptions = {}): Promise<FitResult> {
  throwIfAborted(opts.signal);
  // The output path is checked before minutes of fitting, not after.
  checkOutputPaths([opts.out], [dataPath, opts.knowledgePath, opts.fromPath]);
  const knowledge = opts.knowledgePath ? await loadKnowledge(opts.knowledgePath) : undefined;
  const from = opts.fromPath ? await loadPartialSpec(opts.fromPath) : undefined;
  const fromTables = Object.values(from?.tables ?? {});
  const fromTable =
    (opts.name ? from?.tables[opts.name] : undefined) ??
    (fromTables.length === 1 ? fromTables[0] : undefined);
  const raw = await readTable(dataPath, { naValues: opts.naValues, columnNaValues: specNaValues(fromTable) });
  const table = { ...raw, name: raw.name || tableStem(dataPath) };
  const fitOpts = {
    ...opts,
    knowledge,
    knowledgeFile: opts.knowledgePath,
    from,
    source: opts.sourceName ?? dataPath,
  };
  const result: FitResult = opts.refine
    ? await refineFitTable(table, fitOpts)
    : opts.privacyGuard
      ? await guardedFit(table, fitOpts, opts.privacyGuard)
      : await fitTableAsync(table, fitOpts);
  if (opts.coverageFrom && opts.coverageFrom.length > 0) {
    const plan = coverageFromData(raw, opts.coverageFrom);
    result.spec.coverage = Object.assign(nameMap(), result.spec.coverage, { [result.table]: plan });
    result.yaml +=
      `\n# Coverage plan from --coverage-from ${opts.coverageFrom.join(',')}: cells under-represented in the\n` +
      '# real data get at least min_per_cell rows when generating (rows carry _cell and _weight).\n' +
      toYaml({ coverage: { [result.table]: plan } });
  }
  throwIfAborted(opts.signal);
  if (opts.out) await writeTextAtomic(opts.out, result.yaml);
  return result;
}

/** The summary `strata fit` prints: column types, the graph, and timing. */
export function fitSummary(r: FitResult, out?: string): string {
  const lines: string[] = [];
  lines.push(`fitted ${r.table}: ${r.rows} rows, ${r.columns.length} columns in ${r.seconds.toFixed(2)} s`);
  if (r.budget)
    lines.push(
      `differential privacy: epsilon ${r.budget.epsilon} (structure ${r.budget.structure}, counts ${r.budget.parameters})`,
    );
  const w = Math.max(...r.columns.map((c) => c.name.length), 4);
  lines.push('', 'columns:');
  for (const c of r.columns)
    lines.push(
      `  ${c.name.padEnd(w)}  ${c.kind.padEnd(8)}  ${c.origin === 'learned' ? c.summary : c.summary}`,
    );
  const trace = r.spec.fit?.refine;
  if (trace) {
    const kept = trace.steps.filter((x) => x.kept && x.applied !== false);
    lines.push(
      '',
      `refine: ${trace.rounds} round(s), ${trace.steps.length} repair(s) tried, ${kept.length} kept${kept.length > 0 ? `: ${kept.map((x) => x.repair.replace(/^add edge /, '')).join(', ')}` : ''} (--explain prints each)`,
    );
  }
  lines.push('', `graph (${r.edges.length} edges):`);
  const weak = new Set(r.edges.filter((e) => e.weak).map((e) => `${e.from}>${e.to}`));
  for (const c of r.columns)
    if (c.parents.length > 0)
      lines.push(
        `  ${c.parents.map((p) => (weak.has(`${p}>${c.name}`) ? `(${p})` : p)).join(', ')} -> ${c.name}`,
      );
  if (weak.size > 0) lines.push('  (parenthesised: weak edges, kept for fidelity)');
  lines.push('', 'mermaid:', r.mermaid);
  if (out) lines.push('', `model written to ${out}`);
  return `${lines.join('\n')}\n`;
}

export interface RefineModelFileOptions extends Omit<FitFileOptions, 'fromPath' | 'coverageFrom'> {
  refine?: RefineLoopOptions;
}

/**
 * `strata refine MODEL.yaml --real DATA`: read the model and the data (the model's `na_values`
 * apply), run the refine loop from the model's structure (refine-model.ts), and write the refined
 * model atomically (nothing when `out` is absent).
 */
export async function refineModelFile(
  modelPath: string,
  dataPath: string,
  opts: RefineModelFileOptions = {},
): Promise<RefinedModel> {
  throwIfAborted(opts.signal);
  checkOutputPaths([opts.out], [dataPath, opts.knowledgePath]);
  const { spec: model, source } = await loadSpec(modelPath);
  const knowledge = opts.knowledgePath ? await loadKnowledge(opts.knowledgePath) : undefined;
  const tables = Object.values(model.tables);
  const written =
    (opts.name ? model.tables[opts.name] : undefined) ?? (tables.length === 1 ? tables[0] : undefined);
  const raw = await readTable(dataPath, { naValues: opts.naValues, columnNaValues: specNaValues(written) });
  const result = await refineModel(
    model,
    { ...raw, name: raw.name || tableStem(dataPath) },
    {
      ...opts,
      knowledge,
      knowledgeFile: opts.knowledgePath,
      source: opts.sourceName ?? dataPath,
      modelSource: source,
      dataFile: dataPath,
    },
  );
  throwIfAborted(opts.signal);
  if (opts.out) await writeTextAtomic(opts.out, result.yaml);
  return result;
}
