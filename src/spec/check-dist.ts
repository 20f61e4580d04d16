/**
 * Distributions checked by hand: zod's union errors for `Dist` are unreadable, so the one key is
 * looked up here (unknown name with did-you-mean), then its parameter names (missing / unknown
 * with did-you-mean), then the parameter values (types, and literal values that can never work).
 */
import type { z } from 'zod';
import { parseIsoDate } from './dates.js';
import { defOf, kindOf } from './describe.js';
import { didYouMean, quotedList } from './did-you-mean.js';
import type { IssueCollector } from './issues.js';
import { isPlainMap, type SpecPath, valueAt } from './path.js';
import { Dist, type DistributionName, DistributionNames } from './schema.js';
import { translateIssues } from './zod-issues.js';

/** The params schema of each distribution, taken from the `Dist` union so the two cannot drift. */
const PARAMS: ReadonlyMap<string, z.ZodType> = new Map(
  (defOf(Dist).options ?? []).map((option) => {
    const [name, schema] = Object.entries(defOf(option).shape ?? {})[0];
    return [name, schema];
  }),
);

/** Paths of every `dist` in the raw document (column, conditional rows, conditional default). */
export function distPaths(raw: unknown): SpecPath[] {
  const out: SpecPath[] = [];
  const tables = valueAt(raw, ['tables']);
  if (!isPlainMap(tables)) return out;
  for (const [t, table] of Object.entries(tables)) {
    const columns = isPlainMap(table) ? table.columns : undefined;
    if (!isPlainMap(columns)) continue;
    for (const [c, column] of Object.entries(columns)) {
      if (!isPlainMap(column)) continue;
      const base = ['tables', t, 'columns', c];
      if (column.dist !== undefined) out.push([...base, 'dist']);
      const cond = column.conditional;
      if (!isPlainMap(cond)) continue;
      if (Array.isArray(cond.rows)) {
        cond.rows.forEach((row, i) => {
          if (isPlainMap(row) && row.dist !== undefined)
            out.push([...base, 'conditional', 'rows', i, 'dist']);
        });
      }
      if (isPlainMap(cond.default) && cond.default.dist !== undefined) {
        out.push([...base, 'conditional', 'default', 'dist']);
      }
    }
  }
  return out;
}

export function checkDist(collector: IssueCollector, raw: unknown, path: SpecPath): void {
  const dist = valueAt(raw, path);
  if (!isPlainMap(dist)) {
    collector.report(
      path,
      'spec.wrong_type',
      `expected a distribution like { normal: { mean: 0, sd: 1 } }, got ${kindOf(dist)}`,
      `name one of: ${DistributionNames.join(', ')}`,
    );
    return;
  }
  const names = Object.keys(dist);
  if (names.length !== 1) {
    collector.report(
      path,
      'spec.dist_shape',
      names.length === 0
        ? 'empty distribution'
        : `a dist names exactly one distribution, found ${quotedList(names)}`,
      names.length === 0 ? `name one of: ${DistributionNames.join(', ')}` : 'keep one of them',
    );
    return;
  }
  const name = names[0];
  const paramsSchema = PARAMS.get(name);
  if (!paramsSchema) {
    const guess = didYouMean(name, DistributionNames);
    collector.report(
      path,
      'spec.unknown_distribution',
      `unknown distribution "${name}"`,
      guess ? `did you mean "${guess}"?` : `use one of: ${DistributionNames.join(', ')}`,
      { locateAt: [...path, name], atKey: true },
    );
    return;
  }
  const ppath = [...path, name];
  const params = dist[name];
  if (!isPlainMap(params)) {
    collector.report(
      ppath,
      'spec.wrong_type',
      `expected the parameters of ${name} as a map, got ${kindOf(params)}`,
      `write { ${name}: { ${requiredParams(paramsSchema)
        .map((p) => `${p}: …`)
        .join(', ')} } }`,
    );
    return;
  }
  checkParamNames(collector, name as DistributionName, paramsSchema, params, ppath);
  const parsed = paramsSchema.safeParse(params);
  if (!parsed.success) {
    translateIssues({ collector, raw, skipKeyIssues: true }, paramsSchema, ppath, parsed.error.issues);
  }
  checkLiteralValues(collector, name as DistributionName, params, ppath);
}

/** Names people use for parameters in other tools (numpy, scipy, R, textbooks). */
const PARAM_SYNONYMS: Readonly<Record<string, readonly string[]>> = {
  sigma: ['sd', 'sdlog'],
  std: ['sd', 'sdlog'],
  stdev: ['sd', 'sdlog'],
  stddev: ['sd', 'sdlog'],
  sdev: ['sd', 'sdlog'],
  scale: ['sd', 'sdlog'],
  mu: ['mean', 'meanlog', 'lambda'],
  loc: ['mean', 'meanlog'],
  average: ['mean'],
  low: ['min'],
  lower: ['min'],
  from: ['min'],
  high: ['max'],
  upper: ['max'],
  to: ['max'],
  lambda: ['rate'],
  k: ['shape'],
  theta: ['scale'],
  a: ['alpha'],
  b: ['beta'],
  mean: ['lambda'],
  trials: ['n'],
  size: ['n'],
  prob: ['p'],
  probability: ['p'],
  quantiles: ['knots'],
};

