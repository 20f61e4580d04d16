/**
 * The `strata` command line. Each verb lives in its own module and is a thin shell over a typed
 * library function, which it imports when it runs (so `--version` and `--help` load commander and
 * these shells only; bench/startup.bench.mjs); this file only wires them and turns errors into
 * messages and exit codes: 0 ok, 1 the run failed (a gate, the disk, a provider, cancellation),
 * 2 bad input (the message names place and fix); each error code's status is in src/error-codes.ts.
 */
import { Command, CommanderError } from 'commander';
import { exitStatus, isStrataError } from '../errors.js';
import { registerDemoCommand } from './demo.js';
import { registerDossierCommand } from './dossier.js';
import { registerEvaluateCommand } from './evaluate.js';
import { registerFitCommand } from './fit.js';
import { registerGenerateCommand } from './generate.js';
import { registerLedgerCommand } from './ledger.js';
import { registerRefineCommand } from './refine.js';
import { registerRunsCommand } from './runs.js';
import { registerSchemaCommands } from './schema.js';
import { registerServeCommand } from './serve.js';
import { registerTextCommand } from './text.js';
import { version } from './version.js';

export function buildProgram(): Command {
  const program = new Command();
  program
    .name('strata')
    .description('Coverage-driven, expert-guided synthetic data: describe, learn, generate, judge.')
    .version(version())
    .showHelpAfterError('(run with --help for usage)')
    .exitOverride();
  registerDemoCommand(program);
  registerGenerateCommand(program);
  registerFitCommand(program);
  registerRefineCommand(program);
  registerEvaluateCommand(program);
  registerTextCommand(program);
  registerLedgerCommand(program);
  registerRunsCommand(program);
  registerDossierCommand(program);
  registerSchemaCommands(program);
  registerServeCommand(program);
  return program;
}

export async function main(argv: readonly string[]): Promise<number> {
  const program = buildProgram();
  try {
    await program.parseAsync([...argv], { from: 'user' });
    return typeof process.exitCode === 'number' ? process.exitCode : 0;
  } catch (e) {
    if (e instanceof CommanderError) {
      // help and version exit "successfully" through the override
      return e.exitCode === 0 ? 0 : 2;
    }
    if (isStrataError(e)) {
      process.stderr.write(`strata: ${e.format()}\n`);
      return exitStatus(e.code);
    }
    process.stderr.write(
      `strata: internal error: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`,
    );
    return 3;
  }
}
