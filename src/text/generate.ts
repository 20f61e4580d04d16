/** `strata text generate PLAN.yaml -o OUT.jsonl [--seed S]` as a library function. */

import { type PipelineResult, runTextPipeline } from './pipeline.js';
import { createLabeller, createProvider, loadPlan, type ProviderChoice } from './plan-load.js';
import { writeJsonl } from './records.js';

export interface GenerateFileOptions extends ProviderChoice {
  seed?: number;
  /** Also write dedup and verification rejections here (JSONL). */
  rejectionsPath?: string;
  /** Write batch stats and events here (JSONL). */
  logPath?: string;
}

export async function generateFromPlan(
  planPath: string,
  outPath: string,
  opts: GenerateFileOptions = {},
): Promise<PipelineResult> {
  const loaded = await loadPlan(planPath, { onNotice: opts.onNotice });
  const provider = createProvider(loaded, opts);
  const result = await runTextPipeline(loaded.plan, loaded.spec, provider, {
    seed: opts.seed,
    labeller: createLabeller(loaded.spec, loaded.real, provider),
    real: loaded.real.map((r) => ({ id: `real:${r.id}`, text: r.text })),
  });
  if ('save' in provider) await provider.save();
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
  return result;
}
