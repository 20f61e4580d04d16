/**
 * Identities found in the data (issue 15: "rules found in the data"): a numeric column that
 * equals, on every row, a copy, sum or difference of two other columns — or a difference of two
 * datetimes in seconds, minutes, hours or days (`los = (outtime - intime) / 86400000`) — up to
 * its recorded rounding. Such a column is written as an `expr` of its inputs, so generated rows
 * keep the identity by construction instead of drawing it from binned tables (a fitted ICU table
 * broke `los`). Pure functions over the inferred columns.
 *
 * API: `proposeIdentities(inferred, values)` → one candidate per column that is an identity,
 * with its expression, inputs and the rows it was checked on. An identity holds on every row or
 * not at all, so there is no likelihood to weigh: held out, it scores +∞ against any table.
 */
import type { InferredColumn } from '../data/infer.js';
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
  return out.sort((a, b) => a.column - b.column);
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
