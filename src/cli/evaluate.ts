/**
 * `strata evaluate`: a thin shell over `evaluateFiles` (which is callable from code): read the
 * tables, evaluate, print Markdown, write --json/--html atomically, apply --gate.
 */
import type { Command } from 'commander';
import { StrataError } from '../errors.js';
import { type EvaluateFilesOptions, evaluateFiles } from '../report/files.js';
import { evaluateRecord } from './entries.js';
import { type LedgerFlags, ledgerOptions, openRun } from './record.js';

export function registerEvaluateCommand(program: Command): void {
  const cmd = program
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
    .option('--trivariate', 'also compute trivariate accuracy on sampled column triples');
  ledgerOptions(cmd).action(async (flags: EvaluateFilesOptions & LedgerFlags) => {
    const { ledger: _l, signKey: _s, ...opts } = flags;
    const run = await openRun(cmd, 'evaluate', flags, [
      { role: 'real', path: opts.real },
      { role: 'synthetic', path: opts.synthetic },
      { role: 'holdout', path: opts.holdout },
      { role: 'spec', path: opts.spec },
      { role: 'gate', path: opts.gate },
    ]);
    const result = await evaluateFiles(opts);
    const { markdown, gateFailures } = result;
    if (run.ledger) await run.record(await evaluateRecord(result, opts));
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
