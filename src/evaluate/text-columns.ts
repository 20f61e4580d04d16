/**
 * Free-text columns (role 'text', see columns.ts) judged as text, not as categories (as categories
 * every note is its own level: detection tells them apart at once and the accuracy bins say nothing):
 *  - length: KSComplement of the lengths in characters, and median lengths and mean word counts;
 *  - vocabulary: share of synthetic word occurrences whose word occurs in the real texts, and the
 *    other way round (words = src/ml/text-normalize.ts, shared with `strata text`);
 *  - near-copy of real: share of synthetic texts equal to a real text after normalisation (case,
 *    punctuation, spacing), or sharing at least 70% of their word 3-shingles (Jaccard) with one,
 *    against the same share for a fresh real sample: the holdout's texts, or without a holdout
 *    real texts against the other real texts (leave one out, as the tables' duplicate baseline).
 *    Far above the baseline (near-copy.ts) → a `near_copy_text` warning.
 * Bounded work: at most 20,000 texts per side and 2,000 near-copy queries, seeded samples.
 * Candidate real texts for a query are those sharing one of its 3 rarest shingles, so a near copy
 * whose rare shingles were all rewritten can be missed (the exact-copy check has no such gap).
 */
import { sampleIndices } from '../ml/index.js';
import { normalizeText } from '../ml/text-normalize.js';
import { meanMetric, metricFrom, quantileSorted } from './bootstrap.js';
import { ksComplement, prepareKs } from './column-metrics.js';
import { farAbove, percent } from './near-copy.js';
import { defineSection, notRequested, ok, type SectionContext } from './section.js';
import type { Metric, ReportWarning } from './types.js';

export interface TextColumnReport {
  name: string;
  /** Texts compared per side (non-missing, sampled to at most 20,000). */
  texts_real: number;
  texts_synthetic: number;
  /** KSComplement of the text lengths in characters (1 = same length distribution). */
  length_similarity: Metric;
  median_chars_real: number | null;
  median_chars_synthetic: number | null;
  mean_words_real: number | null;
  mean_words_synthetic: number | null;
  /** Share of synthetic word occurrences whose word also occurs in the real texts. */
  synthetic_words_in_real_vocabulary: Metric;
  /** Share of real word occurrences whose word also occurs in the synthetic texts. */
  real_words_in_synthetic_vocabulary: Metric;
  /** Share of synthetic texts that copy a real text (equal after normalisation, or shingle Jaccard ≥ 0.7). */
  near_copy_share: Metric;
  /** The same share for a fresh real sample: the baseline. */
  near_copy_share_baseline: Metric;
  /** 'holdout': holdout texts vs the real ones; 'other real texts': each real text vs the others. */
  baseline: 'holdout' | 'other real texts';
}

export interface TextSection {
  columns: TextColumnReport[];
}

const MAX_TEXTS = 20_000;
const MAX_QUERIES = 2_000;
const NEAR = 0.7;
const RAREST = 3;
const MAX_CANDIDATES = 500;

interface Prepared {
  text: string[];
  norm: string[];
}

function present(col: readonly (string | null)[]): string[] {
  const out: string[] = [];
  for (const v of col) if (v !== null && v.trim() !== '') out.push(v);
  return out;
}

function sample(texts: string[], n: number, seed: number): string[] {
  if (texts.length <= n) return texts;
  return Array.from(sampleIndices(texts.length, n, seed), (i) => texts[i]);
}

function prepare(texts: string[]): Prepared {
  return { text: texts, norm: texts.map(normalizeText) };
}

function wordsOf(norm: string): string[] {
  return norm === '' ? [] : norm.split(' ');
}

/** 32-bit FNV-1a of a string: shingle ids (collisions only merge shingles, a negligible bias). */
function hash(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193);
  return h >>> 0;
}

/** Sorted distinct word 3-shingle hashes; a text under 3 words is one shingle (itself). */
function shingles(norm: string): Uint32Array {
  const w = wordsOf(norm);
  if (w.length < 3) return Uint32Array.of(hash(norm));
  const out = new Uint32Array(w.length - 2);
  for (let i = 0; i + 2 < w.length; i++) out[i] = hash(`${w[i]} ${w[i + 1]} ${w[i + 2]}`);
  out.sort();
  let k = 0;
  for (let i = 0; i < out.length; i++) if (i === 0 || out[i] !== out[k - 1]) out[k++] = out[i];
  return out.slice(0, k);
}

function jaccard(a: Uint32Array, b: Uint32Array): number {
  let i = 0;
  let j = 0;
  let both = 0;
  while (i < a.length && j < b.length) {
    if (a[i] === b[j]) {
      both++;
      i++;
      j++;
    } else if (a[i] < b[j]) i++;
    else j++;
  }
  return both / (a.length + b.length - both);
}

/** Real texts indexed for "is this a (near) copy of one of them?". */
class CopyIndex {
  private readonly count = new Map<string, number>();
  private readonly sh: Uint32Array[];
  private readonly postings = new Map<number, number[]>();

  constructor(readonly norm: readonly string[]) {
    for (const n of norm) this.count.set(n, (this.count.get(n) ?? 0) + 1);
    this.sh = norm.map(shingles);
    this.sh.forEach((s, id) => {
      for (const h of s) {
        const list = this.postings.get(h);
        if (list) list.push(id);
        else this.postings.set(h, [id]);
      }
    });
  }

