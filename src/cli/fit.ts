/** `strata fit DATA -o MODEL.yaml`: a thin shell over `fitFile` (imported when the command runs). */
import type { Command } from 'commander';
import { StrataError } from '../errors.js';
import type { FitOptions } from '../fit/fit.js';
import { parseRef, parseTableColumn } from './link-options.js';
import { collect, outOption, parseCount, parseList, seedOption } from './options.js';
import { type LedgerFlags, ledgerOptions, openRun } from './record.js';

async function isDirectoryOrDatabase(path: string): Promise<boolean> {
  if (/\.(duckdb|ddb|db)$/i.test(path)) return true;
  const { stat } = await import('node:fs/promises');
  try {
    return (await stat(path)).isDirectory();
  } catch {
    return false;
  }
}

interface FitFlags {
  out?: string;
  seed?: string;
  target?: string;
  targetModel?: string;
  knowledge?: string;
  epsilon?: string;
  name?: string;
  from?: string;
  maxParents?: string;
  minCount?: string;
  coverageFrom?: string;
  naValues?: string;
  key: string[];
  ref: string[];
  order: string[];
  entity?: string;
  refine?: string | boolean;
  explain?: boolean;
  privacyGuard?: string | boolean;
  tables?: string;
}

function parseEpsilon(raw: string): number {
  const e = Number(raw);
  if (!(Number.isFinite(e) && e > 0))
    throw new StrataError(
      'cli.bad_epsilon',
      `--epsilon "${raw}" is not a positive number`,
      {},
      'e.g. --epsilon 1 (smaller = more private)',
    );
  return e;
}

/** --privacy-guard's bound: a DCR share in [0.5, 1) (0.5 is a model no closer to its rows than to others). */
function parseBound(raw: string): number {
  const b = Number(raw);
  if (!(Number.isFinite(b) && b >= 0.5 && b < 1))
    throw new StrataError(
      'cli.option',
      `--privacy-guard "${raw}" is not a DCR share from 0.5 up to (not including) 1`,
      { path: '--privacy-guard' },
      'e.g. --privacy-guard 0.53 (0.5 = no closer to the training rows than to others)',
    );
  return b;
}

