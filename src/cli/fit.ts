/** `strata fit DATA -o MODEL.yaml`: a thin shell over `fitFile` (imported when the command runs). */
import type { Command } from 'commander';
import { StrataError } from '../errors.js';
import { outOption, parseCount, parseList, seedOption } from './options.js';

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

export function registerFitCommand(program: Command): void {
  const cmd = program
    .command('fit')
    .description('learn an editable causal model (a spec) from real data: CSV, JSON lines or Parquet')
    .argument('<data>', 'data file (.csv, .tsv, .jsonl, .json, .parquet)');
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
      '--coverage-from <cols>',
      'comma-separated columns: add a coverage plan raising cells rare in the data',
    )
    .option('--min-count <k>', 'categories seen in fewer rows are pooled into "(other)" (default 5)')
    .option(
      '--na-values <tokens>',
      'comma-separated tokens read as missing in every column (e.g. None,?); by default a token such as NA is missing only among numbers or dates',
    )
    .action(async (dataPath: string, flags: FitFlags) => {
      if (!flags.out)
        throw new StrataError('cli.missing_out', 'where should the model go?', {}, 'pass -o model.yaml');
      const { fitFile, fitSummary } = await import('../fit/file.js');
      const result = await fitFile(dataPath, {
        out: flags.out,
        seed: await seedOption(flags.seed),
        target: flags.target,
        targetModel: flags.targetModel as 'table' | 'auto' | undefined,
        knowledgePath: flags.knowledge,
        epsilon: flags.epsilon !== undefined ? parseEpsilon(flags.epsilon) : undefined,
        name: flags.name,
        fromPath: flags.from,
        maxParents:
          flags.maxParents !== undefined ? parseCount('--max-parents', flags.maxParents, 8) : undefined,
        minCount: flags.minCount !== undefined ? parseCount('--min-count', flags.minCount, 1e6) : undefined,
        coverageFrom: flags.coverageFrom
          ?.split(',')
          .map((c) => c.trim())
          .filter(Boolean),
        naValues: flags.naValues !== undefined ? parseList(flags.naValues) : undefined,
      });
      for (const n of result.notices) process.stderr.write(`strata: notice: ${n}\n`);
      process.stdout.write(fitSummary(result, flags.out));
    });
}
