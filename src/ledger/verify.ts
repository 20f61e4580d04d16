/**
 * `ledger verify`: is the ledger as it was written, and are its outputs the bytes it recorded?
 *
 * `checkLedgerText` is pure (text in, problems out) so tamper tests can run it on every edited
 * copy. Every problem names the entry (its number, run id and line) and says what happened:
 * edited, deleted, inserted, swapped, re-signed, cut off. An edit is reported once, at the edited
 * entry: links are checked against each entry's recorded hash, and the recorded hash against the
 * content.
 */
import { resolve } from 'node:path';
import { bodyText, canonical, entryHash, type LedgerEntry } from './entry.js';
import { hashFile, isFile } from './files.js';
import { checkSignature, keyFingerprint } from './sign.js';
import { type Head, headText, readHead, readLedgerText } from './store.js';

export type ProblemKind =
  | 'torn'
  | 'blank'
  | 'not_json'
  | 'not_entry'
  | 'not_canonical'
  | 'edited'
  | 'bad_signature'
  | 'unsigned'
  | 'wrong_key'
  | 'deleted'
  | 'inserted'
  | 'swapped'
  | 'broken_link'
  | 'head'
  | 'anchor'
  | 'output_changed';

export interface Problem {
  kind: ProblemKind;
  /** Entry number the problem is about (when one can be named). */
  entry?: number;
  run?: string;
  /** 1-based line in the ledger file. */
  line?: number;
  message: string;
}

export interface CheckOptions {
  /** The head file's content (absent: the ledger has no head, which is itself reported). */
  head?: Head | null;
  /** base64 SPKI DER: every entry (and the head) must be signed by this key. */
  publicKey?: string;
  /** An external anchor: entry `seq` must have a hash starting with `hash`. */
  anchor?: { seq: number; hash: string };
}

export interface CheckResult {
  entries: LedgerEntry[];
  problems: Problem[];
  /** Fingerprints of the keys that signed entries. */
  signers: string[];
}

interface Rec {
  line: number;
  entry: LedgerEntry;
  /** The content hash is right (the entry is as its hash says). */
  intact: boolean;
}

const REQUIRED: [keyof LedgerEntry, string][] = [
  ['seq', 'number'],
  ['hash', 'string'],
  ['run', 'string'],
  ['command', 'string'],
];

function label(r: { entry: LedgerEntry; line: number }): string {
  return `entry #${r.entry.seq} (run ${r.entry.run}, line ${r.line})`;
}

/** Problems with one line on its own: JSON, shape, canonical bytes, content hash, signature. */
function checkLine(
  text: string,
  line: number,
  expectSeq: number,
  opts: CheckOptions,
  problems: Problem[],
  signers: Set<string>,
): Rec | undefined {
  if (text === '') {
    problems.push({ kind: 'blank', line, message: `line ${line} is empty (a line was inserted or cut)` });
    return undefined;
  }
  let entry: LedgerEntry;
  try {
    entry = JSON.parse(text) as LedgerEntry;
  } catch (e) {
    problems.push({
      kind: 'not_json',
      entry: expectSeq,
      line,
      message: `line ${line} (entry #${expectSeq} by position) was edited: it is not valid JSON (${(e as Error).message})`,
    });
    return undefined;
  }
  const bad = REQUIRED.find(([k, t]) => typeof entry?.[k] !== t);
  if (entry === null || typeof entry !== 'object' || Array.isArray(entry) || bad) {
    problems.push({
      kind: 'not_entry',
      entry: expectSeq,
      line,
      message: `line ${line} (entry #${expectSeq} by position) was edited: it is not a ledger entry${bad ? ` (no ${bad[0]})` : ''}`,
    });
    return undefined;
  }
  const rec: Rec = { line, entry, intact: true };
  if (canonical(entry) !== text) {
    problems.push({
      kind: 'not_canonical',
      entry: entry.seq,
      run: entry.run,
      line,
      message: `${label(rec)} was edited: its bytes are not the canonical form of its content`,
    });
  }
  if (entryHash(entry) !== entry.hash) {
    rec.intact = false;
    // Its own number may be what was edited: name it by position too.
    const claims = entry.seq !== expectSeq ? ` (by position #${expectSeq})` : '';
    problems.push({
      kind: 'edited',
      entry: claims ? expectSeq : entry.seq,
      run: entry.run,
      line,
      message: `${label(rec)}${claims} was edited: its content no longer matches its hash`,
    });
  }
  if (entry.sig !== undefined || entry.signer !== undefined) {
    const key = entry.signer?.key;
    if (!key || !entry.sig || !checkSignature(key, bodyText(entry), entry.sig)) {
      problems.push({
        kind: 'bad_signature',
        entry: entry.seq,
        run: entry.run,
        line,
        message: `${label(rec)}: its signature does not verify`,
      });
    } else signers.add(keyFingerprint(key));
  }
  if (opts.publicKey !== undefined) {
    if (!entry.signer)
      problems.push({
        kind: 'unsigned',
        entry: entry.seq,
        run: entry.run,
        line,
        message: `${label(rec)} is not signed`,
      });
    else if (entry.signer.key !== opts.publicKey)
      problems.push({
        kind: 'wrong_key',
        entry: entry.seq,
        run: entry.run,
        line,
        message: `${label(rec)} is signed by key ${keyFingerprint(entry.signer.key)}, not by the expected key ${keyFingerprint(opts.publicKey)}`,
      });
  }
  return rec;
}