export function registerFitCommand(program: Command): void {
  const cmd = program
    .command('fit')
    .description(
      'learn an editable causal model (a spec) from real data: CSV, JSON lines or Parquet; several tables (files, a directory or a DuckDB file) give a relational model',
    )
    .argument(
      '<data...>',
      'data file(s) (.csv, .tsv, .jsonl, .json, .parquet), a directory of them, or a .duckdb file',
    );
  outOption(cmd, 'model file to write (.yaml)', { value: 'model' });
  cmd
    .option('--seed <n>', 'seed for the search restarts and DP noise, written into the model (default 1)')
    .option('--target <col>', 'column to predict: it gets more parents')
    .option(
      '--target-model <kind>',
      'table (default) or auto: the better, by cross-validation, of a table and a logistic regression on all columns',
    )
    .option('--knowledge <file>', 'YAML: required / forbidden edges, tiers, roots')
    .option('--epsilon <e>', 'differential privacy budget (Laplace noise on counts, PrivBayes structure)')
    .option('--name <table>', 'table name (default: the data file stem)')
    .option('--from <spec>', 'start from a hand-written partial spec; learn only what it leaves out')
    .option('--max-parents <k>', 'maximum parents per column (default 3)')
    .option(
      '--tables <kind>',
      'auto (default): a small tree of parent conditions per numeric column where it predicts held-out rows as well as the full table; all: per categorical column too; always; never (full conditional tables)',
    )
    .option(
      '--coverage-from <cols>',
      'comma-separated columns: add a coverage plan raising cells rare in the data',
    )
    .option(
      '--refine [rounds]',
      'repair the model where a detection classifier tells its rows from real ones: add the edges the worst pairs need, kept only when held-out likelihood, detection and privacy agree (default 3 rounds)',
    )
    .option('--explain', 'with --refine: print every repair tried, why, and its figures')
    .option(
      '--privacy-guard [bound]',
      'measure the DCR share of rows drawn from models fitted on folds of the data (against the rows each did not see) and fit coarser until it is at most the bound (default 0.53); tables of at most 5,000 rows',
    )
    .option('--min-count <k>', 'categories seen in fewer rows are pooled into "(other)" (default 5)')
    .option(
      '--na-values <tokens>',
      'comma-separated tokens read as missing in every column (e.g. None,?); by default a token such as NA is missing only among numbers or dates',
    )
    .option('--key <table=col>', "state a table's key column (repeatable)", collect, [])
    .option(
      '--ref <child.col=parent.col>',
      "state a child table's foreign key to its parent (repeatable)",
      collect,
      [],
    )
    .option(
      '--order <table=col>',
      'the column ordering rows under their parent or entity (repeatable; a panel: --order col)',
      collect,
      [],
    )
    .option(
      '--entity <col>',
      "a panel: the column grouping a single table's rows into entities (with --order)",
    );
  ledgerOptions(cmd).action(async (dataPaths: string[], flags: FitFlags & LedgerFlags) => {
    if (!flags.out)
      throw new StrataError('cli.missing_out', 'where should the model go?', {}, 'pass -o model.yaml');
    const run = await openRun(cmd, 'fit', flags, [
      ...dataPaths.map((path) => ({ role: 'data', path })),
      { role: 'knowledge', path: flags.knowledge },
      { role: 'from', path: flags.from },
    ]);
    const naValues = flags.naValues !== undefined ? parseList(flags.naValues) : undefined;
    const seed = await seedOption(flags.seed);
    const maxParents =
      flags.maxParents !== undefined ? parseCount('--max-parents', flags.maxParents, 8) : undefined;
    const minCount =
      flags.minCount !== undefined ? parseCount('--min-count', flags.minCount, 1e6) : undefined;
    const relational =
      dataPaths.length > 1 ||
      flags.key.length > 0 ||
      flags.ref.length > 0 ||
      flags.order.length > 0 ||
      flags.entity !== undefined ||
      (await isDirectoryOrDatabase(dataPaths[0]));
    if (relational && flags.refine !== undefined)
      throw new StrataError(
        'fit.refine',
        '--refine works on a single table; relational fits are not refined yet',
        {},
        'drop --refine, or fit one table file',
      );
    if (relational) {
      const { fitTablesFiles, relationalSummary } = await import('../fit/relational-file.js');
      const { tableStem } = await import('../io/index.js');
      // A panel's --order may omit the table: it is the one input.
      const orders = flags.order.map((o) =>
        !o.includes('=') && dataPaths.length === 1
          ? { table: tableStem(dataPaths[0]), column: o }
          : parseTableColumn('--order', o),
      );
      const { fit } = await fitTablesFiles(dataPaths, {
        out: flags.out,
        seed,
        name: flags.name,
        maxParents,
        minCount,
        keys: flags.key.map((k) => parseTableColumn('--key', k)),
        refs: flags.ref.map(parseRef),
        orders,
        entity: flags.entity,
        naValues,
      });
      process.stdout.write(relationalSummary(fit, flags.out));
      if (run.ledger) {
        const { fitTablesRecord } = await import('./entries.js');
        await run.record(
          await fitTablesRecord(fit, {
            out: flags.out,
            seed: seed ?? 1,
            keys: flags.key,
            refs: flags.ref,
            orders: orders.map((o) => `${o.table}=${o.column}`),
            entity: flags.entity,
            maxParents,
            minCount,
            naValues,
          }),
        );
      }
      return;
    }
    const dataPath = dataPaths[0];
    const { fitFile, fitSummary } = await import('../fit/file.js');
    const params = {
      out: flags.out,
      seed,
      target: flags.target,
      targetModel: flags.targetModel as 'table' | 'auto' | undefined,
      tables: flags.tables as FitOptions['tables'],
      knowledgePath: flags.knowledge,
      epsilon: flags.epsilon !== undefined ? parseEpsilon(flags.epsilon) : undefined,
      name: flags.name,
      fromPath: flags.from,
      maxParents,
      minCount,
      coverageFrom: flags.coverageFrom !== undefined ? parseList(flags.coverageFrom) : undefined,
      naValues,
      ...(flags.privacyGuard !== undefined
        ? {
            privacyGuard: {
              bound: flags.privacyGuard === true ? 0.53 : parseBound(String(flags.privacyGuard)),
            },
          }
        : {}),
      ...(flags.refine !== undefined
        ? {
            refine: {
              rounds: flags.refine === true ? 3 : parseCount('--refine', String(flags.refine), 20, 1),
            },
          }
        : {}),
    };
    const result = await fitFile(dataPath, params);
    for (const n of result.notices) process.stderr.write(`strata: notice: ${n}\n`);
    process.stdout.write(fitSummary(result, flags.out));
    const trace = result.spec.fit?.refine;
    if (flags.explain && trace) {
      const { explainRefine } = await import('../fit/refine-loop.js');
      process.stdout.write(`\n${explainRefine(trace)}`);
    } else if (flags.explain)
      process.stderr.write('strata: notice: --explain prints the --refine trace; add --refine\n');
    if (run.ledger) {
      const { fitRecord } = await import('./entries.js');
      await run.record(await fitRecord(result, { ...params, out: flags.out }));
    }
  });
}
