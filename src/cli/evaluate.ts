/**
 * `strata evaluate`: a thin shell over `evaluateFiles` (which is callable from code): read the
 * tables, evaluate, print Markdown, write --json/--html atomically, apply --gate.
 */
import { readFile } from 'node:fs/promises';
import type { Command } from 'commander';
import { StrataError } from '../errors.js';
import {
  checkGates,
  type EvaluationReport,
  evaluate,
  type GateFailure,
  parseGates,
} from '../evaluate/index.js';
import { openAtomic, readTable } from '../io/index.js';
import { renderHtml, renderMarkdown } from '../report/index.js';
import { loadSpec } from '../spec/index.js';

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
}

export interface EvaluateFilesResult {
  report: EvaluationReport;
  markdown: string;
  gateFailures: GateFailure[];
}

async function writeAtomic(path: string, text: string): Promise<void> {
  const f = await openAtomic(path);
  try {
    await f.write(text);
    await f.commit();
  } catch (err) {
    await f.abort();
    throw err;
  }
}

/** Everything the CLI does, as a library call (paths in, report + rendered text out). */
export async function evaluateFiles(o: EvaluateFilesOptions): Promise<EvaluateFilesResult> {
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
  const [real, synthetic, holdout, spec] = await Promise.all([
    readTable(o.real),
    readTable(o.synthetic),
    o.holdout ? readTable(o.holdout) : Promise.resolve(undefined),
    o.spec ? loadSpec(o.spec) : Promise.resolve(undefined),
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
  });
  const markdown = renderMarkdown(report);
  const gateFailures = gates ? checkGates(report, gates) : [];
  if (o.json) await writeAtomic(o.json, `${JSON.stringify(report, null, 2)}\n`);
  if (o.html) await writeAtomic(o.html, await renderHtml(report));
  return { report, markdown, gateFailures };
}

export function registerEvaluateCommand(program: Command): void {
  program
    .command('evaluate')
    .description(
      'judge synthetic data against real data: fidelity, detection, privacy, utility, bias, rules, coverage',
    )
    .requiredOption('--real <file>', 'real (training) data')
    .requiredOption('--synthetic <file>', 'synthetic data')
    .option('--holdout <file>', 'real data not used for training (privacy baseline and accuracy ceiling)')
    .option('--spec <file>', 'spec whose rules and coverage plan to check')
    .option('--table <name>', 'spec table to check (default: the only one)')
    .option('--target <column>', 'column to predict for utility and bias')
    .option('--sensitive <columns...>', 'columns to check for bias')
    .option('--json <file>', 'write the full report as JSON (schema: docs/evaluate-json.md)')
    .option('--html <file>', 'write a self-contained HTML report')
    .option('--gate <file>', 'YAML thresholds per summary key; exit code 1 when any fails')
    .option('--seed <n>', 'seed for sampling and bootstrap', (v) => {
      const n = Number(v);
      if (!Number.isInteger(n))
        throw new StrataError(
          'cli.seed',
          `--seed must be an integer, got "${v}"`,
          { path: '--seed' },
          'e.g. --seed 42',
        );
      return n;
    })
    .option('--trivariate', 'also compute trivariate accuracy on sampled column triples')
    .action(async (opts: EvaluateFilesOptions) => {
      const { markdown, gateFailures } = await evaluateFiles(opts);
      process.stdout.write(markdown);
      if (opts.gate) {
        if (gateFailures.length) {
          process.stdout.write(
            `\n## Gate failures (${opts.gate})\n\n${gateFailures.map((f) => `- ${f.message}`).join('\n')}\n`,
          );
          process.exitCode = 1;
        } else process.stdout.write(`\nAll gates in ${opts.gate} pass.\n`);
      }
    });
}
