/**
 * `text augment`: fill every label up to `perLabel` rows from its own real examples, offline.
 * Per label that is short: generate candidates (ops.ts recipe, several per missing row, and
 * optionally an LLM provider's), keep those the cell verifier still assigns to the label, pass them
 * through the dedup funnel (exact and MinHash, against all real texts and within the label), then
 * select for coverage (select.ts) under the embedding near-duplicate floor. When a label runs short
 * more candidate rounds are made; a label that still cannot be filled is reported, never silently
 * left short.
 */
import { createHash } from 'node:crypto';
import { StrataError } from '../../errors.js';
import { parseSeed } from '../../random/seed.js';
import { streamFor } from '../../random/stream.js';
import { createDedupFunnel } from '../dedup/funnel.js';
import { cosine, embedText, type SparseVec } from '../embed.js';
import type { TextProvider, Usage } from '../providers/types.js';
import { addUsage, emptyUsage } from '../providers/types.js';
import type { OperatorStep } from '../types.js';
import {
  attestedVocabulary,
  type Candidate,
  cellContext,
  corpusStats,
  keepsSalient,
  makeCandidate,
} from './candidates.js';
import { corpusProfile, pairIds, pairProfile } from './corpus.js';
import { AugmentRecipe, type AugmentRecipeInput } from './ops.js';
import { type GainPoint, SELECT_EMBED, type Selection, selectForCoverage, selectRandom } from './select.js';
import { centroidVerifier } from './verifier.js';
import { type LexicalDatabase, WordNet } from './wordnet.js';

export interface AugmentRow {
  id: string;
  text: string;
  label: string;
}

export interface LlmCandidates {
  provider: TextProvider;
  /** Real examples quoted in each prompt (default 5). */
  examples?: number;
  /** Texts asked for per request (default 10). */
  perRequest?: number;
  /** Requests per label = ceil(missing rows × share / perRequest) (default 1: about one LLM text per missing row). */
  share?: number;
  temperature?: number;
}

export interface AugmentOptions {
  perLabel: number;
  seed?: number;
  recipe?: AugmentRecipeInput;
  /** Candidates made per missing row and round (default 8). */
  oversample?: number;
  /** Extra candidate rounds for labels still short (default 3). */
  maxRounds?: number;
  /** Keep only candidates the cell verifier assigns to their label (default true). */
  verify?: boolean;
  /** With `verify`, also refuse candidates that kept none of the label's salient words (default true). */
  salience?: boolean;
  /** 'coverage' (default) or 'random' (the ablation). */
  selection?: 'coverage' | 'random';
  /** MinHash Jaccard threshold of the dedup funnel (default 0.8). */
  minhashThreshold?: number;
  /** Cosine floor of the selection (default 0.95). */
  maxSimilarity?: number;
  /** Weight of the distance term of the selection (default 0.5). */
  lambda?: number;
  /** Weight of the selection's new-word-pair term (default 0.5; 0 turns it off). */
  mu?: number;
  /** Weight of the selection's penalty on word pairs no real text has (default NU_DEFAULT). */
  nu?: number;
  /** Only these labels (default: all). */
  labels?: readonly string[];
  lexicon?: LexicalDatabase;
  /**
   * Substitutes, inserted words and register markers must be words that occur in at least this
   * many real texts (any label) — default 2; 0 turns the filter off.
   */
  attestedMinDocs?: number;
  /**
   * Refuse an operator step that makes a word pair no real text (any label) has, and check the
   * frame operator's joins (default false). Measured on Banking77 (seed 7, same run): on, the
   * synthetic distinct-2 fell to 0.213 (main 0.221, real 0.354) and balanced NB rare recall
   * changed +0.037; off, distinct-2 0.415 and balanced NB −0.033 (main −0.090), LR better either way.
   */
  attestedPairs?: boolean;
  llm?: LlmCandidates;
}

export interface AugmentProvenance {
  provider: string;
  model: string;
  seed_stream: string;
  prompt_hash: string;
  operators: OperatorStep[];
  /** Real example ids the text was made from (first: the one it started from). */
  sources: string[];
  /** 1 − cosine to the nearest real example of the label. */
  novelty: number;
  verifier: { name: string; score: number } | null;
  /** Order in which selection picked it (1 = first). */
  selection_rank: number;
}

export interface AugmentRecord {
  id: string;
  text: string;
  label: string;
  provenance: AugmentProvenance;
}

