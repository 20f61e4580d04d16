/**
 * Identities found in the data (issue 15: "rules found in the data"): a numeric column that
 * equals, on every row, a copy, sum or difference of two other columns — or a difference of two
 * datetimes in seconds, minutes, hours or days (`los = (outtime - intime) / 86400000`) — up to
 * its recorded rounding. Such a column is written as an `expr` of its inputs, so generated rows
 * keep the identity by construction instead of drawing it from binned tables (a fitted ICU table
 * broke `los`). A date or datetime column that is a copy of another one, or a date that is the
 * day of a datetime (`chartdate = date(charttime)`), is found alike. Pure functions over the
 * inferred columns.
 *
 * API: `proposeIdentities(inferred, values)` → one candidate per column that is an identity,
 * with its expression, inputs and the rows it was checked on. An identity holds on every row or
 * not at all, so there is no likelihood to weigh: held out, it scores +∞ against any table.
 */
import type { InferredColumn } from '../data/infer.js';
import { startOfDay } from '../expr/dates.js';
import { roundTo } from '../expr/functions.js';
import { exprName } from './anchor.js';

export interface IdentityCandidate {
  /** Index (into the inferred columns) of the derived column. */
  column: number;
  /** Its expression over the inputs, as the spec writes it. */
  expr: string;
  /** Indices of the input columns. */
  inputs: number[];
  /** Rows it was checked on (all inputs and the column present). */
  rows: number;
  /**
   * Share of the rows with every input present where the column is missing (a date copy only:
   * MIMIC's `dod_hosp` equals `dod` wherever it is present, and is missing on a third of the
   * rows that have `dod`). Absent when the column is missing exactly where an input is.
   */
  missing?: number;
}

const NUMERIC = new Set(['integer', 'number']);
const TIME = new Set(['datetime', 'date']);
/** Units of a datetime difference: ms per second, minute, hour, day. */
const UNITS = [1000, 60_000, 3_600_000, 86_400_000];

interface Form {
  inputs: number[];
  expr: string;
  f: (i: number) => number;
}

/**
 * Numeric columns that are identities of others. A column found derived is no input of one
 * found later, so the expressions form no cycle. At least `minRows`
 * rows must hold every value, the column must vary, and missing values must coincide: the column
 * is missing exactly where an input is.
 */
export function proposeIdentities(
  inferred: readonly InferredColumn[],
  values: readonly (Float64Array | null)[],
  minRows = 20,
): IdentityCandidate[] {
  const out: IdentityCandidate[] = [];
  const derived = new Set<number>();
  const numericIdx = inferred.map((_, i) => i).filter((i) => values[i] && NUMERIC.has(inferred[i].kind));
  const timeIdx = inferred.map((_, i) => i).filter((i) => values[i] && TIME.has(inferred[i].kind));
  const v = (a: number) => values[a]!;
  const name = (a: number) => exprName(inferred[a].name);
  // Which column of a three-way identity is the derived one is a choice: sums first (a total is
  // the sum of its parts, not a part the difference of the total and another part), then
  // datetime differences, then copies and differences.
  const passes: ((inputs: number[], times: number[]) => Form[])[] = [
    (inputs) => {
      const forms: Form[] = [];
      for (let s = 0; s < inputs.length; s++)
        for (let t = s + 1; t < inputs.length; t++) {
          const [a, b] = [inputs[s], inputs[t]];
          forms.push({ inputs: [a, b], expr: `${name(a)} + ${name(b)}`, f: (i) => v(a)[i] + v(b)[i] });
        }
      return forms;
    },
    (_, times) => {
      const forms: Form[] = [];
      for (const a of times)
        for (const b of times)
          if (a !== b)
            for (const u of UNITS)
              forms.push({
                inputs: [a, b],
                expr: `(${name(a)} - ${name(b)}) / ${u}`,
                f: (i) => (v(a)[i] - v(b)[i]) / u,
              });
      return forms;
    },
    (inputs) => {
      const forms: Form[] = inputs.map((a) => ({ inputs: [a], expr: name(a), f: (i: number) => v(a)[i] }));
      for (const a of inputs)
        for (const b of inputs)
          if (a !== b)
            forms.push({ inputs: [a, b], expr: `${name(a)} - ${name(b)}`, f: (i) => v(a)[i] - v(b)[i] });
      return forms;
    },
  ];
  for (const pass of passes)
    for (const c of numericIdx) {
      const info = inferred[c];
      if (derived.has(c) || info.min === info.max || info.distinct < 3) continue;
      const x = v(c);
      const digits = info.kind === 'number' ? (info.decimals ?? 0) : 0;
      const tol = 10 ** -digits / 2 + 1e-9 * (Math.abs(info.max ?? 0) + Math.abs(info.min ?? 0));
      const inputs = numericIdx.filter((a) => a !== c && !derived.has(a));
      const times = timeIdx.filter((a) => !derived.has(a));
      for (const form of pass(inputs, times)) {
        const rows = holds(x, form, tol, digits, values);
        if (rows >= minRows) {
          const expr = digits > 0 ? `round(${form.expr}, ${digits})` : `round(${form.expr})`;
          out.push({ column: c, expr, inputs: form.inputs, rows });
          derived.add(c);
          break;
        }
      }
    }
  // Dates and datetimes: a copy of another one, or (a date) the day of a datetime.
  for (const c of timeIdx) {
    const info = inferred[c];
    if (derived.has(c) || info.min === info.max || info.distinct < 3) continue;
    const x = v(c);
    for (const a of timeIdx) {
      if (a === c || derived.has(a)) continue;
      const forms: Form[] = [{ inputs: [a], expr: name(a), f: (i) => v(a)[i] }];
      if (info.kind === 'date' && inferred[a].kind === 'datetime')
        forms.push({ inputs: [a], expr: `date(${name(a)})`, f: (i) => startOfDay(v(a)[i]) });
      const form = forms.find((fm) => holds(x, fm, 0, 0, values) >= minRows);
      if (form) {
        out.push({ column: c, expr: form.expr, inputs: form.inputs, rows: holds(x, form, 0, 0, values) });
        derived.add(c);
        break;
      }
      // A copy wherever the column is present, missing on some rows whose input is present: the
      // expression with a missing rate keeps both order relations (`c <= a`, `a <= c`) that every
      // real row holds, which a separately drawn law breaks (stop 25: 29 of 34 synthetic rows).
      const partial = forms[0];
      const seen = holdsWherePresent(x, partial, values);
      if (seen && seen.rows >= minRows && seen.missing > 0) {
        const missing = seen.missing / (seen.rows + seen.missing);
        out.push({ column: c, expr: partial.expr, inputs: partial.inputs, rows: seen.rows, missing });
        derived.add(c);
        break;
      }
    }
  }
  return out.sort((a, b) => a.column - b.column);
}