function requiredParams(schema: z.ZodType): string[] {
  return Object.entries(defOf(schema).shape ?? {})
    .filter(([, s]) => defOf(s).type !== 'optional')
    .map(([k]) => k);
}

function checkParamNames(
  collector: IssueCollector,
  name: DistributionName,
  schema: z.ZodType,
  params: Record<string, unknown>,
  ppath: SpecPath,
): void {
  const allowed = Object.keys(defOf(schema).shape ?? {});
  const required = requiredParams(schema);
  const optional = allowed.filter((k) => !required.includes(k));
  const needs = `${name} needs ${quotedList(required)}${optional.length ? ` (optional: ${quotedList(optional)})` : ''}`;
  const missing = required.filter((k) => !(k in params));
  const unknown = Object.keys(params).filter((k) => !allowed.includes(k));
  const explained = new Set<string>();
  for (const key of unknown) {
    const synonym = PARAM_SYNONYMS[key.toLowerCase()]?.find((p) => allowed.includes(p));
    // One unknown and one missing parameter: almost always the same parameter under another name.
    const onlyCandidate = unknown.length === 1 && missing.length === 1 ? missing[0] : undefined;
    const guess = didYouMean(key, [...missing, ...allowed]) ?? synonym ?? onlyCandidate;
    if (guess) explained.add(guess);
    collector.report(
      [...ppath, key],
      'spec.unknown_parameter',
      `${needs}; "${key}" is not a parameter`,
      guess ? `did you mean "${guess}"?` : 'remove it',
      { atKey: true },
    );
  }
  for (const key of missing) {
    if (explained.has(key)) continue;
    collector.report(
      ppath,
      'spec.missing_parameter',
      `${needs}; "${key}" is missing`,
      `add ${key}: <number or expression>`,
      {
        atKey: true,
      },
    );
  }
}

/** Literal (numeric / ISO date) parameter values that no row could use. Expressions are left to the engine. */
function checkLiteralValues(
  collector: IssueCollector,
  name: DistributionName,
  params: Record<string, unknown>,
  ppath: SpecPath,
): void {
  const num = (k: string): number | undefined =>
    typeof params[k] === 'number' ? (params[k] as number) : undefined;
  const positive = (k: string) => {
    const v = num(k);
    if (v !== undefined && !(v > 0)) {
      collector.report(
        [...ppath, k],
        'spec.bad_parameter',
        `${name} ${k} must be > 0, got ${v}`,
        `use a positive ${k}`,
      );
    }
  };
  switch (name) {
    case 'normal':
      positive('sd');
      break;
    case 'lognormal':
      positive('sdlog');
      break;
    case 'exponential':
      positive('rate');
      break;
    case 'gamma':
      positive('shape');
      positive('scale');
      break;
    case 'beta':
      positive('alpha');
      positive('beta');
      break;
    case 'poisson': {
      const v = num('lambda');
      if (v !== undefined && v < 0) {
        collector.report(
          [...ppath, 'lambda'],
          'spec.bad_parameter',
          `poisson lambda must be ≥ 0, got ${v}`,
          'use lambda ≥ 0',
        );
      }
      break;
    }
    case 'binomial': {
      const n = num('n');
      const p = num('p');
      if (n !== undefined && !(Number.isInteger(n) && n >= 0)) {
        collector.report(
          [...ppath, 'n'],
          'spec.bad_parameter',
          `binomial n must be a whole number ≥ 0, got ${n}`,
          'use n = 0, 1, 2, …',
        );
      }
      if (p !== undefined && !(p >= 0 && p <= 1)) {
        collector.report(
          [...ppath, 'p'],
          'spec.bad_parameter',
          `binomial p must be in [0, 1], got ${p}`,
          'use a probability between 0 and 1',
        );
      }
      break;
    }
    case 'uniform': {
      const lo = literalPoint(params.min);
      const hi = literalPoint(params.max);
      if (lo !== undefined && hi !== undefined && lo > hi) {
        collector.report(
          [...ppath, 'min'],
          'spec.min_above_max',
          `uniform min (${String(params.min)}) is greater than max (${String(params.max)})`,
          'swap min and max',
        );
      }
      break;
    }
    case 'empirical': {
      const knots = params.knots;
      if (Array.isArray(knots)) {
        const i = knots.findIndex(
          (k, j) => j > 0 && typeof k === 'number' && typeof knots[j - 1] === 'number' && k < knots[j - 1],
        );
        if (i > 0) {
          collector.report(
            [...ppath, 'knots', i],
            'spec.knots_order',
            `knots must not decrease: ${knots[i]} comes after ${knots[i - 1]}`,
            'sort the knots ascending (they are quantiles)',
          );
        }
      }
      const atoms = params.atoms;
      if (isPlainMap(atoms)) {
        const total = Object.values(atoms).reduce<number>((s, v) => s + (typeof v === 'number' ? v : 0), 0);
        if (total > 1 + 1e-9) {
          collector.report(
            [...ppath, 'atoms'],
            'spec.atoms_sum',
            `atom probabilities sum to ${+total.toFixed(6)}, more than 1`,
            'atoms are point masses; their probabilities must sum to at most 1',
          );
        }
      }
      break;
    }
    case 'constant':
      break;
  }
}

/** A number, or an ISO date string as epoch ms; expressions give undefined. */
function literalPoint(v: unknown): number | undefined {
  if (typeof v === 'number') return v;
  if (typeof v === 'string') return parseIsoDate(v);
  return undefined;
}
