/**
 * Each kind of bad spec must produce a message that names the place (file:line:col), the dotted
 * spec path and the fix. Expected columns are computed from the text (`at`), not from the locator.
 */
import { describe, expect, it } from 'vitest';
import { checkSpecText, parseSpecText, SpecError } from './index.js';

const FILE = 'spec.yaml';

/** A one-table spec; column lines start on line 5, `extra` follows the columns. */
const spec = (columns: string, extra = '') =>
  `strata: 1\ntables:\n  customer:\n    columns:\n${columns}${extra}`;

/** `spec.yaml:L:C` where C is the 1-based column of `needle` on line L of `text`. */
function at(text: string, line: number, needle: string): string {
  const i = text.split('\n')[line - 1].indexOf(needle);
  if (i < 0) throw new Error(`"${needle}" not on line ${line}`);
  return `${FILE}:${line}:${i + 1}`;
}

function messages(text: string): string[] {
  return checkSpecText(text, FILE).issues.map((i) => i.format());
}

interface Case {
  kind: string;
  text: string;
  /** Build the one expected message (or several) from the text. */
  expected: (text: string) => string[];
  code: string;
}

const AGE_OK = '      age: { type: integer, dist: { normal: { mean: 41, sd: 13 } } }\n';

const cases: Case[] = [
  {
    kind: 'parent cycle (relational)',
    text: 'strata: 1\ntables:\n  a:\n    parent: b\n    columns:\n      id: { type: id }\n  b:\n    parent: a\n    columns:\n      id: { type: id }\n',
    code: 'spec.parent_cycle',
    expected: (t) => [
      `${at(t, 4, 'b')} tables.a.parent: parent cycle: a → b → a — tables form a tree: one of these tables must have no parent (a root)`,
    ],
  },
  {
    kind: 'parent names a missing table (relational)',
    text: 'strata: 1\ntables:\n  patients:\n    key: pid\n    columns:\n      pid: { type: id }\n  visits:\n    parent: patient\n    columns:\n      t: { type: number, dist: { normal: { mean: 0, sd: 1 } } }\n',
    code: 'spec.unknown_table',
    expected: (t) => [
      `${at(t, 8, 'patient')} tables.visits.parent: parent names unknown table "patient" — did you mean "patients"?`,
    ],
  },
  {
    kind: 'key is not an id column (relational)',
    text: 'strata: 1\ntables:\n  patients:\n    key: name\n    columns:\n      name: { type: string, faker: person.fullName }\n',
    code: 'spec.key_not_id',
    expected: (t) => [
      `${at(t, 4, 'name')} tables.patients.key: key "name" is a string column; a key must be an id column (unique by construction) — declare it as name: { type: id }`,
    ],
  },
  {
    kind: 'prev outside a sequence (relational)',
    text: 'strata: 1\ntables:\n  patients:\n    columns:\n      pid: { type: id }\n  visits:\n    parent: patients\n    columns:\n      t: { type: number, given: [prev.t], dist: { normal: { mean: 0, sd: 1 } } }\n',
    code: 'spec.out_of_scope',
    expected: (t) => [
      `${at(t, 9, 'prev.t')} tables.visits.columns.t.given[0]: prev.t needs a sequence — add sequence: { order: … } to table "visits"`,
    ],
  },
  {
    kind: 'unknown distribution',
    text: spec('      age: { type: integer, dist: { normall: { mean: 41, sd: 13 } } }\n'),
    code: 'spec.unknown_distribution',
    expected: (t) => [
      `${at(t, 5, 'normall')} tables.customer.columns.age.dist: unknown distribution "normall" — did you mean "normal"?`,
    ],
  },
  {
    kind: 'unknown distribution parameter',
    text: spec(
      '      age:\n        type: number\n        dist:\n          normal: { mean: 41, sigma: 13 }\n',
    ),
    code: 'spec.unknown_parameter',
    expected: (t) => [
      `${at(t, 8, 'sigma')} tables.customer.columns.age.dist.normal.sigma: normal needs "mean" and "sd"; "sigma" is not a parameter — did you mean "sd"?`,
    ],
  },
  {
    kind: 'missing distribution parameter',
    text: spec('      w: { type: number, dist: { gamma: { shape: 2 } } }\n'),
    code: 'spec.missing_parameter',
    expected: (t) => [
      `${at(t, 5, 'gamma')} tables.customer.columns.w.dist.gamma: gamma needs "shape" and "scale"; "scale" is missing — add scale: <number or expression>`,
    ],
  },
  {
    kind: 'unknown column type',
    text: spec('      name: { type: strng, faker: person.fullName }\n'),
    code: 'spec.unknown_value',
    expected: (t) => [
      `${at(t, 5, 'strng')} tables.customer.columns.name.type: unknown column type "strng" — did you mean "string"?`,
    ],
  },
  {
    kind: 'unknown key with did-you-mean',
    text: spec('      age: { type: integer, dist: { normal: { mean: 41, sd: 13 } }, mni: 18 }\n'),
    code: 'spec.unknown_key',
    expected: (t) => [
      `${at(t, 5, 'mni')} tables.customer.columns.age.mni: unknown key "mni" — did you mean "min"?`,
    ],
  },
  {
    kind: 'unknown table key with did-you-mean',
    text: spec(AGE_OK, '    rulez: []\n'),
    code: 'spec.unknown_key',
    expected: (t) => [
      `${at(t, 6, 'rulez')} tables.customer.rulez: unknown key "rulez" — did you mean "rules"?`,
    ],
  },
  {
    kind: 'wrong value type (list for a param)',
    text: spec('      vip: { type: boolean, p: [0.1, 0.2] }\n'),
    code: 'spec.wrong_type',
    expected: (t) => [
      `${at(t, 5, '[0.1')} tables.customer.columns.vip.p: expected a number or an expression string, got a list — write a number like 0.5, or an expression in quotes like "age * 2"`,
    ],
  },
  {
    kind: 'wrong value type (text for a whole number)',
    text: spec(AGE_OK, '    rows: many\n'),
    code: 'spec.wrong_type',
    expected: (t) => [
      `${at(t, 6, 'many')} tables.customer.rows: expected a whole number, got the string "many" — write a plain number, without quotes`,
    ],
  },
  {
    kind: 'YAML syntax error',
    text: spec(AGE_OK, '    rules:\n      - { name: r, check: "a" \n'),
    code: 'spec.yaml_syntax',
    expected: () => [
      `${FILE}:8:1: YAML syntax error: Flow map in block collection must be sufficiently indented and end with a } — check the indentation and that every [ and { is closed`,
    ],
  },
  {
    kind: 'unclosed quote (pointed at where it opens)',
    text: spec('      age: { type: "integer }\n      b: { type: number }\n'),
    code: 'spec.yaml_syntax',
    expected: (t) => [
      `${at(t, 5, '"integer')} tables.customer.columns.age.type: YAML syntax error: this quoted string is never closed — add the closing quote (it runs to the end of the file)`,
    ],
  },
  {
    kind: 'tab indentation',
    text: 'strata: 1\ntables:\n\tcustomer: {}\n',
    code: 'spec.yaml_syntax',
    expected: () => [
      `${FILE}:3:1: YAML syntax error: Tabs are not allowed as indentation — indent with spaces, not tabs`,
    ],
  },
  {
    kind: 'duplicate key',
    text: spec(`${AGE_OK}${AGE_OK}`),
    code: 'spec.duplicate_key',
    expected: (t) => [
      `${at(t, 6, 'age')} tables.customer.columns.age: duplicate key "age" — each key may appear once in a map; merge the two entries or rename one`,
    ],
  },
  {
    kind: 'missing version',
    text: spec(AGE_OK).replace('strata: 1\n', ''),
    code: 'spec.missing_version',
    expected: () => [`${FILE}:1:1: missing format version "strata" — add "strata: 1" as the first line`],
  },
  {
    kind: 'version not 1',
    text: spec(AGE_OK).replace('strata: 1', 'strata: 2'),
    code: 'spec.bad_version',
    expected: () => [
      `${FILE}:1:9 strata: unsupported format version 2 — this version of Strata reads "strata: 1"`,
    ],
  },
  {
    kind: 'given names an unknown column',
    text: spec(
      `${AGE_OK}      income: { type: number, given: [agee], dist: { lognormal: { meanlog: "10 + 0.01*agee", sdlog: 0.5 } } }\n`,
    ),
    code: 'spec.unknown_column',
    expected: (t) => [
      `${at(t, 6, 'agee]')} tables.customer.columns.income.given[0]: given names unknown column "agee" — did you mean "age"?`,
    ],
  },
  {
    kind: 'dist on a category column',
    text: spec('      seg: { type: category, dist: { normal: { mean: 0, sd: 1 } } }\n'),
    code: 'spec.mechanism_type',
    expected: (t) => [
      `${at(t, 5, 'dist')} tables.customer.columns.seg.dist: "dist" does not fit a category column — a category column takes values, conditional or expr`,
    ],
  },
  {
    kind: 'values on a number column',
    text: spec('      x: { type: number, values: [1, 2] }\n'),
    code: 'spec.mechanism_type',
    expected: (t) => [
      `${at(t, 5, 'values')} tables.customer.columns.x.values: "values" does not fit a number column — a number column takes dist, conditional or expr`,
    ],
  },
  {
    kind: 'faker on a non-string and id: on a non-id column',
    text: spec('      n: { type: integer, faker: number.int, id: uuid }\n'),
    code: 'spec.mechanism_type',
    expected: (t) => [
      `${at(t, 5, 'faker')} tables.customer.columns.n.faker: "faker" does not fit an integer column — an integer column takes dist, conditional, values or expr`,
      `${at(t, 5, 'id:')} tables.customer.columns.n.id: "id" only applies to id columns — remove it, or use type: id`,
    ],
  },
  {
    kind: 'no mechanism',
    text: spec('      when: { type: datetime }\n'),
    code: 'spec.no_mechanism',
    expected: (t) => [
      `${at(t, 5, 'when')} tables.customer.columns.when: datetime column "when" has no mechanism — add dist, conditional or expr`,
    ],
  },
  {
    kind: 'min > max',
    text: spec('      age: { type: integer, dist: { normal: { mean: 41, sd: 13 } }, min: 95, max: 18 }\n'),
    code: 'spec.min_above_max',
    expected: (t) => [
      `${at(t, 5, '95')} tables.customer.columns.age.min: min (95) is greater than max (18) — swap min and max, or fix one of them`,
    ],
  },
  {
    kind: 'bad ISO date',
    text: spec(
      '      opened: { type: date, dist: { uniform: { min: "2015-01-01", max: "2025-12-31" } }, max: "2025-02-30" }\n',
    ),
    code: 'spec.bad_date',
    expected: (t) => [
      `${at(t, 5, '"2025-02-30"')} tables.customer.columns.opened.max: "2025-02-30" is not an ISO date — write YYYY-MM-DD or YYYY-MM-DDTHH:mm:ssZ`,
    ],
  },
  {
    kind: 'unknown faker method',
    text: spec('      email: { type: string, faker: internet.emial }\n'),
    code: 'spec.unknown_faker',
    expected: (t) => [
      `${at(t, 5, 'internet')} tables.customer.columns.email.faker: unknown faker method "internet.emial" — did you mean "internet.email"?`,
    ],
  },
  {
    kind: 'unknown faker module',
    text: spec('      email: { type: string, faker: internett.email }\n'),
    code: 'spec.unknown_faker',
    expected: (t) => [
      `${at(t, 5, 'internett')} tables.customer.columns.email.faker: unknown faker module "internett" in "internett.email" — did you mean "internet.email"?`,
    ],
  },
  {
    kind: 'conditional when length',
    text: spec(
      `${AGE_OK}      seg:\n        type: category\n        conditional:\n          parents: [{ column: age, breaks: [30, 60] }]\n          rows:\n            - { when: ["0", "1"], values: { a: 1 } }\n`,
    ),
    code: 'spec.when_length',
    expected: (t) => [
      `${at(t, 11, '["0"')} tables.customer.columns.seg.conditional.rows[0].when: when has 2 labels but there is 1 parent — give one label per parent, in order: age`,
    ],
  },
  {
    kind: 'conditional when naming a state its parent cannot take (plain, in a list, past the bins)',
    text: spec(
      `      seg: { type: category, values: { __proto__: 0.5, retail: 0.5 } }\n${AGE_OK}      band:\n        type: category\n        conditional:\n          parents: [{ column: seg }, { column: age, breaks: [30] }]\n          rows:\n            - { when: [retial, "0"], values: { a: 1 } }\n            - { when: [[__proto__, toString], "*"], values: { a: 1 } }\n            - { when: [NA, "2"], values: { a: 1 } }\n          default: { values: { b: 1 } }\n`,
    ),
    code: 'spec.unknown_state',
    expected: (t) => [
      `${at(t, 12, 'retial')} tables.customer.columns.band.conditional.rows[0].when[0]: "retial" is not a state of parent "seg", so this row never applies to it — did you mean "retail"?`,
      `${at(t, 13, '[__proto__')} tables.customer.columns.band.conditional.rows[1].when[0]: "toString" is not a state of parent "seg", so this row never applies to it — states of "seg": __proto__, retail (or "*", or NA for missing)`,
      `${at(t, 14, '"2"')} tables.customer.columns.band.conditional.rows[2].when[1]: "2" is not a state of parent "age", so this row never applies to it — states of "age": 0, 1 (or "*", or NA for missing)`,
    ],
  },
  {
    kind: 'two conditional rows for the same exact state',
    text: spec(
      `      seg: { type: category, values: { a: 0.5, b: 0.5 } }\n      band:\n        type: category\n        conditional:\n          parents: [{ column: seg }]\n          rows:\n            - { when: [a], values: { x: 1 } }\n            - { when: [a], values: { y: 1 } }\n          default: { values: { z: 1 } }\n`,
    ),
    code: 'spec.duplicate_state',
    expected: (t) => [
      `${at(t, 12, '[a]')} tables.customer.columns.band.conditional.rows[1].when: rows[0] already names this parent state, so one of the two rows is never used — merge the two rows, or change one of their when entries`,
    ],
  },
  {
    kind: 'conditional parent not in the table, breaks not ascending',
    text: spec(
      `${AGE_OK}      seg:\n        type: category\n        conditional:\n          parents: [{ column: aeg, breaks: [60, 30] }]\n          rows: []\n          default: { values: [a, b] }\n`,
    ),
    code: 'spec.unknown_column',
    expected: (t) => [
      `${at(t, 9, 'aeg')} tables.customer.columns.seg.conditional.parents[0].column: conditional parent names unknown column "aeg" — did you mean "age"?`,
      `${at(t, 9, '30]')} tables.customer.columns.seg.conditional.parents[0].breaks[1]: breaks must be strictly ascending: 30 comes after 60 — sort the cut points and remove duplicates`,
    ],
  },
  {
    kind: 'negative and all-zero category weights',
    text: spec(
      '      a: { type: category, values: { x: 0.5, y: -0.1 } }\n      b: { type: category, values: { x: 0, y: 0 } }\n',
    ),
    code: 'spec.negative_weight',
    expected: (t) => [
      `${at(t, 5, '-0.1')} tables.customer.columns.a.values.y: weight of "y" is negative (-0.1) — weights must be ≥ 0`,
      `${at(t, 6, '{ x: 0')} tables.customer.columns.b.values: all weights are zero — give at least one value a positive weight`,
    ],
  },
  {
    kind: 'empirical knots decreasing and atoms over 1',
    text: spec(
      '      x: { type: number, dist: { empirical: { knots: [0, 5, 3], atoms: { "0": 0.7, "1": 0.6 } } } }\n',
    ),
    code: 'spec.knots_order',
    expected: (t) => [
      `${at(t, 5, '3]')} tables.customer.columns.x.dist.empirical.knots[2]: knots must not decrease: 3 comes after 5 — sort the knots ascending (they are quantiles)`,
      `${at(t, 5, '{ "0"')} tables.customer.columns.x.dist.empirical.atoms: atom probabilities sum to 1.3, more than 1 — atoms are point masses; their probabilities must sum to at most 1`,
    ],
  },
  {
    kind: 'decimals on a non-number',
    text: spec('      k: { type: integer, values: [1, 2], decimals: 2 }\n'),
    code: 'spec.misplaced_key',
    expected: (t) => [
      `${at(t, 5, 'decimals')} tables.customer.columns.k.decimals: "decimals" applies to number columns, not integer — remove it, or use type: number`,
    ],
  },
  {
    kind: 'coverage names an unknown column',
    text: spec(AGE_OK, 'coverage:\n  customer:\n    axes: [aeg]\n'),
    code: 'spec.unknown_column',
    expected: (t) => [
      `${at(t, 8, 'aeg')} coverage.customer.axes[0]: coverage axis names unknown column "aeg" — did you mean "age"?`,
    ],
  },
  {
    kind: 'coverage names an unknown table',
    text: spec(AGE_OK, 'coverage:\n  customers:\n    axes: [age]\n'),
    code: 'spec.unknown_table',
    expected: (t) => [
      `${at(t, 7, 'customers')} coverage.customers: unknown table "customers" — did you mean "customer"?`,
    ],
  },
  {
    kind: 'tails names an unknown table',
    text: spec(AGE_OK, 'tails:\n  - { name: old, table: custmer, when: "age > 90", share: 0.01 }\n'),
    code: 'spec.unknown_table',
    expected: (t) => [
      `${at(t, 7, 'custmer')} tails[0].table: unknown table "custmer" — did you mean "customer"?`,
    ],
  },
  {
    kind: 'scenario do names an unknown column',
    text: spec(AGE_OK, 'scenarios:\n  - { name: older, do: { agee: 70 } }\n'),
    code: 'spec.unknown_column',
    expected: (t) => [
      `${at(t, 7, 'agee')} scenarios[0].do.agee: scenario do names unknown column "agee" — did you mean "age"?`,
    ],
  },
  {
    kind: 'a seed that is not a whole number (one seed rule and code everywhere)',
    text: spec(AGE_OK, 'seed: 1.5\n'),
    code: 'seed.invalid',
    expected: (t) => [
      `${at(t, 6, '1.5')} seed: seed 1.5 is not a whole number from -9007199254740991 to 9007199254740991 (±(2^53-1)) — e.g. seed: 42`,
    ],
  },
  {
    kind: 'duplicate rule names',
    text: spec(
      AGE_OK,
      '    rules:\n      - { name: adult, check: "age >= 18" }\n      - { name: adult, check: "age < 120" }\n',
    ),
    code: 'spec.duplicate_rule',
    expected: (t) => [
      `${at(t, 8, 'adult')} tables.customer.rules[1].name: duplicate rule name "adult" (first used at rules[0]) — give each rule a unique name`,
    ],
  },
  {
    kind: 'distribution written without dist:',
    text: spec('      age: { type: integer, normal: { mean: 41, sd: 13 } }\n'),
    code: 'spec.unknown_key',
    expected: (t) => [
      `${at(t, 5, 'normal')} tables.customer.columns.age.normal: unknown key "normal" — a distribution goes under dist: write dist: { normal: { … } }`,
    ],
  },
  {
    kind: 'two distributions in one dist',
    text: spec(
      '      x: { type: number, dist: { normal: { mean: 0, sd: 1 }, uniform: { min: 0, max: 1 } } }\n',
    ),
    code: 'spec.dist_shape',
    expected: (t) => [
      `${at(t, 5, '{ normal')} tables.customer.columns.x.dist: a dist names exactly one distribution, found "normal" and "uniform" — keep one of them`,
    ],
  },
  {
    kind: 'literal parameters that cannot work',
    text: spec(
      '      x: { type: number, dist: { normal: { mean: 0, sd: -1 } } }\n      d: { type: datetime, dist: { uniform: { min: "2025-01-01", max: "2015-01-01" } } }\n',
    ),
    code: 'spec.bad_parameter',
    expected: (t) => [
      `${at(t, 5, '-1')} tables.customer.columns.x.dist.normal.sd: normal sd must be > 0, got -1 — use a positive sd`,
      `${at(t, 6, '"2025')} tables.customer.columns.d.dist.uniform.min: uniform min (2025-01-01) is greater than max (2015-01-01) — swap min and max`,
    ],
  },
  {
    kind: 'coverage cell names an unknown axis; axis with neither column nor expr',
    text: spec(
      AGE_OK,
      'coverage:\n  customer:\n    axes: [age, { name: band }]\n    cells:\n      - { when: { ag: 30 }, min: 5 }\n',
    ),
    code: 'spec.unknown_column',
    expected: (t) => [
      `${at(t, 8, 'band')} coverage.customer.axes[1].name: axis "band" has no column or expr, and no column has that name — add column: <name> or expr: "<expression>"`,
      `${at(t, 10, 'ag:')} coverage.customer.cells[0].when.ag: cell names unknown axis "ag" — did you mean "age"?`,
    ],
  },
  {
    kind: 'scenario names an unknown table; duplicate tail names',
    text: spec(
      AGE_OK,
      'tails:\n  - { name: old, when: "age > 90", share: 0.01 }\n  - { name: old, when: "age > 95", share: 0.01 }\nscenarios:\n  - { name: s, table: custmer, do: { age: 70 } }\n',
    ),
    code: 'spec.duplicate_tail',
    expected: (t) => [
      `${at(t, 8, 'old')} tails[1].name: duplicate tail name "old" (first used at tails[0]) — give each tail a unique name`,
      `${at(t, 10, 'custmer')} scenarios[0].table: unknown table "custmer" — did you mean "customer"?`,
    ],
  },
  {
    kind: 'version written as a string',
    text: spec(AGE_OK).replace('strata: 1', 'strata: "1"'),
    code: 'spec.bad_version',
    expected: () => [
      `${FILE}:1:9 strata: unsupported format version "1" — write the version as a number: "strata: 1" (no quotes)`,
    ],
  },
  {
    kind: 'missing required key',
    text: 'strata: 1\ntables:\n  customer:\n    rows: 10\n',
    code: 'spec.missing_key',
    expected: (t) => [
      `${at(t, 4, 'rows')} tables.customer: missing required key "columns" — add columns: (a map)`,
    ],
  },
  {
    kind: 'empty file',
    text: '# nothing here yet\n',
    code: 'spec.empty',
    expected: () => [
      `${FILE}:1:1: the spec is empty — start with "strata: 1" and a "tables:" map (see examples/)`,
    ],
  },
];

