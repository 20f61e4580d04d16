import { describe, expect, it } from 'vitest';
import { checkSpecText } from './parse.js';

const spec = (method: string) =>
  `strata: 1\ntables: { t: { rows: 3, columns: { c: { type: string, faker: ${method} } } } }\n`;

describe('faker: methods that need arguments (issue 13 item 4)', () => {
  // Before: each of these passed the check and threw a TypeError from inside Faker at generate time
  // (helpers.arrayElement, date.between, string.fromCharacters), or wrote ",," / "" columns.
  it.each([
    ['helpers.arrayElement', /needs arguments/, /type: category/],
    ['helpers.objectKey', /needs arguments/, /type: category/],
    ['helpers.fake', /needs arguments/, /person\.firstName/],
    ['date.between', /needs arguments/, /without arguments/],
    ['string.fromCharacters', /needs arguments/, /without arguments/],
    ['helpers.multiple', /a list or an object/, /type: category/],
    ['helpers.slugify', /only empty values/, /without arguments/],
  ])('%s is refused at spec-check time with the fix', (method, message, hint) => {
    const { issues } = checkSpecText(spec(method), 's.yaml');
    expect(issues).toHaveLength(1);
    expect(issues[0].code).toBe('spec.unknown_faker');
    expect(issues[0].message).toMatch(message);
    expect(issues[0].hint).toMatch(hint);
    expect(issues[0].place.path).toBe('tables.t.columns.c.faker');
  });

  it.each([
    'internet.email',
    'person.firstName',
    'date.past',
    'number.int',
    'datatype.boolean',
    'string.uuid',
  ])('%s needs none and is accepted', (method) => {
    expect(checkSpecText(spec(method), 's.yaml').issues).toEqual([]);
  });
});
