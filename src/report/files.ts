/**
 * `evaluateFiles`: the I/O edge of the judge — read the tables (and spec and gates), evaluate,
 * render Markdown, write --json / --html atomically, apply gates. The CLI is a thin shell over it.
 */
import { readFile } from 'node:fs/promises';
import { StrataError, throwIfAborted } from '../errors.js';
import { checkGates, type GateFailure, parseGates } from '../evaluate/gates.js';
import { type EvaluateProgress, type EvaluationReport, evaluate } from '../evaluate/index.js';
import { checkOutputPaths, readTable, specNaValues, writeTextAtomic } from '../io/index.js';
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
  const [real, synthetic, holdout] = await Promise.all([
    readTable(o.real, read),
    readTable(o.synthetic, read),
    o.holdout ? readTable(o.holdout, read) : Promise.resolve(undefined),
  ]);
  const report = await evaluate({
    real,
    synthetic,
    holdout,
    spec: spec?.spec,
    table: o.table,
    target: o.target,
    sensitive: o.sensitive,
    seed: o.seed,
    trivariate: o.trivariate,
    signal: o.signal,
    onProgress: o.onProgress,
  });
  const markdown = renderMarkdown(report);
  const gateFailures = gates ? checkGates(report, gates) : [];
  const html = o.html ? await renderHtml(report) : undefined;
  throwIfAborted(o.signal); // before the first file: both reports or none
  if (o.json) await writeTextAtomic(o.json, `${JSON.stringify(report, null, 2)}\n`);
  if (o.html && html !== undefined) await writeTextAtomic(o.html, html);
  return { report, markdown, gateFailures };
}
