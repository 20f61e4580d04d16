/**
 * Gates: thresholds on summary figures for CI use. A gate file maps summary keys to
 * `{ min?: number, max?: number }`. An unknown key is an error naming the key and the closest
 * valid one; a gated figure that is null (not computed) fails with the reason. One format for
 * every report with a stable `summary` (`strata evaluate --gate`, `strata text audit --gate`):
 * `parseGateText` / `checkSummaryGates` take the report's key list.
 */
import { StrataError } from '../errors.js';
import { didYouMean } from '../spec/index.js';
import { loadYaml } from '../spec/yaml.js';
import { type EvaluationReport, SUMMARY_KEYS, type SummaryKey } from './registry.js';

export interface Gate {
  min?: number;
  max?: number;
}
export type Gates<K extends string = SummaryKey> = Partial<Record<K, Gate>>;

export interface GateFailure<K extends string = SummaryKey> {
  key: K;
  value: number | null;
  gate: Gate;
  message: string;
}

/** Parse and validate `strata evaluate` gate YAML/JSON text; `file` names the place in errors. */
export function parseGates(text: string, file: string): Gates {
  return parseGateText(text, file, SUMMARY_KEYS);
}

/** Parse gate text whose keys must be among `keys` (a report's stable summary keys). */
export function parseGateText<K extends string>(text: string, file: string, keys: readonly K[]): Gates<K> {
  const example = `${keys[0]}: { min: 0.9 }`;
  const doc = loadYaml(text, file, 'evaluate.gate').value;
  if (doc === null || typeof doc !== 'object' || Array.isArray(doc)) {
    throw new StrataError(
      'evaluate.gate',
      'the gate file must be a mapping of summary keys to { min, max }',
      { file },
      `e.g. \`${example}\``,
    );
  }
  const out: Gates<K> = {};
  for (const [key, val] of Object.entries(doc as Record<string, unknown>)) {
    if (!(keys as readonly string[]).includes(key)) {
      const dym = didYouMean(key, keys);
      throw new StrataError(
        'evaluate.gate',
        `unknown gate key "${key}"${dym ? ` — did you mean "${dym}"?` : ''}`,
        { file, path: key },
        `valid keys: ${keys.join(', ')}`,
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
    out[key as K] = g;
  }
  return out;
}

/** The gates an evaluation report fails (empty when all pass). */
export function checkGates(report: EvaluationReport, gates: Gates): GateFailure[] {
  return checkSummaryGates(
    report.summary,
    gates,
    SUMMARY_KEYS,
    (key) => report.skipped.find((s) => s.metric === key)?.reason,
  );
}

/** The gates a summary fails, in key order (empty when all pass); `reasonOf` explains a null figure. */
export function checkSummaryGates<K extends string>(
  summary: Readonly<Record<K, number | null>>,
  gates: Gates<K>,
  keys: readonly K[],
  reasonOf: (key: K) => string | undefined,
): GateFailure<K>[] {
  const failures: GateFailure<K>[] = [];
  for (const key of keys) {
    const gate = gates[key];
    if (!gate) continue;
    const value = summary[key];
    if (value === null) {
      const why = reasonOf(key) ?? 'not computed';
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
