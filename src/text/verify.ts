/**
 * Cell verification: does a sample really belong to its claimed cell? Pluggable labellers —
 * keyword/regex predicates, or nearest labelled real exemplars (kNN vote on the offline embedding).
 * The verdict re-routes a mislabelled sample to the cell it belongs to, or rejects it.
 */
import { StrataError } from '../errors.js';
import { cosine, embedText, type SparseVec } from './embed.js';
import type { TextProvider } from './providers/types.js';

export interface LabelResult {
  label: string | null;
  score: number;
}

export interface Labeller {
  readonly name: string;
  label(text: string): LabelResult | Promise<LabelResult>;
}

/** A labeller that answers at once (keywords, exemplars). */
export interface SyncLabeller extends Labeller {
  label(text: string): LabelResult;
}

/** Regex predicates per label (case-insensitive); the label with the most matching patterns wins. */
export function keywordLabeller(rules: Record<string, readonly string[]>): SyncLabeller {
  const compiled = Object.entries(rules).map(([label, pats]) => ({
    label,
    res: pats.map((p, i) => {
      try {
        return new RegExp(p, 'i');
      } catch (e) {
        throw new StrataError(
          'text.verify_regex',
          `bad pattern: ${(e as Error).message}`,
          { path: `verify.keywords.${label}[${i}]` },
          'fix the regular expression',
        );
      }
    }),
  }));
  return {
    name: 'keywords',
    label(text) {
      let best: string | null = null;
      let bestScore = 0;
      for (const c of compiled) {
        let s = 0;
        for (const r of c.res) if (r.test(text)) s++;
        if (s > bestScore) {
          bestScore = s;
          best = c.label;
        }
      }
      return { label: best, score: bestScore };
    },
  };
}

/** k nearest labelled exemplars by cosine on hashed char n-gram vectors; similarity-weighted vote. */
export function exemplarLabeller(examples: readonly { text: string; label: string }[], k = 5): SyncLabeller {
  const vecs: SparseVec[] = examples.map((e) => embedText(e.text));
  return {
    name: 'exemplars',
    label(text) {
      const q = embedText(text);
      const sims = vecs.map((v, i) => ({ i, s: cosine(q, v) })).sort((a, b) => b.s - a.s || a.i - b.i);
      const votes = new Map<string, number>();
      for (const { i, s } of sims.slice(0, k))
        votes.set(examples[i].label, (votes.get(examples[i].label) ?? 0) + s);
      let best: string | null = null;
      let score = 0;
      for (const [l, v] of votes)
        if (v > score) {
          score = v;
          best = l;
        }
      return { label: best, score };
    },
  };
}

/**
 * An LLM judge: asks the provider (temperature 0, fixed seed) which of the labels fits and parses
 * the answer: an exact label, else the longest label named in the answer, else null (unknown).
 */
export function llmJudgeLabeller(provider: TextProvider, labels: readonly string[], seed = 0): Labeller {
  const list = labels.join(', ');
  const byLength = [...labels].sort((a, b) => b.length - a.length);
  return {
    name: `judge:${provider.name}`,
    async label(text) {
      const prompt = `Classify the customer message into exactly one of these labels: ${list}.\nMessage: """${text}"""\nAnswer with the label only.`;
      const r = await provider.generate({ prompt, cell: {}, n: 1, temperature: 0, seed });
      const answer = (r.texts[0] ?? '')
        .trim()
        .toLowerCase()
        .replace(/[."'`]/g, '');
      const exact = labels.find((l) => l.toLowerCase() === answer);
      if (exact) return { label: exact, score: 1 };
      const named = byLength.find((l) => answer.includes(l.toLowerCase()));
      return named ? { label: named, score: 0.5 } : { label: null, score: 0 };
    },
  };
}

export type Verdict =
  | { verdict: 'ok' }
  | { verdict: 'reroute'; to: string }
  | { verdict: 'reject'; found: string | null };

export async function verifySample(
  claimed: string,
  text: string,
  labeller: Labeller,
  action: 'reject' | 'reroute',
): Promise<Verdict> {
  const r = await labeller.label(text);
  if (r.label === claimed) return { verdict: 'ok' };
  if (r.label !== null && action === 'reroute') return { verdict: 'reroute', to: r.label };
  return { verdict: 'reject', found: r.label };
}
