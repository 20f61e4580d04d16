/**
 * Fast paths for hot Faker methods. Faker's `internet.email` spends most of its ~2.5 µs on Unicode
 * normalisation that is a no-op for ASCII names; at millions of rows that dominates generation.
 * This builds the same shape of value (`first.last42@provider`, the same strategies, separators and
 * provider list, from Faker's own locale data, drawn from our stream; every first name of the
 * locale and a suffix up to 999) and only normalises when a name is not plain ASCII.
 */
import type { Faker } from '@faker-js/faker';
import type { Stream } from '../random/stream.js';

const PLAIN = /^[A-Za-z0-9 '._-]*$/;

const SAFE = /^[A-Za-z0-9_-][A-Za-z0-9._-]*$/;

export const PLAIN_NAME = /^[A-Za-z0-9_-]+$/;

export function cleanLocalPart(s: string): string {
  // Common case: ASCII letters, digits and single dots, nothing to strip.
  if (s.length <= 50 && SAFE.test(s) && !s.endsWith('.') && !s.includes('..')) return s;
  let out = PLAIN.test(s) ? s : s.normalize('NFKD').replace(/[\u0300-\u036f]/g, '');
  out = out
    .replace(/[' ]/g, '')
    .replace(/[^A-Za-z0-9._+-]+/g, '')
    .slice(0, 50);
  return out
    .replace(/\.{2,}/g, '.')
    .replace(/^\./, '')
    .replace(/\.$/, '');
}

function list(get: () => unknown): string[] | undefined {
  try {
    const v = get();
    return Array.isArray(v) && v.length > 0 && v.every((x) => typeof x === 'string')
      ? (v as string[])
      : undefined;
  } catch {
    return undefined; // Faker throws when a locale lacks the data
  }
}

/**
 * A fast equivalent of a Faker method, drawing straight from our stream, or undefined when there is
 * none for `path` (then Faker itself is called).
 */
export function fastFakerMethod(faker: Faker, path: string): ((rng: Stream) => string) | undefined {
  if (path !== 'internet.email') return undefined;
  const providers = list(() => faker.definitions.internet.free_email);
  const person = faker.definitions.person;
  // Every first name the locale has (generic, female and male, once each): the generic list alone
  // is 232 names in en, which gave 77–99 duplicate addresses in 10,000 rows (Faker itself: 3).
  const firsts = [
    ...new Set([
      ...(list(() => person.first_name.generic) ?? []),
      ...(list(() => person.first_name.female) ?? []),
      ...(list(() => person.first_name.male) ?? []),
    ]),
  ];
  const lasts = list(() => person.last_name.generic);
  if (!providers || firsts.length === 0 || !lasts) return undefined;
  // Names made only of [A-Za-z0-9_-] joined by one '.' or '_' (and digits) are already what
  // cleanLocalPart returns (when at most 50 long): flag them once instead of testing every value.
  const plainFirst = firsts.map((x) => PLAIN_NAME.test(x));
  const plainLast = lasts.map((x) => PLAIN_NAME.test(x));
  return (rng) => {
    const provider = providers[rng.nextInt(providers.length)];
    const f = rng.nextInt(firsts.length);
    const first = firsts[f];
    let plain = plainFirst[f];
    // Faker's last-name pattern: 5% double-barrelled.
    let last: string;
    if (rng.nextInt(100) < 5) {
      const a = rng.nextInt(lasts.length);
      const b = rng.nextInt(lasts.length);
      last = `${lasts[a]}-${lasts[b]}`;
      plain = plain && plainLast[a] && plainLast[b];
    } else {
      const a = rng.nextInt(lasts.length);
      last = lasts[a];
      plain = plain && plainLast[a];
    }
    const sep = rng.nextInt(2) === 0 ? '.' : '_';
    // A suffix up to 999 (Faker: 99) keeps `first42@` addresses apart in large tables.
    const n = rng.nextInt(1000);
    const k = rng.nextInt(3);
    const user = k === 0 ? `${first}${sep}${last}${n}` : k === 1 ? `${first}${sep}${last}` : `${first}${n}`;
    return `${plain && user.length <= 50 ? user : cleanLocalPart(user)}@${provider}`;
  };
}
