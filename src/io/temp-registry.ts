/**
 * Process-wide registry of temporary paths (files and directories) that must not outlive the process.
 * On `exit`, SIGINT and SIGTERM every registered path is removed synchronously. After a signal, if no
 * one else listens for it, the default behaviour is restored and the signal re-raised, so the process
 * dies of it (a shell reports exit code 130 / 143). A process killed outright (`kill -9`, a power
 * cut) runs no handler: `cleanStaleTemps` removes what such a run left, at the start of the next write.
 */
import { lstatSync, readdirSync, rmSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';

const live = new Set<string>();
let installed = false;
let counter = 0;

/** `.<basename>.strata-tmp-<pid>-<n>` beside `target`: same directory, so rename is atomic. */
export function tempPathBeside(target: string): string {
  counter++;
  return join(dirname(target), `.${basename(target)}.strata-tmp-${process.pid}-${counter}`);
}

/** `.<name>.strata-tmp-<pid>-<n>` and the Parquet writer's `.duckdb`, `.duckdb.wal`, `.spill` beside it. */
const TEMP_NAME = /^\..+\.strata-tmp-(\d+)-\d+(\.duckdb|\.duckdb\.wal|\.spill)?$/;

/** Whether process `pid` is alive (a process of another user counts as alive). */
function alive(pid: number): boolean {
  if (pid === process.pid) return true;
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Remove the temp files and scratch directories a killed strata run left in `target`'s directory:
 * only names of our pattern, owned by this user, whose process id is no longer alive. Best effort:
 * anything it cannot read or remove is left alone. Returns the paths removed.
 */
export function cleanStaleTemps(target: string): string[] {
  const dir = dirname(target);
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return [];
  }
  const uid = process.getuid?.();
  const removed: string[] = [];
  const verdict = new Map<number, boolean>();
  for (const name of names) {
    const m = TEMP_NAME.exec(name);
    if (!m) continue;
    const pid = Number(m[1]);
    let dead = verdict.get(pid);
    if (dead === undefined) {
      dead = !alive(pid);
      verdict.set(pid, dead);
    }
    const path = join(dir, name);
    if (!dead || live.has(path)) continue;
    try {
      if (uid !== undefined && lstatSync(path).uid !== uid) continue;
      rmSync(path, { recursive: true, force: true });
      removed.push(path);
    } catch {
      // someone else's, or gone already
    }
  }
  return removed;
}

export function registerTemp(path: string): void {
  install();
  live.add(path);
}

export function unregisterTemp(path: string): void {
  live.delete(path);
}

/** Paths currently registered (for tests and diagnostics). */
export function liveTemps(): string[] {
  return [...live];
}

/** Remove every registered path now (best effort, synchronous: safe inside `exit` handlers). */
export function removeAllTemps(): void {
  for (const p of live) {
    try {
      rmSync(p, { recursive: true, force: true });
    } catch {
      // nothing more can be done while the process is going down
    }
  }
  live.clear();
}

function onSignal(signal: NodeJS.Signals): void {
  removeAllTemps();
  process.removeListener(signal, onSignal);
  if (process.listenerCount(signal) === 0) process.kill(process.pid, signal);
}

function install(): void {
  if (installed) return;
  installed = true;
  process.on('exit', removeAllTemps);
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
}
