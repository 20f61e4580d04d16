/** Run the CLI's main() in this process, capturing what it prints (as a user would see it). */
import { runMain } from '../../src/cli/testing/run-main.js';

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

export async function cli(args: string[]): Promise<CliRun> {
  const r = await runMain(args);
  return { code: r.code, stdout: r.out, stderr: r.err };
}

/** A stack frame line, as Node prints them. */
export const STACK_FRAME = /^\s+at .+(\(|:\d+:\d+)/m;
