/**
 * Process-wide registry of temporary paths (files and directories) that must not outlive the process.
 * On `exit`, SIGINT and SIGTERM every registered path is removed synchronously. After a signal, if no
 * one else listens for it, the default behaviour is restored and the signal re-raised, so the process
 * dies of it (a shell reports exit code 130 / 143).
 */
import { rmSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';

const live = new Set<string>();
let installed = false;
let counter = 0;

/** `.<basename>.strata-tmp-<pid>-<n>` beside `target`: same directory, so rename is atomic. */
export function tempPathBeside(target: string): string {
  counter++;
  return join(dirname(target), `.${basename(target)}.strata-tmp-${process.pid}-${counter}`);
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
