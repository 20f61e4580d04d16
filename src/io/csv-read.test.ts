import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { StrataError } from '../errors.js';
import { parseCsvText, sniffDelimiter } from './csv-read.js';
import { readTable } from './read-table.js';

function csvError(text: string): StrataError {
  try {
    parseCsvText(text, 'bad.csv');
  } catch (e) {
    expect(e).toBeInstanceOf(StrataError);
    return e as StrataError;
  }
  throw new Error('expected parseCsvText to throw');
}

describe('parseCsvText on messy real files', () => {
  it('strips a UTF-8 BOM from the first header name', () => {
    const t = parseCsvText('\ufeffage,sex\n41,F\n', 'x.csv');
    expect(t.columns).toEqual(['age', 'sex']);
    expect(t.data).toEqual([['41'], ['F']]);
  });

  it('reads Adult-style ", " separators with leading spaces trimmed; "?" among text is a category', () => {
    const text = 'age, workclass, income\n39, State-gov, <=50K.\n50, ?, >50K.\n';
    const t = parseCsvText(text, 'adult.csv');
    expect(t.columns).toEqual(['age', 'workclass', 'income']);
    expect(t.rowCount).toBe(2);
    expect(t.data[1]).toEqual(['State-gov', '?']);
    // the trailing '.' on labels is data, not ours to touch
    expect(t.data[2]).toEqual(['<=50K.', '>50K.']);
    expect(t.naTokens).toEqual([{ column: 'workclass', token: '?', count: 1, readAs: 'value' }]);
    // said otherwise: --na-values ?
    expect(parseCsvText(text, 'adult.csv', { naValues: ['?'] }).data[1]).toEqual(['State-gov', null]);
  });

  it('reads an unquoted empty field as missing and a quoted one as the empty string', () => {
    const t = parseCsvText('a,b\n,""\n"",\n', 'x.csv');
    expect(t.data).toEqual([
      [null, ''],
      ['', null],
    ]);
  });

  it('reads tokens as missing in columns of numbers, dates or booleans (R-written)', () => {
    const t = parseCsvText(
      'n,d,b,all\n1.5,2024-01-02,TRUE,NA\nNA,NA,NA,NA\n-2,2024-03-04,FALSE,\nNaN,nan,null,N/A\n',
      'r.csv',
    );
    expect(t.data).toEqual([
      ['1.5', null, '-2', null],
      ['2024-01-02', null, '2024-03-04', null],
      ['TRUE', null, 'FALSE', null],
      [null, null, null, null],
    ]);
    expect(t.naTokens?.every((u) => u.readAs === 'missing')).toBe(true);
  });

  it('keeps tokens as values in a column of text, and quoted tokens are always text', () => {
    const t = parseCsvText('damage,code,q\nNone,7,"NA"\nMinor,"None",NA\nNone,8,1\nNA,9,2\n', 'x.csv');
    expect(t.data[0]).toEqual(['None', 'Minor', 'None', 'NA']);
    // a quoted "None" among numbers is text, so the column is text and keeps it
    expect(t.data[1]).toEqual(['7', 'None', '8', '9']);
    // a quoted "NA" makes the column text: the unquoted NA is kept too
    expect(t.data[2]).toEqual(['NA', 'NA', '1', '2']);
    expect(t.naTokens).toEqual([
      { column: 'damage', token: 'None', count: 2, readAs: 'value' },
      { column: 'damage', token: 'NA', count: 1, readAs: 'value' },
      { column: 'q', token: 'NA', count: 1, readAs: 'value' },
    ]);
  });

  it('reads listed tokens (na_values) as missing, quoted or not, globally or per column', () => {
    const text = 'a,b\n-,None\n"-",x\nNone,y\nz,w\n';
    const t = parseCsvText(text, 'x.csv', { naValues: ['-'] });
    expect(t.data).toEqual([
      [null, null, 'None', 'z'],
      ['None', 'x', 'y', 'w'],
    ]);
    expect(t.naTokens).toContainEqual({ column: 'a', token: '-', count: 2, readAs: 'listed' });
    const per = parseCsvText(text, 'x.csv', { columnNaValues: new Map([['b', ['None']]]) });
    expect(per.data).toEqual([
      ['-', '-', 'None', 'z'],
      [null, 'x', 'y', 'w'],
    ]);
  });

  it('ignores trailing blank lines and CRLF endings', () => {
    const t = parseCsvText('a,b\r\n1,2\r\n3,4\r\n\r\n\r\n', 'x.csv');
    expect(t.rowCount).toBe(2);
    expect(t.data).toEqual([
      ['1', '3'],
      ['2', '4'],
    ]);
  });

  it('keeps quoted commas, newlines, doubled quotes and blanks inside quotes', () => {
    const text = 'id,text\n1,"a, b"\n2,"line one\r\nline two"\n3,"she said ""hi"""\n4," padded "\n';
    const t = parseCsvText(text, 'x.csv');
    expect(t.data[1]).toEqual(['a, b', 'line one\r\nline two', 'she said "hi"', ' padded ']);
  });

  it('keeps stray quotes inside unquoted fields (5\'11")', () => {
    const t = parseCsvText('h,w\n5\'11",x"y\n', 'x.csv');
    expect(t.data).toEqual([['5\'11"'], ['x"y']]);
  });

  it('sniffs ; tab and | delimiters from the header line, ignoring quoted ones', () => {
    expect(sniffDelimiter('a;b;c\n1,5;2;3')).toBe(';');
    expect(sniffDelimiter('a\tb\n')).toBe('\t');
    expect(sniffDelimiter('a|b|c\n')).toBe('|');
    expect(sniffDelimiter('"x;y;z",b\n')).toBe(',');
    expect(sniffDelimiter('single\n')).toBe(',');
    const t = parseCsvText('price;qty\n1,5;2\n', 'eu.csv');
    expect(t.data).toEqual([['1,5'], ['2']]);
  });

  it('reads every blank line of a one-column file as a missing value (RFC 4180 records)', () => {
    // only the line break ending the last record is no record: trailing missing values survive
    const t = parseCsvText('v\n1\n\n2\n\n\n', 'x.csv');
    expect(t.data).toEqual([['1', null, '2', null, null]]);
    expect(parseCsvText('v\n1\n2\n', 'x.csv').data).toEqual([['1', '2']]);
    expect(parseCsvText('v\n1\n2', 'x.csv').data).toEqual([['1', '2']]);
  });

  it('reads a header-only file as a zero-row table', () => {
    const t = parseCsvText('a,b\n', 'x.csv');
    expect(t.rowCount).toBe(0);
    expect(t.columns).toEqual(['a', 'b']);
    expect(t.data).toEqual([[], []]);
  });

  it('applies limit and columns (in the order asked)', () => {
    const t = parseCsvText('a,b,c\n1,2,3\n4,5,6\n7,8,9\n', 'x.csv', { limit: 2, columns: ['c', 'a'] });
    expect(t.columns).toEqual(['c', 'a']);
    expect(t.rowCount).toBe(2);
    expect(t.data).toEqual([
      ['3', '6'],
      ['1', '4'],
    ]);
  });

  it('names an unknown column with a did-you-mean', () => {
    try {
      parseCsvText('age,income\n1,2\n', 'x.csv', { columns: ['incme'] });
      expect.unreachable();
    } catch (e) {
      const err = e as StrataError;
      expect(err.code).toBe('io.unknown_column');
      expect(err.format()).toContain('did you mean "income"');
      expect(err.format()).toContain('x.csv');
    }
  });
});

