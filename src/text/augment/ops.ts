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
import { neighbour } from './neighbour.js';
import { recombine } from './recombine.js';
import { REGISTER_STYLES, register } from './register.js';
import type { AugmentOperator } from './types.js';

export const AUGMENT_OPERATORS: ReadonlyMap<string, AugmentOperator> = new Map([
  ['recombine', recombine],
  ['grammar', grammar],
  ['frame', frame],
  ['neighbour', neighbour],
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
  /**
   * Probability of a distributional-neighbour substitution (neighbour.ts): a content word replaced by
   * one sibling labels' real texts write in the same two-sided context. 1 with rate 0.5: measured
   * (bench/text-augment-diagnose.ts --prove, seed 7, 200 reps, against main's 200-rep run of stop 23)
   * balanced LR rare recall +0.138 / +0.153 / +0.140 (Banking77 / CLINC150 / HWU64; main +0.138 /
   * +0.123 / +0.118), balanced NB +0.005 / +0.037 / +0.005 (main +0.000 / +0.047 / +0.020, inside
   * the CIs), synthetic distinct-2 0.255 / 0.262 / 0.268 (main 0.244 / 0.242 / 0.238).
   */
  neighbour: z.number().min(0).max(1).default(1),
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
      /** Share of eligible slots the neighbour operator fills (at least one). */
      neighbour: z.number().min(0).max(1).default(0.5),
    })
    .prefault({}),
});
export type AugmentRecipe = z.infer<typeof AugmentRecipe>;
export type AugmentRecipeInput = z.input<typeof AugmentRecipe>;

export const DEFAULT_RECIPE: AugmentRecipe = AugmentRecipe.parse({});
