/**
 * Column and column-pair similarity statistics, written as weighted statistics so a bootstrap
 * replicate (multinomial row counts) is evaluated in O(n) without copying or re-sorting.
 * `w === undefined` means every row has weight 1.
 *
 * Definitions (SDMetrics):
 *  - KSComplement = 1 − D, D the two-sample Kolmogorov–Smirnov statistic over non-missing values.
 *  - TVComplement = 1 − TVD of category frequencies, TVD = ½ Σ |p_real − p_syn|.
 *  - CorrelationSimilarity = 1 − |ρ_real − ρ_syn| / 2, Pearson ρ over rows where both values are present.
 *  - ContingencySimilarity = 1 − TVD of the normalised 2-D contingency tables.
 * Hand-written because no npm package computes these, and they must run on typed arrays.
 */

/** Sorted merge of two numeric samples, prepared once per column for repeated weighted KS. */
export interface KsPrep {
  /** Merged non-missing values in ascending order. */
  values: Float64Array;
  /** 0 = real, 1 = synthetic. */
  side: Uint8Array;
  /** Row index within its side. */
  row: Int32Array;
}

export function prepareKs(real: Float64Array, syn: Float64Array): KsPrep {
  const idx: number[] = [];
  for (let i = 0; i < real.length; i++) if (!Number.isNaN(real[i])) idx.push(i);
  for (let i = 0; i < syn.length; i++) if (!Number.isNaN(syn[i])) idx.push(-(i + 1));
  const val = (k: number) => (k >= 0 ? real[k] : syn[-k - 1]);
  idx.sort((a, b) => val(a) - val(b));
  const n = idx.length;
  const values = new Float64Array(n);
  const side = new Uint8Array(n);
  const row = new Int32Array(n);
  for (let j = 0; j < n; j++) {
    const k = idx[j];
    values[j] = val(k);
    side[j] = k >= 0 ? 0 : 1;
    row[j] = k >= 0 ? k : -k - 1;
  }
  return { values, side, row };
}

/** 1 − KS statistic (NaN when a side has no non-missing weight). */
export function ksComplement(p: KsPrep, wReal?: Int32Array, wSyn?: Int32Array): number {
  const { values, side, row } = p;
  const n = values.length;
  let totR = 0;
  let totS = 0;
  for (let j = 0; j < n; j++) {
    const w = side[j] === 0 ? (wReal ? wReal[row[j]] : 1) : wSyn ? wSyn[row[j]] : 1;
    if (side[j] === 0) totR += w;
    else totS += w;
  }
  if (totR === 0 || totS === 0) return Number.NaN;
  let cR = 0;
  let cS = 0;
  let d = 0;
  let j = 0;
  while (j < n) {
    const v = values[j];
    // consume all equal values before comparing the CDFs (ties)
    while (j < n && values[j] === v) {
      if (side[j] === 0) cR += wReal ? wReal[row[j]] : 1;
      else cS += wSyn ? wSyn[row[j]] : 1;
      j++;
    }
    const diff = Math.abs(cR / totR - cS / totS);
    if (diff > d) d = diff;
  }
  return 1 - d;
}

/** Weighted bin frequencies (normalised); returns the total weight. */
export function frequencies(
  codes: Int32Array,
  nBins: number,
  w: Int32Array | undefined,
  out: Float64Array,
): number {
  out.fill(0);
  let tot = 0;
  if (w) {
    for (let i = 0; i < codes.length; i++) {
      out[codes[i]] += w[i];
      tot += w[i];
    }
  } else {
    for (let i = 0; i < codes.length; i++) out[codes[i]]++;
    tot = codes.length;
  }
  if (tot > 0) for (let b = 0; b < nBins; b++) out[b] /= tot;
  return tot;
}

/** 1 − TVD between two binned samples (NaN when a side is empty). */
export function tvComplement(
  a: Int32Array,
  b: Int32Array,
  nBins: number,
  wa?: Int32Array,
  wb?: Int32Array,
  scratch?: [Float64Array, Float64Array],
): number {
  const fa = scratch ? scratch[0] : new Float64Array(nBins);
  const fb = scratch ? scratch[1] : new Float64Array(nBins);
  const ta = frequencies(a, nBins, wa, fa);
  const tb = frequencies(b, nBins, wb, fb);
  if (ta === 0 || tb === 0) return Number.NaN;
  let s = 0;
  for (let k = 0; k < nBins; k++) s += Math.abs(fa[k] - fb[k]);
  return 1 - s / 2;
}

/**
 * 1 − TVD of two joint (a, b) binned samples, weighted (cell = a * nb + b; `f1`, `f2` scratch of at
 * least `nCells`). The bivariate accuracy of the fidelity section and the parent–child pairs of the
 * relational section.
 */
