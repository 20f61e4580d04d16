/**
 * Record/replay cassette: a content-addressed JSONL file. Each line is
 * `{ key, provider, model, request, result }` where key = sha256 of the canonical JSON (RFC 8785,
 * `canonicalize`) of `{ provider, model, request }`. Mode `record` replays what the cassette has and
 * calls the inner provider only on a miss; mode `replay` never calls it and fails on a miss naming
 * the request hash — what CI runs.
 *
 * In record mode every answer is appended to the cassette the moment it arrives (one complete
 * line, synced), not written at the end: an answer is paid for when it arrives, and a run that
 * fails later — a refused Retry-After, a crash, kill -9 — must not throw it away. This is the one
 * output that is a journal rather than an atomic file; a line cut short by a crash is dropped (and
 * cut off the file) on the next load, so the cassette is always a valid JSONL file of whole answers.
 */
import { createHash } from 'node:crypto';
import { closeSync, existsSync, fsyncSync, openSync, readFileSync, truncateSync, writeSync } from 'node:fs';
import canonicalize from 'canonicalize';
import { StrataError } from '../../errors.js';
import { checkWritableTarget } from '../../io/atomic.js';
import { emptyUsage, type GenerateRequest, type GenerateResult, type TextProvider } from './types.js';

export type ReplayMode = 'record' | 'replay';

export interface CassetteEntry {
  key: string;
  provider: string;
  model: string;
  request: GenerateRequest;
  result: GenerateResult;
}

export interface ReplayProvider extends TextProvider {
  readonly mode: ReplayMode;
  readonly hits: number;
  readonly misses: number;
  /** The cassette file. */
  readonly path: string;
  /** Answers appended to the cassette by this run. */
  readonly recorded: number;
  /** Kept for callers of the old API: answers are already on disk when they arrive. */
  save(): Promise<void>;
}

export function requestKey(provider: string, model: string, req: GenerateRequest): string {
  const canon = canonicalize({ provider, model, request: req });
  return createHash('sha256')
    .update(canon ?? '')
    .digest('hex');
}

export interface LoadedCassette {
  entries: Map<string, CassetteEntry>;
  /** Byte length of the whole lines (a torn last line, from a crash mid-append, is not counted). */
  validBytes: number;
  /** The file holds a torn last line after `validBytes`. */
  torn: boolean;
}

/** Read a cassette: every whole line must be an entry; a last line without its newline is dropped. */
export function readCassette(path: string): LoadedCassette {
  const entries = new Map<string, CassetteEntry>();
  if (!existsSync(path)) return { entries, validBytes: 0, torn: false };
  const buf = readFileSync(path);
  const end = buf.lastIndexOf(0x0a) + 1;
  const lines = buf.subarray(0, end).toString('utf8').split('\n');
  lines.forEach((line, i) => {
    if (!line.trim()) return;
    let e: CassetteEntry;
    try {
      e = JSON.parse(line) as CassetteEntry;
    } catch {
      throw new StrataError(
        'text.cassette',
        'not valid JSON',
        { file: path, line: i + 1 },
        're-record the cassette',
      );
    }
    if (typeof e.key !== 'string' || !e.result || !Array.isArray(e.result.texts))
      throw new StrataError(
        'text.cassette',
        'entry without key/result.texts',
        { file: path, line: i + 1 },
        're-record the cassette',
      );
    entries.set(e.key, e);
  });
  return { entries, validBytes: end, torn: end < buf.length };
}

export function loadCassette(path: string): Map<string, CassetteEntry> {
  return readCassette(path).entries;
}

/** Append one line and sync it (the answer it holds has been paid for). */
function appendLine(path: string, line: string): void {
  const fd = openSync(path, 'a');
  try {
    writeSync(fd, line);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

/**
 * Wrap `inner` (which names the provider and model the key is computed for). In replay mode
 * `inner` may be null when only its name and model are known.
 */
export function replayProvider(
  path: string,
  mode: ReplayMode,
  inner: TextProvider | { name: string; model: string; generate?: undefined },
): ReplayProvider {
  if (mode === 'record') checkWritableTarget(path);
  const loaded = readCassette(path);
  const entries = loaded.entries;
  let tornTail = loaded.torn;
  let hits = 0;
  let misses = 0;
  let recorded = 0;
  return {
    name: inner.name,
    model: inner.model,
    mode,
    path,
    get hits() {
      return hits;
    },
    get misses() {
      return misses;
    },
    get recorded() {
      return recorded;
    },
    async generate(req: GenerateRequest, signal?: AbortSignal): Promise<GenerateResult> {
      const key = requestKey(inner.name, inner.model, req);
      const hit = entries.get(key);
      if (hit) {
        hits++;
        // Nothing is paid for a replayed answer: usage counts this run's requests only.
        return { texts: [...hit.result.texts], usage: emptyUsage() };
      }
      misses++;
      if (mode === 'replay' || !inner.generate)
        throw new StrataError(
          'text.replay_miss',
          `request ${key} is not in the cassette`,
          { file: path },
          'record it first (replay mode record) — the prompt, cell, seed or model changed since recording',
        );
      const result = await inner.generate(req, signal);
      const entry: CassetteEntry = { key, provider: inner.name, model: inner.model, request: req, result };
      if (tornTail) {
        truncateSync(path, loaded.validBytes);
        tornTail = false;
      }
      appendLine(path, `${JSON.stringify(entry)}\n`);
      entries.set(key, entry);
      recorded++;
      return result;
    },
    async save(): Promise<void> {},
  };
}
