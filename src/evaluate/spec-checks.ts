/**
 * What the checks against a spec share (rules.ts, coverage-check.ts): the spec table to check, and the
 * synthetic rows converted to expression values by the spec's column types (number/integer → number,
 * boolean → boolean, datetime/date → epoch ms, everything else → string; missing → null).
 */
import { StrataError } from '../errors.js';
import type { Value } from '../expr/index.js';
import type { RawTable } from '../io/index.js';
import type { Column, Spec } from '../spec/index.js';

type Converter = (s: string | null) => Value;

function converterFor(col: Column | undefined): Converter {
  const t = col?.type;
  if (t === 'integer' || t === 'number') {
    return (s) => {
      if (s === null) return null;
      const v = Number(s);
      return s.trim() !== '' && Number.isFinite(v) ? v : null;
    };
  }
  if (t === 'boolean') {
    return (s) => {
      if (s === null) return null;
      const l = s.trim().toLowerCase();
      if (l === 'true' || l === '1' || l === 'yes') return true;
      if (l === 'false' || l === '0' || l === 'no') return false;
      return null;
    };
  }
  if (t === 'datetime' || t === 'date') {
    return (s) => {
      if (s === null) return null;
      const n = Number(s);
      if (s.trim() !== '' && Number.isFinite(n)) return n;
      const d = Date.parse(s);
      return Number.isFinite(d) ? d : null;
    };
  }
  if (t === undefined) {
    // not declared in the spec: numbers when they parse, strings otherwise
    return (s) => {
      if (s === null) return null;
      const v = Number(s);
      return s.trim() !== '' && Number.isFinite(v) ? v : s;
    };
  }
  return (s) => s;
}

/** Column-major expression values for every column of the raw table. */
export function specValues(raw: RawTable, columns: Record<string, Column>): Value[][] {
  return raw.columns.map((name, c) => {
    const conv = converterFor(columns[name]);
    return raw.data[c].map(conv);
  });
}

/** The spec table to check: --table, else the only table, else the one named like the synthetic file. */
export function pickTable(spec: Spec, table: string | undefined, rawName: string): string {
  const names = Object.keys(spec.tables);
  if (table) {
    if (!Object.hasOwn(spec.tables, table))
      throw new StrataError(
        'evaluate.spec_table',
        `table "${table}" is not in the spec (tables: ${names.join(', ')})`,
        { path: '--table' },
        "pass --table with one of the spec's tables",
      );
    return table;
  }
  if (names.length === 1) return names[0];
  if (Object.hasOwn(spec.tables, rawName)) return rawName;
  throw new StrataError(
    'evaluate.spec_table',
    `the spec has several tables (${names.join(', ')}); choose one with --table`,
    { path: '--table' },
    'pass --table NAME',
  );
}