export interface LabelReport {
  label: string;
  real: number;
  missing: number;
  rounds: number;
  candidates: number;
  llm_candidates: number;
  verifier_rejected: number;
  /** Candidates refused because none of the cell's salient words was left. */
  salience_rejected: number;
  salient: string[];
  dedup_rejected: { exact: number; minhash: number };
  too_similar: number;
  selected: number;
  shortfall: number;
  /** Why the label is short (null when it was filled): where its candidates were lost. */
  short_reason: string | null;
  curve: GainPoint[];
}

export interface AugmentResult {
  records: AugmentRecord[];
  labels: LabelReport[];
  /** Per operator: candidates that used it, how many survived verification, and mean novelty. */
  operators: {
    op: string;
    used: number;
    /** Steps undone because they made a word pair no real text has. */
    unattested: number;
    verified: number;
    selected: number;
    mean_novelty: number;
  }[];
  usage: Usage;
  timings_ms: { candidates: number; verify: number; dedup: number; select: number; total: number };
}

interface Pending {
  cand: Candidate;
  provider: string;
  model: string;
  prompt_hash: string;
  score: number | null;
}

/**
 * Default weight of the selection's penalty on word pairs no real text has (AugmentOptions.nu).
 * Measured (bench/text-augment-diagnose.ts --prove, seed 7, 200 reps; docs/text.md "Text II"):
 * Banking77 / HWU64, balanced NB rare-recall change −0.033 / −0.107 at 0 → +0.000 / +0.020 at 1
 * (with recipe.frame 0.8), balanced LR +0.082 → +0.138 on Banking77.
 */
export const NU_DEFAULT = 1;

const sha = (s: string) => createHash('sha256').update(s).digest('hex').slice(0, 16);

async function llmCandidates(
  cfg: LlmCandidates,
  label: string,
  examples: readonly AugmentRow[],
  count: number,
  round: number,
  seed: number,
  usage: Usage,
): Promise<Pending[]> {
  const per = cfg.perRequest ?? 10;
  const requests = Math.ceil(count / per);
  const shown = examples.slice(0, cfg.examples ?? 5).map((e) => `- ${e.text}`);
  const out: Pending[] = [];
  for (let r = 0; r < requests; r++) {
    const prompt = `Here are real messages whose intent is "${label.replace(/_/g, ' ')}":\n${shown.join('\n')}\nWrite ${per} new, different messages with the same intent, one per line, no numbering.`;
    const reqSeed = streamFor(seed, 'augment', label, 'llm', round, r).nextUint32();
    const res = await cfg.provider.generate({
      prompt,
      system: 'You write realistic, varied user messages.',
      cell: { label },
      n: 1,
      temperature: cfg.temperature ?? 0.9,
      seed: reqSeed,
    });
    addUsage(usage, res.usage);
    const texts = res.texts
      .flatMap((t) => t.split('\n'))
      .map((t) => t.replace(/^\s*(?:[-*•]|\d+[.)])\s*/, '').trim());
    texts.filter(Boolean).forEach((text, k) => {
      out.push({
        cand: {
          index: -1 - out.length,
          text,
          label,
          sources: [],
          operators: [{ op: 'llm', params: { request: r, line: k } }],
          seed_stream: `${seed}/augment/${label}/llm/${round}/${r}`,
          unattested: [],
        },
        provider: cfg.provider.name,
        model: cfg.provider.model,
        prompt_hash: sha(prompt),
        score: null,
      });
    });
  }
  return out;
}

/**
 * Why a label stayed short, from its funnel counts: how many candidates its real examples gave (and
 * whether the operators ran out of new ones), where they were lost, largest loss first, and the fix.
 */
/** The fix a short label's reason ends with (in the report, where each label stands alone). */
export const SHORT_FIX = ' — add real examples of this label, lower --per-label or raise --oversample';

export function shortReason(r: LabelReport, dry: boolean): string {
  const lost: [string, number][] = (
    [
      ['assigned to another label by the cell verifier', r.verifier_rejected],
      ['without any of the label’s salient words', r.salience_rejected],
      ['exact copies of a real or earlier text', r.dedup_rejected.exact],
      ['near-copies (MinHash)', r.dedup_rejected.minhash],
      ['too similar to a real or kept text', r.too_similar],
    ] as [string, number][]
  )
    .filter(([, n]) => n > 0)
    .sort((a, b) => b[1] - a[1]);
  const made = `${r.real} real example${r.real === 1 ? '' : 's'} gave ${r.candidates} candidate${r.candidates === 1 ? '' : 's'} in ${r.rounds} round${r.rounds === 1 ? '' : 's'}`;
  const ranDry = dry ? ' (the operators ran out of new variants)' : '';
  const where = lost.length ? `; lost: ${lost.map(([what, n]) => `${n} ${what}`).join(', ')}` : '';
  return `${made}${ranDry}${where}; ${r.selected} of ${r.missing} missing rows kept${SHORT_FIX}`;
}

