/**
 * Fast paths for hot Faker methods. Faker's `internet.email` spends most of its ~2.5 µs on Unicode
 * normalisation that is a no-op for ASCII names; at millions of rows that dominates generation.
 * This builds the same shape of value (`first.last42@provider`, the same strategies, separators and
 * provider list, from Faker's own locale data and random draws) and only normalises when a name
 * is not plain ASCII.
 */
import type { Faker } from '@faker-js/faker';

const PLAIN = /^[A-Za-z0-9 '._-]*$/;

function cleanLocalPart(s: string): string {
  let out = PLAIN.test(s) ? s : s.normalize('NFKD').replace(/[\u0300-\u036f]/g, '');
  out = out.replace(/[' ]/g, '').replace(/[^A-Za-z0-9._+-]+/g, '').slice(0, 50);
  return out.replace(/\.{2,}/g, '.').replace(/^\./, '').replace(/\.$/, '');
}

export function fastFakerMethod(faker: Faker, path: string): (() => string) | undefined {
  if (path !== 'internet.email') return undefined;
  const providers = faker.definitions.internet?.free_email;
  if (!providers || providers.length === 0) return undefined;
  const person = faker.person;
  const helpers = faker.helpers;
  const number = faker.number;
  return () => {
    const provider = helpers.arrayElement(providers);
    const first = person.firstName();
    const last = person.lastName();
    const sep = helpers.arrayElement(['.', '_']);
    const n = number.int(99);
    const k = number.int(2);
    const user = k === 0 ? `${first}${sep}${last}${n}` : k === 1 ? `${first}${sep}${last}` : `${first}${n}`;
    return `${cleanLocalPart(user)}@${provider}`;
  };
}
