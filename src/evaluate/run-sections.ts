/**
 * Runs the registry's sections in order over one context and gathers what the report needs: each
 * section's value, the summary figures (null with a reason when not computed), the "not computed"
 * list, warnings and timings. A section's exception propagates: only its typed `skipped` outcome
 * means "does not apply". `ctx.opts.signal` is looked at before each section and at the end.
 */
import { checkpoint } from '../errors.js';
import {
  type EvaluationReport,
  SECTION_NAMES,
  type SectionName,
  SUMMARY_KEYS,
  type Summary,
  type SummaryKey,
  sectionFor,
} from './registry.js';
import type { SectionContext } from './section.js';
import type { Metric, ReportWarning, Skipped } from './types.js';

export interface StepHooks {
  /** Called after each section with its wall time (benchmarks). */
  onSection?: (name: string, ms: number) => void;
  /** Called as each section starts and ends; steps are numbered after `firstStep`. */
  onProgress?: (p: {
    section: SectionName;
    title: string;
    step: number;
    steps: number;
    phase: 'start' | 'end';
    ms?: number;
  }) => void;
  firstStep: number;
  steps: number;
}

export interface SectionsRun {
  values: Pick<EvaluationReport, SectionName>;
  summary: Summary;
  skipped: Skipped[];
  warnings: ReportWarning[];
  timings: Record<string, number>;
}

function figure(m: Metric | number | null | undefined): { value: number | null; reason?: string } {
  if (m === null || m === undefined) return { value: null };
  if (typeof m === 'number') return { value: Number.isFinite(m) ? m : null };
  return { value: m.value, reason: m.reason };
}

export async function runSections(
  ctx: SectionContext,
  on: (name: SectionName) => boolean,
  hooks: StepHooks,
): Promise<SectionsRun> {
  const summary = Object.fromEntries(SUMMARY_KEYS.map((k) => [k, null])) as Summary;
  const reasons = new Map<SummaryKey, string>();
  const values: Record<string, unknown> = {};
  const skipped: Skipped[] = [];
  const warnings: ReportWarning[] = [];
  const timings: Record<string, number> = {};
  let step = hooks.firstStep;
  for (const name of SECTION_NAMES) {
    const section = sectionFor(name);
    values[name] = section.empty;
    const keys = Object.keys(section.summary) as SummaryKey[];
    if (!on(name)) {
      for (const k of keys) reasons.set(k, `${name} section not run`);
      continue;
    }
    await checkpoint(ctx.opts.signal);
    const at = { section: name, title: section.title, step: ++step, steps: hooks.steps };
    hooks.onProgress?.({ ...at, phase: 'start' });
    const s0 = performance.now();
    const outcome = await section.run(ctx);
    const ms = Math.round(performance.now() - s0);
    hooks.onSection?.(name, ms);
    hooks.onProgress?.({ ...at, phase: 'end', ms });
    if (outcome.status === 'skipped') {
      // a section nothing asked for (no --sensitive, no plan) leaves no trace in the report
      if (!outcome.quiet) {
        timings[name] = ms;
        skipped.push({ metric: name, reason: outcome.reason });
      }
      for (const k of keys) reasons.set(k, outcome.reason);
      continue;
    }
    timings[name] = ms;
    values[name] = section.output(outcome.value);
    skipped.push(...(outcome.skipped ?? []));
    warnings.push(...(outcome.warnings ?? []));
    for (const k of keys) {
      const f = figure(section.summary[k].read(outcome.value));
      summary[k] = f.value;
      if (f.value === null) reasons.set(k, f.reason ?? 'not computed');
    }
  }
  await checkpoint(ctx.opts.signal);
  for (const k of SUMMARY_KEYS)
    if (summary[k] === null && !skipped.some((x) => x.metric === k))
      skipped.push({ metric: k, reason: reasons.get(k) ?? 'not computed' });
  return { values: values as Pick<EvaluationReport, SectionName>, summary, skipped, warnings, timings };
}
