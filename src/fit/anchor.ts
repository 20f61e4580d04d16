/**
 * Numeric children tied to a numeric parent ("parent + residual", the spec's `shift`, `offsets`,
 * `continuous: offset` and `slope`): choosing the anchor and the form, and fitting a state's
 * model of what is left once the tie is taken out. Pure functions over the encoded nodes.
 */

import { roundTo } from '../expr/functions.js';
import {
  continuousLogProbability,
  type EmpiricalModel,
  empiricalFromValues,
  frequentValues,
  type Granularity,
  logProbability,
  quantileSorted,
} from './empirical.js';
import { binOf, type NodeColumn, quantileBreaks } from './encode.js';
import { rankCorrelation } from './refine.js';

/** Floor of a held-out row's log-likelihood: a value outside a state's fitted support scores this, not −∞. */
const LOG_FLOOR = -30;

const pct = (x: number): string => `${x < 0.001 && x > 0 ? '<0.1' : (100 * x).toFixed(x < 0.1 ? 1 : 0)}%`;

/** An anchored numeric child (see chooseAnchor). */
export interface Anchor {
  /** Node index of the anchor parent (−1: a linear combination of several, see `shift`). */
  parent: number;
  /** The spec's `shift`: the parent's name, or a linear expression of several parents. */
  shift: string;
  continuous: 'value' | 'offset';
  /** Continuous part of the `offset` form: value = slope × anchor + offset. */
  slope: number;
  /** What the tables model, coded per row: atoms, offset atoms, bins of the continuous part, missing. */
  codes: Int32Array;
  card: number;
  fit: (rows: readonly number[]) => EmpiricalModel;
  describe: string;
  /**
   * A second tracked parent the child repeats exactly with a per-state probability (the spec's
   * `copy` / `copied`), kept when it gains held-out log-likelihood (see withCopy).
   */
  copy?: { parent: number; name: string };
}

/** Held-out gain (nats per held-out row) a copy parent must bring, as for own parent states. */
export const MIN_COPY_GAIN = 0.002;

/**
 * "Parent + residual" for a numeric child that tracks a numeric parent. Binned parents alone blur
 * such pairs: inside a parent bin the child is drawn from the whole bin's spread, and exact
 * equalities vanish. Two anchored forms, per parent state:
 *  - `offset`: value = anchor + a learned offset (Taiwan's BILL_AMT1 ≈ BILL_AMT2: month-to-month
 *    changes are small next to the bills' spread);
 *  - `value`: the child's own knots, plus point masses at anchor + k for frequent offsets k (a
 *    payment equal to last month's bill: 22% of Taiwan's PAY_AMT1).
 * Both keep the child's own point masses (a bill of exactly 0) at their values, and point masses
 * at frequent offsets (offset 0 = "the same as the parent"). Candidates are the numeric parents
 * (same unit, never missing) with rank correlation ≥ 0.5 or equal to the child in ≥ 5% of rows;
 * the candidate and form with the best in-sample log-likelihood per row over the parent states
 * is used when it beats the plain per-state tables by `minGain` nats (the forms have the same
 * number of knots, so none is favoured by size).
 */
/**
 * The rank correlation of `child` with `parent` when the parent is an anchor candidate (numeric,
 * never missing, same unit, |ρ| ≥ 0.5 or equal to the child in ≥ 5% of the rows off its point
 * masses `atomSet`); undefined otherwise.
 */
export function tracks(
  child: NodeColumn,
  parent: NodeColumn,
  atomSet: ReadonlySet<number>,
): number | undefined {
  const timeLike = (k: string) => k === 'datetime' || k === 'date';
  if (parent.role !== 'numeric' || parent.hasMissing) return undefined;
  if (timeLike(parent.info.kind) !== timeLike(child.info.kind)) return undefined;
  const rho = Math.abs(rankCorrelation(child.values, parent.values));
  let equal = 0;
  let present = 0;
  for (let i = 0; i < child.values.length; i++) {
    const x = child.values[i];
    if (Number.isNaN(x) || atomSet.has(x)) continue;
    present++;
    if (x === parent.values[i]) equal++;
  }
  return rho < 0.5 && !(present > 0 && equal / present >= 0.05) ? undefined : rho;
}

