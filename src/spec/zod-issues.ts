/**
 * Turns zod's raw issues into messages people can act on: unknown keys with did-you-mean against
 * the allowed keys, "expected a number or an expression string, got a list", unknown enum values,
 * missing keys. Union failures are narrowed to the branch that matches the value's shape.
 */
import type { z } from 'zod';
import {
  acceptsKind,
  defOf,
  expectedText,
  kindOf,
  rawKind,
  schemaAt,
  unwrap,
  writeHint,
} from './describe.js';
import { didYouMean } from './did-you-mean.js';
import type { IssueCollector } from './issues.js';
import { type SpecPath, valueAt } from './path.js';
import { DistributionNames } from './schema.js';

type ZodIssue = z.core.$ZodIssue;

export interface TranslateContext {
  collector: IssueCollector;
  /** The whole raw document (values are looked up by full path). */
  raw: unknown;
  /** Skip issues at/below paths handled by a dedicated checker (e.g. distributions). */
  skip?: (fullPath: SpecPath) => boolean;
  /** Skip "unknown key" and "missing key" issues (already reported by a dedicated checker). */
  skipKeyIssues?: boolean;
}

const ENUM_WHAT: Record<string, string> = {
  type: 'column type',
  strategy: 'coverage strategy',
  id: 'id kind',
};

/** Report the issues of `schema.safeParse(valueAt(raw, base))`. */
export function translateIssues(
  ctx: TranslateContext,
  schema: z.ZodType,
  base: SpecPath,
  issues: readonly ZodIssue[],
): void {
  for (const issue of issues) translateOne(ctx, schema, base, issue);
}

function translateOne(ctx: TranslateContext, root: z.ZodType, base: SpecPath, issue: ZodIssue): void {
  const rel = issue.path.map((p) => (typeof p === 'symbol' ? String(p) : p));
  const path = [...base, ...rel];
  if (ctx.skip?.(path)) return;
  const { collector } = ctx;
  const value = valueAt(ctx.raw, path);
  const schema = schemaAt(root, rel);

  if (value === undefined && issue.code !== 'unrecognized_keys' && path.length > 0) {
    // zod reports a missing key as invalid_type / invalid_union / invalid_value on the key itself.
    if (!ctx.skipKeyIssues)
      missingKey(ctx, path, schema, issue.code === 'invalid_type' ? issue.expected : undefined);
    return;
  }
  switch (issue.code) {
    case 'unrecognized_keys': {
      if (ctx.skipKeyIssues) return;
      const shape = schema ? defOf(unwrap(schema)).shape : undefined;
      const allowed = shape ? Object.keys(shape) : [];
      for (const key of issue.keys) {
        const guess = didYouMean(key, allowed);
        const isDist = allowed.includes('dist') && (DistributionNames as readonly string[]).includes(key);
        collector.report(
          [...path, key],
          'spec.unknown_key',
          `unknown key "${key}"`,
          isDist
            ? `a distribution goes under dist: write dist: { ${key}: { … } }`
            : guess
              ? `did you mean "${guess}"?`
              : `allowed keys here: ${allowed.join(', ')}`,
          { atKey: true },
        );
      }
      return;
    }
    case 'invalid_type': {
      wrongType(ctx, path, schema, value, issue.expected);
      return;
    }
    case 'invalid_union': {
      const options = schema ? (defOf(unwrap(schema)).options ?? []) : [];
      const kind = rawKind(value);
      const branch = options.findIndex((o) => acceptsKind(o, kind));
      if (branch >= 0 && issue.errors[branch]) {
        translateIssues(ctx, options[branch], path, issue.errors[branch]);
      } else {
        wrongType(ctx, path, schema, value);
      }
      return;
    }
    case 'invalid_value': {
      if (path.length === 1 && path[0] === 'strata') {
        collector.report(
          path,
          'spec.bad_version',
          `unsupported format version ${JSON.stringify(value) ?? String(value)}`,
          typeof value === 'string'
            ? 'write the version as a number: "strata: 1" (no quotes)'
            : 'this version of Strata reads "strata: 1"',
        );
        return;
      }
      const allowed = issue.values.map((v) => String(v));
      const what = ENUM_WHAT[String(path[path.length - 1])] ?? 'value';
      const guess = typeof value === 'string' ? didYouMean(value, allowed) : undefined;
      collector.report(
        path,
        'spec.unknown_value',
        `unknown ${what} ${typeof value === 'string' ? JSON.stringify(value) : kindOf(value)}`,
        guess ? `did you mean "${guess}"?` : `use one of: ${allowed.join(', ')}`,
      );
      return;
    }
    case 'too_small':
    case 'too_big': {
      const small = issue.code === 'too_small';
      const bound = Number(small ? issue.minimum : issue.maximum);
      const inclusive = issue.inclusive !== false;
      if (issue.origin === 'array') {
        collector.report(
          path,
          'spec.bad_length',
          small
            ? `needs at least ${bound} entr${bound === 1 ? 'y' : 'ies'}`
            : `allows at most ${bound} entries`,
          small ? 'add entries' : 'remove entries',
        );
      } else if (issue.origin === 'string') {
        collector.report(
          path,
          'spec.empty_text',
          'must not be empty',
          'write some text here, or remove the key',
        );
      } else {
        const rel = small ? (inclusive ? 'at least' : 'greater than') : inclusive ? 'at most' : 'less than';
        collector.report(
          path,
          'spec.out_of_range',
          `must be ${rel} ${bound}, got ${kindOf(value)}`,
          `use a value ${small ? (inclusive ? '≥' : '>') : inclusive ? '≤' : '<'} ${bound}`,
        );
      }
      return;
    }
    default:
      collector.report(path, `spec.${issue.code}`, issue.message, writeHint(schema));
  }
}

function missingKey(
  ctx: TranslateContext,
  path: SpecPath,
  schema: z.ZodType | undefined,
  expected?: string,
): void {
  const key = path[path.length - 1];
  if (path.length === 1 && key === 'strata') {
    ctx.collector.report(
      [],
      'spec.missing_version',
      'missing format version "strata"',
      'add "strata: 1" as the first line',
    );
    return;
  }
  ctx.collector.report(
    path.slice(0, -1),
    'spec.missing_key',
    `missing required key "${String(key)}"`,
    `add ${String(key)}: (${expectedText(schema, expected)})`,
  );
}

function wrongType(
  ctx: TranslateContext,
  path: SpecPath,
  schema: z.ZodType | undefined,
  value: unknown,
  expected?: string,
): void {
  const exp = expectedText(schema, expected);
  const got = exp === 'a whole number' && typeof value === 'number' ? `the fraction ${value}` : kindOf(value);
  ctx.collector.report(path, 'spec.wrong_type', `expected ${exp}, got ${got}`, writeHint(schema));
}
