/**
 * plan → generate per cell (quotas met exactly) → diversify → verify → dedup → echo control →
 * records with provenance. Cells run one after another and every draw comes from a stream named by
 * (seed, cell, refresh round, batch, index), so the output does not depend on timing.
 */
import { createHash } from 'node:crypto';
import { checkpoint, throwIfAborted } from '../errors.js';
import { parseSeed } from '../random/seed.js';
import { streamFor } from '../random/stream.js';
import { createDedupFunnel, type Rejection } from './dedup/funnel.js';
import { diversify } from './diversify.js';
import { type BatchStats, EchoMonitor } from './echo.js';
import type { Plan } from './plan.js';
import type { PlanSpec } from './plan-schema.js';
import { addUsage, emptyUsage, fillPrompt, type TextProvider, type Usage } from './providers/types.js';
import type { Cell, TextRecord } from './types.js';
import { type Labeller, verifySample } from './verify.js';

export interface PipelineEvent {
  type: 'refresh' | 'stop' | 'reroute' | 'verify_reject' | 'shortfall';
  cell: string;
  batch?: number;
  detail: string;
}

export interface VerifyRejection {
  id: string;
  text: string;
  claimed: string;
  found: string | null;
}

export interface PipelineOptions {
  seed?: number;
  labeller?: Labeller;
  real?: readonly { id: string; text: string }[];
  onBatch?: (s: BatchStats) => void;
  /** Cancels the run between batches and samples, and the provider request in flight (`run.aborted`). */
  signal?: AbortSignal;
}

export interface PipelineResult {
  records: TextRecord[];
  dedup_rejections: Rejection[];
  verify_rejections: VerifyRejection[];
  events: PipelineEvent[];
  batches: BatchStats[];
  usage: Usage;
  shortfall: { cell: string; quota: number; got: number }[];
}

