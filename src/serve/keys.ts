/**
 * API keys: callers send `Authorization: Bearer KEY`; the server keeps only SHA-256 hashes.
 * Keys come from `STRATA_API_KEYS=k1,k2` (hashed at start, never logged) or a `--keys FILE` of
 * hashes, one per line (`<64 hex> [label]`, `#` comments). A request is identified to rate limits
 * and logs by the first 12 hex characters of its key's hash, never by the key.
 */
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { StrataError } from '../errors.js';

export interface KeyRing {
  /** Hash (hex) → label (the file's label, or "env-N"). */
  readonly hashes: ReadonlyMap<string, string>;
  readonly size: number;
}

export function sha256Hex(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

/** Shortest key the environment may set (shorter keys are guessable). */
const MIN_KEY_LENGTH = 16;
const HASH_LINE = /^([0-9a-fA-F]{64})(?:\s+(\S.{0,63}))?$/;

/** Keys from STRATA_API_KEYS (comma-separated plain keys). */
export function keysFromEnv(value: string | undefined): Map<string, string> {
  const out = new Map<string, string>();
  if (value === undefined || value.trim() === '') return out;
  value.split(',').forEach((raw, i) => {
    const key = raw.trim();
    if (key === '') return;
    if (key.length < MIN_KEY_LENGTH || /\s/.test(key))
      throw new StrataError(
        'serve.weak_key',
        `key ${i + 1} of STRATA_API_KEYS is shorter than ${MIN_KEY_LENGTH} characters or holds spaces`,
        {},
        'use long random keys, e.g. `openssl rand -hex 24`',
      );
    out.set(sha256Hex(key), `env-${i + 1}`);
  });
  return out;
}

/** Hashes from a keys file. */
export async function keysFromFile(path: string): Promise<Map<string, string>> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (e) {
    throw new StrataError(
      'serve.keys_unreadable',
      `cannot read the keys file (${(e as NodeJS.ErrnoException).code ?? 'error'})`,
      { file: path },
      'give a file of SHA-256 hashes, one per line (`printf %s KEY | sha256sum`)',
    );
  }
  const out = new Map<string, string>();
  text.split(/\r?\n/).forEach((line, i) => {
    const t = line.trim();
    if (t === '' || t.startsWith('#')) return;
    const m = HASH_LINE.exec(t);
    if (!m)
      throw new StrataError(
        'serve.bad_keys_file',
        'a line is not a SHA-256 hash (64 hex characters) with an optional label',
        { file: path, line: i + 1 },
        'write `printf %s KEY | sha256sum` output, one per line; the file holds hashes, not keys',
      );
    out.set(m[1].toLowerCase(), m[2] ?? `line-${i + 1}`);
  });
  return out;
}

export function keyRing(...sources: ReadonlyMap<string, string>[]): KeyRing {
  const hashes = new Map<string, string>();
  for (const s of sources) for (const [h, l] of s) hashes.set(h, l);
  return { hashes, size: hashes.size };
}

/** The key id of a request (hash prefix) if its bearer key is known; undefined otherwise. */
export function verifyBearer(ring: KeyRing, header: string | undefined): string | undefined {
  if (!header || header.length > 1024) return undefined;
  const m = /^Bearer[ \t]+(\S+)[ \t]*$/i.exec(header);
  if (!m) return undefined;
  const hash = sha256Hex(m[1]);
  // A Map lookup on the hash: timing reveals nothing usable about the key itself.
  return ring.hashes.has(hash) ? hash.slice(0, 12) : undefined;
}