export function chooseAnchor(
  nodes: readonly NodeColumn[],
  v: number,
  parents: readonly number[],
  groups: readonly number[][],
  atomSet: ReadonlySet<number>,
  g: Granularity,
  plainModels: readonly (EmpiricalModel | null)[],
  minGain = 0.05,
): Anchor | undefined {
  const child = nodes[v];
  const timeLike = (k: string) => k === 'datetime' || k === 'date';
  // The plain tables' log-likelihood over the states with a model of their own: the score every
  // candidate must beat.
  const width = g.width > 0 ? g.width : 1;
  let plainLL = 0;
  let rowsSeen = 0;
  groups.forEach((rows, j) => {
    const pm = plainModels[j];
    if (!pm) return;
    for (const i of rows) plainLL += logProbability(pm, child.values[i], width);
    rowsSeen += rows.length;
  });
  if (rowsSeen === 0) return undefined;
  let best: (Anchor & { gain: number }) | undefined;
  let bestOn: { base: Float64Array; rho: number } | undefined;
  const tracked: number[] = [];
  for (const p of parents) {
    const node = nodes[p];
    const rho = tracks(child, node, atomSet);
    if (rho === undefined) continue;
    tracked.push(p);
    const a = anchorOn(
      nodes,
      v,
      node.values,
      p,
      exprName(node.name),
      rho,
      groups,
      atomSet,
      g,
      plainModels,
      plainLL / rowsSeen,
    );
    if (a.gain >= minGain && (!best || a.gain > best.gain)) {
      best = a;
      bestOn = { base: node.values, rho };
    }
  }
  // Regression on several tracked parents: value = f(parents) + residual with f linear (a bill
  // that follows the last two months, not one). Taken only when it beats the best single
  // parent by `minGain` too.
  if (tracked.length >= 2 && !timeLike(child.info.kind)) {
    const combo = linearShift(nodes, v, tracked, atomSet);
    if (combo) {
      const rho = Math.abs(rankCorrelation(child.values, combo.values));
      const a = anchorOn(
        nodes,
        v,
        combo.values,
        -1,
        combo.expr,
        rho,
        groups,
        atomSet,
        g,
        plainModels,
        plainLL / rowsSeen,
      );
      if (a.gain >= minGain && (!best || a.gain > best.gain + minGain)) {
        best = a;
        bestOn = { base: combo.values, rho };
      }
    }
  }
  if (!best || !bestOn) return best;
  const on = bestOn;
  // Copy candidates: the tracked parents, and any numeric parent the child equals in ≥ 5% of the
  // rows counting its point masses (a repeated round payment is one; tracks() leaves those out).
  const candidates = parents.filter((p) => tracked.includes(p) || repeatsOften(child, nodes[p]));
  const anchorOf = (copy?: { parent: number; values: Float64Array }) =>
    anchorOn(
      nodes,
      v,
      on.base,
      best.parent,
      best.shift,
      on.rho,
      groups,
      atomSet,
      g,
      plainModels,
      plainLL / rowsSeen,
      copy,
    );
  return withCopy(nodes, candidates, best, anchorOf);
}

/**
 * The anchored child with a copy parent, when one wins held out: besides its anchor (a payment
 * tied to last month's bill), a child may repeat another tracked parent exactly (a payment equal
 * to last month's payment: 7–9% of Taiwan's PAY_AMT rows, and what carries a client's level along
 * the chain). Each other tracked parent is tried as the copy; the one with the best held-out
 * log-likelihood (every 5th row of each state, models fitted on the rest) is kept when it beats
 * the anchor alone by MIN_COPY_GAIN nats per held-out row.
 */
function withCopy(
  nodes: readonly NodeColumn[],
  tracked: readonly number[],
  best: Anchor & { gain: number },
  anchorOf: (copy?: { parent: number; values: Float64Array }) => Anchor & { gain: number; heldOut: number },
): Anchor & { gain: number } {
  const plain = anchorOf();
  let top: (Anchor & { gain: number; heldOut: number }) | undefined;
  for (const q of tracked) {
    if (q === best.parent || (best.parent < 0 && best.shift.includes(exprName(nodes[q].name)))) continue;
    const a = anchorOf({ parent: q, values: nodes[q].values });
    if (a.heldOut - plain.heldOut > MIN_COPY_GAIN && (!top || a.heldOut > top.heldOut)) top = a;
  }
  if (!top) return best;
  const gain = top.heldOut - plain.heldOut;
  return {
    ...top,
    describe: `${top.describe}; repeats ${top.copy?.name} (+${gain.toFixed(3)} nats/row held out)`,
  };
}

