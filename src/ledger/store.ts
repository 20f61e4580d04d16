/**
 * Reading and appending the ledger file. An append holds the lock, reads the last entry (from the
 * end of the file, not the whole file), chains the new entry to it, appends one line with fsync,
 * then moves the head file (`<ledger>.head`: the last entry's number and hash) atomically. The head
 * is what lets `verify` notice entries deleted from the end.
 */
import { mkdir, open, readFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { StrataError } from '../errors.js';
import { writeTextAtomic } from '../io/atomic.js';
import { bodyText, canonical, type EntryBody, entryHash, entryLine, type LedgerEntry } from './entry.js';
import { withLedgerLock } from './lock.js';
import type { Signer } from './sign.js';

/** The last entry's number and hash, kept beside the ledger. */
export interface Head {
  v: 1;
  seq: number;
  hash: string;
  signer?: { alg: 'ed25519'; key: string };
  sig?: string;
}

export const headPath = (ledgerPath: string): string => `${ledgerPath}.head`;

/** The signed text of a head: its fields but `sig`. */
export function headText(h: Head): string {
  const { sig: _s, ...rest } = h;
  return canonical(rest);
}

export async function readHead(ledgerPath: string): Promise<Head | undefined> {
  let text: string;
  try {
    text = await readFile(headPath(ledgerPath), 'utf8');
  } catch {
    return undefined;
  }
  try {
    const h = JSON.parse(text) as Head;
    if (typeof h?.seq === 'number' && typeof h.hash === 'string') return h;
  } catch {}
  throw new StrataError(
    'ledger.bad_head',
    'the ledger head file is not valid',
    { file: headPath(ledgerPath) },
    'it holds {"seq":N,"hash":"…"} of the last entry; run `strata ledger verify` to see what happened',
  );
}

/** The ledger's text ('' when it does not exist yet). */
export async function readLedgerText(ledgerPath: string): Promise<string> {
  try {
    return await readFile(ledgerPath, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return '';
    throw new StrataError('ledger.read', `cannot read the ledger: ${(e as Error).message}`, {
      file: ledgerPath,
    });
  }
}

/** The last line of the file, read backwards in 64 KiB steps; undefined for an empty or absent file. */
async function readLastLine(ledgerPath: string): Promise<string | undefined> {
  let fh: Awaited<ReturnType<typeof open>>;
  try {
    fh = await open(ledgerPath, 'r');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw e;
  }
  try {
    const { size } = await fh.stat();
    if (size === 0) return undefined;
    const chunks: Buffer[] = [];
    let end = size;
    let seenNewlineAtEnd = false;
    while (end > 0) {
      const start = Math.max(0, end - (1 << 16));
      const buf = Buffer.alloc(end - start);
      await fh.read(buf, 0, buf.length, start);
      let from = buf.length - 1;
      if (!seenNewlineAtEnd) {
        if (buf[from] !== 0x0a)
          throw new StrataError(
            'ledger.torn',
            'the ledger\u2019s last line is incomplete (no newline at the end)',
            { file: ledgerPath },
            'a write was cut off or the file was edited: run `strata ledger verify` before appending',
          );
        seenNewlineAtEnd = true;
        from--;
      }
      const nl = buf.lastIndexOf(0x0a, from);
      if (nl >= 0) {
        chunks.unshift(buf.subarray(nl + 1, from + 1));
        break;
      }
      chunks.unshift(buf.subarray(0, from + 1));
      end = start;
    }
    return Buffer.concat(chunks).toString('utf8');
  } finally {
    await fh.close();
  }
}

function refuse(ledgerPath: string, why: string): StrataError {
  return new StrataError(
    'ledger.broken',
    `will not append: ${why}`,
    { file: ledgerPath },
    'run `strata ledger verify` to see what changed; start a new ledger file if this one cannot be trusted',
  );
}

/** The entry to append, without the chain fields the store fills in. */
export type EntryDraft = Omit<EntryBody, 'v' | 'seq' | 'prev' | 'signer'>;

/** Chain `draft` after `last` (none: the first entry), hash it and sign it. Pure but for signing. */
export function sealEntry(draft: EntryDraft, last: LedgerEntry | undefined, signer?: Signer): LedgerEntry {
  const body: EntryBody = {
    v: 1,
    seq: last ? last.seq + 1 : 0,
    prev: last ? last.hash : null,
    ...draft,
    ...(signer ? { signer: { alg: 'ed25519', key: signer.publicKey } } : {}),
  };
  return { ...body, hash: entryHash(body), ...(signer ? { sig: signer.sign(bodyText(body)) } : {}) };
}

/** The head that records `entry` as the last one. */
export function headFor(entry: LedgerEntry, signer?: Signer): Head {
  const head: Head = {
    v: 1,
    seq: entry.seq,
    hash: entry.hash,
    ...(signer ? { signer: { alg: 'ed25519' as const, key: signer.publicKey } } : {}),
  };
  if (signer) head.sig = signer.sign(headText(head));
  return head;
}

/**
 * Append an entry under the lock and return it as written. Refuses when the ledger's last entry
 * does not match its hash or the head says entries are missing: appending would hide that.
 */
export async function appendEntry(
  ledgerPath: string,
  draft: EntryDraft,
  opts: { signer?: Signer } = {},
): Promise<LedgerEntry> {
  await mkdir(dirname(ledgerPath), { recursive: true });
  return withLedgerLock(ledgerPath, async () => {
    const lastLine = await readLastLine(ledgerPath);
    let last: LedgerEntry | undefined;
    if (lastLine !== undefined) {
      try {
        last = JSON.parse(lastLine) as LedgerEntry;
      } catch {
        throw refuse(ledgerPath, 'its last line is not valid JSON');
      }
      if (typeof last.seq !== 'number' || entryHash(last) !== last.hash)
        throw refuse(ledgerPath, `its last entry (#${last.seq}) does not match its hash`);
    }
    const head = await readHead(ledgerPath);
    if (head && (!last || head.seq > last.seq || (head.seq === last.seq && head.hash !== last.hash)))
      throw refuse(
        ledgerPath,
        `the head records entry #${head.seq} but the ledger ${last ? `ends at #${last.seq}` : 'is empty'}`,
      );
    const entry = sealEntry(draft, last, opts.signer);
    const fh = await open(ledgerPath, 'a');
    try {
      await fh.write(`${entryLine(entry)}\n`);
      await fh.sync();
    } finally {
      await fh.close();
    }
    const newHead = headFor(entry, opts.signer);
    await writeTextAtomic(headPath(ledgerPath), `${canonical(newHead)}\n`);
    return entry;
  });
}
