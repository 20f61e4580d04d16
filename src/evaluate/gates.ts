/**
 * Gates: thresholds on summary figures for CI use. A gate file maps summary keys to
 * `{ min?: number, max?: number }`. An unknown key is an error naming the key and the closest
 * valid one; a gated figure that is null (not computed) fails with the reason.
 */
import { parse } from 'yaml';
import { StrataError } from '../errors.js';
import { didYouMean } from '../spec/index.js';
import { type EvaluationReport, SUMMARY_KEYS, type SummaryKey } from './registry.js';

export interface Gate {
  min?: number;
  max?: number;
}
export type Gates = Partial<Record<SummaryKey, Gate>>;

export interface GateFailure {
  key: SummaryKey;
  value: number | null;
  gate: Gate;
  message: string;
}

/** Parse and validate gate YAML/JSON text; `file` names the place in errors. */
export function parseGates(text: string, file: string): Gates {
  let doc: unknown;
  try {
    doc = parse(text);
  } catch (e) {
    throw new StrataError(
      'evaluate.gate',
      `cannot parse gate file: ${(e as Error).message}`,
      { file },
      'write YAML like `detection_auc: { max: 0.7 }`',
    );
  }
  if (doc === null || typeof doc !== 'object' || Array.isArray(doc)) {
    throw new StrataError(
      'evaluate.gate',
      'the gate file must be a mapping of summary keys to { min, max }',
      { file },
      'e.g. `accuracy_univariate: { min: 0.95 }`',
    );
  }
  const out: Gates = {};
  for (const [key, val] of Object.entries(doc as Record<string, unknown>)) {
    if (!(SUMMARY_KEYS as readonly string[]).includes(key)) {
      const dym = didYouMean(key, SUMMARY_KEYS);
      throw new StrataError(
        'evaluate.gate',
        `unknown gate key "${key}"${dym ? ` — did you mean "${dym}"?` : ''}`,
        { file, path: key },
        `valid keys: ${SUMMARY_KEYS.join(', ')}`,
      );
    }
    if (val === null || typeof val !== 'object' || Array.isArray(val)) {
      throw new StrataError(
        'evaluate.gate',
        `gate "${key}" must be { min?: number, max?: number }`,
        { file, path: key },
        `e.g. \`${key}: { min: 0.9 }\``,
      );
    }
    const g: Gate = {};
    for (const [bound, v] of Object.entries(val as Record<string, unknown>)) {
      if (bound !== 'min' && bound !== 'max') {
        throw new StrataError(
          'evaluate.gate',
          `unknown bound "${bound}" in gate "${key}"`,
          { file, path: `${key}.${bound}` },
          'use min and/or max',
        );
      }
      if (typeof v !== 'number' || !Number.isFinite(v)) {
        throw new StrataError(
          'evaluate.gate',
          `gate "${key}.${bound}" must be a number`,
          { file, path: `${key}.${bound}` },
          `e.g. \`${bound}: 0.5\``,
        );
      }
      g[bound] = v;
    }
    out[key as SummaryKey] = g;
  }
  return out;
}

/** The gates a report fails (empty when all pass). */
export function checkGates(report: EvaluationReport, gates: Gates): GateFailure[] {
  const failures: GateFailure[] = [];
  for (const key of SUMMARY_KEYS) {
    const gate = gates[key];
    if (!gate) continue;
    const value = report.summary[key];
    if (value === null) {
      const why = report.skipped.find((s) => s.metric === key)?.reason ?? 'not computed';
      failures.push({ key, value, gate, message: `${key} is not available (${why})` });
      continue;
    }
    if (gate.min !== undefined && value < gate.min) {
      failures.push({
        key,
        value,
        gate,
        message: `${key} = ${value.toFixed(4)} is below the minimum ${gate.min}`,
      });
    }
    if (gate.max !== undefined && value > gate.max) {
      failures.push({
        key,
        value,
        gate,
        message: `${key} = ${value.toFixed(4)} is above the maximum ${gate.max}`,
      });
    }
  }
  return failures;
}
