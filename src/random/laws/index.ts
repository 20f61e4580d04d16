/**
 * The registry of laws: one record per distribution, one file each. Everything that turns a
 * `dist: { name: {…} }` into something — the spec schema and checks, the compiler, coverage's
 * exact inference, fit — finds the law here by name and reads its parameters by name.
 *
 * Adding a law: write `laws/<name>.ts` (a `parametric({...})` record, or a `Law` by hand) with its
 * test, and run `npm run laws:index`: scripts/laws-index.ts lists every law file of this folder
 * in all.ts (static imports; CI fails when all.ts is out of date).
 */
import { LAWS } from './all.js';
import type { AnyLaw, Law } from './law.js';

/** Every law, by name (all.ts, generated). */
export { LAWS };

type Laws = (typeof LAWS)[number];
export type LawName = Laws['name'];

/** `{ normal: { mean, sd } } | { lognormal: … } | …`: a law's name as the one key of its parameters. */
export type DistOf<L> = L extends Law<infer N, infer P> ? { [k in N]: P } : never;
export type Dist = DistOf<Laws>;

export const LAW_NAMES: readonly LawName[] = LAWS.map((l) => l.name);

// A Map, not an object: the name comes from user text.
const BY_NAME: ReadonlyMap<string, AnyLaw> = new Map<string, AnyLaw>(LAWS.map((l) => [l.name, l]));

/** The law called `name`, or undefined. */
export function lawNamed(name: string): AnyLaw | undefined {
  return BY_NAME.get(name);
}

/** Other names people type for laws (did-you-mean): alias → law name. */
export const LAW_ALIASES: ReadonlyMap<string, LawName> = new Map(
  LAWS.flatMap((l) => l.aliases.map((a) => [a, l.name] as const)),
);

/**
 * The law of a `dist` map (its one key) and its raw parameter map; undefined when the map does
 * not name exactly one known law.
 */
export function lawOfDist(
  dist: object,
): { law: AnyLaw; params: Readonly<Record<string, unknown>> } | undefined {
  const keys = Object.keys(dist);
  if (keys.length !== 1) return undefined;
  const law = BY_NAME.get(keys[0]);
  const params = (dist as Readonly<Record<string, unknown>>)[keys[0]];
  if (!law || typeof params !== 'object' || params === null) return undefined;
  return { law, params: params as Readonly<Record<string, unknown>> };
}

/** Fix a law by name with numeric parameters (tests, tools): the law or why not. */
export function fixLaw(name: string, params: Readonly<Record<string, number>>) {
  const law = BY_NAME.get(name);
  if (!law) return `unknown distribution "${name}"`;
  return law.fixed(params, params);
}

export { EmpiricalParams } from './empirical.js';
export type { AnyLaw, Draw, FixedLaw, Law, LawIssue, Literal, ParamDecl } from './law.js';
export { ParamValue } from './law.js';