export async function runTextPipeline(
  plan: Plan,
  spec: PlanSpec,
  provider: TextProvider,
  opts: PipelineOptions = {},
): Promise<PipelineResult> {
  const seed = parseSeed(opts.seed ?? plan.seed);
  const axes = plan.axes.map((a) => a.name);
  const funnel = await createDedupFunnel({
    scope: spec.dedup.scope,
    minhashThreshold: spec.dedup.minhash_threshold,
    embeddingThreshold: spec.dedup.embedding_threshold,
  });
  if (spec.real?.dedup !== false) for (const r of opts.real ?? []) funnel.addReal(r.id, r.text);
  const monitor = new EchoMonitor({
    noveltyThreshold: spec.echo.novelty_threshold,
    patience: spec.echo.patience,
  });
  const out: PipelineResult = {
    records: [],
    dedup_rejections: [],
    verify_rejections: [],
    events: [],
    batches: [],
    usage: emptyUsage(),
    shortfall: [],
  };
  const byKey = new Map(plan.cells.map((c) => [c.key, c]));
  const filled = new Map<string, TextRecord[]>(plan.cells.map((c) => [c.key, []]));
  const verify = spec.verify;
  const rerouteTarget = (cell: Cell, value: string): string | null => {
    if (!verify) return null;
    const target = axes.map((a) => `${a}=${a === verify.axis ? value : cell[a]}`).join('|');
    return byKey.has(target) ? target : null;
  };

  for (const [ci, pc] of plan.cells.entries()) {
    const mine = filled.get(pc.key)!;
    let refresh = 0;
    let temperature = spec.generation.temperature;
    const avoid: string[] = [];
    const rejectedForRepair: string[] = [];
    const cellTexts: string[] = [];
    for (let b = 0; b < spec.generation.max_batches && mine.length < pc.quota; b++) {
      let prompt = fillPrompt(spec.prompt, pc.cell);
      if (avoid.length)
        prompt += `\nAvoid these patterns: ${avoid.map((a) => `"${a} ..."`).join('; ')}. Start differently.`;
      if (rejectedForRepair.length)
        prompt += `\nThese earlier attempts were rejected as not about ${pc.cell[verify?.axis ?? axes[0]]}: ${rejectedForRepair
          .slice(-3)
          .map((t) => `"${t}"`)
          .join('; ')}.`;
      await checkpoint(opts.signal);
      const streamNames = ['text', pc.key, 'refresh', refresh, 'batch', b];
      const batchSeed = streamFor(seed, ...streamNames).nextUint32();
      const promptHash = createHash('sha256')
        .update(`${spec.system ?? ''}\u0000${prompt}`)
        .digest('hex')
        .slice(0, 16);
      const res = await provider.generate(
        {
          prompt,
          system: spec.system,
          cell: pc.cell,
          n: spec.generation.batch,
          temperature,
          seed: batchSeed,
        },
        opts.signal,
      );
      addUsage(out.usage, res.usage);
      const accepted: boolean[] = [];
      for (const [i, raw] of res.texts.entries()) {
        const id = `${plan.name}-${ci}-${refresh}-${b}-${i}`;
        const st = streamFor(seed, ...streamNames, 'diversify', i);
        const d = diversify(raw, spec.diversify, st, pc.cell.persona ? { persona: pc.cell.persona } : {});
        let target = pc.key;
        let reroutedFrom: Cell | undefined;
        if (opts.labeller && verify) {
          throwIfAborted(opts.signal);
          const v = await verifySample(pc.cell[verify.axis], d.text, opts.labeller, verify.action);
          if (v.verdict === 'reject') {
            out.verify_rejections.push({ id, text: d.text, claimed: pc.cell[verify.axis], found: v.found });
            rejectedForRepair.push(d.text);
            accepted.push(false);
            continue;
          }
          if (v.verdict === 'reroute') {
            const t = rerouteTarget(pc.cell, v.to);
            const room = t !== null && filled.get(t)!.length < byKey.get(t)!.quota;
            if (!room) {
              out.verify_rejections.push({ id, text: d.text, claimed: pc.cell[verify.axis], found: v.to });
              rejectedForRepair.push(d.text);
              accepted.push(false);
              continue;
            }
            target = t;
            reroutedFrom = pc.cell;
            out.events.push({ type: 'reroute', cell: pc.key, batch: b, detail: `${id} → ${t}` });
          }
        }
        const targetCell = byKey.get(target)!;
        const list = filled.get(target)!;
        if (list.length >= targetCell.quota) {
          accepted.push(false);
          continue;
        }
        const rej = funnel.add({ id, text: d.text, cell: target });
        if (rej) {
          out.dedup_rejections.push(rej);
          accepted.push(false);
          continue;
        }
        accepted.push(true);
        cellTexts.push(d.text);
        const rec: TextRecord = {
          id,
          text: d.text,
          cell: targetCell.cell,
          ...(verify ? { label: targetCell.cell[verify.axis] } : {}),
          provenance: {
            provider: provider.name,
            model: provider.model,
            seed_stream: `${seed}/${streamNames.join('/')}/${i}`,
            prompt_hash: promptHash,
            operators: d.chain,
            ...(reroutedFrom ? { rerouted_from: reroutedFrom } : {}),
            refresh,
          },
        };
        list.push(rec);
      }
      const stats = monitor.observe(pc.key, b, refresh, res.texts, accepted);
      out.batches.push(stats);
      opts.onBatch?.(stats);
      if (stats.action === 'stop') {
        out.events.push({
          type: 'stop',
          cell: pc.key,
          batch: b,
          detail: `novelty ${stats.novelty.toFixed(3)} stayed below ${spec.echo.novelty_threshold} for ${spec.echo.patience} batches`,
        });
        break;
      }
      if (stats.action === 'refresh') {
        refresh++;
        temperature = Math.min(1.5, temperature + 0.2);
        for (const o of monitor.frequentOpenings(res.texts)) if (!avoid.includes(o)) avoid.push(o);
        out.events.push({
          type: 'refresh',
          cell: pc.key,
          batch: b,
          detail: `novelty ${stats.novelty.toFixed(3)} < ${spec.echo.novelty_threshold}: new seed stream (refresh ${refresh}), temperature ${temperature.toFixed(2)}, avoid [${avoid.join(' | ')}]`,
        });
      }
    }
  }
  for (const pc of plan.cells) {
    const got = filled.get(pc.key)!;
    out.records.push(...got);
    if (got.length < pc.quota) {
      out.shortfall.push({ cell: pc.key, quota: pc.quota, got: got.length });
      out.events.push({ type: 'shortfall', cell: pc.key, detail: `${got.length} of ${pc.quota} accepted` });
    }
  }
  return out;
}