/** Values holding ≥ 5% of the present rows (the share that makes a parent value a state of its own). */
function heavyValues(values: Float64Array): Set<number> {
  const counts = new Map<number, number>();
  let n = 0;
  for (const x of values) {
    if (Number.isNaN(x)) continue;
    n++;
    counts.set(x, (counts.get(x) ?? 0) + 1);
  }
  return new Set([...counts].filter(([, c]) => c >= 0.05 * n).map(([x]) => x));
}

/** Whether `child` equals the numeric, never-missing, same-unit `parent` in ≥ 5% of its present rows. */
function repeatsOften(child: NodeColumn, parent: NodeColumn): boolean {
  const timeLike = (k: string) => k === 'datetime' || k === 'date';
  if (parent.role !== 'numeric' || parent.hasMissing) return false;
  if (timeLike(parent.info.kind) !== timeLike(child.info.kind)) return false;
  let equal = 0;
  let present = 0;
  for (let i = 0; i < child.values.length; i++) {
    const x = child.values[i];
    if (Number.isNaN(x)) continue;
    present++;
    if (x === parent.values[i]) equal++;
  }
  return present > 0 && equal / present >= 0.05;
}

/** A column name as an expression reads it (backtick-quoted unless a plain identifier). */
export function exprName(name: string): string {
  return /^[A-Za-z_][A-Za-z0-9_]*$/.test(name) ? name : `\`${name.replace(/`/g, '')}\``;
}

/** 4 significant digits, for coefficients a person reads. */
const sig4 = (x: number): number => (x === 0 ? 0 : Number(x.toPrecision(4)));

/**
 * Least-squares f(parents) = c + Σ b_k · parent_k over the rows of the child's continuous part
 * (point masses excluded), coefficients at 4 significant digits; null when the normal equations
 * are singular. Returns the expression and its value per row (NaN where a parent is missing).
 * Hand-written: a k ≤ 4 normal-equation solve needs no linear-algebra package.
 */
export function linearShift(
  nodes: readonly NodeColumn[],
  v: number,
  parents: readonly number[],
  atomSet: ReadonlySet<number>,
): { expr: string; values: Float64Array; coefficients: number[] } | null {
  const ps = parents.slice(0, 4);
  const x = nodes[v].values;
  const k = ps.length + 1;
  const xtx = Array.from({ length: k }, () => new Float64Array(k));
  const xty = new Float64Array(k);
  const row = new Float64Array(k);
  for (let i = 0; i < x.length; i++) {
    if (Number.isNaN(x[i]) || atomSet.has(x[i])) continue;
    row[0] = 1;
    let ok = true;
    ps.forEach((p, j) => {
      row[j + 1] = nodes[p].values[i];
      if (Number.isNaN(row[j + 1])) ok = false;
    });
    if (!ok) continue;
    for (let a = 0; a < k; a++) {
      xty[a] += row[a] * x[i];
      for (let b = 0; b < k; b++) xtx[a][b] += row[a] * row[b];
    }
  }
  const beta = solve(xtx, xty);
  if (!beta) return null;
  const coef = Array.from(beta, sig4);
  const terms = ps
    .map((p, j) => ({ b: coef[j + 1], name: exprName(nodes[p].name) }))
    .filter((t) => t.b !== 0);
  if (terms.length < 2) return null;
  let expr = terms
    .map((t, j) => `${j === 0 ? (t.b < 0 ? '-' : '') : t.b < 0 ? ' - ' : ' + '}${Math.abs(t.b)} * ${t.name}`)
    .join('');
  if (coef[0] !== 0) expr += `${coef[0] < 0 ? ' - ' : ' + '}${Math.abs(coef[0])}`;
  // Rounded to the child's recorded precision, so the residual keeps exact offsets (point masses
  // at f + k) as a single-parent tie does: unrounded, an integer child's offsets never repeat.
  const info = nodes[v].info;
  const digits = info.kind === 'number' ? (info.decimals ?? 0) : 0;
  expr = digits > 0 ? `round(${expr}, ${digits})` : `round(${expr})`;
  const values = new Float64Array(x.length);
  const used = ps.map((p, j) => ({ p, b: coef[j + 1] })).filter((t) => t.b !== 0);
  for (let i = 0; i < x.length; i++) {
    // Summed in the expression's order, so the engine computes the same value.
    let f = used[0].b * nodes[used[0].p].values[i];
    for (let t = 1; t < used.length; t++) f += used[t].b * nodes[used[t].p].values[i];
    if (coef[0] !== 0) f += coef[0];
    values[i] = roundTo(f, digits);
  }
  return { expr, values, coefficients: coef };
}