export function jointTvComplement(
  a1: Int32Array,
  b1: Int32Array,
  a2: Int32Array,
  b2: Int32Array,
  nb: number,
  nCells: number,
  w1: Int32Array | undefined,
  w2: Int32Array | undefined,
  f1: Float64Array,
  f2: Float64Array,
): number {
  f1.fill(0, 0, nCells);
  f2.fill(0, 0, nCells);
  let t1 = 0;
  let t2 = 0;
  for (let i = 0; i < a1.length; i++) {
    const w = w1 ? w1[i] : 1;
    f1[a1[i] * nb + b1[i]] += w;
    t1 += w;
  }
  for (let i = 0; i < a2.length; i++) {
    const w = w2 ? w2[i] : 1;
    f2[a2[i] * nb + b2[i]] += w;
    t2 += w;
  }
  if (t1 === 0 || t2 === 0) return Number.NaN;
  let s = 0;
  for (let k = 0; k < nCells; k++) s += Math.abs(f1[k] / t1 - f2[k] / t2);
  return 1 - s / 2;
}

/**
 * How far two binned columns are from independent: TVD between their joint distribution and the
 * product of their marginals (0 = independent; NaN without rows). Comparing it between real and
 * synthetic judges a pair's dependence apart from each column's own distribution.
 */
export function dependenceTvd(a: Int32Array, b: Int32Array, na: number, nb: number): number {
  const n = a.length;
  if (n === 0) return Number.NaN;
  const joint = new Float64Array(na * nb);
  const pa = new Float64Array(na);
  const pb = new Float64Array(nb);
  for (let i = 0; i < n; i++) {
    joint[a[i] * nb + b[i]]++;
    pa[a[i]]++;
    pb[b[i]]++;
  }
  let s = 0;
  for (let x = 0; x < na; x++)
    for (let y = 0; y < nb; y++) s += Math.abs(joint[x * nb + y] / n - (pa[x] / n) * (pb[y] / n));
  return s / 2;
}

/** Codes of the joint (a, b) cell: a * nb + b. */
export function jointCodes(a: Int32Array, b: Int32Array, nb: number): Int32Array {
  const out = new Int32Array(a.length);
  for (let i = 0; i < a.length; i++) out[i] = a[i] * nb + b[i];
  return out;
}

/** Weighted Pearson correlation over rows where both values are present (NaN if undefined). */
export function pearson(x: Float64Array, y: Float64Array, w?: Int32Array): number {
  let sw = 0;
  let sx = 0;
  let sy = 0;
  for (let i = 0; i < x.length; i++) {
    const a = x[i];
    const b = y[i];
    if (Number.isNaN(a) || Number.isNaN(b)) continue;
    const wi = w ? w[i] : 1;
    sw += wi;
    sx += wi * a;
    sy += wi * b;
  }
  if (sw < 2) return Number.NaN;
  const mx = sx / sw;
  const my = sy / sw;
  let sxx = 0;
  let syy = 0;
  let sxy = 0;
  for (let i = 0; i < x.length; i++) {
    const a = x[i];
    const b = y[i];
    if (Number.isNaN(a) || Number.isNaN(b)) continue;
    const wi = w ? w[i] : 1;
    const da = a - mx;
    const db = b - my;
    sxx += wi * da * da;
    syy += wi * db * db;
    sxy += wi * da * db;
  }
  if (sxx <= 0 || syy <= 0) return Number.NaN;
  return Math.max(-1, Math.min(1, sxy / Math.sqrt(sxx * syy)));
}

export function correlationSimilarity(rReal: number, rSyn: number): number {
  return 1 - Math.abs(rReal - rSyn) / 2;
}

/** SDMetrics RangeCoverage: how much of the real [min, max] the synthetic values span. */
export function rangeCoverage(real: Float64Array, syn: Float64Array): number {
  let rMin = Infinity;
  let rMax = -Infinity;
  let sMin = Infinity;
  let sMax = -Infinity;
  for (const v of real) {
    if (Number.isNaN(v)) continue;
    rMin = Math.min(rMin, v);
    rMax = Math.max(rMax, v);
  }
  for (const v of syn) {
    if (Number.isNaN(v)) continue;
    sMin = Math.min(sMin, v);
    sMax = Math.max(sMax, v);
  }
  if (!(rMax > rMin) || !Number.isFinite(sMin)) return Number.NaN;
  const score = 1 - (Math.max((sMin - rMin) / (rMax - rMin), 0) + Math.max((rMax - sMax) / (rMax - rMin), 0));
  return Math.max(0, score);
}

/** SDMetrics CategoryCoverage: share of the real categories that appear in the synthetic data. */
export function categoryCoverage(real: Int32Array, syn: Int32Array, nLevels: number): number {
  const inReal = new Uint8Array(nLevels);
  const inSyn = new Uint8Array(nLevels);
  for (const c of real) if (c >= 0) inReal[c] = 1;
  for (const c of syn) if (c >= 0) inSyn[c] = 1;
  let r = 0;
  let both = 0;
  for (let k = 0; k < nLevels; k++) {
    r += inReal[k];
    both += inReal[k] & inSyn[k];
  }
  return r ? both / r : Number.NaN;
}

export function missingRate(
  col: { kind: 'numeric'; values: Float64Array } | { kind: 'categorical'; codes: Int32Array },
): number {
  let m = 0;
  if (col.kind === 'numeric') {
    for (const v of col.values) if (Number.isNaN(v)) m++;
    return col.values.length ? m / col.values.length : Number.NaN;
  }
  for (const c of col.codes) if (c < 0) m++;
  return col.codes.length ? m / col.codes.length : Number.NaN;
}
