/**
 * The `strata` command line. Each verb lives in its own module and is a thin shell over a typed
 * library function, which it imports when it runs (so `--version` and `--help` load commander and
 * these shells only; bench/startup.bench.mjs); this file only wires them and turns errors into
 * messages and exit codes: 0 ok, 1 the run failed (a gate, the disk, a provider, cancellation),
 * 2 bad input (the message names place and fix); each error code's status is in src/error-codes.ts.
 */
import { readFileSync } from 'node:fs';
import { Command, CommanderError } from 'commander';
import { exitStatus, isStrataError } from '../errors.js';
import { registerDemoCommand } from './demo.js';
import { registerEvaluateCommand } from './evaluate.js';
import { registerFitCommand } from './fit.js';
import { registerGenerateCommand } from './generate.js';
import { registerSchemaCommands } from './schema.js';
import { registerTextCommand } from './text.js';

function version(): string {
  try {
    const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as {
      version: string;
    };
    return pkg.version;
  } catch {
    return '0.0.0';
  }
}

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
  registerEvaluateCommand(program);
  registerTextCommand(program);
  registerSchemaCommands(program);
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