describe('parseCsvText on broken files', () => {
  it('reports an unclosed quote at the line where its record starts', () => {
    const err = csvError('a,b\n1,2\n3,"never closed\n4,5\n6,7\n');
    expect(err.code).toBe('io.csv');
    expect(err.place).toEqual({ file: 'bad.csv', line: 3 });
    expect(err.message).toMatch(/never closed/);
    expect(err.hint).toMatch(/""/);
  });

  it('reports a row with too few fields with expected and found counts', () => {
    const err = csvError('a,b,c\n1,2,3\n4,5\n');
    expect(err.place.line).toBe(3);
    expect(err.message).toBe('expected 3 fields (as in the header), found 2');
  });

  it('reports a row with too many fields, counting lines of earlier multi-line records', () => {
    const err = csvError('a,b\n1,"x\ny"\n2,3,4\n');
    expect(err.place.line).toBe(4);
    expect(err.message).toContain('found 3');
  });

  it('reports text after a closing quote', () => {
    const err = csvError('a,b\n1,2\n3,"x"y\n');
    expect(err.code).toBe('io.csv');
    expect(err.place.line).toBe(3);
  });

  it('reports duplicate and empty header names on line 1', () => {
    const dup = csvError('id,name,id\n1,2,3\n');
    expect(dup.place.line).toBe(1);
    expect(dup.message).toContain('"id"');
    expect(dup.message).toContain('fields 1 and 3');
    const empty = csvError('id,,x\n1,2,3\n');
    expect(empty.place.line).toBe(1);
    expect(empty.message).toContain('header field 2 is empty');
  });

  it('rejects an empty file with a clear error', () => {
    for (const text of ['', '\ufeff', '\n\n']) {
      const err = csvError(text);
      expect(err.message).toContain('empty');
    }
  });

  it('formats as file:line: message — hint', () => {
    const err = csvError('a,b\n1\n');
    expect(err.format()).toMatch(/^bad\.csv:2: expected 2 fields .* — .+/);
  });
});

describe('readTable on CSV files', () => {
  const dir = mkdtempSync(join(tmpdir(), 'strata-io-csv-'));

  it('reads .csv, .tsv and .txt by extension and names the table after the file', async () => {
    writeFileSync(join(dir, 'adult_train.csv'), 'a, b\n1, x\n');
    writeFileSync(join(dir, 'p.tsv'), 'a\tb\n1\tx\n');
    writeFileSync(join(dir, 'q.txt'), 'a|b\n1|x\n');
    for (const f of ['adult_train.csv', 'p.tsv', 'q.txt']) {
      const t = await readTable(join(dir, f));
      expect(t.columns).toEqual(['a', 'b']);
      expect(t.data).toEqual([['1'], ['x']]);
      expect(t.source).toBe(join(dir, f));
    }
    expect((await readTable(join(dir, 'adult_train.csv'))).name).toBe('adult_train');
  });

  it('names a missing file and an unknown extension', async () => {
    await expect(readTable(join(dir, 'nope.csv'))).rejects.toMatchObject({ code: 'io.read' });
    await expect(readTable(join(dir, 'x.xlsx'))).rejects.toMatchObject({ code: 'io.unknown_format' });
  });
});

const ADULT = '/work/shared/data/uci-adult/adult_train.csv';
describe('readTable on the real Adult file', () => {
  it.skipIf(!existsSync(ADULT))('reads every row and column', async () => {
    const t = await readTable(ADULT);
    expect(t.rowCount).toBe(32_561);
    expect(t.columns).toHaveLength(15);
    expect(t.columns[0]).toBe('age');
    for (const col of t.data) expect(col).toHaveLength(32_561);
  });
});
