/** Identifier and free-text columns are judged apart (issue 13.7), and MMD's verdict is its p-value. */
import { describe, expect, it } from 'vitest';
import type { RawTable } from '../io/index.js';
import { alignTables } from '../ml/index.js';
import type { Spec } from '../spec/index.js';
import { columnRoles } from './columns.js';
import { mixedTable, shuffleColumns, withIdAndNote } from './fixtures.js';
import { checkGates, evaluate, parseGates } from './index.js';

function roles(t: RawTable, declared?: Spec['tables'][string]['columns'], keep: string[] = []) {
  const { reference } = alignTables(t, []);
  return Object.fromEntries(
    columnRoles(reference.columns, declared, new Set(keep)).map((c) => [c.name, c.role]),
  );
}

function table(columns: Record<string, (string | null)[]>): RawTable {
  const names = Object.keys(columns);
  return {
    name: 't',
    source: 't.csv',
    columns: names,
    rowCount: columns[names[0]].length,
    data: names.map((n) => columns[n]),
  };
}

describe('column roles', () => {
  const n = 200;
  const seq = (f: (i: number) => string | null) => Array.from({ length: n }, (_, i) => f(i));

  it('IDs: unique whole numbers (consecutive or named like an id), unique codes, declared type: id', () => {
    const t = table({
      row: seq((i) => String(5000 + i)), // consecutive
      account_id: seq((i) => String(1_000_003 * i + 17)), // sparse but named like an id
      accountId: seq((i) => String(7919 * i)),
      code: seq((i) => `K-${(i * 7919).toString(36)}`),
      sku: seq((i) => String(i % 50)), // declared below
      weight: seq((i) => (50 + i * 0.37).toFixed(2)), // unique decimals: a measurement
      income: seq((i) => String(20_000 + i * 977)), // unique, sparse whole numbers, not named like an id
      day: seq((i) => `2024-01-${String(1 + (i % 28)).padStart(2, '0')}`),
      segment: seq((i) => ['a', 'b', 'c'][i % 3]),
    });
    const r = roles(t, { sku: { type: 'id' } } as unknown as Spec['tables'][string]['columns']);
    expect(r).toEqual({
      row: 'id',
      account_id: 'id',
      accountId: 'id',
      code: 'id',
      sku: 'id',
      weight: 'value',
      income: 'value',
      day: 'value',
      segment: 'value',
    });
  });

  it('free text: many distinct values of several words; short names and categories stay values', () => {
    const s = mixedTable(1, n);
    const t = withIdAndNote(s, 1, 1);
    const r = roles(t);
    expect(r.note).toBe('text');
    expect(r.customer_id).toBe('id');
    for (const c of s.columns) expect(r[c], c).toBe('value');
    const names = table({ name: seq((i) => `Person ${i % 120}`) }); // 2 words, 60% distinct
    expect(roles(names).name).toBe('value');
  });

  it('too few values to tell, and --target/--sensitive columns, stay values', () => {
    const small = table({ id: ['1', '2', '3', '4', '5'] });
    expect(roles(small).id).toBe('value');
    const t = withIdAndNote(mixedTable(1, n), 1, 1);
    expect(roles(t, undefined, ['customer_id']).customer_id).toBe('value');
  });
});

describe('a second real sample with an ID and a free-text column (issue 13.7)', () => {
  // Before: the ID alone made detection AUC 1.000 and MMD p the minimum; univariate accuracy fell.
  const rows = 1500;
  const real = mixedTable(1, rows, 'real');
  const second = mixedTable(2, rows, 'second');
  const sections = { privacy: false, utility: false, knn_coverage: false } as const;

  it('scores like the same sample without them: detection ≤ .60, MMD p > .01, same univariate accuracy', async () => {
    const plain = await evaluate({ real, synthetic: second, bootstrapReps: 10, sections });
    const r = await evaluate({
      real: withIdAndNote(real, 1, 1),
      synthetic: withIdAndNote(second, 1_000_001, 2),
      bootstrapReps: 10,
      sections,
    });
    expect(r.summary.detection_auc).toBeLessThanOrEqual(0.6);
    expect(r.summary.mmd_p_value).toBeGreaterThan(0.01);
    expect(r.summary.accuracy_univariate).toBeCloseTo(plain.summary.accuracy_univariate as number, 12);
    expect(r.summary.detection_auc).toBeCloseTo(plain.summary.detection_auc as number, 12);
    expect(r.fidelity?.columns.map((c) => c.name)).not.toContain('customer_id');
    expect(r.fidelity?.columns.map((c) => c.name)).not.toContain('note');
    const roleOf = (name: string) => r.inputs.columns.find((c) => c.name === name);
    expect(roleOf('customer_id')?.role).toBe('id');
    expect(roleOf('note')?.role).toBe('text');
    expect(r.skipped.find((s) => s.metric === 'columns.customer_id')?.reason).toMatch(
      /identifier.*left out of fidelity, detection, MMD/,
    );
    // the free text is judged as text: same kind of notes, no copies beyond the baseline
    const note = r.text?.columns.find((c) => c.name === 'note');
    expect(note?.length_similarity.value).toBeGreaterThan(0.9);
    expect(note?.synthetic_words_in_real_vocabulary.value).toBeGreaterThan(0.8);
    expect(r.warnings).toEqual([]);
  });

  it('copied notes are called copies', async () => {
    const realT = withIdAndNote(real, 1, 1);
    const syn = withIdAndNote(second, 1_000_001, 2);
    const realNotes = realT.data[realT.columns.indexOf('note')];
    syn.data[syn.columns.indexOf('note')] = realNotes.map((v, i) =>
      i % 2 === 0 ? v : `${v} `.toUpperCase(),
    );
    const r = await evaluate({
      real: realT,
      synthetic: syn,
      bootstrapReps: 10,
      sections: { fidelity: false, detection: false, mmd: false, ...sections },
    });
    const c = r.text?.columns[0];
    expect(c?.near_copy_share.value).toBeGreaterThan(0.95);
    expect(r.warnings.map((w) => w.code)).toEqual(['near_copy_text']);
    expect(r.warnings[0].message).toMatch(/"note"/);
  });
});

describe('MMD: the verdict is the permutation p-value (issue 13.7)', () => {
  it('a column-shuffled copy fails an mmd_p_value gate with p well below .01; an honest sample passes', async () => {
    const real = mixedTable(1, 1200, 'real');
    const sections = {
      fidelity: false,
      detection: false,
      privacy: false,
      utility: false,
      knn_coverage: false,
    } as const;
    const gates = parseGates('mmd_p_value: { min: 0.01 }\n', 'gate.yaml');
    const shuffled = await evaluate({
      real,
      synthetic: shuffleColumns(real, 7),
      bootstrapReps: 10,
      sections,
    });
    expect(shuffled.mmd?.permutations).toBe(1000);
    expect(shuffled.summary.mmd_p_value).toBeLessThanOrEqual(0.002);
    expect(checkGates(shuffled, gates).map((f) => f.key)).toEqual(['mmd_p_value']);
    const honest = await evaluate({
      real,
      synthetic: mixedTable(2, 1200, 'syn'),
      bootstrapReps: 10,
      sections,
    });
    expect(honest.summary.mmd_p_value).toBeGreaterThan(0.05);
    expect(checkGates(honest, gates)).toEqual([]);
    // a clearly non-significant result stops early (Besag–Clifford)
    expect(honest.mmd?.permutations).toBeLessThan(1000);
  });
});