export async function augmentTexts(
  rows: readonly AugmentRow[],
  opts: AugmentOptions,
): Promise<AugmentResult> {
  if (!Number.isInteger(opts.perLabel) || opts.perLabel < 1)
    throw new StrataError(
      'text.augment_per_label',
      `--per-label must be a positive integer, got ${opts.perLabel}`,
      {
        path: '--per-label',
      },
    );
  const t0 = performance.now();
  const seed = parseSeed(opts.seed ?? 1);
  const recipe = AugmentRecipe.parse(opts.recipe ?? {});
  const oversample = opts.oversample ?? 8;
  const maxRounds = opts.maxRounds ?? 3;
  const verify = opts.verify ?? true;
  const lexicon = opts.lexicon ?? new WordNet();
  const byLabel = new Map<string, AugmentRow[]>();
  for (const r of rows) {
    let l = byLabel.get(r.label);
    if (!l) {
      l = [];
      byLabel.set(r.label, l);
    }
    l.push(r);
  }
  for (const l of opts.labels ?? [])
    if (!byLabel.has(l))
      throw new StrataError(
        'text.augment_label',
        `label "${l}" has no real example`,
        { path: '--labels' },
        'name labels that occur in the training file',
      );
  const labels = [...byLabel.keys()].sort().filter((l) => !opts.labels || opts.labels.includes(l));
  const verifier = verify ? centroidVerifier(rows) : null;
  const minDocs = opts.attestedMinDocs ?? 2;
  const stats = corpusStats(rows.map((r) => r.text));
  const vocabulary = minDocs > 0 ? attestedVocabulary(stats, minDocs) : undefined;
  const profile = corpusProfile(rows, { checkPairs: opts.attestedPairs ?? false });
  const nu = opts.nu ?? NU_DEFAULT;
  const funnel = await createDedupFunnel({
    scope: 'cell',
    minhashThreshold: opts.minhashThreshold ?? 0.8,
    embeddingThreshold: null,
  });
  for (const r of rows) funnel.addReal(r.id, r.text);
  const timings = { candidates: 0, verify: 0, dedup: 0, select: 0, total: 0 };
  const usage = emptyUsage();
  const records: AugmentRecord[] = [];
  const reports: LabelReport[] = [];
  const opStats = new Map<
    string,
    { used: number; unattested: number; verified: number; selected: number; novelty: number }
  >();
  const stat = (op: string) => {
    let s = opStats.get(op);
    if (!s) {
      s = { used: 0, unattested: 0, verified: 0, selected: 0, novelty: 0 };
      opStats.set(op, s);
    }
    return s;
  };
  for (const label of labels) {
    const real = byLabel.get(label)!;
    const missing = Math.max(0, opts.perLabel - real.length);
    const rep: LabelReport = {
      label,
      real: real.length,
      missing,
      rounds: 0,
      candidates: 0,
      llm_candidates: 0,
      verifier_rejected: 0,
      salience_rejected: 0,
      salient: [],
      dedup_rejected: { exact: 0, minhash: 0 },
      too_similar: 0,
      selected: 0,
      shortfall: 0,
      short_reason: null,
      curve: [],
    };
    reports.push(rep);
    if (missing === 0) continue;
    const cell = cellContext(label, real, lexicon, { vocabulary, stats, profile });
    rep.salient = [...cell.salient];
    const realVecs = real.map((r) => embedText(r.text, SELECT_EMBED));
    const realPairs = real.map((r) => pairIds(r.text));
    const pool: Pending[] = [];
    const poolVecs: SparseVec[] = [];
    const poolPairs: Int32Array[] = [];
    const poolUnattested: number[] = [];
    let next = 0;
    let dry = false;
    let sel: Selection | null = null;
    for (let round = 0; round < maxRounds && (sel === null || sel.picked.length < missing); round++) {
      rep.rounds++;
      let t = performance.now();
      const fresh: Pending[] = [];
      const target = missing * oversample * (round + 1);
      let made = 0;
      for (; made < target && next < target * 4; next++) {
        const c = makeCandidate(cell, next, recipe, seed);
        if (!c) continue;
        made++;
        fresh.push({ cand: c, provider: 'augment', model: 'offline', prompt_hash: '', score: null });
      }
      if (made < target) dry = true;
      if (opts.llm) {
        const count = Math.ceil(missing * (opts.llm.share ?? 1));
        const l = await llmCandidates(opts.llm, label, real, count, round, seed, usage);
        rep.llm_candidates += l.length;
        fresh.push(...l);
      }
      rep.candidates += fresh.length;
      for (const p of fresh) {
        for (const o of p.cand.operators) stat(o.op).used++;
        for (const o of p.cand.unattested) stat(o).unattested++;
      }
      timings.candidates += performance.now() - t;
      t = performance.now();
      let verified = fresh;
      if (verify && opts.salience !== false) {
        verified = fresh.filter((p) => keepsSalient(cell, p.cand.text));
        rep.salience_rejected += fresh.length - verified.length;
      }
      if (verifier) {
        const kept = verified;
        const K = verifier.labels.length;
        const li = verifier.labels.indexOf(label);
        const s = verifier.scoreMany(kept.map((p) => p.cand.text));
        verified = kept.filter((p, i) => {
          let best = 0;
          for (let c = 1; c < K; c++) if (s[i * K + c] > s[i * K + best]) best = c;
          p.score = s[i * K + li];
          return best === li && s[i * K + li] > 0;
        });
        rep.verifier_rejected += kept.length - verified.length;
      }
      for (const p of verified) for (const o of p.cand.operators) stat(o.op).verified++;
      timings.verify += performance.now() - t;
      t = performance.now();
      for (const p of verified) {
        const id =
          p.cand.index >= 0 ? `${label}#${p.cand.index}` : `${label}#llm${round}.${-1 - p.cand.index}`;
        const rej = funnel.add({ id, text: p.cand.text, cell: label });
        if (rej) {
          if (rej.stage === 'exact') rep.dedup_rejected.exact++;
          else rep.dedup_rejected.minhash++;
          continue;
        }
        pool.push(p);
        poolVecs.push(embedText(p.cand.text, SELECT_EMBED));
        const pp = pairProfile(p.cand.text, nu > 0 ? profile.attested : null);
        poolPairs.push(pp.ids);
        poolUnattested.push(pp.unattested);
      }
      timings.dedup += performance.now() - t;
      t = performance.now();
      const selOpts = {
        seed: streamFor(seed, 'augment', label, 'select').nextUint32(),
        maxSimilarity: opts.maxSimilarity,
        lambda: opts.lambda,
        mu: opts.mu ?? 0.5,
        pairs: { cands: poolPairs, real: realPairs },
        nu,
        unattested: poolUnattested,
      };
      sel =
        opts.selection === 'random'
          ? selectRandom(realVecs, poolVecs, missing, selOpts)
          : selectForCoverage(realVecs, poolVecs, missing, selOpts);
      timings.select += performance.now() - t;
    }
    if (!sel) continue;
    rep.too_similar = sel.too_similar;
    rep.selected = sel.picked.length;
    rep.shortfall = missing - sel.picked.length;
    rep.short_reason = rep.shortfall > 0 ? shortReason(rep, dry) : null;
    rep.curve = sel.curve;
    sel.picked.forEach((ci, rank) => {
      const p = pool[ci];
      const v = poolVecs[ci];
      let near = 0;
      for (const rv of realVecs) near = Math.max(near, cosine(v, rv));
      for (const o of p.cand.operators) stat(o.op).selected++;
      for (const o of p.cand.operators) stat(o.op).novelty += Number(o.params?.novelty ?? 0);
      records.push({
        id: p.cand.index >= 0 ? `aug-${label}-${p.cand.index}` : `aug-${label}-llm-${rank}`,
        text: p.cand.text,
        label,
        provenance: {
          provider: p.provider,
          model: p.model,
          seed_stream: p.cand.seed_stream,
          prompt_hash: p.prompt_hash,
          operators: p.cand.operators,
          sources: p.cand.sources,
          novelty: Math.round((1 - near) * 1000) / 1000,
          verifier: verifier
            ? { name: verifier.name, score: Math.round((p.score ?? 0) * 1000) / 1000 }
            : null,
          selection_rank: rank + 1,
        },
      });
    });
  }
  timings.total = performance.now() - t0;
  return {
    records,
    labels: reports,
    operators: [...opStats]
      .map(([op, s]) => ({
        op,
        used: s.used,
        unattested: s.unattested,
        verified: s.verified,
        selected: s.selected,
        mean_novelty: s.selected ? Math.round((s.novelty / s.selected) * 1000) / 1000 : 0,
      }))
      .sort((a, b) => (a.op < b.op ? -1 : 1)),
    usage,
    timings_ms: timings,
  };
}
