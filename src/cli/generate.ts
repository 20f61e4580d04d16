/** `strata generate SPEC -n ROWS -o OUT`: a thin shell over `generateToFile`. */
import { availableParallelism } from 'node:os';
import type { Command } from 'commander';
import { StrataError } from '../errors.js';
import { generateToFile } from '../sample/index.js';
import { loadSpec } from '../spec/index.js';
import { collect, parseAssignments, parseCount, parseSeed } from './options.js';
import { progressBar } from './progress.js';

interface GenerateFlags {
  rows?: string;
  out?: string;
  seed?: string;
  workers?: string;
  table?: string;
  do?: string[];
  provenance?: boolean;
}

export function registerGenerateCommand(program: Command): void {
  program
    .command('generate')
    .description('generate rows from a spec (CSV, JSON lines or Parquet, chosen by the extension of -o)')
    .argument('<spec>', 'spec file (YAML or JSON)')
    .option('-n, --rows <n>', 'number of rows (default: the table\u2019s rows:)')
    .option('-o, --out <file>', 'output file: .csv, .jsonl or .parquet')
    .option('--seed <n>', 'root seed (default: the spec\u2019s seed:, then 0)')
    .option('--workers <k>', 'worker threads (output is identical for any count)')
    .option('--table <name>', 'table to generate (default: the only table)')
    .option('--do <col=value>', 'intervention: fix a column; descendants respond (repeatable)', collect, [])
    .option('--provenance', 'add _spec_hash, _stream and _rule_retries columns')
    .action(async (specPath: string, flags: GenerateFlags) => {
      if (!flags.out) throw new StrataError('cli.missing_out', 'where should the rows go?', {}, 'pass -o out.csv (or .jsonl / .parquet)');
      const loaded = await loadSpec(specPath);
      const rows = flags.rows !== undefined ? parseCount('-n', flags.rows) : undefined;
      const workers =
        flags.workers !== undefined
          ? Math.max(1, parseCount('--workers', flags.workers, 64))
          : (rows ?? 0) >= 100_000
            ? Math.min(4, availableParallelism())
            : 1;
      let bar: ReturnType<typeof progressBar> | undefined;
      const result = await generateToFile({
        spec: loaded.spec,
        table: flags.table,
        rows,
        seed: flags.seed !== undefined ? parseSeed(flags.seed) : undefined,
        workers,
        do: parseAssignments('--do', flags.do ?? []),
        provenance: flags.provenance,
        specHash: loaded.hash,
        locator: { file: specPath, locate: (p) => loaded.source.locate(p) },
        out: flags.out,
        onProgress: (done, total) => {
          bar ??= progressBar('generate', total);
          bar.update(done, total);
        },
      }).finally(() => bar?.stop());
      const rate = result.seconds > 0 ? Math.round(result.rows / result.seconds) : 0;
      process.stdout.write(
        `wrote ${result.rows.toLocaleString('en-US')} rows × ${result.columns.length} columns of "${result.table}" to ${result.path} ` +
          `in ${result.seconds.toFixed(2)} s (${rate.toLocaleString('en-US')} rows/s, seed ${result.seed}, ${result.workers} worker${result.workers > 1 ? 's' : ''})\n`,
      );
    });
}
