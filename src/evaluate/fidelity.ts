/**
 * Fidelity section: per-column shapes (KSComplement / TVComplement), coverage and missing rates,
 * pair trends (CorrelationSimilarity / ContingencySimilarity), and Mostly-AI style 1 − TVD accuracy
 * (univariate, bivariate, optionally trivariate on sampled triples) with the holdout as the ceiling.
 *
 * Confidence intervals: one row bootstrap (multinomial counts over real, synthetic and holdout rows)
 * drives every per-column and per-pair figure and the aggregates, so an aggregate's interval is the
 * spread of the mean over the same replicates. Pairs use fewer replicates when the table is large
 * (budget below) — the count used is reported in the section.
 */
import type { TypedColumn, TypedTable } from '../ml/index.js';
import { shuffleInPlace } from '../random/shuffle.js';
import { streamFor } from '../random/stream.js';
import { accuracyBinner, contingencyBinner } from './binning.js';
import { finiteMean, metricFrom, multinomialCounts } from './bootstrap.js';
import {
  categoryCoverage,
  correlationSimilarity,
  jointTvComplement,
  type KsPrep,
  ksComplement,
  missingRate,
  pearson,
  prepareKs,
  rangeCoverage,
  tvComplement,
} from './column-metrics.js';
import { defineSection, ok, type SectionContext } from './section.js';
import type { ColumnReport, FidelitySection, Metric, PairReport, Skipped } from './types.js';

export interface FidelityOptions {
  seed: number;
  reps: number;
  level: number;
  trivariate?: boolean;
  /** Upper bound on row-visits spent bootstrapping pairs (default 4e8). */
  pairBudget?: number;
}

interface ColPrep {
  col: TypedColumn;
  acc: { nBins: number; labels: string[]; real: Int32Array; syn: Int32Array; hold?: Int32Array };
  cont: { nBins: number; real: Int32Array; syn: Int32Array };
  ks?: KsPrep;
}

/** TVComplement over categories, ignoring missing values (the last bin). */
function tvIgnoringMissing(
  a: Int32Array,
  b: Int32Array,
  nBins: number,
  wa?: Int32Array,
  wb?: Int32Array,
): number {
  const fa = new Float64Array(nBins);
  const fb = new Float64Array(nBins);
  for (let i = 0; i < a.length; i++) fa[a[i]] += wa ? wa[i] : 1;
  for (let i = 0; i < b.length; i++) fb[b[i]] += wb ? wb[i] : 1;
  let ta = 0;
  let tb = 0;
  for (let k = 0; k < nBins - 1; k++) {
    ta += fa[k];
    tb += fb[k];
  }
  if (ta === 0 || tb === 0) return Number.NaN;
  let s = 0;
  for (let k = 0; k < nBins - 1; k++) s += Math.abs(fa[k] / ta - fb[k] / tb);
  return 1 - s / 2;
}

function shapeOf(p: ColPrep, wR?: Int32Array, wS?: Int32Array): number {
  if (p.ks) return ksComplement(p.ks, wR, wS);
  return tvIgnoringMissing(p.cont.real, p.cont.syn, p.cont.nBins, wR, wS);
}

function weightedFreq(codes: Int32Array, nBins: number): number[] {
  const f = new Array<number>(nBins).fill(0);
  for (const c of codes) f[c]++;
  return f.map((x) => (codes.length ? x / codes.length : 0));
}

