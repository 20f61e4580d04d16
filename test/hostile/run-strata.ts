/**
 * Run `strata` as a user does — a separate `node bin/strata.js …` process against the built dist/
 * (npm ci builds it; after editing src/ run `npm run build`) — with a wall-clock limit, and report
 * its exit code, output, time and peak memory (the child's own `process.resourceUsage().maxRSS`,
 * written by a preloaded module when it exits).
 */
import { spawn } from 'node:child_process';
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const ROOT = join(import.meta.dirname, '../..');
/** STRATA_HOSTILE_BIN runs the suite against another checkout's launcher (to see what fails there). */
export const BIN = process.env.STRATA_HOSTILE_BIN ?? join(ROOT, 'bin/strata.js');

export interface StrataRun {
  /** Exit code; null when the limit killed it. */
  code: number | null;
  stdout: string;
  stderr: string;
  ms: number;
  /** Peak resident set size of the child, in MB (NaN when it was killed before writing it). */
  rssMb: number;
  timedOut: boolean;
}

export function distIsBuilt(): boolean {
  return existsSync(join(ROOT, 'dist/cli/main.js'));
}

let seq = 0;

export function runStrata(
  args: string[],
  opts: { cwd: string; limitMs?: number; env?: Record<string, string> },
): Promise<StrataRun> {
  const limitMs = opts.limitMs ?? 30_000;
  // Kept outside cwd: the caller checks every file the CLI leaves there.
  const rssFile = join(tmpdir(), `strata-rss-${process.pid}-${seq++}`);
  const preload = join(tmpdir(), `strata-rss-preload-${process.pid}.mjs`);
  if (!existsSync(preload)) {
    writeFileSync(
      preload,
      `import { writeFileSync } from 'node:fs';
process.on('exit', () => { const f = process.env.STRATA_TEST_RSS_FILE; if (f) writeFileSync(f, String(process.resourceUsage().maxRSS)); });\n`,
    );
  }
  const t0 = performance.now();
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', preload, BIN, ...args], {
      cwd: opts.cwd,
      env: { ...process.env, NO_COLOR: '1', ...opts.env, STRATA_TEST_RSS_FILE: rssFile },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (c: string) => {
      stdout += c;
    });
    child.stderr.setEncoding('utf8').on('data', (c: string) => {
      stderr += c;
    });
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, limitMs);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      const rssKb = existsSync(rssFile) ? Number(readFileSync(rssFile, 'utf8')) : Number.NaN;
      rmSync(rssFile, { force: true });
      resolve({ code, stdout, stderr, ms: performance.now() - t0, rssMb: rssKb / 1024, timedOut });
    });
  });
}
