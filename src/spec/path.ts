/** Spec paths (`['tables', 'customer', 'columns', 'age']`) and their dotted, human-readable form. */

export type SpecPath = readonly (string | number)[];

const PLAIN_KEY = /^[A-Za-z_][A-Za-z0-9_-]*$/;

/**
 * `tables.customer.columns.age.dist`, `rules[0].check`; keys that are not plain identifiers are
 * quoted so the path stays unambiguous: `values["high income"]`.
 */
export function dottedPath(path: SpecPath): string {
  let out = '';
  for (const seg of path) {
    if (typeof seg === 'number') out += `[${seg}]`;
    else if (PLAIN_KEY.test(seg)) out += out ? `.${seg}` : seg;
    else out += `[${JSON.stringify(seg)}]`;
  }
  return out;
}

/** The raw value at `path` inside a parsed YAML/JSON value, or undefined. */
export function valueAt(root: unknown, path: SpecPath): unknown {
  let node: unknown = root;
  for (const seg of path) {
    if (Array.isArray(node) && typeof seg === 'number') node = node[seg];
    else if (isPlainMap(node)) node = Object.hasOwn(node, String(seg)) ? node[String(seg)] : undefined;
    else return undefined;
  }
  return node;
}

export function isPlainMap(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
