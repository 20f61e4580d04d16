/**
 * The ledger's inter-process lock, held only while an entry is appended (milliseconds).
 *
 * proper-lockfile rather than our own O_EXCL file: its lock is a directory made with mkdir (atomic
 * on local and network file systems) whose mtime the holder refreshes, so a lock left by a killed
 * process goes stale after `stale` ms and is taken over. An O_EXCL lock file with pid-based stale
 * detection has a known race when two waiters break the same stale lock (both delete, both
 * create) and cannot tell a live pid on another host from a dead one; proper-lockfile's
 * mtime-refresh scheme avoids both. (37M downloads a month; stable API since 2019.)
 */
import lockfile from 'proper-lockfile';
import { StrataError } from '../errors.js';

/** A lock older than this without a refresh is taken as left by a dead process. */
const STALE_MS = 10_000;

/** Run `fn` holding the lock of `ledgerPath` (lock directory `<ledger>.lock`). */
export async function withLedgerLock<T>(ledgerPath: string, fn: () => Promise<T>): Promise<T> {
  let compromised: Error | undefined;
  let release: () => Promise<void>;
  try {
    release = await lockfile.lock(ledgerPath, {
      realpath: false,
      lockfilePath: `${ledgerPath}.lock`,
      stale: STALE_MS,
      update: STALE_MS / 4,
      // Up to ~60 s of waiting, with jitter so 20 waiters do not retry in step.
      retries: { retries: 200, factor: 1.3, minTimeout: 5, maxTimeout: 400, randomize: true },
      onCompromised: (e) => {
        compromised = e;
      },
    });
  } catch (e) {
    throw new StrataError(
      'ledger.locked',
      `could not lock the ledger: ${(e as Error).message}`,
      { file: ledgerPath },
      `another run holds it; if none is running, remove ${ledgerPath}.lock`,
    );
  }
  try {
    const out = await fn();
    if (compromised)
      throw new StrataError(
        'ledger.lock_lost',
        `the ledger lock was taken over while appending: ${compromised.message}`,
        { file: ledgerPath },
        'run `strata ledger verify`; an append took longer than 10 s',
      );
    return out;
  } finally {
    await release().catch(() => {});
  }
}
