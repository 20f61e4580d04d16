import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Block } from '../model/block.js';
import { compileTable } from '../model/compile.js';
import { isNumericKind, RowColumn } from '../model/row-columns.js';
import { isoString, roundTo, type Value } from '../model/values.js';
import { parseSpecText } from '../spec/index.js';
import { ByteWriter, blockToCsvBytes, writeColumnsCsv } from './csv-bytes.js';
import { blockToCsv, decimalText } from './testing/csv-reference.js';

const spec = parseSpecText(
  `
strata: 1
tables:
  t:
    columns:
      cat: { type: category, values: { "a,b": 1, 'say "x"': 1, " sp": 1, "é": 1, plain: 2 } }
      n2: { type: number, decimals: 2, dist: { normal: { mean: 0, sd: 1 } } }
      n12: { type: number, decimals: 12, dist: { normal: { mean: 0, sd: 1 } } }
      k: { type: integer, dist: { normal: { mean: 0, sd: 1 } } }
      flag: { type: boolean, p: 0.5 }
      text: { type: string, faker: person.lastName }
      at: { type: datetime, dist: { uniform: { min: "2015-01-01", max: "2025-12-31" } } }
      day: { type: date, dist: { uniform: { min: "2015-01-01", max: "2025-12-31" } } }
      pat: { type: datetime, format: "YYYY/MM/DD HH:mm", dist: { uniform: { min: "2015-01-01", max: "2025-12-31" } } }
`,
  't.yaml',
).spec;
const model = compileTable(spec, 't');
const decoder = new TextDecoder();

const text = fc.oneof(
  fc.string(),
  fc.string({ unit: 'grapheme' }),
  fc.constantFrom('plain', 'a,b', 'say "hi"', ' lead', 'trail ', 'line\nbreak', 'cr\r', 'é', '😀'),
);
const num = fc.oneof(
  fc.double(),
  fc.double({ min: -1e6, max: 1e6, noNaN: true }).map((x) => roundTo(x, 2)),
  fc.integer().map((x) => x / 100),
  fc.constantFrom(
    0,
    -0,
    0.05,
    -0.5,
    1e21,
    -1e-7,
    2 ** 53,
    -(2 ** 53),
    9e15,
    Number.NaN,
    Number.POSITIVE_INFINITY,
  ),
);
const time = fc.oneof(
  fc.integer({ min: -8.64e15, max: 8.64e15 }),
  fc.integer({ min: -62167219200000 - 1e6, max: -62167219200000 + 1e6 }),
  fc.integer({ min: -62162035200000 - 1e6, max: -62162035200000 + 1e6 }),
  fc.integer({ min: 253402300800000 - 1e6, max: 253402300800000 + 1e6 }),
  fc.double({ min: 0, max: 2e12, noNaN: true }),
);
const cell = (typed: fc.Arbitrary<Value>) =>
  fc.oneof(
    { weight: 8, arbitrary: typed },
    { weight: 1, arbitrary: fc.constant(null) },
    { weight: 1, arbitrary: fc.oneof(text, fc.boolean(), num) as fc.Arbitrary<Value> },
  );
const row = fc.tuple(
  cell(fc.constantFrom('a,b', 'say "x"', ' sp', 'é', 'plain')),
  cell(num),
  cell(num),
  cell(fc.oneof(fc.integer(), num)),
  cell(fc.boolean()),
  cell(text),
  cell(time),
  cell(time),
  cell(time),
);

function blockOf(rows: Value[][], extra = false): Block {
  const values = model.columns.map((_, c) => rows.map((r) => r[c]));
  return {
    index: 7,
    start: 0,
    count: rows.length,
    values,
    retries: Int32Array.from(rows, (_, i) => i % 3),
    ...(extra
      ? {
          extra: {
            names: ['_cell', '_weight', '_flag'],
            values: [rows.map((r) => r[5]), rows.map((r) => r[1]), rows.map((_, i) => i % 2 === 0)],
          },
        }
      : {}),
  };
}

