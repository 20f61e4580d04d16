/**
 * Which shared columns the tabular sections judge. Identifiers and free text wreck every tabular
 * score: on UCI Adult, a second real sample with a `customer_id` and a free-text `note` scored
 * detection AUC 1.000, MMD² 1.15 and univariate accuracy .941, against .499, −.0005 and .993 without
 * them (bench/evaluate-columns.bench.ts). So, decided from the real data and the spec:
 *  - 'id': declared `type: id` in the spec; or (with at least 20 values) text values that are
 *    unique per row (≥ 99% distinct), or whole numbers unique per row that are consecutive-ish
 *    (span ≤ 2 × count) or whose column is named like an id (`id`, `*_id`, `customerId`, `uuid`);
 *  - 'text': text values, at least half of them distinct, of 3 words or more on average;
 *  - 'value': everything else, and always the --target and --sensitive columns.
 * Decimal numbers and dates are never IDs (a continuous measure is unique per row too).
 */
import type { TypedColumn } from '../ml/index.js';
import type { Column } from '../spec/index.js';
import type { ColumnInfo } from './types.js';

const MIN_VALUES = 20;
const ID_DISTINCT_SHARE = 0.99;
const TEXT_DISTINCT_SHARE = 0.5;
/** Mean words per value from which a column reads as text (also fit's line between word and character text laws). */
export const TEXT_MEAN_WORDS = 3;
const ID_NAME = /(^|[_\s.-])(id|uuid|guid)$/i;
const ID_CAMEL = /[a-z](Id|ID|Uuid|UUID|Guid|GUID)$/;

/** Whitespace-separated words in a string (no allocation). */
function wordCount(s: string): number {
  let n = 0;
  let inWord = false;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    const space = c === 32 || c === 9 || c === 10 || c === 13;
    if (!space && !inWord) n++;
    inWord = !space;
  }
  return n;
}

/** Category columns: counted over the typed codes, so each distinct text is read once. */
function textRole(col: TypedColumn & { kind: 'categorical' }): Pick<ColumnInfo, 'role' | 'role_reason'> {
  const count = new Int32Array(col.levels.length);
  let n = 0;
  for (const c of col.codes)
    if (c >= 0) {
      count[c]++;
      n++;
    }
  if (n < MIN_VALUES) return { role: 'value' };
  let distinct = 0;
  let words = 0;
  for (let k = 0; k < count.length; k++) {
    if (count[k] === 0) continue;
    distinct++;
    words += count[k] * wordCount(col.levels[k]);
  }
  const share = distinct / n;
  const meanWords = words / n;
  if (share >= TEXT_DISTINCT_SHARE && meanWords >= TEXT_MEAN_WORDS)
    return {
      role: 'text',
      role_reason: `free text: ${distinct} distinct values in ${n} rows, ${meanWords.toFixed(1)} words on average`,
    };
  if (share >= ID_DISTINCT_SHARE)
    return { role: 'id', role_reason: `identifier: ${distinct} distinct values in ${n} rows` };
  return { role: 'value' };
}

function numericRole(
  name: string,
  col: TypedColumn & { kind: 'numeric' },
): Pick<ColumnInfo, 'role' | 'role_reason'> {
  if (!col.integer || col.temporal) return { role: 'value' };
  const seen = new Set<number>();
  let min = Infinity;
  let max = -Infinity;
  for (const v of col.values) {
    if (Number.isNaN(v)) continue;
    if (seen.has(v)) return { role: 'value' };
    seen.add(v);
    if (v < min) min = v;
    if (v > max) max = v;
  }
  const n = seen.size;
  if (n < MIN_VALUES) return { role: 'value' };
  const consecutive = max - min + 1 <= 2 * n;
  if (!consecutive && !ID_NAME.test(name) && !ID_CAMEL.test(name)) return { role: 'value' };
  return {
    role: 'id',
    role_reason: `identifier: ${n} distinct whole numbers in ${n} rows${consecutive ? `, ${min} to ${max}` : ', named like an id'}`,
  };
}

/**
 * The role of every column of the real table (typed by alignTables). `declared`: the spec table's
 * columns, when a spec is given; `keep`: columns named by --target or --sensitive, always judged.
 */
export function columnRoles(
  typed: readonly TypedColumn[],
  declared: Readonly<Record<string, Column>> | undefined,
  keep: ReadonlySet<string>,
): ColumnInfo[] {
  return typed.map((col) => {
    const info: ColumnInfo = { name: col.name, kind: col.kind, role: 'value' };
    if (col.kind === 'numeric' && col.temporal) info.temporal = col.temporal;
    if (keep.has(col.name)) return info;
    const spec = declared && Object.hasOwn(declared, col.name) ? declared[col.name] : undefined;
    const decided =
      spec?.type === 'id'
        ? { role: 'id' as const, role_reason: 'identifier: declared `type: id` in the spec' }
        : col.kind === 'numeric'
          ? numericRole(col.name, col)
          : textRole(col);
    return decided.role === 'value' ? info : { ...info, ...decided };
  });
}