export function computeFidelity(
  real: TypedTable,
  syn: TypedTable,
  holdout: TypedTable | undefined,
  opts: FidelityOptions,
): { section: FidelitySection; skipped: Skipped[]; pairReps: number } {
  const skipped: Skipped[] = [];
  const nc = real.columns.length;
  const preps: ColPrep[] = real.columns.map((col, c) => {
    const ab = accuracyBinner(col);
    const cb = contingencyBinner(col);
    const s = syn.columns[c];
    const h = holdout?.columns[c];
    return {
      col,
      acc: {
        nBins: ab.nBins,
        labels: ab.labels,
        real: ab.apply(col),
        syn: ab.apply(s),
        hold: h ? ab.apply(h) : undefined,
      },
      cont: { nBins: cb.nBins, real: cb.apply(col), syn: cb.apply(s) },
      ks: col.kind === 'numeric' && s.kind === 'numeric' ? prepareKs(col.values, s.values) : undefined,
    };
  });

  const pairs: [number, number][] = [];
  for (let i = 0; i < nc; i++) for (let j = i + 1; j < nc; j++) pairs.push([i, j]);
  const numericPair = (i: number, j: number) =>
    real.columns[i].kind === 'numeric' && real.columns[j].kind === 'numeric';
  const corrReal = pairs.map(([i, j]) =>
    numericPair(i, j) ? pearson(colValues(real.columns[i]), colValues(real.columns[j])) : Number.NaN,
  );

  let maxCells = 1;
  for (const [i, j] of pairs) {
    maxCells = Math.max(
      maxCells,
      preps[i].acc.nBins * preps[j].acc.nBins,
      preps[i].cont.nBins * preps[j].cont.nBins,
    );
  }
  const f1 = new Float64Array(maxCells);
  const f2 = new Float64Array(maxCells);

  const colStat = (p: ColPrep, wR?: Int32Array, wS?: Int32Array, wH?: Int32Array) => ({
    shape: shapeOf(p, wR, wS),
    acc: tvComplement(p.acc.real, p.acc.syn, p.acc.nBins, wR, wS),
    accH: p.acc.hold ? tvComplement(p.acc.real, p.acc.hold, p.acc.nBins, wR, wH) : Number.NaN,
  });
  const pairStat = (k: number, wR?: Int32Array, wS?: Int32Array, wH?: Int32Array) => {
    const [i, j] = pairs[k];
    const a = preps[i];
    const b = preps[j];
    let sim: number;
    let rS = Number.NaN;
    if (numericPair(i, j)) {
      const rR = wR ? pearson(colValues(real.columns[i]), colValues(real.columns[j]), wR) : corrReal[k];
      rS = pearson(colValues(syn.columns[i]), colValues(syn.columns[j]), wS);
      sim = correlationSimilarity(rR, rS);
    } else {
      const nb = b.cont.nBins;
      sim = jointTvComplement(
        a.cont.real,
        b.cont.real,
        a.cont.syn,
        b.cont.syn,
        nb,
        a.cont.nBins * nb,
        wR,
        wS,
        f1,
        f2,
      );
    }
    const nb = b.acc.nBins;
    const cells = a.acc.nBins * nb;
    const acc = jointTvComplement(a.acc.real, b.acc.real, a.acc.syn, b.acc.syn, nb, cells, wR, wS, f1, f2);
    const accH =
      a.acc.hold && b.acc.hold
        ? jointTvComplement(a.acc.real, b.acc.real, a.acc.hold, b.acc.hold, nb, cells, wR, wH, f1, f2)
        : Number.NaN;
    return { sim, rS, acc, accH };
  };

  // point estimates
  const colEst = preps.map((p) => colStat(p));
  const pairEst = pairs.map((_, k) => pairStat(k));

  // bootstrap
  const reps = opts.reps;
  const nR = real.rowCount;
  const nS = syn.rowCount;
  const nH = holdout?.rowCount ?? 0;
  const rowsPerRep = nR + nS + nH;
  const budget = opts.pairBudget ?? 4e8;
  const pairReps = pairs.length
    ? Math.min(reps, Math.max(20, Math.floor(budget / Math.max(1, pairs.length * 2 * rowsPerRep))))
    : 0;
  const colReps = preps.map(() => ({
    shape: new Float64Array(reps),
    acc: new Float64Array(reps),
    accH: new Float64Array(reps),
  }));
  const pairRepsArr = pairs.map(() => ({
    sim: new Float64Array(pairReps),
    acc: new Float64Array(pairReps),
    accH: new Float64Array(pairReps),
  }));
  const stream = streamFor(opts.seed, 'evaluate', 'fidelity', 'bootstrap');
  const wR = new Int32Array(nR);
  const wS = new Int32Array(nS);
  const wH = new Int32Array(nH);
  for (let r = 0; r < reps; r++) {
    multinomialCounts(nR, stream, wR);
    multinomialCounts(nS, stream, wS);
    if (nH) multinomialCounts(nH, stream, wH);
    for (let c = 0; c < nc; c++) {
      const s = colStat(preps[c], wR, wS, nH ? wH : undefined);
      colReps[c].shape[r] = s.shape;
      colReps[c].acc[r] = s.acc;
      colReps[c].accH[r] = s.accH;
    }
    if (r < pairReps) {
      for (let k = 0; k < pairs.length; k++) {
        const s = pairStat(k, wR, wS, nH ? wH : undefined);
        pairRepsArr[k].sim[r] = s.sim;
        pairRepsArr[k].acc[r] = s.acc;
        pairRepsArr[k].accH[r] = s.accH;
      }
    }
  }
  const lvl = opts.level;
  const noHold = 'needs --holdout';

  const columns: ColumnReport[] = preps.map((p, c) => {
    const s = syn.columns[c];
    const constantReason =
      p.col.kind === 'numeric'
        ? 'no non-missing values in one of the tables'
        : 'no non-missing categories in one of the tables';
    const coverage =
      p.col.kind === 'numeric' && s.kind === 'numeric'
        ? rangeCoverage(p.col.values, s.values)
        : p.col.kind === 'categorical' && s.kind === 'categorical'
          ? categoryCoverage(p.col.codes, s.codes, p.col.levels.length)
          : Number.NaN;
    const rep: ColumnReport = {
      name: p.col.name,
      kind: p.col.kind,
      ...(p.col.kind === 'numeric' && p.col.temporal ? { temporal: p.col.temporal } : {}),
      shape: {
        metric: p.col.kind === 'numeric' ? 'KSComplement' : 'TVComplement',
        ...metricFrom(colEst[c].shape, colReps[c].shape, constantReason, lvl),
      },
      accuracy: metricFrom(colEst[c].acc, colReps[c].acc, 'empty table', lvl),
      missing_rate_real: missingRate(p.col),
      missing_rate_synthetic: missingRate(s),
      coverage: metricFrom(
        coverage,
        undefined,
        p.col.kind === 'numeric' ? 'constant or empty real column: no range to cover' : 'no real categories',
      ),
      bins: {
        labels: p.acc.labels,
        real: weightedFreq(p.acc.real, p.acc.nBins),
        synthetic: weightedFreq(p.acc.syn, p.acc.nBins),
      },
    };
    if (holdout) rep.accuracy_holdout = metricFrom(colEst[c].accH, colReps[c].accH, 'empty holdout', lvl);
    if (rep.shape.value === null)
      skipped.push({ metric: `fidelity.columns.${p.col.name}.shape`, reason: constantReason });
    return rep;
  });

  const pairReports: PairReport[] = pairs.map(([i, j], k) => {
    const num = numericPair(i, j);
    const reason = num
      ? 'correlation undefined: a column is constant or has fewer than 2 paired values'
      : 'empty table';
    const rep: PairReport = {
      a: real.columns[i].name,
      b: real.columns[j].name,
      similarity: {
        metric: num ? 'CorrelationSimilarity' : 'ContingencySimilarity',
        ...metricFrom(pairEst[k].sim, pairRepsArr[k].sim, reason, lvl),
      },
      accuracy: metricFrom(pairEst[k].acc, pairRepsArr[k].acc, 'empty table', lvl),
    };
    if (num) {
      rep.correlation_real = Number.isFinite(corrReal[k]) ? corrReal[k] : null;
      rep.correlation_synthetic = Number.isFinite(pairEst[k].rS) ? pairEst[k].rS : null;
    }
    if (holdout)
      rep.accuracy_holdout = metricFrom(pairEst[k].accH, pairRepsArr[k].accH, 'empty holdout', lvl);
    if (rep.similarity.value === null)
      skipped.push({ metric: `fidelity.pairs.${rep.a}~${rep.b}.similarity`, reason });
    return rep;
  });

  const meanOverReps = (get: (r: number) => number[], n: number) => {
    const out = new Float64Array(n);
    for (let r = 0; r < n; r++) out[r] = finiteMean(get(r));
    return out;
  };
  const agg = (est: number[], repsOf: (r: number) => number[], n: number, reason: string): Metric =>
    metricFrom(finiteMean(est), meanOverReps(repsOf, n), reason, lvl);

  const section: FidelitySection = {
    columns,
    pairs: pairReports,
    accuracy_univariate: agg(
      colEst.map((e) => e.acc),
      (r) => colReps.map((c) => c.acc[r]),
      reps,
      'no columns',
    ),
    accuracy_bivariate: agg(
      pairEst.map((e) => e.acc),
      (r) => pairRepsArr.map((p) => p.acc[r]),
      pairReps,
      'fewer than 2 columns',
    ),
    accuracy_univariate_holdout: holdout
      ? agg(
          colEst.map((e) => e.accH),
          (r) => colReps.map((c) => c.accH[r]),
          reps,
          'no columns',
        )
      : { value: null, reason: noHold },
    accuracy_bivariate_holdout: holdout
      ? agg(
          pairEst.map((e) => e.accH),
          (r) => pairRepsArr.map((p) => p.accH[r]),
          pairReps,
          'fewer than 2 columns',
        )
      : { value: null, reason: noHold },
    column_shapes: agg(
      colEst.map((e) => e.shape),
      (r) => colReps.map((c) => c.shape[r]),
      reps,
      'no computable column shapes',
    ),
    column_pair_trends: agg(
      pairEst.map((e) => e.sim),
      (r) => pairRepsArr.map((p) => p.sim[r]),
      pairReps,
      'fewer than 2 columns',
    ),
  };
  if (!holdout) {
    skipped.push({ metric: 'accuracy_univariate_holdout', reason: noHold });
    skipped.push({ metric: 'accuracy_bivariate_holdout', reason: noHold });
  }
  if (pairs.length === 0) skipped.push({ metric: 'accuracy_bivariate', reason: 'fewer than 2 columns' });
  if (opts.trivariate) {
    const tri = trivariate(preps, opts.seed, holdout !== undefined);
    section.accuracy_trivariate = tri.syn;
    if (holdout) section.accuracy_trivariate_holdout = tri.hold;
  }
  return { section, skipped, pairReps };
}

