/**
 * The section registry: typed "not applicable" outcomes, exceptions that surface, summary keys owned
 * once; the near-copy warning (issue 13.6); typed tables as input (issue 13.12).
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { RawTable } from '../io/index.js';
import { mixedTable, withIdAndNote } from './fixtures.js';
import { evaluate, parseGates, SECTION_NAMES, SECTIONS, SUMMARY_FIELDS, SUMMARY_KEYS } from './index.js';

const real = mixedTable(1, 1200, 'real');
const holdout = mixedTable(3, 1200, 'holdout');
const copyOf = (t: RawTable): RawTable => ({ ...t, name: 'copy', data: t.data.map((c) => c.slice()) });
const privacyOnly = {
  fidelity: false,
  detection: false,
  mmd: false,
  utility: false,
  knn_coverage: false,
} as const;

afterEach(() => {
  vi.restoreAllMocks();
});

describe('section registry', () => {
  it('each summary key belongs to exactly one section, in report order, with a label in words', () => {
    expect(new Set(SUMMARY_KEYS).size).toBe(SUMMARY_KEYS.length);
    expect(SUMMARY_FIELDS.map((f) => f.key)).toEqual([...SUMMARY_KEYS]);
    for (const f of SUMMARY_FIELDS) {
      expect(Object.keys(SECTIONS[f.section].summary)).toContain(f.key);
      expect(f.label).toMatch(/^[A-Z].* /);
    }
    expect(SECTION_NAMES.indexOf('utility')).toBeLessThan(SECTION_NAMES.indexOf('bias'));
  });

  it('the generated table lists every declared section under its name, in order (npm run sections:index)', () => {
    for (const [i, name] of SECTION_NAMES.entries()) {
      expect(SECTIONS[name].name).toBe(name);
      if (i > 0) expect(SECTIONS[name].order).toBeGreaterThan(SECTIONS[SECTION_NAMES[i - 1]].order);
    }
    const check = spawnSync(process.execPath, ['--import', 'tsx', 'scripts/sections-index.ts', '--check'], {
      encoding: 'utf8',
    });
    expect(check.stderr).toBe('');
    expect(check.status).toBe(0);
  });

  it('not applicable is a typed outcome: a numeric target skips utility with its reason, nothing thrown', async () => {
    const r = await evaluate({
      real: mixedTable(8, 300),
      synthetic: mixedTable(9, 300),
      target: 'income',
      sensitive: ['gender'],
      bootstrapReps: 5,
      sections: { fidelity: false, detection: false, mmd: false, privacy: false, knn_coverage: false },
    });
    expect(r.utility).toBeNull();
    expect(r.skipped.find((s) => s.metric === 'utility')?.reason).toMatch(/numeric/);
    expect(r.skipped.find((s) => s.metric === 'tstr_auc')?.reason).toMatch(/numeric/);
    expect(r.bias).toEqual([]);
    expect(r.skipped.find((s) => s.metric === 'bias.gender')?.reason).toMatch(/numeric/);
  });

  it('an exception inside a section is a bug and surfaces; it is never reported as "skipped"', async () => {
    vi.spyOn(SECTIONS.utility, 'run').mockImplementation(() => {
      throw new TypeError('s.trim is not a function');
    });
    await expect(
      evaluate({
        real: mixedTable(1, 100),
        synthetic: mixedTable(2, 100),
        target: 'label',
        bootstrapReps: 5,
        sections: { ...privacyOnly, privacy: false, utility: true },
      }),
    ).rejects.toThrow('s.trim is not a function');
  });

  it('sections nothing asked for leave no trace; requested ones that cannot run say why', async () => {
    const r = await evaluate({
      real: mixedTable(1, 200),
      synthetic: mixedTable(2, 200),
      bootstrapReps: 5,
      sections: privacyOnly,
    });
    const metrics = r.skipped.map((s) => s.metric);
    expect(metrics).not.toContain('bias');
    expect(metrics).not.toContain('coverage');
    expect(metrics).not.toContain('text');
    expect(metrics).toContain('rule_violation_rate');
    expect(Object.keys(r.timings_ms)).not.toContain('coverage');
  });
});

describe('a copy must be called a copy (issue 13.6)', () => {
  it('warns with a holdout, without one, and with fresh IDs; not for an honest sample', async () => {
    const withHold = await evaluate({
      real,
      synthetic: copyOf(real),
      holdout,
      bootstrapReps: 20,
      sections: privacyOnly,
    });
    expect(withHold.warnings.map((w) => w.code)).toEqual(['near_copy']);
    expect(withHold.warnings[0].message).toMatch(/100\.0% of synthetic rows are identical to a training row/);
    expect(withHold.warnings[0].message).toMatch(/closer to a training row than to any holdout row/);

    const noHold = await evaluate({
      real,
      synthetic: copyOf(real),
      bootstrapReps: 20,
      sections: privacyOnly,
    });
    expect(noHold.warnings.map((w) => w.code)).toEqual(['near_copy']);
    expect(noHold.privacy?.identical_match_share_train.value).toBe(0);

    // half the rows copied, under fresh customer ids: the ID column does not hide the copies
    const half = copyOf(mixedTable(2, 1200, 'syn'));
    half.data.forEach((col, c) => {
      for (let i = 0; i < 600; i++) col[i] = real.data[c][i];
    });
    const ids = await evaluate({
      real: withIdAndNote(real, 1, 1),
      synthetic: withIdAndNote(half, 900_001, 2),
      bootstrapReps: 20,
      sections: privacyOnly,
    });
    expect(ids.summary.identical_match_share).toBeCloseTo(0.5, 2);
    expect(ids.warnings.map((w) => w.code)).toEqual(['near_copy']);

    const honest = await evaluate({
      real,
      synthetic: mixedTable(2, 1200, 'syn'),
      holdout,
      bootstrapReps: 20,
      sections: privacyOnly,
    });
    expect(honest.warnings).toEqual([]);
  });

  it('no warning when matches are as common as between two real samples (few, coarse columns)', async () => {
    const coarse = (t: RawTable): RawTable => ({
      ...t,
      columns: ['segment', 'gender'],
      data: [t.data[t.columns.indexOf('segment')], t.data[t.columns.indexOf('gender')]],
    });
    const r = await evaluate({
      real: coarse(real),
      synthetic: coarse(mixedTable(2, 1200, 'syn')),
      bootstrapReps: 20,
      sections: privacyOnly,
    });
    expect(r.summary.identical_match_share).toBe(1);
    expect(r.warnings).toEqual([]);
  });
});

describe('typed tables in (issue 13.12: library calls chain)', () => {
  it('numbers, booleans, Dates and null judge like their CSV text', async () => {
    const n = 120;
    const typed = (seed: number) => {
      const t = mixedTable(seed, n);
      const num = (c: string) => t.data[t.columns.indexOf(c)].map((v) => (v === null ? null : Number(v)));
      return {
        columns: ['age', 'income', 'vip', 'joined', 'segment'],
        rows: n,
        table: 'people',
        data: [
          num('age'),
          num('income'),
          num('age').map((a) => (a === null ? null : a > 50)),
          num('age').map((a) => new Date(Date.UTC(2020, 0, 1 + (a ?? 0) * 7))),
          t.data[t.columns.indexOf('segment')],
        ],
      };
    };
    const asText = (t: ReturnType<typeof typed>): RawTable => ({
      name: t.table,
      source: 'mem',
      columns: t.columns,
      rowCount: t.rows,
      data: t.data.map((col) =>
        col.map((v) =>
          v === null
            ? null
            : v instanceof Date
              ? v.toISOString()
              : typeof v === 'boolean'
                ? String(v)
                : String(v),
        ),
      ),
    });
    const sections = { detection: false, mmd: false, privacy: false, utility: false, knn_coverage: false };
    const a = await evaluate({ real: typed(1), synthetic: typed(2), bootstrapReps: 5, sections });
    const b = await evaluate({
      real: asText(typed(1)),
      synthetic: asText(typed(2)),
      bootstrapReps: 5,
      sections,
    });
    expect(a.summary).toEqual(b.summary);
    expect(a.inputs.columns.find((c) => c.name === 'joined')?.temporal).toBe('datetime');
    expect(a.fidelity?.columns.find((c) => c.name === 'joined')?.bins.labels[0]).toMatch(
      /^≤ 20\d\d-\d\d-\d\d/,
    );
  });

  it('a ragged table is bad input with the column named', async () => {
    await expect(
      evaluate({
        real: { columns: ['a', 'b'], data: [['1', '2'], ['x']] },
        synthetic: { columns: ['a', 'b'], data: [['1'], ['x']] },
      }),
    ).rejects.toThrow(/column "b" of the real table has 1 values for 2 rows/);
  });
});

describe('docs/evaluate-json.md', () => {
  const doc = readFileSync(new URL('../../docs/evaluate-json.md', import.meta.url), 'utf8');

  it('documents every summary key, and its gate-file example parses', () => {
    const table = doc.split('\n').filter((l) => l.startsWith('| `'));
    for (const k of SUMMARY_KEYS)
      expect(
        table.some((l) => l.includes(`\`${k}\``)),
        k,
      ).toBe(true);
    const example = /## Gate file[\s\S]*?```yaml\n([\s\S]*?)```/.exec(doc)?.[1];
    expect(example).toBeDefined();
    const gates = parseGates(example ?? '', 'docs/evaluate-json.md');
    expect(Object.keys(gates)).toContain('mmd_p_value');
  });
});