describe('blockToCsvBytes', () => {
  it('writes exactly the UTF-8 of blockToCsv, for any mix of values, provenance and extra columns', () => {
    const w = new ByteWriter(64); // small on purpose: growth is exercised too
    fc.assert(
      fc.property(
        fc.array(row, { minLength: 1, maxLength: 20 }),
        fc.boolean(),
        fc.boolean(),
        (rows, prov, extra) => {
          const b = blockOf(rows, extra);
          const p = prov ? { specHash: 'h,1', seed: -3, runId: 'r"1' } : undefined;
          let expected: string;
          try {
            expected = blockToCsv(model, b, p);
          } catch {
            // A non-finite datetime has no text either way (both throw).
            expect(() => blockToCsvBytes(w, model, b, p)).toThrow();
            return;
          }
          expect(decoder.decode(blockToCsvBytes(w, model, b, p))).toBe(expected);
        },
      ),
      { numRuns: 2000 },
    );
  });

  it('prints rounded decimals like decimalText and dates like isoString', () => {
    const w = new ByteWriter(16);
    fc.assert(
      fc.property(fc.double({ min: -1e9, max: 1e9, noNaN: true }), fc.integer({ min: 1, max: 9 }), (x, d) => {
        const r = roundTo(x, d);
        w.decimal(r, d);
        expect(decoder.decode(w.take())).toBe(decimalText(r, d));
      }),
      { numRuns: 3000 },
    );
    fc.assert(
      fc.property(time, (t) => {
        w.iso(t, false);
        expect(decoder.decode(w.take())).toBe(isoString(t));
        w.iso(t, true);
        expect(decoder.decode(w.take())).toBe(isoString(t).slice(0, 10));
      }),
      { numRuns: 3000 },
    );
  });

  it('keeps a row count of lines and reuses its buffer between blocks', () => {
    const w = new ByteWriter(32);
    const rows: Value[][] = Array.from({ length: 100 }, (_, i) => [
      'plain',
      i / 4,
      i,
      -i,
      i % 2 === 0,
      `name${i}`,
      1.6e12 + i * 1000,
      1.6e12,
      1.6e12,
    ]);
    const first = blockToCsvBytes(w, model, blockOf(rows));
    const buffer = w.bytes;
    const second = blockToCsvBytes(w, model, blockOf(rows));
    expect(w.bytes).toBe(buffer);
    expect(second).toEqual(first);
    expect(second.buffer).not.toBe(buffer.buffer);
    const lines = decoder.decode(first).split('\n');
    expect(lines).toHaveLength(101);
    expect(lines[3]).toBe('plain,0.75,3,-3,false,name3,2020-09-13T12:26:43Z,2020-09-13,2020/09/13 12:26');
  });
});

describe('writeColumnsCsv', () => {
  it('writes the bytes of blockToCsvBytes for the same values held as column stores', () => {
    const w = new ByteWriter(64);
    const ref = new ByteWriter(64);
    fc.assert(
      fc.property(fc.array(row, { minLength: 1, maxLength: 20 }), (rows) => {
        const b = blockOf(rows);
        const cols = model.columns.map((c) => new RowColumn(isNumericKind(c.kind), 4));
        for (const r of rows) {
          r.forEach((v, c) => {
            cols[c].push(v);
          });
        }
        let expected: Uint8Array;
        try {
          expected = blockToCsvBytes(ref, model, b);
        } catch {
          w.pos = 0;
          expect(() => writeColumnsCsv(w, model, cols, rows.length)).toThrow();
          return;
        }
        w.pos = 0;
        writeColumnsCsv(w, model, cols, rows.length);
        expect(decoder.decode(w.take())).toBe(decoder.decode(expected));
      }),
      { numRuns: 2000 },
    );
  });
});

describe('ByteWriter.integer near 2^53', () => {
  it('prints the same digits as String() for the last integers before 2^53 (ids near the limit)', () => {
    const w = new ByteWriter(64);
    for (let k = 0; k < 200; k++) {
      const x = Number.MAX_SAFE_INTEGER - k;
      w.integer(x);
      w.byte(32);
      w.integer(-x);
      expect(decoder.decode(w.take())).toBe(`${x} ${-x}`);
    }
  });
});
