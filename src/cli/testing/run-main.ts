/**
 * Run the CLI's main() in this process and capture what it prints, as a user would see it. The
 * process's exit code is left as it was (main returns the code; a test's later checks start clean).
 */
import { vi } from 'vitest';
import { main } from '../main.js';

export interface MainRun {
  code: number;
  out: string;
  err: string;
}

export async function runMain(args: string[]): Promise<MainRun> {
  let out = '';
  let err = '';
  const o = vi.spyOn(process.stdout, 'write').mockImplementation((s: string | Uint8Array) => {
    out += String(s);
    return true;
  });
  const e = vi.spyOn(process.stderr, 'write').mockImplementation((s: string | Uint8Array) => {
    err += String(s);
    return true;
  });
  const saved = process.exitCode;
  process.exitCode = undefined;
  try {
    return { code: await main(args), out, err };
  } finally {
    process.exitCode = saved;
    o.mockRestore();
    e.mockRestore();
  }
}