const links = (a: LedgerEntry | undefined, b: LedgerEntry | undefined): boolean =>
  a !== undefined && b !== undefined && b.prev === a.hash && b.seq === a.seq + 1;

const range = (a: number, b: number) => (a === b ? `#${a}` : `#${a}–#${b}`);

/** The place before the first entry: entry #0 links to it (seq -1, no hash). */
const GENESIS_REC: Rec = { line: 0, entry: { seq: -1, hash: null } as unknown as LedgerEntry, intact: true };

/** Chain problems: deletions, insertions, swaps and broken links, each named. */
/** Returns the lines found inserted (not part of the chain; the head is checked without them). */
function checkChain(recs: Rec[], problems: Problem[], head?: Head | null): Set<Rec> {
  // Recs may come from the line cache: what is found here is kept here, not on them.
  const insertedRecs = new Set<Rec>();
  let prev: Rec = GENESIS_REC;
  for (let i = 0; i < recs.length; i++) {
    const r = recs[i];
    const e = r.entry;
    const next = recs[i + 1];
    const p = prev.entry;
    // After an edited entry, its recorded hash is what the next entry links to; its seq may be the edit.
    if (!prev.intact && e.prev === p.hash) {
      prev = r;
      continue;
    }
    if (links(p, e)) {
      // A fork: the next line claims the same place. The one the chain continues from is genuine.
      if (next && next.entry.seq === e.seq && next.entry.prev === p.hash) {
        const after = recs[i + 2];
        // At the end nothing follows either line: the head records which of them was appended.
        const nextIsGenuine = after ? links(next.entry, after.entry) : head?.hash === next.entry.hash;
        const inserted = nextIsGenuine ? r : next;
        insertedRecs.add(inserted);
        problems.push({
          kind: 'inserted',
          entry: inserted.entry.seq,
          run: inserted.entry.run,
          line: inserted.line,
          message: `${label(inserted)} was inserted: lines ${r.line} and ${next.line} both claim entry #${e.seq}`,
        });
        prev = nextIsGenuine ? next : r;
        i++;
        continue;
      }
      prev = r;
      continue;
    }
    // Swapped neighbours: this line holds #p+2, the next #p+1, and they link the other way round.
    if (next && links(p, next.entry) && links(next.entry, e)) {
      problems.push({
        kind: 'swapped',
        entry: next.entry.seq,
        run: next.entry.run,
        line: r.line,
        message: `entries #${next.entry.seq} and #${e.seq} were swapped (lines ${r.line} and ${next.line})`,
      });
      prev = r;
      i++;
      continue;
    }
    // An inserted line: the next line continues the chain from the line before this one.
    if (next && links(p, next.entry)) {
      insertedRecs.add(r);
      problems.push({
        kind: 'inserted',
        entry: e.seq,
        run: e.run,
        line: r.line,
        message: `${label(r)} was inserted: the entry after it follows on from ${p.seq < 0 ? 'the start' : `entry #${p.seq}`}`,
      });
      continue;
    }
    // An edited entry was reported where it is; its own seq and prev are not evidence.
    if (!r.intact) {
      prev = r;
      continue;
    }
    if (e.seq > p.seq + 1) {
      problems.push({
        kind: 'deleted',
        entry: p.seq + 1,
        line: r.line,
        message: `entr${e.seq - p.seq > 2 ? 'ies' : 'y'} ${range(p.seq + 1, e.seq - 1)} deleted: entry #${e.seq} (line ${r.line}) follows ${p.seq < 0 ? 'the start' : `entry #${p.seq}`}`,
      });
      prev = r;
      continue;
    }
    if (e.seq === p.seq + 1 && p.seq < 0) {
      problems.push({
        kind: 'broken_link',
        entry: e.seq,
        run: e.run,
        line: r.line,
        message: `${label(r)} is first but does not start a ledger (its prev is not empty)`,
      });
    } else if (e.seq === p.seq + 1 && prev.intact) {
      problems.push({
        kind: 'broken_link',
        entry: p.seq,
        run: p.run,
        line: prev.line,
        message: `entry #${p.seq} (run ${p.run}, line ${prev.line}) was rewritten, or entry #${e.seq}'s link to it edited: entry #${e.seq} (line ${r.line}) records a different hash for it`,
      });
    } else {
      // A second copy of an entry already in the chain (e.g. a line copied to the end).
      const original = recs
        .slice(0, i)
        .find((x) => x.intact && !insertedRecs.has(x) && x.entry.hash === e.hash);
      if (r.intact && original) {
        insertedRecs.add(r);
        problems.push({
          kind: 'inserted',
          entry: e.seq,
          run: e.run,
          line: r.line,
          message: `${label(r)} was inserted: it is a copy of line ${original.line}`,
        });
        continue;
      }
      problems.push({
        kind: 'broken_link',
        entry: e.seq,
        run: e.run,
        line: r.line,
        message: `${label(r)} is out of place: it follows ${p.seq < 0 ? 'the start' : `entry #${p.seq}`}`,
      });
    }
    prev = r;
  }
  return insertedRecs;
}

