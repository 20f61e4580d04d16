/**
 * Hierarchical back-off for numeric children, the counterpart of backoff.ts for knot models.
 * Parents are ordered from most to least informative; level L is the child's distribution given
 * the first L of them. A level-L state with enough present values for knots of its own is its
 * own model *mixed* toward its level-(L − 1) state (weight n / (n + shrinkK) on itself); a
 * smaller state takes the level above as is. The full parent configuration is then smoothed
 * toward level m − 1, and configurations too small to be written fall back to their level-(m − 1)
 * state instead of the global marginal — a 17-year-old keeps what (relationship, marital status)
 * say about age even in an (education, …) state with two rows. Pure functions.
 */
import { type EmpiricalModel, knotCount, mixToward } from './empirical.js';

export interface NumericBackoffInput {
  /** Present (non-missing) values per full parent configuration (mixed radix, table order). */
  groups: readonly number[][];
  /** Rows (missing included) and missing rows per configuration. */
  stateN: Float64Array;
  stateMissing: Float64Array;
  /** Parent cardinalities in table order. */
  cards: readonly number[];
  /** Parent indices (into `cards`) from most to least informative. */
  order: readonly number[];
  marginal: EmpiricalModel;
  marginalMissing: number;
  /** Knot model of a state's values (empiricalFromValues with the column's atoms/granularity). */
  fit: (values: number[]) => EmpiricalModel;
  /** Present values a state needs for knots of its own. */
  minState: number;
  /** Rows a state needs for its own missing rate. */
  minCount: number;
  /** Pseudo-count of the mixing toward the level above. */
  shrinkK: number;
}

export interface LevelState {
  model: EmpiricalModel;
  missing: number;
  /** Rows of the state (missing included). */
  n: number;
  /** Whether some level on the way down had values of its own (false = the marginal). */
  informative: boolean;
}

export interface NumericBackoff {
  /** Parent indices (into `cards`) from most to least informative. */
  order: readonly number[];
  /** The level-(m − 1) state of a full configuration (the marginal for one parent). */
  priorOf(config: number): LevelState;
  /** Level-(m − 1) states with rows, with their parents' codes in `order[0..m−2]` order. */
  prefixes: { codes: number[]; state: LevelState }[];
}

/** Per-parent codes (table order) of a mixed-radix configuration. */
export function decodeCodes(config: number, cards: readonly number[]): number[] {
  const out = new Array<number>(cards.length);
  for (let k = cards.length - 1; k >= 0; k--) {
    out[k] = config % cards[k];
    config = Math.floor(config / cards[k]);
  }
  return out;
}

export function buildNumericBackoff(input: NumericBackoffInput): NumericBackoff {
  const { groups, stateN, stateMissing, cards, order } = input;
  const m = order.length;
  const root: LevelState = {
    model: input.marginal,
    missing: input.marginalMissing,
    n: stateN.reduce((a, b) => a + b, 0),
    informative: false,
  };
  const configs: number[] = [];
  const codesOf: number[][] = [];
  groups.forEach((_, j) => {
    if (stateN[j] > 0) {
      configs.push(j);
      codesOf.push(decodeCodes(j, cards));
    }
  });
  // prefixKey[c]: the configuration's key at the current level (mixed radix over order[0..L−1]).
  const prefixKey = new Float64Array(configs.length);
  let prev = new Map<number, LevelState>([[0, root]]);
  for (let L = 1; L < m; L++) {
    const card = cards[order[L - 1]];
    const members = new Map<number, number[]>();
    configs.forEach((_, c) => {
      const key = prefixKey[c] * card + codesOf[c][order[L - 1]];
      prefixKey[c] = key;
      let list = members.get(key);
      if (!list) {
        list = [];
        members.set(key, list);
      }
      list.push(c);
    });
    const level = new Map<number, LevelState>();
    for (const [key, list] of members) {
      const prior = prev.get(Math.floor(key / card))!;
      const values: number[] = [];
      let n = 0;
      let miss = 0;
      for (const c of list) {
        const j = configs[c];
        for (const x of groups[j]) values.push(x);
        n += stateN[j];
        miss += stateMissing[j];
      }
      const own = values.length >= input.minState;
      level.set(key, {
        model: own
          ? mixToward(
              input.fit(values),
              prior.model,
              values.length / (values.length + input.shrinkK),
              knotCount(values.length + input.shrinkK),
            )
          : prior.model,
        missing: n >= input.minCount ? miss / n : prior.missing,
        n,
        informative: own || prior.informative,
      });
    }
    prev = level;
  }
  const byConfig = new Map<number, LevelState>();
  const prefixes: NumericBackoff['prefixes'] = [];
  const seen = new Set<number>();
  configs.forEach((j, c) => {
    const state = prev.get(prefixKey[c])!;
    byConfig.set(j, state);
    if (m >= 2 && !seen.has(prefixKey[c])) {
      seen.add(prefixKey[c]);
      prefixes.push({ codes: order.slice(0, m - 1).map((o) => codesOf[c][o]), state });
    }
  });
  return { order, priorOf: (config) => byConfig.get(config) ?? root, prefixes };
}
