import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseCsvText } from './csv-read.js';
import { csvField, csvLine, jsonlLine } from './csv-write.js';

describe('csvField', () => {
  it('leaves plain values bare and writes null as an empty field', () => {
    expect(csvField('plain')).toBe('plain');
    expect(csvField(42)).toBe('42');
    expect(csvField(-1.5)).toBe('-1.5');
    expect(csvField(true)).toBe('true');
    expect(csvField(null)).toBe('');
  });

  it('quotes delimiters, quotes, line breaks, surrounding blanks, empty strings and missing tokens', () => {
    expect(csvField('a,b')).toBe('"a,b"');
    expect(csvField('say "hi"')).toBe('"say ""hi"""');
    expect(csvField('two\nlines')).toBe('"two\nlines"');
    expect(csvField(' pad')).toBe('" pad"');
    expect(csvField('')).toBe('""');
    expect(csvField('NA')).toBe('"NA"');
    expect(csvField('?')).toBe('"?"');
  });

  it('csvLine joins with commas and ends with a newline', () => {
    expect(csvLine(['a', 1, null, 'x,y'])).toBe('a,1,,"x,y"\n');
  });

  const cell = fc.oneof(
    fc.string(),
    fc.string({
      unit: fc.constantFrom(
        'a',
        ' ',
        ',',
        '"',
        '\n',
        '\r',
        ';',
        '\t',
        '|',
        '?',
        'N',
        'A',
        'é',
        '\ufeff',
        '\u3000',
        '\u00a0',
      ),
    }),
    fc.constantFrom('NA', '', '?', 'null', ' x ', 'None'),
    fc.constant(null),
  );

  it('round-trips any strings and nulls through csv-parse exactly (property)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 2, max: 5 }),
        fc.array(fc.array(cell, { minLength: 5, maxLength: 5 }), { maxLength: 8 }),
        (width, rows) => {
          const header = Array.from({ length: width }, (_, i) => `c${i}`);
          const body = rows.map((r) => r.slice(0, width));
          const text = csvLine(header) + body.map((r) => csvLine(r)).join('');
          const t = parseCsvText(text, 'p.csv', { delimiter: ',' });
          expect(t.rowCount).toBe(body.length);
          for (let c = 0; c < width; c++) expect(t.data[c]).toEqual(body.map((r) => r[c]));
        },
      ),
      { numRuns: 300 },
    );
  });

  it('round-trips finite numbers through their text (property)', () => {
    fc.assert(
      fc.property(fc.double({ noNaN: true, noDefaultInfinity: true }), fc.integer(), (x, n) => {
        const t = parseCsvText(csvLine(['x', 'n']) + csvLine([x, n]), 'p.csv');
        expect(Number(t.data[0][0])).toBe(x === 0 ? 0 : x);
        expect(Number(t.data[1][0])).toBe(n);
      }),
    );
  });

  it('one-column files keep empty strings and interior nulls', () => {
    const text = csvLine(['v']) + csvLine(['']) + csvLine([null]) + csvLine(['x']);
    expect(parseCsvText(text, 'p.csv').data).toEqual([['', null, 'x']]);
  });
});

describe('jsonlLine', () => {
  it('writes one JSON object and a newline that parse back', () => {
    const rec = { a: 'x\n"y"', b: 1.5, c: null, d: false };
    const line = jsonlLine(rec);
    expect(line.endsWith('\n')).toBe(true);
    expect(line.indexOf('\n')).toBe(line.length - 1);
    expect(JSON.parse(line)).toEqual(rec);
  });
});
