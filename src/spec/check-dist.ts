/**
 * Distributions checked by hand: zod's union errors for `Dist` are unreadable, so the one key is
 * looked up in the law registry (unknown name with did-you-mean), then its parameter names
 * (missing / unknown with did-you-mean, from the law's schema and synonyms), then the parameter
 * values (the law's schema for types, the law's checks for literal values that can never work).
 */
import type { z } from 'zod';
import { type AnyLaw, LAW_ALIASES, lawNamed } from '../random/laws/index.js';
import { parseIsoDate } from './dates.js';
import { defOf, kindOf } from './describe.js';
import { didYouMean, quotedList } from './did-you-mean.js';
import type { IssueCollector } from './issues.js';
import { isPlainMap, type SpecPath, valueAt } from './path.js';
import { DistributionNames } from './schema.js';
import { translateIssues } from './zod-issues.js';

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
  const law = lawNamed(name);
  if (!law) {
    const guess = didYouMean(name, DistributionNames) ?? LAW_ALIASES.get(name.toLowerCase());
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
      `write { ${name}: { ${requiredParams(law.schema)
        .map((p) => `${p}: …`)
        .join(', ')} } }`,
    );
    return;
  }
  checkParamNames(collector, law, params, ppath);
  const parsed = law.schema.safeParse(params);
  if (!parsed.success) {
    translateIssues({ collector, raw, skipKeyIssues: true }, law.schema, ppath, parsed.error.issues);
  }
  const literal = (k: string) => (Object.hasOwn(params, k) ? literalPoint(params[k]) : undefined);
  for (const issue of law.check(params, literal)) {
    collector.report(
      [...ppath, issue.param, ...(issue.at ?? [])],
      `spec.${issue.code ?? 'bad_parameter'}`,
      issue.message,
      issue.fix,
    );
  }
}

function requiredParams(schema: z.ZodType): string[] {
  return Object.entries(defOf(schema).shape ?? {})
    .filter(([, s]) => defOf(s).type !== 'optional')
    .map(([k]) => k);
}

function checkParamNames(
  collector: IssueCollector,
  law: AnyLaw,
  params: Record<string, unknown>,
  ppath: SpecPath,
): void {
  const name = law.name;
  const allowed = Object.keys(defOf(law.schema).shape ?? {});
  const required = requiredParams(law.schema);
  const optional = allowed.filter((k) => !required.includes(k));
  const needs = `${name} needs ${quotedList(required)}${optional.length ? ` (optional: ${quotedList(optional)})` : ''}`;
  const missing = required.filter((k) => !Object.hasOwn(params, k));
  const unknown = Object.keys(params).filter((k) => !allowed.includes(k));
  const explained = new Set<string>();
  for (const key of unknown) {
    const synonym = law.synonyms.get(key.toLowerCase());
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

/** A number, or an ISO date string as epoch ms; expressions give undefined. */
function literalPoint(v: unknown): number | undefined {
  if (typeof v === 'number') return v;
  if (typeof v === 'string') return parseIsoDate(v);
  return undefined;
}
