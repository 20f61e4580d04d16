/**
 * `strata generate SPEC -n ROWS -o OUT`: a thin shell over `generateToFile`. The library is
 * imported when the command runs, so `--help` and the other verbs do not load it.
 */
import { availableParallelism } from 'node:os';
import type { Command } from 'commander';
import { StrataError } from '../errors.js';
import { collect, outOption, parseAssignments, parseCount, seedOption } from './options.js';
import type { Progress } from './progress.js';

interface GenerateFlags {
  rows?: string;
  out?: string;
  seed?: string;
  workers?: string;
  table?: string;
  do?: string[];
  provenance?: boolean;
  coverage?: boolean;
  allowEmptyCells?: boolean;
  scenario?: string;
  header?: boolean;
}

export function registerGenerateCommand(program: Command): void {
  const cmd = program
    .command('generate')
    .description('generate rows from a spec (CSV, JSON lines or Parquet, chosen by the extension of -o)')
    .argument('<spec>', 'spec file (YAML or JSON)')
    .option('-n, --rows <n>', 'number of rows (default: the table\u2019s rows:)');
  outOption(cmd, 'output file: .csv, .jsonl or .parquet');
  cmd
    .option('--seed <n>', 'root seed (default: the spec\u2019s seed:, then 0)')
    .option('--workers <k>', 'worker threads (output is identical for any count)')
    .option('--table <name>', 'table to generate (default: the only table)')
    .option('--do <col=value>', 'intervention: fix a column; descendants respond (repeatable)', collect, [])
    .option('--provenance', 'add _spec_hash, _stream and _rule_retries columns')
    .option('--allow-empty-cells', 'continue when coverage cells are infeasible (they are reported as empty)')
    .option('--no-coverage', 'ignore the spec\u2019s coverage plan and tails')
    .option('--scenario <name>', 'apply a named scenario (its do: and shift:) to every row')
    .option('--no-header', 'CSV: write no header line (rows only)')
    .action(async (specPath: string, flags: GenerateFlags) => {
      if (!flags.out)
        throw new StrataError(
          'cli.missing_out',
          'where should the rows go?',
          {},
          'pass -o out.csv (or .jsonl / .parquet)',
        );
      const [{ loadSpec }, { applyScenario }, { generateToFile, resolveTable }, { progressBar }] =
        await Promise.all([
          import('../spec/parse.js'),
          import('../coverage/scenario.js'),
          import('../sample/generate.js'),
          import('./progress.js'),
        ]);
      const loaded = await loadSpec(specPath);
      const scen = flags.scenario
        ? applyScenario(loaded.spec, resolveTable(loaded.spec, flags.table), flags.scenario)
        : undefined;
      const rows = flags.rows !== undefined ? parseCount('-n', flags.rows) : undefined;
      const workers =
        flags.workers !== undefined
          ? Math.max(1, parseCount('--workers', flags.workers, 64))
          : (rows ?? 0) >= 100_000
            ? Math.min(4, availableParallelism())
            : 1;
      let bar: Progress | undefined;
      const result = await generateToFile({
        spec: scen ? scen.spec : loaded.spec,
        table: flags.table,
        rows,
        seed: await seedOption(flags.seed),
        workers,
        do: { ...(scen?.do ?? {}), ...parseAssignments('--do', flags.do ?? []) },
        coverage: flags.coverage,
        allowEmptyCells: flags.allowEmptyCells,
        scenario: scen ? flags.scenario : undefined,
        provenance: flags.provenance,
        header: flags.header,
        specHash: loaded.hash,
        locator: { file: specPath, locate: (p) => loaded.source.locate(p) },
        out: flags.out,
        onProgress: (done, total) => {
          bar ??= progressBar('generate', total);
          bar.update(done, total);
        },
      }).finally(() => bar?.stop());
      for (const { column, count } of result.nonFinite ?? [])
        process.stderr.write(
          `strata: notice: column "${column}": ${count.toLocaleString('en-US')} value${count === 1 ? ' was' : 's were'} not a finite number (±Infinity or NaN) or beyond what its type holds (an integer past 2^53, a date past year 275,760) and ${count === 1 ? 'is' : 'are'} written as missing — check the column's distribution or expression\n`,
        );
      const rate = result.seconds > 0 ? Math.round(result.rows / result.seconds) : 0;
      process.stdout.write(
        `wrote ${result.rows.toLocaleString('en-US')} rows × ${result.columns.length} columns of "${result.table}" to ${result.path} ` +
          `in ${result.seconds.toFixed(2)} s (${rate.toLocaleString('en-US')} rows/s, seed ${result.seed}, ${result.workers} worker${result.workers > 1 ? 's' : ''})\n`,
      );
      const cov = result.coverage;
      if (cov) {
        const region = (c: (typeof cov.components)[number]) =>
          c.region
            ? ` (${c.region.column} in [${c.region.lo}, ${c.region.hi})${c.cap !== undefined ? `, extrapolated below ${c.cap}` : ''})`
            : '';
        const lines = cov.components.map(
          (c) =>
            `  ${c.key}${region(c)}: P=${c.probability.toExponential(2)} quota ${c.quota} delivered ${c.delivered}${c.empty ? ` (empty: ${c.empty})` : ''}` +
            (c.realShare === undefined
              ? ''
              : ` real share ${c.realShare.toExponential(2)}${c.raisedFrom !== undefined ? ` (raised from ${c.raisedFrom})` : ''}`),
        );
        for (const f of cov.forbidden) lines.push(`  ${f.key}: forbidden by ${f.by} (0 rows)`);
        if (cov.real)
          lines.push(
            `  real: ${cov.real.source} (${cov.real.rows.toLocaleString('en-US')} rows) raised ${cov.real.raised.length} cell${cov.real.raised.length === 1 ? '' : 's'}${cov.real.raised.length ? `: ${cov.real.raised.join(', ')}` : ''}`,
          );
        process.stdout.write(
          `coverage: ${cov.components.length} cells/tails, effective sample size ${Math.round(cov.effectiveSampleSize).toLocaleString('en-US')} of ${cov.rows.toLocaleString('en-US')} rows${cov.extrapolated ? `, ${cov.extrapolated} extrapolated` : ''}\n${lines.join('\n')}\n`,
        );
      }
    });
}
