import { describe, expect, it } from 'vitest';
import { streamFor } from '../random/stream.js';
import { generateRows } from '../sample/index.js';
import { parseSpecText } from '../spec/index.js';
import { fitTable } from './fit.js';
import { drawOrder, missingExpr, proposeMissingLeaders } from './missing-groups.js';

/**
 * Cultures: the organism and its code (one code per organism, a numeric column) are missing on the
 * same 40% of rows (no organism grew); the antibiotic is missing wherever the organism is and on
 * a quarter of the other rows; the ward is missing on its own 10%.
 */
function cultures(n: number, seed: number) {
  const s = streamFor(seed, 'cultures');
  const orgs = ['E COLI', 'STAPH AUREUS', 'PROTEUS', 'KLEBSIELLA', 'PSEUDOMONAS', 'YEAST'];
  const drugs = ['GENTAMICIN', 'CEFEPIME', 'VANCOMYCIN'];
  const wards = ['MICU', 'SICU', 'CCU'];
  const cols: string[][] = [[], [], [], []];
  for (let i = 0; i < n; i++) {
    const grew = s.nextFloat() >= 0.4;
    const o = s.nextInt(orgs.length);
    cols[0].push(grew ? orgs[o] : '');
    cols[1].push(grew ? String(80_002 + 7 * o + (o === 5 ? s.nextInt(40) : 0)) : '');
    cols[2].push(grew && s.nextFloat() >= 0.25 ? drugs[s.nextInt(drugs.length)] : '');
    cols[3].push(s.nextFloat() < 0.1 ? '' : wards[s.nextInt(wards.length)]);
  }
  return {
    name: 'cultures',
    columns: ['org_name', 'org_itemid', 'ab_name', 'ward'],
    rowCount: n,
    data: cols,
  };
}

const mask = (xs: number[], n: number) => Uint8Array.from({ length: n }, (_, i) => (xs.includes(i) ? 1 : 0));

describe('columns missing together', () => {
  it('a column missing wherever an earlier one is, or only where it is, follows it; chance agreement does not', () => {
    const n = 100;
    const rows = Array.from({ length: 40 }, (_, i) => i);
    const a = mask(rows, n);
    const b = mask([...rows, 50, 51], n); // missing wherever a is, and on two rows more
    const c = mask(rows.slice(0, 30), n); // missing only where a is
    const d = mask(rows.slice(1).concat([60]), n); // 39 of a's rows and one more: breaks both ways
    const found = proposeMissingLeaders([a, b, c, d], [0, 1, 2, 3]);
    expect(found.get(1)).toMatchObject({ leader: 0, kind: 'with', shared: 40, breaks: 0, whenMissing: 1 });
    expect(found.get(1)?.whenPresent).toBeCloseTo(2 / 60, 12);
    // c nests in a and in b: a is the closer (fewer rows missing in only one of them)
    expect(found.get(2)).toMatchObject({ leader: 0, kind: 'within', whenMissing: 30 / 40, whenPresent: 0 });
    expect(found.has(3)).toBe(false);
    expect(found.has(0)).toBe(false);
    // drawn the other way round, a follows c (missing wherever c is)
    expect(proposeMissingLeaders([a, b, c, d], [2, 0]).get(0)).toMatchObject({ leader: 2, kind: 'with' });
    // a column missing on 95% of rows agrees with any 20 missing rows by chance: no leader
    const mostly = mask(
      Array.from({ length: n }, (_, i) => i).filter((i) => i % 20 !== 19),
      n,
    );
    const few = mask(rows.slice(0, 20), n);
    expect(proposeMissingLeaders([few, mostly], [0, 1]).size).toBe(0);
    expect(proposeMissingLeaders([few, mostly], [1, 0]).size).toBe(0);
  });

  it('orders a graph parents first and writes the rate as an expression', () => {
    expect(drawOrder([[2], [], [1], [0, 1]])).toEqual([1, 2, 0, 3]);
    expect(missingExpr('org_name', 1, 0.0333333333)).toBe('if(is_null(org_name), 1, 0.033333)');
  });

  it('fit writes the group so generated rows go missing together', async () => {
    const fit = fitTable(cultures(1500, 1), { seed: 1 });
    const cols = fit.spec.tables.cultures.columns;
    // organism and code coincide, and the antibiotic nests in them: all three go missing as a group
    for (const c of ['org_itemid', 'org_name', 'ab_name'].filter((x) => typeof cols[x].missing === 'string'))
      expect(cols[c].missing).toMatch(/^if\(is_null\((org_name|org_itemid|ab_name)\), [0-9.]+, [0-9.]+\)$/);
    expect(
      ['org_itemid', 'org_name', 'ab_name'].filter((x) => typeof cols[x].missing === 'string').length,
    ).toBe(2);
    expect(cols.ward.missing).toBeTypeOf('number');
    const g = await generateRows({
      spec: parseSpecText(fit.yaml, 'cultures.yaml').spec,
      rows: 3000,
      seed: 4,
    });
    const col = (name: string) => g.data[g.columns.indexOf(name)];
    let orgMissing = 0;
    let abOnly = 0;
    for (let i = 0; i < g.rows; i++) {
      const org = col('org_name')[i] === null;
      expect(col('org_itemid')[i] === null).toBe(org);
      if (org) {
        orgMissing++;
        expect(col('ab_name')[i]).toBeNull();
      } else if (col('ab_name')[i] === null) abOnly++;
    }
    // the shares the data has: 40% without organism, a quarter of the rest without antibiotic
    expect(orgMissing / g.rows).toBeGreaterThan(0.36);
    expect(orgMissing / g.rows).toBeLessThan(0.44);
    expect(abOnly / (g.rows - orgMissing)).toBeGreaterThan(0.2);
    expect(abOnly / (g.rows - orgMissing)).toBeLessThan(0.3);
  });
});