/** Gaussian elimination with partial pivoting; null when singular. */
function solve(a: Float64Array[], b: Float64Array): Float64Array | null {
  const k = b.length;
  const m = a.map((r, i) => Float64Array.from([...r, b[i]]));
  for (let c = 0; c < k; c++) {
    let piv = c;
    for (let r = c + 1; r < k; r++) if (Math.abs(m[r][c]) > Math.abs(m[piv][c])) piv = r;
    if (!(Math.abs(m[piv][c]) > 1e-9 * (1 + Math.abs(m[c][c])))) return null;
    [m[c], m[piv]] = [m[piv], m[c]];
    for (let r = 0; r < k; r++) {
      if (r === c) continue;
      const f = m[r][c] / m[c][c];
      for (let j = c; j <= k; j++) m[r][j] -= f * m[c][j];
    }
  }
  return Float64Array.from({ length: k }, (_, i) => m[i][k] / m[i][i]);
}

/**
 * The anchored forms of `v` on parent `p`: the better one, with its gain in log-likelihood per
 * row over the plain tables (`plainPerRow`), scored on the states with a plain model of their own.
 */
function anchorOn(
  nodes: readonly NodeColumn[],
  v: number,
  base: Float64Array,
  anchor: number,
  name: string,
  rho: number,
  groups: readonly number[][],
  atomSet: ReadonlySet<number>,
  g: Granularity,
  plainModels: readonly (EmpiricalModel | null)[],
  plainPerRow: number,
  copy?: { parent: number; values: Float64Array },
): Anchor & { gain: number; heldOut: number } {
  const child = nodes[v];
  const x = child.values;
  // Rows that repeat the copy parent exactly (off the child's own point masses and the anchor's
  // frequent offsets, which keep their meaning).
  const copyVals = copy?.values;
  const offsetCounts: number[] = [];
  // An exact repeat of the anchor (offset 0) counts even where the value is one of the child's
  // point masses: Taiwan's bills repeat fixed fees (390, 780) month to month, and read as atoms
  // those repeats were drawn independently of last month (synthetic BILL_AMT1 = BILL_AMT2 ≠ 0 in
  // 1.9% of rows against 3.9% real). Not for a value holding ≥ 5% of the parent's rows (a zero
  // bill): that value is a parent state of its own (atom-states.ts; bins whose ties never split),
  // which carries "0 after 0", and as offset 0 its large share there leaked into the back-off rows
  // of other states (PAY_AMT6 = PAY_AMT5 ≠ 0 in 11% of rows against 9% real).
  const baseHeavy = anchor >= 0 ? heavyValues(base) : new Set<number>();
  const copyHeavy = copy ? heavyValues(copy.values) : new Set<number>();
  for (const rows of groups)
    for (const i of rows)
      if (!atomSet.has(x[i]) || (x[i] === base[i] && !baseHeavy.has(x[i]))) offsetCounts.push(x[i] - base[i]);
  const offsetSet = frequentValues(offsetCounts, 0.03, 10, 150);
  const sameAsAnchor = (i: number) => x[i] === base[i] && offsetSet.has(0) && !baseHeavy.has(x[i]);
  // A repeat wins over the child's own point masses: Taiwan's repeated payments are mostly round
  // sums (2,000, 3,000) that are point masses too, and read as atoms they were drawn independently
  // of last month's payment (the copy then found almost no rows of its own).
  const repeats = (i: number, o: number) =>
    copyVals !== undefined &&
    x[i] === copyVals[i] &&
    !copyHeavy.has(x[i]) &&
    !sameAsAnchor(i) &&
    !(offsetSet.has(o) && !atomSet.has(x[i]));
  const gOffset: Granularity = { ...g, lo: Number.NEGATIVE_INFINITY, hi: Number.POSITIVE_INFINITY };
  // Pooled within-state slope of the child on the anchor (rows of the continuous part): inside a
  // parent state the child regresses toward the mean, so value = anchor + offset with offsets
  // independent of the anchor would inflate the spread at every link of a chain (BILL_AMT5 → … →
  // BILL_AMT1 drifted up by a quarter at the median with slope 1). Huber-weighted least squares
  // on state-median-centred rows: a few extreme rows in the widest state (a 1.6M bill followed by
  // 300k) pulled the plain least-squares slope of BILL_AMT2 on BILL_AMT3 to 0.60 where the bulk
  // says 0.95. Rounded so the file reads well.
  const dp: number[] = [];
  const dx: number[] = [];
  const median = (v: number[]) =>
    quantileSorted(
      [...v].sort((a, b) => a - b),
      0.5,
    );
  for (const rows of groups) {
    const inState = rows.filter(
      (i) =>
        !atomSet.has(x[i]) &&
        !offsetSet.has(x[i] - base[i]) &&
        !repeats(i, x[i] - base[i]) &&
        !sameAsAnchor(i),
    );
    if (inState.length < 2) continue;
    const mp = median(inState.map((i) => base[i]));
    const mx = median(inState.map((i) => x[i]));
    for (const i of inState) {
      dp.push(base[i] - mp);
      dx.push(x[i] - mx);
    }
  }
  let b = 1;
  {
    let sxy = 0;
    let sxx = 0;
    for (let t = 0; t < dp.length; t++) {
      sxy += dp[t] * dx[t];
      sxx += dp[t] * dp[t];
    }
    if (sxx > 0) b = sxy / sxx;
    for (let iter = 0; iter < 8 && sxx > 0; iter++) {
      const r = dx.map((v, t) => Math.abs(v - b * dp[t]));
      const scale = 1.4826 * median(r);
      if (!(scale > 0)) break;
      let wxy = 0;
      let wxx = 0;
      for (let t = 0; t < dp.length; t++) {
        const w = r[t] <= 1.345 * scale ? 1 : (1.345 * scale) / r[t];
        wxy += w * dp[t] * dx[t];
        wxx += w * dp[t] * dp[t];
      }
      if (!(wxx > 0)) break;
      b = wxy / wxx;
    }
  }
  const slope = dp.length > 0 ? Math.round(Math.min(1, Math.max(0, b)) * 1e4) / 1e4 : 1;
  const contOf = (i: number, continuous: 'value' | 'offset') =>
    continuous === 'offset' ? x[i] - slope * base[i] : x[i];
  const none = new Set<number>();
  const fitWith =
    (continuous: 'value' | 'offset') =>
    (rows: readonly number[]): EmpiricalModel => {
      const atoms = new Map<number, number>();
      const offsets = new Map<number, number>();
      const cont: number[] = [];
      let copies = 0;
      for (const i of rows) {
        const xi = x[i];
        const o = xi - base[i];
        if (sameAsAnchor(i)) offsets.set(0, (offsets.get(0) ?? 0) + 1);
        else if (repeats(i, o)) copies++;
        else if (atomSet.has(xi)) atoms.set(xi, (atoms.get(xi) ?? 0) + 1);
        else if (offsetSet.has(o)) offsets.set(o, (offsets.get(o) ?? 0) + 1);
        else cont.push(contOf(i, continuous));
      }
      const m = rows.length;
      for (const [k, c] of atoms) atoms.set(k, c / m);
      for (const [k, c] of offsets) offsets.set(k, c / m);
      const copied = copyVals !== undefined ? { copied: copies / m } : {};
      if (cont.length === 0) return { atoms, contMass: 0, knots: null, offsets, ...copied };
      const rel = empiricalFromValues(cont, none, continuous === 'offset' ? gOffset : g);
      return { atoms, contMass: cont.length / m, knots: rel.knots, offsets, ...copied };
    };
  const width = g.width > 0 ? g.width : 1;
  const logLik = (model: EmpiricalModel, i: number, continuous: 'value' | 'offset'): number => {
    const xi = x[i];
    const o = xi - base[i];
    // A point's probability is the mass of every part that gives it: the child's own point mass,
    // the offset from the anchor, the copy.
    const point =
      (model.atoms.get(xi) ?? 0) +
      (model.offsets?.get(o) ?? 0) +
      (copyVals !== undefined && xi === copyVals[i] ? (model.copied ?? 0) : 0);
    if (point > 0) return Math.log(point);
    return continuousLogProbability(model, contOf(i, continuous), width);
  };
  const forms = (['value', 'offset'] as const).map((c) => ({ continuous: c, fit: fitWith(c), ll: 0 }));
  let rowsSeen = 0;
  groups.forEach((rows, j) => {
    if (!plainModels[j]) return;
    for (const f of forms) {
      const fm = f.fit(rows);
      for (const i of rows) f.ll += logLik(fm, i, f.continuous);
    }
    rowsSeen += rows.length;
  });
  const top = forms[0].ll >= forms[1].ll ? forms[0] : forms[1];
  const gain = top.ll / rowsSeen - plainPerRow;
  // Held out: every 5th row of each state scored by the top form fitted on the state's other rows
  // (what decides a copy parent; heldout.ts splits the same way).
  let heldLL = 0;
  let heldN = 0;
  groups.forEach((rows, j) => {
    if (!plainModels[j]) return;
    const fitRows = rows.filter((i) => i % 5 !== 0);
    const testRows = rows.filter((i) => i % 5 === 0);
    if (fitRows.length === 0 || testRows.length === 0) return;
    const fm = top.fit(fitRows);
    for (const i of testRows) heldLL += Math.max(logLik(fm, i, top.continuous), LOG_FLOOR);
    heldN += testRows.length;
  });
  const same = offsetCounts.length > 0 ? offsetCounts.filter((o) => o === 0).length / offsetCounts.length : 0;
  // Codes of the modelled quantity (for ordering the back-off by what parents tell about it).
  const pointCode = new Map<string, number>();
  const contRows: number[] = [];
  const codes = new Int32Array(x.length).fill(-1);
  for (let i = 0; i < x.length; i++) {
    const xi = x[i];
    if (Number.isNaN(xi)) continue;
    const o = xi - base[i];
    const key = sameAsAnchor(i)
      ? 'o0'
      : repeats(i, o)
        ? 'c'
        : atomSet.has(xi)
          ? `a${xi}`
          : offsetSet.has(o)
            ? `o${o}`
            : null;
    if (key === null) {
      contRows.push(i);
      continue;
    }
    let c = pointCode.get(key);
    if (c === undefined) {
      c = pointCode.size;
      pointCode.set(key, c);
    }
    codes[i] = c;
  }
  const contSorted = Float64Array.from(contRows, (i) => contOf(i, top.continuous)).sort();
  const cuts = quantileBreaks(contSorted, 8, false);
  for (const i of contRows) codes[i] = pointCode.size + binOf(contOf(i, top.continuous), cuts);
  const missingCode = pointCode.size + cuts.length + 1;
  for (let i = 0; i < x.length; i++) if (codes[i] < 0) codes[i] = missingCode;
  return {
    gain,
    heldOut: heldN > 0 ? heldLL / heldN : Number.NEGATIVE_INFINITY,
    ...(copy ? { copy: { parent: copy.parent, name: exprName(nodes[copy.parent].name) } } : {}),
    parent: anchor,
    shift: name,
    continuous: top.continuous,
    slope: top.continuous === 'offset' ? slope : 1,
    codes,
    card: missingCode + 1,
    fit: top.fit,
    describe: `${top.continuous === 'offset' ? `value = ${slope === 1 ? '' : `${slope} × `}${name} + learned offset` : `tied to ${name} by point masses at ${name} + offset`} (rank correlation ${rho.toFixed(2)}; ${pct(same)} equal to it; +${gain.toFixed(2)} nats/row over plain tables)`,
  };
}
