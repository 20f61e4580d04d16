import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { RawColumns } from '../data/infer.js';
import { streamFor } from '../random/stream.js';
import { BLOCK_ROWS, generateRows, generateToFile } from '../sample/index.js';
import { parseSpecText } from '../spec/parse.js';
import { fitTable } from './fit.js';
import { fitOtherLaw, MIN_OTHER_VALUES } from './other-law.js';

// A prescriptions-like table made here: drug names from syllables (a few common, many seen once
// or twice), a strength given the drug, an 11-digit code, and a route with two rare typos.
const SYL = ['ra', 'mi', 'to', 'ce', 'lo', 'va', 'ne', 'pri', 'xa', 'dol', 'fen', 'zol'];
const FORMS = ['mg Tab', 'mg Cap', 'mL Vial', 'mL Bag', 'mcg Patch'];

function prescriptions(n: number, seed: number): RawColumns {
  const g = streamFor(seed, 'test', 'prescriptions');
  const pick = <T>(xs: readonly T[]) => xs[g.nextInt(xs.length)];
  const name = () => {
    const k = 2 + g.nextInt(3);
    const s = Array.from({ length: k }, () => pick(SYL)).join('');
    return s[0].toUpperCase() + s.slice(1);
  };
  const common = Array.from({ length: 12 }, name);
  const drug: string[] = [];
  const strength: string[] = [];
  const ndc: string[] = [];
  const route: string[] = [];
  for (let i = 0; i < n; i++) {
    const rare = g.nextFloat() < 0.25;
    const d = rare ? `${name()} ${pick(['Sodium', 'HCl', 'Inj', 'Susp'])}` : pick(common);
    drug.push(d);
    strength.push(`${pick([5, 10, 25, 50, 100, 250, 500])}${rare ? pick(FORMS) : FORMS[d.length % 5]}`);
    ndc.push(
      rare
        ? String(g.nextInt(1e6)).padStart(6, '0') + String(g.nextInt(1e5)).padStart(5, '0')
        : `0033800${String(d.length).padStart(4, '0')}`,
    );
    route.push(i === 7 ? 'P0' : i === 11 ? 'IVV' : pick(['PO', 'IV', 'SC']));
  }
  const cols: Record<string, string[]> = { drug, strength, ndc, route };
  const names = Object.keys(cols);
  return { name: 't', columns: names, rowCount: n, data: names.map((c) => cols[c]) };
}

const raw = prescriptions(1500, 1);
const col = (c: string) => raw.data[raw.columns.indexOf(c)] as string[];
const rareOf = (c: string) => {
  const counts = new Map<string, number>();
  for (const v of col(c)) counts.set(v, (counts.get(v) ?? 0) + 1);
  return new Set([...counts].filter(([, k]) => k < 5).map(([v]) => v));
};