/** A date column that is the day of a datetime column wherever both are present. */
export interface SameDay {
  date: number;
  time: number;
  /** Rows where both are present (all of them agree). */
  rows: number;
}

/**
 * Pairs (date column, datetime column) where the date is the day of the datetime on every row
 * holding both, but one is present where the other is missing, so neither is an expression of the
 * other (MIMIC's MICROBIOLOGYEVENTS: `chartdate` is the day of `charttime`, which is missing on 4%
 * of rows). Fit writes them as rules bounding the later-drawn column to the earlier one's day.
 * Columns already derived (`exclude`) are left out.
 */
export function proposeSameDays(
  inferred: readonly InferredColumn[],
  values: readonly (Float64Array | null)[],
  exclude: ReadonlySet<number> = new Set(),
  minRows = 20,
): SameDay[] {
  const out: SameDay[] = [];
  const of = (kind: string) =>
    inferred.map((_, i) => i).filter((i) => values[i] && inferred[i].kind === kind && !exclude.has(i));
  for (const d of of('date'))
    for (const t of of('datetime')) {
      const [x, y] = [values[d]!, values[t]!];
      let rows = 0;
      for (let i = 0; i < x.length && rows >= 0; i++) {
        if (Number.isNaN(x[i]) || Number.isNaN(y[i])) continue;
        rows = x[i] === startOfDay(y[i]) ? rows + 1 : -1;
      }
      if (rows >= minRows && inferred[d].distinct >= 3) out.push({ date: d, time: t, rows });
    }
  return out;
}

/**
 * A form that holds exactly on every row where the column is present, the column never present
 * where an input is missing: the rows it was checked on and the rows with inputs but no value.
 * Undefined when it fails on any row.
 */
function holdsWherePresent(
  x: Float64Array,
  form: Form,
  values: readonly (Float64Array | null)[],
): { rows: number; missing: number } | undefined {
  let rows = 0;
  let missing = 0;
  for (let i = 0; i < x.length; i++) {
    const inputMissing = form.inputs.some((a) => Number.isNaN(values[a]![i]));
    if (Number.isNaN(x[i])) {
      if (!inputMissing) missing++;
      continue;
    }
    if (inputMissing || x[i] !== form.f(i)) return undefined;
    rows++;
  }
  return { rows, missing };
}

/** Rows on which the form holds, or 0 when it fails on any row (or missing values disagree). */
function holds(
  x: Float64Array,
  form: Form,
  tol: number,
  digits: number,
  values: readonly (Float64Array | null)[],
): number {
  let rows = 0;
  for (let i = 0; i < x.length; i++) {
    const inputMissing = form.inputs.some((a) => Number.isNaN(values[a]![i]));
    if (Number.isNaN(x[i]) !== inputMissing) return 0;
    if (inputMissing) continue;
    const f = form.f(i);
    if (!(Math.abs(x[i] - roundTo(f, digits)) <= tol)) return 0;
    rows++;
  }
  return rows;
}