function colValues(c: TypedColumn): Float64Array {
  if (c.kind !== 'numeric') throw new Error(`column "${c.name}" is not numeric`);
  return c.values;
}

/** Trivariate accuracy over up to 100 seeded column triples; CI by bootstrapping over the triples. */
function trivariate(preps: ColPrep[], seed: number, withHoldout: boolean): { syn: Metric; hold: Metric } {
  const nc = preps.length;
  const all: [number, number, number][] = [];
  for (let i = 0; i < nc; i++)
    for (let j = i + 1; j < nc; j++) for (let k = j + 1; k < nc; k++) all.push([i, j, k]);
  if (all.length === 0) {
    return {
      syn: { value: null, reason: 'fewer than 3 columns' },
      hold: { value: null, reason: 'fewer than 3 columns' },
    };
  }
  shuffleInPlace(all, streamFor(seed, 'evaluate', 'trivariate'));
  const triples = all.slice(0, 100);
  const accS: number[] = [];
  const accH: number[] = [];
  for (const [i, j, k] of triples) {
    const a = preps[i].acc;
    const b = preps[j].acc;
    const c = preps[k].acc;
    const ncells = a.nBins * b.nBins * c.nBins;
    const code = (x: Int32Array, y: Int32Array, z: Int32Array) => {
      const out = new Int32Array(x.length);
      for (let r = 0; r < x.length; r++) out[r] = (x[r] * b.nBins + y[r]) * c.nBins + z[r];
      return out;
    };
    const cr = code(a.real, b.real, c.real);
    accS.push(tvComplement(cr, code(a.syn, b.syn, c.syn), ncells));
    if (withHoldout && a.hold && b.hold && c.hold)
      accH.push(tvComplement(cr, code(a.hold, b.hold, c.hold), ncells));
  }
  const boot = (v: number[]): Metric => {
    const st = streamFor(seed, 'evaluate', 'trivariate', 'bootstrap');
    const reps = new Float64Array(200);
    for (let r = 0; r < 200; r++) {
      let sum = 0;
      for (let t = 0; t < v.length; t++) sum += v[st.nextInt(v.length)];
      reps[r] = sum / v.length;
    }
    return metricFrom(finiteMean(v), reps, 'no triples');
  };
  return { syn: boot(accS), hold: withHoldout ? boot(accH) : { value: null, reason: 'needs --holdout' } };
}

export const fidelitySection = defineSection({
  name: 'fidelity',
  order: 10,
  title: 'fidelity: columns and pairs',
  empty: null as FidelitySection | null,
  summary: {
    accuracy_univariate: {
      label: 'Univariate accuracy (mean 1 − TVD per column; 1 = same)',
      read: (f) => f.accuracy_univariate,
    },
    accuracy_bivariate: {
      label: 'Bivariate accuracy (mean 1 − TVD per column pair; 1 = same)',
      read: (f) => f.accuracy_bivariate,
    },
    accuracy_univariate_holdout: {
      label: 'Univariate accuracy of the holdout (the ceiling)',
      read: (f) => f.accuracy_univariate_holdout,
    },
    accuracy_bivariate_holdout: {
      label: 'Bivariate accuracy of the holdout (the ceiling)',
      read: (f) => f.accuracy_bivariate_holdout,
    },
  },
  run(ctx: SectionContext) {
    const f = computeFidelity(ctx.real, ctx.synthetic, ctx.holdout, {
      ...ctx.opts,
      trivariate: ctx.trivariate,
    });
    return ok(f.section, { skipped: f.skipped });
  },
  output: (f) => f,
});