function checkHead(recs: Rec[], opts: CheckOptions, problems: Problem[]): void {
  const last = recs.at(-1);
  const head = opts.head;
  if (head === undefined || head === null) {
    if (last)
      problems.push({
        kind: 'head',
        message:
          'the head file (<ledger>.head) is missing: entries deleted from the end could not be noticed',
      });
    return;
  }
  if (!last) {
    problems.push({
      kind: 'deleted',
      entry: 0,
      message: `entries #0–#${head.seq} deleted: the ledger is empty but its head records ${head.seq + 1} entries`,
    });
    return;
  }
  const l = last.entry;
  if (head.seq > l.seq)
    problems.push({
      kind: 'deleted',
      entry: l.seq + 1,
      message: `entr${head.seq - l.seq > 1 ? 'ies' : 'y'} ${range(l.seq + 1, head.seq)} deleted from the end: the head records ${head.seq + 1} entries, the ledger ends at #${l.seq}`,
    });
  else if (head.seq < l.seq)
    problems.push({
      kind: 'head',
      entry: head.seq + 1,
      message: `entr${l.seq - head.seq > 1 ? 'ies' : 'y'} ${range(head.seq + 1, l.seq)} came after the head (an append cut off before it moved the head, or lines added by hand)`,
    });
  else if (head.hash !== l.hash)
    problems.push({
      kind: 'edited',
      entry: l.seq,
      run: l.run,
      line: last.line,
      message: `entry #${l.seq} (run ${l.run}, line ${last.line}) is not the entry the head records: it was replaced`,
    });
  if (head.sig !== undefined || head.signer !== undefined) {
    if (!head.signer || !head.sig || !checkSignature(head.signer.key, headText(head), head.sig))
      problems.push({ kind: 'bad_signature', message: 'the head file\u2019s signature does not verify' });
  }
  if (opts.publicKey !== undefined && head.signer?.key !== opts.publicKey)
    problems.push({ kind: 'wrong_key', message: 'the head file is not signed by the expected key' });
}

/** What checking one line found: its record (if it is an entry) and its own problems. */
interface LineResult {
  rec: Rec | undefined;
  problems: Problem[];
  signers: string[];
}

/**
 * Check a ledger's text (and head). Pure: no I/O. `cache` (same options only) remembers the
 * per-line checks by line text and position, so checking many edited copies of one ledger
 * re-checks only the lines that differ (the tamper tests check ~75,000 copies).
 */
