/**
 * User text is data, never a property of Object.prototype. A spec is a tree of maps keyed by user
 * names (tables, columns, category values, interventions); read as plain objects, a column called
 * `toString` or `constructor` that is absent from one map "exists" there (the inherited function),
 * and a key `__proto__` replaces the object's prototype instead of being stored. Every map of a
 * checked spec is therefore a null-prototype object (made so at the one boundary: the checks in
 * parse.ts, a worker's copy of the spec, and specs Strata builds itself), so `map[name]` is
 * `undefined` unless the user wrote `name`, and `name in map` is an own-key test.
 */

/** A map for lookups keyed by user text: no inherited keys. */
export function nameMap<V>(entries?: Iterable<readonly [string, V]>): Record<string, V> {
  const out = Object.create(null) as Record<string, V>;
  if (entries) for (const [k, v] of entries) out[k] = v;
  return out;
}

function isObjectLike(value: unknown): value is object {
  return typeof value === 'object' && value !== null;
}

/**
 * Give every plain object inside `value` (itself included) a null prototype, in place; arrays are
 * walked, other objects (Dates, typed arrays, Maps) are left alone. Returns `value`.
 */
export function nullPrototypes<T>(value: T): T {
  const stack: unknown[] = [value];
  const seen = new Set<object>();
  while (stack.length) {
    const node = stack.pop();
    if (!isObjectLike(node) || seen.has(node)) continue;
    seen.add(node);
    if (Array.isArray(node)) {
      for (const item of node) stack.push(item);
      continue;
    }
    const proto = Object.getPrototypeOf(node);
    if (proto !== Object.prototype && proto !== null) continue;
    if (proto !== null) Object.setPrototypeOf(node, null);
    for (const key of Object.keys(node)) stack.push((node as Record<string, unknown>)[key]);
  }
  return value;
}

/**
 * zod (the spec schema) drops every `__proto__` key it meets, so a column, table or category of
 * that name would vanish. The schema therefore sees it under this stand-in (a key nobody types:
 * it starts with a NUL), and the parsed spec gets the real name back.
 */
export const PROTO_STAND_IN = '\u0000__proto__';

/**
 * A deep copy of plain data (maps, arrays, scalars) whose maps have null prototypes; `__proto__`
 * keys are kept as own keys. `rename` swaps one key for another everywhere (see PROTO_STAND_IN).
 */
export function nullPrototypeCopy<T>(value: T, rename?: readonly [from: string, to: string]): T {
  // A YAML alias is one shared object, not a copy: the copy shares it too (one copy per original),
  // so nested aliases ("billion laughs") cost their node count, not their expanded size.
  const copies = new Map<object, unknown>();
  const copy = (node: unknown): unknown => {
    if (!isObjectLike(node)) return node;
    const done = copies.get(node);
    if (done !== undefined) return done;
    if (Array.isArray(node)) {
      const out: unknown[] = [];
      copies.set(node, out);
      for (const x of node) out.push(copy(x));
      return out;
    }
    const proto = Object.getPrototypeOf(node);
    if (proto !== Object.prototype && proto !== null) return node;
    const out = Object.create(null) as Record<string, unknown>;
    copies.set(node, out);
    for (const key of Object.keys(node)) {
      const name = rename && key === rename[0] ? rename[1] : key;
      out[name] = copy((node as Record<string, unknown>)[key]);
    }
    return out;
  };
  return copy(value) as T;
}

/** Paths (as key lists) of every own key `name` inside `value`; a shared (aliased) node is searched once. */
export function keyPaths(value: unknown, name: string): (string | number)[][] {
  const found: (string | number)[][] = [];
  const seen = new Set<object>();
  const stack: [unknown, (string | number)[]][] = [[value, []]];
  while (stack.length) {
    const [node, path] = stack.pop()!;
    if (!isObjectLike(node) || seen.has(node)) continue;
    seen.add(node);
    if (Array.isArray(node)) {
      for (let i = 0; i < node.length; i++) stack.push([node[i], [...path, i]]);
      continue;
    }
    for (const key of Object.keys(node)) {
      if (key === name) found.push([...path, key]);
      stack.push([(node as Record<string, unknown>)[key], [...path, key]]);
    }
  }
  return found;
}