describe('bad specs: every message names file:line:col, the path and the fix', () => {
  it.each(cases)('$kind', ({ text, expected, code }) => {
    const want = expected(text);
    expect(messages(text)).toEqual(want);
    expect(checkSpecText(text, FILE).issues[0].code).toBe(code);
    const err = (() => {
      try {
        parseSpecText(text, FILE);
      } catch (e) {
        return e;
      }
    })();
    expect(err).toBeInstanceOf(SpecError);
    expect((err as SpecError).issues).toHaveLength(want.length);
  });

  it('has at least 15 kinds', () => {
    expect(new Set(cases.map((c) => c.code)).size).toBeGreaterThanOrEqual(15);
  });

  it('reports many problems together, in file order, with a count', () => {
    const text = spec(
      [
        '      age: { type: integer, dist: { normall: { mean: 41, sd: 13 } }, min: 95, max: 18 }',
        '      seg: { type: categroy, values: [a, b] }',
        '      email: { type: string, faker: internet.emial }',
        '',
      ].join('\n'),
      'tails:\n  - { name: t, table: custmer, when: "age > 90", share: 0.01 }\n',
    ).replace('strata: 1', 'strata: 3');
    const err = (() => {
      try {
        parseSpecText(text, FILE);
      } catch (e) {
        return e as SpecError;
      }
    })();
    expect(err).toBeInstanceOf(SpecError);
    expect(err?.format().split('\n')).toEqual([
      `${FILE}:1:9 strata: unsupported format version 3 — this version of Strata reads "strata: 1"`,
      `${at(text, 5, 'normall')} tables.customer.columns.age.dist: unknown distribution "normall" — did you mean "normal"?`,
      `${at(text, 5, '95')} tables.customer.columns.age.min: min (95) is greater than max (18) — swap min and max, or fix one of them`,
      `${at(text, 6, 'categroy')} tables.customer.columns.seg.type: unknown column type "categroy" — did you mean "category"?`,
      `${at(text, 7, 'internet')} tables.customer.columns.email.faker: unknown faker method "internet.emial" — did you mean "internet.email"?`,
      `${at(text, 9, 'custmer')} tails[0].table: unknown table "custmer" — did you mean "customer"?`,
      `6 problems in ${FILE}`,
    ]);
  });

  it('accepts what the checks allow: rows omitted, expression weights, id columns, date bounds in order', () => {
    const text = spec(
      [
        '      id: { type: id, id: uuid }',
        AGE_OK.trimEnd(),
        '      seg: { type: category, values: { a: "age > 30 ? 1 : 0", b: 1 } }',
        '      opened: { type: datetime, dist: { uniform: { min: "2015-01-01", max: "2025-12-31T23:59:59Z" } }, min: "2015-01-01", max: "2025-12-31", format: iso }',
        '      score: { type: derived, expr: "age * 2" }',
        '      vip: { type: boolean, conditional: { parents: [{ column: seg }], rows: [{ when: [a], p: 0.3 }], default: { p: 0.1 } } }',
        '',
      ].join('\n'),
    );
    expect(messages(text)).toEqual([]);
  });

  it('reads a parent whose own name has dots as a column of the table, not a qualified name', () => {
    const text = [
      'strata: 1',
      'tables:',
      '  credit:',
      '    rows: 10',
      '    columns:',
      '      default.payment.next.month: { type: category, values: { "0": 0.8, "1": 0.2 } }',
      '      limit:',
      '        type: category',
      '        given: [default.payment.next.month]',
      '        conditional:',
      '          parents: [{ column: default.payment.next.month }]',
      '          rows: [{ when: ["1"], values: { low: 0.9, high: 0.1 } }]',
      '          default: { values: { low: 0.5, high: 0.5 } }',
      '',
    ].join('\n');
    expect(messages(text)).toEqual([]);
  });
});