describe('fit: the pooled rare categories are written as fresh values', () => {
  const fit = fitTable(raw, { seed: 1 });
  const cols = fit.spec.tables.t.columns;

  it('gives pooled columns an other: law, and says how in the column comment', () => {
    expect(cols.drug.other?.text?.unit).toBe('char');
    expect(cols.drug.other?.text?.guard).toBeDefined();
    expect(cols.ndc.other?.text?.min_units).toBe(11);
    expect(fit.comments.drug).toMatch(/written as fresh values of a char chain/);
    // two rare routes: too few to learn a form from
    expect(cols.route.other).toEqual({});
    expect(fit.comments.route).toMatch(/written as the kept values: too few/);
    expect(fit.notices.join('\n')).toMatch(
      /column "route": 2 rare values pooled into "\(other\)" are generated as the column's kept values/,
    );
    expect(fit.yaml).toMatch(/# Notice: column "route": 2 rare values/);
  });

  it('never writes "(other)" nor a rare real value; codes keep their length', async () => {
    const { data, columns } = await generateRows({ spec: fit.spec, rows: 3000, seed: 4 });
    for (const [k, c] of columns.entries()) {
      const values = data[k] as (string | null)[];
      expect(values).not.toContain('(other)');
      const rare = rareOf(c);
      expect(values.filter((v) => v !== null && rare.has(v))).toEqual([]);
    }
    const real = (c: string) => new Set(col(c));
    const drugs = data[columns.indexOf('drug')] as string[];
    const fresh = drugs.filter((v) => !real('drug').has(v));
    expect(fresh.length / drugs.length).toBeGreaterThan(0.15);
    expect(fresh.length / drugs.length).toBeLessThan(0.35);
    const ndc = data[columns.indexOf('ndc')] as string[];
    for (const v of ndc) expect(v).toMatch(/^\d{11}$/);
    const routes = data[columns.indexOf('route')] as string[];
    expect(new Set(routes)).toEqual(new Set(['PO', 'IV', 'SC']));
  });

  it('round-trips through the model file: same spec, same rows', async () => {
    const loaded = parseSpecText(fit.yaml, 'model.yaml').spec;
    expect(loaded.tables.t.columns.drug).toEqual(cols.drug);
    const a = await generateRows({ spec: fit.spec, rows: 500, seed: 9 });
    const b = await generateRows({ spec: loaded, rows: 500, seed: 9 });
    expect(b.data).toEqual(a.data);
    for (const line of fit.yaml.split('\n')) expect(line.length).toBeLessThanOrEqual(200);
  });

  it('still generates when the model is edited by hand: text removed, the listed values are drawn', async () => {
    const hand = structuredClone(fit.spec);
    const drug = hand.tables.t.columns.drug;
    delete drug.other?.text;
    const { data } = await generateRows({ spec: hand, rows: 500, seed: 2 });
    const listed = new Set(Object.keys(drug.values ?? drug.conditional?.default?.values ?? {}));
    for (const v of data[0] as string[]) expect(v === '(other)' || !listed.has(v)).toBe(false);
  });

  it('writes the same bytes for 1 and 2 workers', async () => {
    const d = mkdtempSync(join(tmpdir(), 'strata-other-'));
    try {
      const read = async (workers: number) => {
        const out = join(d, `w${workers}.csv`);
        await generateToFile({
          spec: fit.spec,
          rows: BLOCK_ROWS * 2 + 17,
          seed: 5,
          workers,
          out,
          coverage: false,
        });
        return readFileSync(out);
      };
      const one = await read(1);
      expect(one.toString()).not.toMatch(/\(other\)/);
      expect((await read(2)).equals(one)).toBe(true);
    } finally {
      rmSync(d, { recursive: true, force: true });
    }
  });

  it('falls back to the kept values under differential privacy and for too few rare values', () => {
    const values = Array.from({ length: 40 }, (_, i) => (i < 30 ? 'a' : `rare${i % (MIN_OTHER_VALUES - 1)}`));
    const few = fitOtherLaw(values, ['a'], { minCount: 5, dp: false, stream: streamFor(1, 'x') });
    expect(few.other).toEqual({});
    const many = Array.from({ length: 200 }, (_, i) =>
      i < 100 ? 'a' : `${SYL[i % 12]}${SYL[(i * 5) % 12]}${SYL[(i * 7) % 11]}`,
    );
    const dp = fitOtherLaw(many, ['a'], { minCount: 5, dp: true, stream: streamFor(1, 'x') });
    expect(dp.other).toEqual({});
    expect(dp.note).toMatch(/differential privacy/);
    const law = fitOtherLaw(many, ['a'], { minCount: 5, dp: false, stream: streamFor(1, 'x') });
    expect(law.other?.text).toBeDefined();
  });

  it('a column whose every value is rare still gives a model generate accepts', async () => {
    // 4 rows, 3 values: all pooled, none kept. `other:` would have nothing to fall back on and the
    // model was refused by generate ("no value besides (other)"): fit's own output must load.
    const tiny: RawColumns = {
      name: 'p',
      columns: ['pid', 'cat'],
      rowCount: 4,
      data: [
        ['1', '2', '3', '4'],
        ['constructor', 'toString', '__proto__', 'constructor'],
      ],
    };
    const fitted = fitTable(tiny, { seed: 1 });
    const cat = fitted.spec.tables.p.columns.cat;
    expect(cat.other).toBeUndefined();
    expect(fitted.notices.join('\n')).toMatch(/all 3 values seen in fewer than 5 rows/);
    const back = parseSpecText(fitted.yaml, 'm.yaml');
    const rows = await generateRows({ spec: back.spec, rows: 20, seed: 1 });
    expect(rows.data[1]).toHaveLength(20);
  });
});
