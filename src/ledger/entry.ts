/**
 * The ledger entry: one line of the ledger (JSON lines), in RFC 8785 canonical form, chained to the
 * entry before it by that entry's SHA-256. The hash covers everything in the entry except `hash`
 * and `sig` themselves; the signature (optional, ed25519) signs the same canonical bytes.
 */
import { createHash, randomBytes } from 'node:crypto';
import canonicalize from 'canonicalize';

/** A JSON value as the ledger stores it (no undefined, no NaN/Infinity). */
export type Json = string | number | boolean | null | Json[] | { [key: string]: Json };

/** A file a run read or wrote, by content. */
export interface FileRecord {
  /** What the file was to the command: spec, model, data, real, holdout, synthetic, out, json, … */
  role: string;
  /** The path as given, relative to the entry's `cwd` unless absolute. */
  path: string;
  sha256: string;
  bytes: number;
  /** Data rows (outputs that are tables). */
  rows?: number;
  /** Byte offsets of some row starts: [data row, byte] pairs, so a reader can seek to a row. */
  index?: [number, number][];
}

/** The signed and hashed part of an entry. */
export interface EntryBody {
  /** Entry format version. */
  v: 1;
  /** Position in the ledger, from 0. */
  seq: number;
  /** `hash` of the entry before, null for the first. */
  prev: string | null;
  /** Run id: time-sortable and unique; `--provenance` rows carry it. */
  run: string;
  time: string;
  /** The verb: generate, fit, evaluate, text generate, text dedup, text audit. */
  command: string;
  /** The arguments after `strata`, as given (secret-looking option values replaced). */
  argv: string[];
  /** The working directory of the run, relative to the ledger file's directory. */
  cwd: string;
  strata: string;
  node: string;
  seed: number | null;
  inputs: FileRecord[];
  outputs: FileRecord[];
  /** The options the verb ran with, typed (what `runs diff` compares). */
  params: { [key: string]: Json };
  /** What the verb reported: rows, timing, evaluation summary, gate verdict, … */
  result: { [key: string]: Json };
  /** Run id whose rows this run re-stamped (`generate --run-id`: a reproduction). */
  reproduces?: string;
  /** The public key that signed this entry (base64 SPKI DER), when signed. */
  signer?: { alg: 'ed25519'; key: string };
}

export interface LedgerEntry extends EntryBody {
  hash: string;
  /** base64 ed25519 signature of the canonical body. */
  sig?: string;
}

export const GENESIS: null = null;

/**
 * A JSON copy of `value`: undefined dropped, non-finite numbers as null (RFC 8785 has no NaN).
 * Object keys are copied onto null-prototype objects: user text (column names) is data.
 */
export function toJson(value: unknown): Json {
  if (value === null || value === undefined) return null;
  if (typeof value === 'number') return Number.isFinite(value) ? value : null;
  if (typeof value === 'string' || typeof value === 'boolean') return value;
  if (typeof value === 'bigint') return Number(value);
  if (Array.isArray(value)) return value.map((v) => (v === undefined ? null : toJson(v)));
  if (value instanceof Date) return value.toISOString();
  if (typeof value === 'object') {
    const out: { [key: string]: Json } = Object.create(null);
    for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
      if (v !== undefined && typeof v !== 'function') out[k] = toJson(v);
    }
    return out;
  }
  return null;
}

/** RFC 8785 canonical JSON text of a JSON value. */
export function canonical(value: unknown): string {
  const s = canonicalize(value);
  if (s === undefined) throw new Error('ledger: value has no JSON form');
  return s;
}

export function sha256Hex(text: string | Uint8Array): string {
  return createHash('sha256').update(text).digest('hex');
}

/** The body of an entry: everything but `hash` and `sig`. */
export function bodyOf(entry: LedgerEntry | EntryBody): EntryBody {
  const { hash: _h, sig: _s, ...body } = entry as LedgerEntry;
  return body;
}

/** The canonical bytes that are hashed and signed. */
export function bodyText(body: EntryBody): string {
  return canonical(bodyOf(body));
}

export function entryHash(body: EntryBody): string {
  return sha256Hex(bodyText(body));
}

/** The ledger line of an entry (no newline). */
export function entryLine(entry: LedgerEntry): string {
  return canonical(entry);
}

/**
 * A new run id: UTC time to the second and 6 random hex digits, e.g. 20250611T101500Z-3f9a2c.
 * Sorts by time; unique across concurrent runs (24 random bits within the same second).
 */
export function newRunId(now = new Date()): string {
  const t = now
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d+Z$/, 'Z');
  return `${t}-${randomBytes(3).toString('hex')}`;
}

export const RUN_ID = /^[0-9]{8}T[0-9]{6}Z-[0-9a-f]{6}$/;
