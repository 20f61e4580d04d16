/**
 * The augmentation operators, registered once by name (the names recorded in provenance), and the
 * recipe that chains them: at most one structural operator (recombination across examples, or an
 * induced-grammar refill), then at most one word-level operator (substitution or an EDA edit), then
 * an optional register rewrite. Weights choose among each group; a weight of 0 turns an operator
 * off (the ablations do that).
 */
import { z } from 'zod';
import { frame } from './frame.js';
import { grammar } from './grammar.js';
import { edaDelete, edaInsert, edaSwap, synonym } from './lexical.js';
import { recombine } from './recombine.js';
import { REGISTER_STYLES, register } from './register.js';
import type { AugmentOperator } from './types.js';

export const AUGMENT_OPERATORS: ReadonlyMap<string, AugmentOperator> = new Map([
  ['recombine', recombine],
  ['grammar', grammar],
  ['frame', frame],
  ['synonym', synonym],
  ['eda_swap', edaSwap],
  ['eda_insert', edaInsert],
  ['eda_delete', edaDelete],
  ['register', register],
]);

const weight = z.number().min(0);

export const AugmentRecipe = z.strictObject({
  /** Weights of the structural step (one of these, or none). */
  structural: z
    .strictObject({
      recombine: weight.default(0.35),
      grammar: weight.default(0.35),
      none: weight.default(0.3),
    })
    .prefault({}),
  /**
   * Probability of re-framing a generic run from another real text (frame.ts). 0.8: framing is what
   * real rows of a thin intent add beyond its few examples (bench/text-augment-diagnose.ts).
   */
  frame: z.number().min(0).max(1).default(0.8),
  /** Weights of the word-level step. */
  lexical: z
    .strictObject({
      synonym: weight.default(0.4),
      eda_swap: weight.default(0.1),
      eda_insert: weight.default(0.15),
      eda_delete: weight.default(0.15),
      none: weight.default(0.2),
    })
    .prefault({}),
  /** Probability of a register rewrite. */
  register: z.number().min(0).max(1).default(0.3),
  /**
   * Register styles to draw from (polite, terse, casual, typo, code_switch). Typos and
   * code-switching markers are off by default: they put words no real user of the corpus wrote into
   * the rare classes only (measured on HWU64: see docs/text.md).
   */
  register_styles: z.array(z.enum(REGISTER_STYLES)).min(1).default(['polite', 'terse', 'casual']),
  /** Share of eligible words each word-level operator touches (at least one). */
  rates: z
    .strictObject({
      synonym: z.number().min(0).max(1).default(0.2),
      eda: z.number().min(0).max(1).default(0.1),
      typo: z.number().min(0).max(1).default(0.15),
    })
    .prefault({}),
});
export type AugmentRecipe = z.infer<typeof AugmentRecipe>;
export type AugmentRecipeInput = z.input<typeof AugmentRecipe>;

export const DEFAULT_RECIPE: AugmentRecipe = AugmentRecipe.parse({});
