/**
 * `strata refine MODEL.yaml --real DATA [-o OUT] [--rounds N]`: the refine loop started from a model
 * as it stands (hand edits kept; src/fit/refine-model.ts). A thin shell over `refineModelFile`,
 * imported when the command runs.
 */
import type { Command } from 'commander';
import { outOption, parseCount, parseList, seedOption } from './options.js';
import { type LedgerFlags, ledgerOptions, openRun } from './record.js';

interface RefineFlags extends LedgerFlags {
  real: string;
  out?: string;
  rounds?: string;
  explain?: boolean;
  seed?: string;
  knowledge?: string;
  name?: string;
  naValues?: string;
}

/** Where the refined model goes without -o: beside the model, `NAME.refined.yaml`. */
function defaultOut(model: string): string {
  const m = /^(.*?)(\.ya?ml)?$/i.exec(model);
  return `${m?.[1] ?? model}.refined.yaml`;
}

export function registerRefineCommand(program: Command): void {
  const cmd = program
    .command('refine')
    .description(
      "repair a model (hand-edited or not) where a detection classifier tells its rows from real ones: the refine loop of `fit --refine`, started from the model's own structure — its edges, rules and expression columns kept",
    )
    .argument('<model>', 'the model file (.yaml) to refine')
    .requiredOption(
      '--real <data>',
      'the real data (.csv, .tsv, .jsonl, .json, .parquet) the model describes',
    );
  outOption(cmd, 'refined model to write (default: MODEL.refined.yaml beside the model)', { value: 'model' });
  ledgerOptions(cmd)
    .option('--rounds <n>', 'most rounds of repairs (default 3)')
    .option('--explain', 'print every repair tried, why, and its figures')
    .option('--seed <n>', "seed of the validation split and the draws (default: the model's seed)")
    .option('--knowledge <file>', 'YAML: required / forbidden edges, tiers, roots the repairs obey')
    .option('--name <table>', 'the table to refine, when the model has several')
    .option('--na-values <tokens>', 'comma-separated tokens read as missing in every column (as fit)')
    .action(async (model: string, flags: RefineFlags) => {
      const rounds = flags.rounds !== undefined ? parseCount('--rounds', flags.rounds, 20, 1) : 3;
      const out = flags.out ?? defaultOut(model);
      const run = await openRun(cmd, 'refine', flags, [
        { role: 'model', path: model },
        { role: 'data', path: flags.real },
        { role: 'knowledge', path: flags.knowledge },
      ]);
      const { refineModelFile, fitSummary } = await import('../fit/file.js');
      const params = {
        out,
        seed: await seedOption(flags.seed),
        knowledgePath: flags.knowledge,
        name: flags.name,
        naValues: flags.naValues !== undefined ? parseList(flags.naValues) : undefined,
        refine: { rounds },
      };
      const result = await refineModelFile(model, flags.real, params);
      for (const n of result.notices) process.stderr.write(`strata: notice: ${n}\n`);
      const { refitted, keptAsWritten } = result.start;
      process.stdout.write(
        `refined ${model} on ${flags.real}: ${refitted.length} column law(s) refitted given the model's parents${keptAsWritten.length > 0 ? `; kept as written: ${keptAsWritten.join(', ')}` : ''}\n`,
      );
      process.stdout.write(fitSummary(result, out));
      if (flags.explain) {
        const { explainRefine } = await import('../fit/refine-loop.js');
        process.stdout.write(`\n${explainRefine(result.refine)}`);
      }
      if (run.ledger) {
        // Recorded like fit (the refined model is a fitted model), plus what the loop kept.
        const { fitRecord } = await import('./entries.js');
        const entry = await fitRecord(result, params);
        const kept = result.refine.steps.filter((st) => st.kept).length;
        await run.record({
          ...entry,
          result: { ...entry.result, refine_rounds: rounds, repairs_kept: kept },
        });
      }
    });
}
