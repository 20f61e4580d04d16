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

/** Methods that pick from a list the caller passes: a category column does that in a spec. */
const PICKS_FROM_A_LIST = new Set([
  'helpers.arrayElement',
  'helpers.arrayElements',
  'helpers.weightedArrayElement',
  'helpers.shuffle',
  'helpers.objectKey',
  'helpers.objectValue',
  'helpers.objectEntry',
  'helpers.enumValue',
  'helpers.uniqueArray',
  'helpers.multiple',
  'helpers.maybe',
]);

const called = new Map<string, { message: string; hint: string } | undefined>();

/**
 * A spec calls a Faker method with no arguments. Methods that need some (`helpers.arrayElement`,
 * `date.between`, `string.fromCharacters`…) threw a TypeError from inside Faker at generate time
 * (issue 13 item 4); methods that return a list or only empty strings without them
 * (`helpers.multiple`, `helpers.slugify`) wrote useless columns. Each method is tried once, here,
 * on a seeded Faker of its own.
 */
function fakerCallProblem(method: string): { message: string; hint: string } | undefined {
  if (called.has(method)) return called.get(method);
  const { faker } = requireFaker('@faker-js/faker/locale/en') as { faker: Faker };
  const [mod, fn] = method.split('.');
  const owner = (faker as unknown as Record<string, Record<string, unknown>>)[mod];
  const hint = PICKS_FROM_A_LIST.has(method)
    ? 'for a choice among fixed values use a category column: `type: category, values: [a, b, c]`'
    : 'Strata calls Faker methods without arguments: choose one that needs none (e.g. person.firstName), or use `values:` or `expr:`';
  let problem: { message: string; hint: string } | undefined;
  try {
    faker.seed(1);
    const results: unknown[] = [];
    for (let i = 0; i < 5; i++) results.push((owner[fn] as () => unknown).call(owner));
    if (results.some((v) => typeof v === 'object' && v !== null && !(v instanceof Date))) {
      problem = { message: `faker method "${method}" gives a list or an object, not one value`, hint };
    } else if (results.every((v) => v === '' || v === undefined || v === null)) {
      problem = { message: `faker method "${method}" gives only empty values without arguments`, hint };
    }
  } catch {
    problem = { message: `faker method "${method}" needs arguments, and a spec cannot pass any`, hint };
  }
  called.set(method, problem);
  return problem;
}

/** undefined when `method` (like `internet.email`) exists and works without arguments; otherwise a message and a hint. */
export function fakerMethodProblem(method: string): { message: string; hint: string } | undefined {
  const modules = fakerModules();
  const [mod, fn, ...rest] = method.split('.');
  const methods = modules.get(mod);
  if (methods && fn !== undefined && rest.length === 0 && methods.includes(fn))
    return fakerCallProblem(method);
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
