/**
 * Record/replay cassette: a content-addressed JSONL file. Each line is
 * `{ key, provider, model, request, result }` where key = sha256 of the canonical JSON (RFC 8785,
 * `canonicalize`) of `{ provider, model, request }`. Mode `record` calls the inner provider on a miss
 * and remembers the answer (`save()` writes the file atomically); mode `replay` never calls it and
 * fails on a miss naming the request hash — what CI runs.
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import canonicalize from 'canonicalize';
import { StrataError } from '../../errors.js';
import { writeLinesAtomic } from '../../io/index.js';
import type { GenerateRequest, GenerateResult, TextProvider } from './types.js';

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
  /** Write the cassette (existing + recorded entries) atomically. */
  save(): Promise<void>;
}

export function requestKey(provider: string, model: string, req: GenerateRequest): string {
  const canon = canonicalize({ provider, model, request: req });
  return createHash('sha256')
    .update(canon ?? '')
    .digest('hex');
}

export function loadCassette(path: string): Map<string, CassetteEntry> {
  const map = new Map<string, CassetteEntry>();
  if (!existsSync(path)) return map;
  const lines = readFileSync(path, 'utf8').split('\n');
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
    map.set(e.key, e);
  });
  return map;
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
  const entries = loadCassette(path);
  let hits = 0;
  let misses = 0;
  let dirty = false;
  return {
    name: inner.name,
    model: inner.model,
    mode,
    get hits() {
      return hits;
    },
    get misses() {
      return misses;
    },
    async generate(req: GenerateRequest, signal?: AbortSignal): Promise<GenerateResult> {
      const key = requestKey(inner.name, inner.model, req);
      const hit = entries.get(key);
      if (hit) {
        hits++;
        return { texts: [...hit.result.texts], usage: { ...hit.result.usage } };
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
      entries.set(key, { key, provider: inner.name, model: inner.model, request: req, result });
      dirty = true;
      return result;
    },
    async save(): Promise<void> {
      if (!dirty) return;
      await writeLinesAtomic(
        path,
        [...entries.values()].map((e) => `${JSON.stringify(e)}\n`),
      );
      dirty = false;
    },
  };
}
