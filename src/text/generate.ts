/** `strata text generate PLAN.yaml -o OUT.jsonl [--seed S]` as a library function. */

import { StrataError, throwIfAborted } from '../errors.js';
import { checkWritableTarget } from '../io/atomic.js';
import { type PipelineResult, runTextPipeline } from './pipeline.js';
import { createLabeller, createProvider, loadPlan, type ProviderChoice } from './plan-load.js';
import type { ReplayProvider } from './providers/replay.js';
import { writeJsonl } from './records.js';

export interface GenerateFileOptions extends ProviderChoice {
  seed?: number;
  /** Also write dedup and verification rejections here (JSONL). */
  rejectionsPath?: string;
  /** Write batch stats and events here (JSONL). */
  logPath?: string;
  /**
   * Where a network provider's answers are kept when no `replay` is given: the default cassette
   * `defaultCassettePath(out)`, another path, or false for none.
   */
  cassette?: string | false;
  /**
   * Cancels the run (`run.aborted`) between batches and the provider request in flight: no output,
   * rejections or log file is written (a network provider's cassette keeps the answers it got).
   */
  signal?: AbortSignal;
}

export interface GenerateFileResult extends PipelineResult {
  /** The cassette used: its path, answers replayed from it and answers added by this run. */
  cassette?: { path: string; replayed: number; recorded: number };
}

/** `OUT.jsonl` → `OUT.cassette.jsonl`: where answers are kept when no cassette is named. */
export function defaultCassettePath(outPath: string): string {
  return `${outPath.replace(/\.jsonl$/i, '')}.cassette.jsonl`;
}

/**
 * Generate a plan's texts into `outPath`. Outputs are written atomically only when the run
 * succeeds, so a failing request never replaces a good output with a partial one; a network
 * provider's answers go to a cassette as they arrive (by default beside the output), so a re-run
 * replays what was paid for and asks only for the rest.
 */
export async function generateFromPlan(
  planPath: string,
  outPath: string,
  opts: GenerateFileOptions = {},
): Promise<GenerateFileResult> {
  for (const p of [outPath, opts.rejectionsPath, opts.logPath]) if (p) checkWritableTarget(p);
  const loaded = await loadPlan(planPath, { onNotice: opts.onNotice });
  const network = loaded.spec.provider.type !== 'template';
  const cassette = opts.cassette ?? defaultCassettePath(outPath);
  const replay =
    opts.replay ?? (network && cassette !== false ? { path: cassette, mode: 'record' as const } : undefined);
  const provider = createProvider(loaded, { ...opts, replay });
  const kept = 'recorded' in provider ? (provider as ReplayProvider) : undefined;
  let result: PipelineResult;
  try {
    result = await runTextPipeline(loaded.plan, loaded.spec, provider, {
      seed: opts.seed,
      labeller: createLabeller(loaded.spec, loaded.real, provider),
      real: loaded.real.map((r) => ({ id: `real:${r.id}`, text: r.text })),
      signal: opts.signal,
    });
    throwIfAborted(opts.signal); // before the first file is written
  } catch (e) {
    if (e instanceof StrataError && kept && kept.mode === 'record')
      throw new StrataError(
        e.code,
        e.message,
        e.place,
        `${e.hint ? `${e.hint}; ` : ''}nothing was written to ${outPath}; ${kept.hits + kept.recorded} answers are kept in ${kept.path} and a re-run asks only for the rest`,
      );
    throw e;
  }
  await writeJsonl(outPath, result.records);
  if (opts.rejectionsPath)
    await writeJsonl(opts.rejectionsPath, [
      ...result.dedup_rejections.map((r) => ({ kind: 'dedup', ...r })),
      ...result.verify_rejections.map((r) => ({ kind: 'verify', ...r })),
    ]);
  if (opts.logPath)
    await writeJsonl(opts.logPath, [
      ...result.batches.map((b) => ({ kind: 'batch', ...b })),
      ...result.events.map((e) => ({ kind: 'event', ...e })),
    ]);
  return kept
    ? { ...result, cassette: { path: kept.path, replayed: kept.hits, recorded: kept.recorded } }
    : result;
}
