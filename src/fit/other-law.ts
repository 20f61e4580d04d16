/**
 * Learn how a category's pooled state is written (the spec's `other:`, drawn by
 * src/model/other.ts).
 *
 * Fit pools the values seen in fewer than k rows into the state `(other)` (encode.ts). Written
 * as such, the placeholder is a value no real row has: on 3,000 MIMIC-III prescriptions it was
 * 20% of the generated `drug` values and 30% of `prod_strength`, which a detection classifier
 * and the DCR share see at once. Written as one of the rare real values, it would copy exactly
 * the values that identify a row. So the pooled mass is drawn as fresh values: a text law
 * (text-law.ts) fitted on the pooled values alone, whose guard (a Bloom filter of every pooled
 * value and its long runs) redraws a copy of any of them; the writer also redraws a value the
 * column lists.
 *
 * When the law cannot make fresh values (too few pooled values to learn a form from, or its
 * draws are nearly all copies: two rare codes, a yes/no column with one typo), `other:` is
 * written without `text`: the state is drawn as the column's listed values, in their shares
 * given the same parents. Under differential privacy too: the law would hold exact counts of the
 * rare values.
 */
import { cleanValue } from '../data/infer.js';
import { compileTextLaw, unitsOf } from '../model/text-law.js';
import type { Stream } from '../random/stream.js';
import type { OtherLaw, TextLaw } from '../spec/schema.js';
import { OTHER } from './encode.js';
import { fitTextLaw } from './text-law.js';

/** Distinct pooled values below which no text law is fitted (too few to learn a form from). */
export const MIN_OTHER_VALUES = 8;
/** Probe draws of a fitted law, and the share of them that must be fresh values to keep it. */
export const PROBE_DRAWS = 400;
export const MIN_FRESH_SHARE = 0.5;

export interface FittedOther {
  /** Absent when every value was pooled: the state stays the placeholder (nothing else to draw). */
  other?: OtherLaw;
  /** For the column's comment. */
  note: string;
  /** Why no text law was fitted (for the fit's notices), when none was. */
  fallback?: string;
}

/**
 * The `other:` of a pooled category column. `raw`: the column's values (one per row); `kept`:
 * its values that were not pooled.
 */
export function fitOtherLaw(
  raw: readonly (string | null)[],
  kept: readonly string[],
  opts: { minCount: number; dp: boolean; stream: Stream },
): FittedOther {
  const listed = new Set(kept);
  const pooled: string[] = [];
  const distinct = new Set<string>();
  for (const r of raw) {
    const v = cleanValue(r);
    if (v === null || listed.has(v)) continue;
    pooled.push(v);
    distinct.add(v);
  }
  const asListed = (why: string): FittedOther => ({
    other: {},
    note: `; "${OTHER}" (${distinct.size} rare value${distinct.size === 1 ? '' : 's'}) is written as the kept values: ${why}`,
    fallback: `${distinct.size} rare value${distinct.size === 1 ? '' : 's'} pooled into "${OTHER}" ${distinct.size === 1 ? 'is' : 'are'} generated as the column's kept values, not as new values: ${why}`,
  });
  // Every value rare (a small table): `other:` needs a listed value to fall back on (model/other.ts
  // refuses the column without one), so the model writes the placeholder itself and says so.
  if (kept.length === 0)
    return {
      note: `; all ${distinct.size} values are rare and pooled into "${OTHER}", which is written as it is`,
      fallback: `all ${distinct.size} value${distinct.size === 1 ? '' : 's'} seen in fewer than ${opts.minCount} rows each: pooled into "${OTHER}" and generated as "${OTHER}" (lower --min-count to keep them)`,
    };
  if (opts.dp) return asListed('a text law would hold their exact counts under differential privacy');
  if (distinct.size < MIN_OTHER_VALUES)
    return asListed(`too few to learn a form from (fewer than ${MIN_OTHER_VALUES})`);
  const fitted = fitTextLaw(pooled, [], { minCount: opts.minCount, stream: opts.stream.derive('text') });
  // the shortest pooled value bounds the draws below, as max_units bounds them above: codes of one
  // length (NDC's 11 digits) stay that length
  let shortest = Number.POSITIVE_INFINITY;
  for (const v of distinct) shortest = Math.min(shortest, unitsOf(fitted.law.unit, v).length);
  const { unit, order, ...rest } = fitted.law;
  const text: TextLaw = { unit, order, ...(shortest > 1 ? { min_units: shortest } : {}), ...rest };
  // Probe: a law whose draws are mostly copies (refused by its guard) or listed values would fall
  // back on nearly every row, after spending its tries.
  const law = compileTextLaw(text);
  const rng = opts.stream.derive('probe');
  let fresh = 0;
  for (let t = 0; t < PROBE_DRAWS; t++) {
    const v = law.sample(undefined, rng);
    if (v !== null && v !== OTHER && !listed.has(v)) fresh++;
  }
  const share = fresh / PROBE_DRAWS;
  if (share < MIN_FRESH_SHARE)
    return asListed(
      `a text law fitted on them gives a fresh value in only ${(share * 100).toFixed(0)}% of draws`,
    );
  return {
    other: { text },
    note: `; "${OTHER}" (${distinct.size} rare values) is written as fresh values of a ${unit} chain fitted on them (its guard redraws any of them)`,
  };
}
