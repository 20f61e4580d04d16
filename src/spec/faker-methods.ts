/** Which `module.method` names exist on `@faker-js/faker`'s `faker` object, for spec checks. */
import { createRequire } from 'node:module';
import type { Faker } from '@faker-js/faker';
import { didYouMean } from './did-you-mean.js';

const requireFaker = createRequire(import.meta.url);

let cache: Map<string, string[]> | undefined;

/** Faker modules and their callable methods (methods live on the module classes' prototypes). */
export function fakerModules(): ReadonlyMap<string, readonly string[]> {
  if (cache) return cache;
  // Loaded on the first faker: column checked, not with the spec parser. The en-only entry point:
  // same modules and methods, 4× faster to import than the all-locales one.
  const { faker } = requireFaker('@faker-js/faker/locale/en') as { faker: Faker };
  const modules = new Map<string, string[]>();
  const root = faker as unknown as Record<string, unknown>;
  for (const name of Object.keys(root)) {
    const mod = root[name];
    if (name.startsWith('_') || name === 'fakerCore' || typeof mod !== 'object' || mod === null) continue;
    const methods = new Set<string>();
    for (
      let proto = Object.getPrototypeOf(mod);
      proto && proto !== Object.prototype;
      proto = Object.getPrototypeOf(proto)
    ) {
      for (const m of Object.getOwnPropertyNames(proto)) {
        if (
          m !== 'constructor' &&
          !m.startsWith('_') &&
          typeof (mod as Record<string, unknown>)[m] === 'function'
        ) {
          methods.add(m);
        }
      }
    }
    if (methods.size > 0) modules.set(name, [...methods]);
  }
  cache = modules;
  return modules;
}

/** undefined when `method` (like `internet.email`) exists; otherwise a message and a hint. */
export function fakerMethodProblem(method: string): { message: string; hint: string } | undefined {
  const modules = fakerModules();
  const [mod, fn, ...rest] = method.split('.');
  const methods = modules.get(mod);
  if (methods && fn !== undefined && rest.length === 0 && methods.includes(fn)) return undefined;
  const all = [...modules].flatMap(([m, fns]) => fns.map((f) => `${m}.${f}`));
  const guess = didYouMean(method, all);
  const hint = guess
    ? `did you mean "${guess}"?`
    : methods
      ? `${mod} has: ${methods.slice(0, 12).join(', ')}${methods.length > 12 ? ', …' : ''}`
      : `write module.method, e.g. internet.email or person.fullName (modules: ${[...modules.keys()].join(', ')})`;
  if (!methods) return { message: `unknown faker module "${mod}" in "${method}"`, hint };
  if (fn === undefined || rest.length > 0)
    return { message: `faker method must be module.method, got "${method}"`, hint };
  return { message: `unknown faker method "${method}"`, hint };
}
