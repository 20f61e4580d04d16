/** Plain-words descriptions of values and of what a schema expects, for error messages. */
import type { z } from 'zod';
import { CategoryValues, CoverageAxis, Dist, Param } from './schema.js';

/** The parts of zod 4's schema definition that messages need (`schema._zod.def`). */
export interface SchemaDef {
  type: string;
  shape?: Record<string, z.ZodType>;
  valueType?: z.ZodType;
  element?: z.ZodType;
  innerType?: z.ZodType;
  options?: readonly z.ZodType[];
  entries?: Record<string, string | number>;
  values?: readonly unknown[];
  format?: string;
}

export function defOf(schema: z.ZodType): SchemaDef {
  return (schema as unknown as { _zod: { def: SchemaDef } })._zod.def;
}

/** zod 4 classic exposes `format: 'safeint'` on `z.number().int()`. */
function formatOf(schema: z.ZodType): string {
  return (schema as unknown as { format?: string | null }).format ?? '';
}

/** Strip optional/nullable/default wrappers. */
export function unwrap(schema: z.ZodType): z.ZodType {
  let s = schema;
  for (;;) {
    const def = defOf(s);
    if ((def.type === 'optional' || def.type === 'nullable' || def.type === 'default') && def.innerType) {
      s = def.innerType;
    } else {
      return s;
    }
  }
}

/** The schema that applies at `path` below `root`, or undefined (union branches chosen by the key's kind). */
export function schemaAt(root: z.ZodType, path: readonly PropertyKey[]): z.ZodType | undefined {
  let s: z.ZodType | undefined = unwrap(root);
  for (let i = 0; i < path.length && s; i++) {
    const seg = path[i];
    const def = defOf(s);
    if (def.type === 'object') s = def.shape?.[String(seg)];
    else if (def.type === 'record') s = def.valueType;
    else if (def.type === 'array') s = typeof seg === 'number' ? def.element : undefined;
    else if (def.type === 'union') {
      const rest = path.slice(i);
      for (const option of def.options ?? []) {
        const found = schemaAt(option, rest);
        if (found) return found;
      }
      return undefined;
    } else s = undefined;
    if (s) s = unwrap(s);
  }
  return s;
}

/**
 * Keyed by definition, not by schema object: `.describe()` (each law's parameters carry their
 * docs) makes a new schema object that shares its definition.
 */
const NAMED = new Map<SchemaDef, string>([
  [defOf(Param), 'a number or an expression string'],
  [defOf(CategoryValues), 'a map of value: weight, or a list of values'],
  [defOf(CoverageAxis), 'a column name or an axis map like { name: band, column: age, bins: [25, 65] }'],
  [defOf(Dist), 'a distribution like { normal: { mean: 0, sd: 1 } }'],
]);

const same = (s: z.ZodType | undefined, known: z.ZodType) => s !== undefined && defOf(s) === defOf(known);

/** "a number", "a map", "a number or an expression string", ... */
export function expectedText(schema: z.ZodType | undefined, fallback?: string): string {
  if (schema) {
    const s = unwrap(schema);
    const named = NAMED.get(defOf(s));
    if (named) return named;
    const def = defOf(s);
    switch (def.type) {
      case 'number':
        return (def.format ?? formatOf(s)).includes('int') ? 'a whole number' : 'a number';
      case 'int':
        return 'a whole number';
      case 'string':
        return 'a string';
      case 'boolean':
        return 'true or false';
      case 'object':
      case 'record':
        return 'a map';
      case 'array':
        return 'a list';
      case 'enum':
        return `one of ${Object.values(def.entries ?? {}).join(', ')}`;
      case 'literal':
        return (def.values ?? []).map((v) => JSON.stringify(v)).join(' or ');
      case 'union': {
        const parts = [...new Set((def.options ?? []).map((o) => expectedText(o)))];
        return parts.length > 1 ? `${parts.slice(0, -1).join(', ')} or ${parts[parts.length - 1]}` : parts[0];
      }
    }
  }
  if (fallback === 'int') return 'a whole number';
  if (fallback === 'object' || fallback === 'record') return 'a map';
  if (fallback === 'array') return 'a list';
  return fallback ? `a ${fallback}` : 'something else';
}

/** How to write a value of that kind, as a hint. */
export function writeHint(schema: z.ZodType | undefined): string {
  const s = schema ? unwrap(schema) : undefined;
  if (same(s, Param)) return 'write a number like 0.5, or an expression in quotes like "age * 2"';
  if (same(s, CategoryValues)) return 'write { a: 0.7, b: 0.3 } or [a, b]';
  if (same(s, Dist)) return 'write { normal: { mean: 0, sd: 1 } }';
  const type = s ? defOf(s).type : undefined;
  if (type === 'number') return 'write a plain number, without quotes';
  if (type === 'string') return 'write text (quote it if it looks like a number or true/false)';
  if (type === 'boolean') return 'write true or false';
  if (type === 'object' || type === 'record') return 'write a map of key: value entries';
  if (type === 'array') return 'write a list like [a, b] or one "- item" per line';
  return 'see `strata schema` for the allowed shape';
}

/** "a list", "the string "abc"", "the number 3", "nothing (null)". */
export function kindOf(value: unknown): string {
  if (value === null || value === undefined) return 'nothing (null)';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a map';
  if (typeof value === 'string')
    return `the string ${JSON.stringify(value.length > 40 ? `${value.slice(0, 37)}...` : value)}`;
  if (typeof value === 'number') return `the number ${value}`;
  if (typeof value === 'boolean') return String(value);
  return typeof value;
}

/** The zod kind a raw value would need to match: object, array, string, number, boolean. */
export function rawKind(value: unknown): string {
  if (value === null || value === undefined) return 'null';
  if (Array.isArray(value)) return 'array';
  return typeof value;
}

/** Whether a schema accepts values of this raw kind at the top level. */
export function acceptsKind(schema: z.ZodType, kind: string): boolean {
  const def = defOf(unwrap(schema));
  switch (def.type) {
    case 'object':
    case 'record':
      return kind === 'object';
    case 'array':
      return kind === 'array';
    case 'string':
    case 'enum':
      return kind === 'string';
    case 'number':
    case 'int':
      return kind === 'number';
    case 'boolean':
      return kind === 'boolean';
    case 'literal':
      return (def.values ?? []).some((v) => typeof v === kind);
    case 'union':
      return (def.options ?? []).some((o) => acceptsKind(o, kind));
    default:
      return false;
  }
}
