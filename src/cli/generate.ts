/**
 * `strata generate SPEC -n ROWS -o OUT`: a thin shell over `generateToFile`. The library is
 * imported when the command runs, so `--help` and the other verbs do not load it.
 */
import { availableParallelism } from 'node:os';
import type { Command } from 'commander';
import { StrataError } from '../errors.js';
import { collect, outOption, parseAssignments, parseCount, seedOption } from './options.js';
import { type LedgerFlags, ledgerOptions, openRun, type Run } from './record.js';

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
  runId?: string;
  format?: string;
  header?: boolean;
}

const RUN_ID = /^[0-9]{8}T[0-9]{6}Z-[0-9a-f]{6}$/;

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
    .option('--provenance', 'add _spec_hash, _stream, _rule_retries, _run_id, _block and _row columns')
    .option(
      '--run-id <id>',
      'stamp --provenance rows with this run id (to reproduce a recorded run byte for byte)',
    )
    .option('--allow-empty-cells', 'continue when coverage cells are infeasible (they are reported as empty)')
    .option('--no-coverage', 'ignore the spec\u2019s coverage plan and tails')
    .option('--scenario <name>', 'apply a named scenario (its do: and shift:) to every row')
    .option(
      '--format <csv|jsonl|parquet>',
      'relational specs: the format of the files in the -o directory (default csv)',
    )
    .option('--no-header', 'CSV: write no header line (rows only)');
  ledgerOptions(cmd).action(async (specPath: string, flags: GenerateFlags & LedgerFlags) => {
    if (!flags.out)
      throw new StrataError(
        'cli.missing_out',
        'where should the rows go?',
        {},
        'pass -o out.csv (or .jsonl / .parquet)',
      );
    if (flags.runId !== undefined && !RUN_ID.test(flags.runId))
      throw new StrataError(
        'cli.bad_run_id',
        `--run-id "${flags.runId}" is not a run id`,
        {},
        'copy it from `strata ledger trace OUT` or a row\u2019s _run_id, e.g. 20250611T101500Z-3f9a2c',
      );
    const run = await openRun(cmd, 'generate', flags, [{ role: 'spec', path: specPath }]);
    const [{ loadSpec }, { applyScenario }, { generateToFile, resolveTable }, { rowProgress }] =
      await Promise.all([
        import('../spec/parse.js'),
        import('../coverage/scenario.js'),
        import('../sample/generate.js'),
        import('./progress.js'),
      ]);
    const loaded = await loadSpec(specPath);
    const { isRelational } = await import('../spec/relational.js');
    if (isRelational(loaded.spec)) return generateRelational(specPath, loaded, flags, run);
    const scen = flags.scenario
      ? applyScenario(loaded.spec, resolveTable(loaded.spec, flags.table), flags.scenario)
      : undefined;
    const rows = flags.rows !== undefined ? parseCount('-n', flags.rows) : undefined;
    const workers = workersFlag(
      flags.workers,
      (rows ?? 0) >= 100_000 ? Math.min(4, availableParallelism()) : 1,
    );
    const doMap = parseAssignments('--do', flags.do ?? []);
    const progress = rowProgress('generate');
    const result = await generateToFile({
      spec: scen ? scen.spec : loaded.spec,
      table: flags.table,
      rows,
      seed: await seedOption(flags.seed),
      workers,
      do: { ...(scen?.do ?? {}), ...doMap },
      coverage: flags.coverage,
      allowEmptyCells: flags.allowEmptyCells,
      scenario: scen ? flags.scenario : undefined,
      provenance: flags.provenance,
      header: flags.header,
      specHash: loaded.hash,
      runId: flags.runId ?? run.id,
      hashOutput: run.ledger !== undefined,
      locator: { file: specPath, locate: (p) => loaded.source.locate(p) },
      out: flags.out,
      onProgress: progress.onProgress,
    }).finally(progress.stop);
    if (run.ledger) {
      const { generateRecord } = await import('./entries.js');
      await run.record(
        await generateRecord(result, {
          out: flags.out,
          rows,
          do: doMap,
          scenario: flags.scenario,
          coverage: flags.coverage,
          allowEmptyCells: flags.allowEmptyCells,
          provenance: flags.provenance,
          header: flags.header,
          spec: loaded.spec,
          specHash: loaded.hash,
          reproduces: flags.runId,
        }),
      );
    }
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

/** A spec with parent/count/sequence: every table into the directory `-o`, one file per table. */
async function generateRelational(
  specPath: string,
  loaded: Awaited<ReturnType<typeof import('../spec/parse.js')['loadSpec']>>,
  flags: GenerateFlags,
  run: Run,
): Promise<void> {
  const { OUTPUT_FORMATS, formatFromPath } = await import('../io/format.js');
  const format = OUTPUT_FORMATS.find((f) => f === (flags.format ?? 'csv'));
  if (format === undefined) {
    throw new StrataError(
      'cli.bad_format',
      `--format ${flags.format} is not supported for relational specs`,
      {},
      `use --format ${OUTPUT_FORMATS.join(', --format ')}`,
    );
  }
  for (const [flag, set] of [
    ['--table', flags.table],
    ['--provenance', flags.provenance],
    ['--no-header', flags.header === false],
  ] as const) {
    if (set)
      throw new StrataError(
        'cli.unsupported',
        `${flag} does not apply to a relational spec yet`,
        {},
        `remove ${flag}`,
      );
  }
  const out = flags.out!;
  // A spec of one table (a panel) may write to one file; its extension chooses the format.
  const single = Object.keys(loaded.spec.tables).length === 1 && /\.(csv|jsonl|parquet)$/i.test(out);
  const fileFormat = single ? formatFromPath(out) : format;
  if (!single && /\.(csv|jsonl|parquet)$/i.test(out)) {
    throw new StrataError(
      'cli.out_is_file',
      `a relational spec writes one file per table: -o names a directory, not ${out}`,
      {},
      `pass -o ${out.replace(/\.[^.]+$/, '')}/`,
    );
  }
  const [{ generateTables, generateTablesDuckDb }, { rowProgress }] = await Promise.all([
    import('../sample/generate-tables.js'),
    import('./progress.js'),
  ]);
  const progress = rowProgress('generate');
  const duck = /\.duckdb$/i.test(out);
  const generate = (o: Parameters<typeof generateTables>[0]) =>
    duck ? generateTablesDuckDb({ ...o, path: out }) : generateTables(o);
  const rows = flags.rows !== undefined ? parseCount('-n', flags.rows) : undefined;
  const workers = workersFlag(flags.workers, 1);
  const doMap = parseAssignments('--do', flags.do ?? []);
  const result = await generate({
    spec: loaded.spec,
    rows,
    seed: await seedOption(flags.seed),
    do: doMap,
    locator: { file: specPath, locate: (p) => loaded.source.locate(p) },
    dir: out,
    ...(single ? { file: out } : {}),
    format: fileFormat,
    workers,
    hashOutput: run.ledger !== undefined,
    onProgress: progress.onProgress,
    coverage: flags.coverage,
    allowEmptyCells: flags.allowEmptyCells,
    scenario: flags.scenario,
  }).finally(progress.stop);
  if (run.ledger) {
    const { generateTablesRecord } = await import('./entries.js');
    await run.record(
      await generateTablesRecord(result, {
        out,
        rows,
        do: doMap,
        format: duck ? 'duckdb' : fileFormat,
        workers,
        spec: loaded.spec,
        specHash: loaded.hash,
        scenario: flags.scenario,
        coverage: flags.coverage,
        allowEmptyCells: flags.allowEmptyCells,
      }),
    );
  }
  const total = result.tables.reduce((a, t) => a + t.rows, 0);
  const rate = result.seconds > 0 ? Math.round(total / result.seconds) : 0;
  const lines = result.tables.map(
    (t) => `  ${t.table}: ${t.rows.toLocaleString('en-US')} rows × ${t.columns.length} columns → ${t.path}`,
  );
  process.stdout.write(
    `wrote ${result.roots.toLocaleString('en-US')} entities, ${total.toLocaleString('en-US')} rows in ${result.tables.length} table${result.tables.length === 1 ? '' : 's'} in ${result.seconds.toFixed(2)} s (${rate.toLocaleString('en-US')} rows/s, seed ${result.seed})\n${lines.join('\n')}\n`,
  );
  const cov = result.coverage;
  if (cov) {
    const n = (x: number) => x.toLocaleString('en-US');
    const cells = cov.cells.map(
      (c) =>
        `  ${c.key}: ${c.status}, quota ${n(c.quota)} ${cov.unit}, delivered ${n(c.delivered)} rows (${n(c.drawn)} from ${n(c.entities)} cell entities, ${c.method})${c.empty ? ` — ${c.empty}` : ''}`,
    );
    for (const f of cov.forbidden) cells.push(`  ${f.key}: forbidden by ${f.by} (${n(f.rows)} rows)`);
    process.stdout.write(
      `coverage of "${cov.table}": ${cov.cells.filter((c) => c.status === 'filled').length} of ${cov.cells.length} cells filled; ${n(cov.freeEntities)} free entities + ${n(cov.entities - cov.freeEntities)} cell entities\n${cells.join('\n')}\n`,
    );
  }
}

/** `--workers N` (at least 1, at most 64), or `fallback` when it is not given. */
function workersFlag(raw: string | undefined, fallback: number): number {
  return raw !== undefined ? Math.max(1, parseCount('--workers', raw, 64)) : fallback;
}
