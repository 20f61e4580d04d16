/**
 * `strata evaluate`: a thin shell over `evaluateFiles` (which is callable from code): read the
 * tables, evaluate, print Markdown, write --json/--html atomically, apply --gate. The library is
 * imported when the command runs.
 */
import type { Command } from 'commander';
import type { EvaluateFilesOptions } from '../report/files.js';
import { collect, parseRef, parseTableColumn } from './link-options.js';
import { parseList, seedOption } from './options.js';
import { type LedgerFlags, ledgerOptions, openRun } from './record.js';

type CliOptions = Omit<EvaluateFilesOptions, 'keys' | 'refs' | 'orders' | 'seed'> & {
  seed?: string;
  quiet?: boolean;
  key?: EvaluateFilesOptions['keys'];
  ref?: EvaluateFilesOptions['refs'];
  order?: string[];
};

/** `--order T=col`, or a panel's bare `--order col` (with --entity: the table is the one file). */
function orderOption(raw: string, panel: boolean): { table: string; column: string } {
  return panel && !raw.includes('=') ? { table: '', column: raw.trim() } : parseTableColumn('--order', raw);
}

export function registerEvaluateCommand(program: Command): void {
  const cmd = program
    .command('evaluate')
    .description(
      'judge synthetic data against real data: fidelity, free text, detection, MMD, privacy, utility, bias, rules, coverage; warns when it is a near-copy',
    )
    .requiredOption('--real <path>', 'real (training) data: a file, or a directory with one file per table')
    .requiredOption('--synthetic <path>', 'synthetic data (a directory when --real is one)')
    .option(
      '--holdout <path>',
      'real data not used for training (privacy baseline and accuracy ceiling; a directory when --real is one)',
    )
    .option(
      '--tables <names>',
      'with directories: the tables to judge (default: every table file)',
      parseList,
    )
    .option(
      '--key <table=column>',
      "with directories: a table's key column (repeatable; else detected)",
      collect((v) => parseTableColumn('--key', v)),
    )
    .option(
      '--ref <child.col=parent.col>',
      'with directories: a foreign key (repeatable; else detected by name and values)',
      collect(parseRef),
    )
    .option(
      '--order <table=column>',
      "with directories: the column ordering a table's rows within each parent (repeatable); a panel file: --order COL",
      collect((v) => v),
    )
    .option(
      '--entity <column>',
      'a panel file: the column grouping its rows into entities (with --order COL), judged by the sequence figures and per-entity detection',
    )
    .option('--spec <file>', 'spec whose rules and coverage plan to check')
    .option(
      '--table <name>',
      'spec table to check (default: the only one); with directories, the table the single-table sections judge (default: the first root table)',
    )
    .option('--target <column>', 'column to predict for utility and bias')
    .option('--sensitive <columns...>', 'columns to check for bias')
    .option('--json <file>', 'write the full report as JSON (schema: docs/evaluate-json.md)')
    .option('--html <file>', 'write a self-contained HTML report')
    .option(
      '--gate <file>',
      'YAML thresholds per summary key, e.g. `mmd_p_value: { min: 0.01 }` (docs/evaluate-json.md); exit code 1 when any fails',
    )
    .option('--seed <n>', 'seed for sampling and bootstrap')
    .option('--trivariate', 'also compute trivariate accuracy on sampled column triples')
    .option(
      '--na-values <tokens>',
      'comma-separated tokens read as missing in every column (e.g. None,?); by default a token such as NA is missing only among numbers or dates',
      parseList,
    )
    .option(
      '--quiet',
      'no progress line on stderr (shown only when stderr is a terminal); warnings still print',
    );
  ledgerOptions(cmd).action(async (flags: CliOptions & LedgerFlags) => {
    const { ledger: _l, signKey: _s, quiet, key, ref, order, ...rest } = flags;
    const orders = order?.map((o) => orderOption(o, rest.entity !== undefined));
    const run = await openRun(cmd, 'evaluate', flags, [
      { role: 'real', path: rest.real },
      { role: 'synthetic', path: rest.synthetic },
      { role: 'holdout', path: rest.holdout },
      { role: 'spec', path: rest.spec },
      { role: 'gate', path: rest.gate },
    ]);
    const opts: EvaluateFilesOptions = {
      ...rest,
      seed: await seedOption(flags.seed),
      keys: key,
      refs: ref,
      orders,
    };
    const { evaluateFiles } = await import('../report/files.js');
    const { stepProgress } = await import('./progress.js');
    const progress = quiet ? undefined : stepProgress('evaluate');
    progress?.update({ step: 0, steps: 0, title: 'reading the files', phase: 'start' });
    let result: Awaited<ReturnType<typeof evaluateFiles>>;
    try {
      result = await evaluateFiles({ ...opts, onProgress: progress?.update });
    } finally {
      progress?.stop();
    }
    const { markdown, gateFailures, report } = result;
    if (run.ledger) {
      const { evaluateRecord } = await import('./entries.js');
      await run.record(await evaluateRecord(result, opts));
    }
    // A near-copy is said out loud, with or without --gate (issue 13.6).
    for (const w of report.warnings) process.stderr.write(`strata: warning: ${w.message}\n`);
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