export function checkLedgerText(
  text: string,
  opts: CheckOptions = {},
  cache?: Map<string, LineResult>,
): CheckResult {
  const problems: Problem[] = [];
  const signers = new Set<string>();
  const recs: Rec[] = [];
  if (text !== '') {
    const lines = text.split('\n');
    const last = lines.pop();
    if (last !== '') {
      lines.push(last as string);
      problems.push({
        kind: 'torn',
        line: lines.length,
        message: `line ${lines.length} has no newline at its end: the last entry was cut off or edited`,
      });
    }
    lines.forEach((line, i) => {
      const expect = recs.length ? recs[recs.length - 1].entry.seq + 1 : 0;
      const key = `${i}:${expect}:${line}`;
      let res = cache?.get(key);
      if (!res) {
        const found: Problem[] = [];
        const keys = new Set<string>();
        res = { rec: checkLine(line, i + 1, expect, opts, found, keys), problems: found, signers: [...keys] };
        cache?.set(key, res);
      }
      problems.push(...res.problems);
      for (const k of res.signers) signers.add(k);
      if (res.rec) recs.push(res.rec);
    });
  }
  const inserted = checkChain(recs, problems, opts.head);
  checkHead(
    recs.filter((r) => !inserted.has(r)),
    opts,
    problems,
  );
  if (opts.anchor) {
    const a = opts.anchor;
    const hit = recs.find((r) => r.entry.seq === a.seq);
    if (!hit?.entry.hash.startsWith(a.hash.toLowerCase()))
      problems.push({
        kind: 'anchor',
        entry: a.seq,
        message: hit
          ? `entry #${a.seq} (run ${hit.entry.run}) has hash ${hit.entry.hash.slice(0, 16)}…, not the published ${a.hash.slice(0, 16)}…: the ledger was rewritten`
          : `entry #${a.seq}, whose hash was published, is not in the ledger`,
      });
  }
  return { entries: recs.map((r) => r.entry), problems, signers: [...signers] };
}

export interface FileCheck {
  entry: number;
  run: string;
  path: string;
  status: 'ok' | 'changed' | 'missing' | 'superseded';
  /** For superseded outputs: the entry that wrote the path last. */
  by?: number;
}

/** The directory an entry's relative paths are read from. */
export function entryDir(ledgerPath: string, e: LedgerEntry): string {
  return resolve(ledgerPath, '..', e.cwd ?? '.');
}

/**
 * Hash every output file the ledger recorded. A path written again by a later entry is checked
 * against that later entry only (the earlier output is `superseded`, not changed).
 */
export async function checkOutputs(
  ledgerPath: string,
  entries: readonly LedgerEntry[],
): Promise<FileCheck[]> {
  const latest = new Map<string, number>();
  for (const e of entries)
    for (const o of e.outputs ?? []) latest.set(resolve(entryDir(ledgerPath, e), o.path), e.seq);
  const out: FileCheck[] = [];
  for (const e of entries) {
    for (const o of e.outputs ?? []) {
      const abs = resolve(entryDir(ledgerPath, e), o.path);
      const base = { entry: e.seq, run: e.run, path: o.path };
      const last = latest.get(abs);
      if (last !== e.seq) {
        out.push({ ...base, status: 'superseded', by: last });
        continue;
      }
      if (!(await isFile(abs))) {
        out.push({ ...base, status: 'missing' });
        continue;
      }
      const h = await hashFile(abs);
      out.push({ ...base, status: h.sha256 === o.sha256 && h.bytes === o.bytes ? 'ok' : 'changed' });
    }
  }
  return out;
}

export interface VerifyReport extends CheckResult {
  files: FileCheck[];
  ok: boolean;
}

/** Verify a ledger file: the chain, the head, signatures and (unless `files: false`) outputs. */
export async function verifyLedger(
  ledgerPath: string,
  opts: Omit<CheckOptions, 'head'> & { files?: boolean } = {},
): Promise<VerifyReport> {
  const text = await readLedgerText(ledgerPath);
  let head: Head | null = null;
  try {
    head = (await readHead(ledgerPath)) ?? null;
  } catch {
    head = { v: 1, seq: -1, hash: '' };
  }
  const res = checkLedgerText(text, { ...opts, head });
  if (head?.seq === -1)
    res.problems.push({ kind: 'head', message: 'the head file is not valid JSON of {seq, hash}' });
  const files = opts.files === false ? [] : await checkOutputs(ledgerPath, res.entries);
  for (const f of files)
    if (f.status === 'changed')
      res.problems.push({
        kind: 'output_changed',
        entry: f.entry,
        run: f.run,
        message: `entry #${f.entry} (run ${f.run}): output ${f.path} changed since the run (its SHA-256 is not the recorded one)`,
      });
  return { ...res, files, ok: res.problems.length === 0 };
}