  /** Is `norm` a (near) copy of an indexed text other than number `self` (leave-one-out)? */
  isCopy(norm: string, self = -1): boolean {
    if ((this.count.get(norm) ?? 0) > (self >= 0 ? 1 : 0)) return true;
    const q = self >= 0 ? this.sh[self] : shingles(norm);
    const shared = Array.from(q)
      .map((h) => this.postings.get(h))
      .filter((p): p is number[] => p !== undefined)
      .sort((a, b) => a.length - b.length)
      .slice(0, RAREST);
    const seen = new Set<number>([self]);
    for (const list of shared) {
      for (const id of list) {
        if (seen.has(id)) continue;
        if (seen.size > MAX_CANDIDATES) return false;
        seen.add(id);
        if (jaccard(q, this.sh[id]) >= NEAR) return true;
      }
    }
    return false;
  }
}

/** Share of word occurrences in `a` whose word occurs in `b`. */
function vocabularyShare(a: readonly string[], b: readonly string[]): Metric {
  const vocab = new Set<string>();
  for (const n of b) for (const w of wordsOf(n)) vocab.add(w);
  let total = 0;
  let inside = 0;
  for (const n of a)
    for (const w of wordsOf(n)) {
      total++;
      if (vocab.has(w)) inside++;
    }
  return total ? { value: inside / total } : { value: null, reason: 'no words' };
}

function median(v: Float64Array): number | null {
  return v.length ? quantileSorted(Float64Array.from(v).sort(), 0.5) : null;
}

function meanWords(norm: readonly string[]): number | null {
  if (norm.length === 0) return null;
  let s = 0;
  for (const n of norm) s += wordsOf(n).length;
  return s / norm.length;
}

/** 1 per (sampled) query text that copies an indexed text; `self`: queries are the indexed texts. */
function copyShares(index: CopyIndex, queries: readonly string[] | 'self', seed: number): Float64Array {
  const n = queries === 'self' ? index.norm.length : queries.length;
  const pick =
    n > MAX_QUERIES ? sampleIndices(n, MAX_QUERIES, seed) : Int32Array.from({ length: n }, (_, i) => i);
  return Float64Array.from(pick, (i) =>
    (queries === 'self' ? index.isCopy(index.norm[i], i) : index.isCopy(queries[i])) ? 1 : 0,
  );
}

export function judgeTextColumn(
  name: string,
  real: readonly (string | null)[],
  synthetic: readonly (string | null)[],
  holdout: readonly (string | null)[] | undefined,
  opts: { seed: number; reps: number; level: number },
): TextColumnReport {
  const { seed, reps, level } = opts;
  const r = prepare(sample(present(real), MAX_TEXTS, seed ^ 0x7e1));
  const s = prepare(sample(present(synthetic), MAX_TEXTS, seed ^ 0x7e2));
  const lenR = Float64Array.from(r.text, (t) => t.length);
  const lenS = Float64Array.from(s.text, (t) => t.length);
  const none = 'no texts on one side';
  const hold = holdout ? present(holdout) : [];
  const index = new CopyIndex(r.norm);
  const copies = copyShares(index, s.norm, seed ^ 0x7e4);
  const baseCopies = copyShares(index, hold.length > 0 ? hold.map(normalizeText) : 'self', seed ^ 0x7e5);
  const baseline: TextColumnReport['baseline'] = hold.length > 0 ? 'holdout' : 'other real texts';
  return {
    name,
    texts_real: r.text.length,
    texts_synthetic: s.text.length,
    length_similarity: metricFrom(
      lenR.length && lenS.length ? ksComplement(prepareKs(lenR, lenS)) : Number.NaN,
      undefined,
      none,
    ),
    median_chars_real: median(lenR),
    median_chars_synthetic: median(lenS),
    mean_words_real: meanWords(r.norm),
    mean_words_synthetic: meanWords(s.norm),
    synthetic_words_in_real_vocabulary: vocabularyShare(s.norm, r.norm),
    real_words_in_synthetic_vocabulary: vocabularyShare(r.norm, s.norm),
    near_copy_share: meanMetric(copies, seed, `text-copy:${name}`, reps, level, 'no synthetic texts'),
    near_copy_share_baseline: meanMetric(
      baseCopies,
      seed,
      `text-copy-baseline:${name}`,
      reps,
      level,
      'too few real texts for a baseline',
    ),
    baseline,
  };
}

function nearCopyTextWarning(c: TextColumnReport): ReportWarning[] {
  if (!farAbove(c.near_copy_share, c.near_copy_share_baseline)) return [];
  return [
    {
      code: 'near_copy_text',
      section: 'text',
      message: `free-text column "${c.name}": ${percent(c.near_copy_share.value)} of synthetic texts copy a real text (equal, or sharing 70% of their word 3-grams), against ${percent(c.near_copy_share_baseline.value)} of ${c.baseline === 'holdout' ? 'holdout texts' : 'real texts copying another real text'}.`,
    },
  ];
}

export const textSection = defineSection({
  name: 'text',
  order: 20,
  title: 'free text: lengths, vocabulary, copies of real texts',
  empty: null as TextSection | null,
  summary: {},
  run(ctx: SectionContext) {
    const names = ctx.columns.filter((c) => c.role === 'text').map((c) => c.name);
    if (names.length === 0) return notRequested('no free-text columns');
    const col = (t: { columns: string[]; data: (string | null)[][] } | undefined, name: string) =>
      t ? t.data[t.columns.indexOf(name)] : undefined;
    const columns = names.map((name) =>
      judgeTextColumn(
        name,
        col(ctx.raw.real, name) ?? [],
        col(ctx.raw.synthetic, name) ?? [],
        col(ctx.raw.holdout, name),
        ctx.opts,
      ),
    );
    return ok({ columns }, { warnings: columns.flatMap(nearCopyTextWarning) });
  },
  output: (t) => t,
});
