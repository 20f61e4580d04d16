/**
 * The missingness section, end to end through the generic path: computed by evaluate(), in the
 * summary and gates, and drawn in Markdown and HTML from its `present` blocks (no renderer of its own).
 */
import { describe, expect, it } from 'vitest';
import { renderHtml, renderMarkdown } from '../report/index.js';
import { checkGates, type EvaluateSections, evaluate, parseGates, SECTION_NAMES } from './index.js';
import type { CellValue } from './tables.js';

const ONLY = Object.fromEntries(SECTION_NAMES.map((n) => [n, n === 'missingness'])) as EvaluateSections;
const N = 100;

/** Columns a (category), b (number) and c (never missing); `aMissing(i)` / `bMissing(i)` blank a row's cell. */
function table(aMissing: (i: number) => boolean, bMissing: (i: number) => boolean) {
  const rows = Array.from({ length: N }, (_, i) => i);
  const data: CellValue[][] = [
    rows.map((i) => (aMissing(i) ? null : i % 3 ? 'p' : 'q')),
    rows.map((i) => (bMissing(i) ? null : (i % 5) + 1)),
    rows.map((i) => (i % 2 ? 'x' : 'y')),
  ];
  return { columns: ['a', 'b', 'c'], data, rowCount: N };
}

const judge = (real: ReturnType<typeof table>, synthetic: ReturnType<typeof table>) =>
  evaluate({ real, synthetic, sections: ONLY, bootstrapReps: 20 });

describe('missingness section', () => {
  // real: a and b missing together in 20 rows; synthetic: the same shares, drawn apart
  const together = table(
    (i) => i < 20,
    (i) => i < 20,
  );
  const apart = table(
    (i) => i < 20,
    (i) => i >= 10 && i < 30,
  );

  it('keeps per-column shares apart from joint patterns: equal shares, patterns 0.8 (exact)', async () => {
    const r = await judge(together, apart);
    const m = r.missingness;
    expect(m?.columns.map((c) => [c.name, c.real, c.synthetic])).toEqual([
      ['a', 0.2, 0.2],
      ['b', 0.2, 0.2],
    ]);
    expect(r.summary.missing_rate_diff_max).toBe(0);
    // patterns real {none .8, a+b .2}; synthetic {none .7, a+b .1, a .1, b .1}: TVD = (.1+.1+.1+.1)/2
    expect(r.summary.missing_pattern_accuracy).toBeCloseTo(0.8, 12);
    expect(m?.pattern_accuracy.ci?.[0]).toBeLessThan(0.8);
    expect(m?.pattern_count).toBe(4);
    expect(m?.patterns[0]).toEqual({ missing: [], real: 0.8, synthetic: 0.7 });
    expect(m?.patterns.find((p) => p.missing.join() === 'a,b')).toEqual({
      missing: ['a', 'b'],
      real: 0.2,
      synthetic: 0.1,
    });
  });

  it('a column missing far more often in synthetic rows is the largest gap', async () => {
    const r = await judge(
      together,
      table(
        (i) => i < 90,
        (i) => i < 20,
      ),
    );
    expect(r.summary.missing_rate_diff_max).toBeCloseTo(0.7, 12);
    expect(r.missingness?.columns[0].name).toBe('a');
  });

  it('no missing value anywhere: shares equal, patterns identical, a note instead of a table', async () => {
    const none = table(
      () => false,
      () => false,
    );
    const r = await judge(none, none);
    expect(r.summary.missing_pattern_accuracy).toBe(1);
    expect(r.summary.missing_rate_diff_max).toBe(0);
    expect(r.missingness?.columns).toEqual([]);
    expect(renderMarkdown(r)).toContain('No value is missing in either table.');
  });

  it('gates read its summary keys', async () => {
    const r = await judge(together, apart);
    const gates = parseGates(
      'missing_pattern_accuracy: { min: 0.9 }\nmissing_rate_diff_max: { max: 0.05 }',
      'g.yaml',
    );
    expect(checkGates(r, gates).map((f) => f.key)).toEqual(['missing_pattern_accuracy']);
  });

  it('is drawn from its presentation in Markdown and HTML: figures with gate keys, table, bars', async () => {
    const r = await judge(together, apart);
    const md = renderMarkdown(r);
    expect(md).toContain('## Missing values');
    expect(md).toMatch(/\| Patterns of missing columns \(1 − TVD\) \| missing_pattern_accuracy \| 0\.800 \[/);
    expect(md).toContain('| a | 20.0% | 20.0% |');
    expect(md).toContain('| a + b | 20.0% | 10.0% |');
    // the summary table lists both keys with their labels
    expect(md).toContain(
      '| Missingness patterns across columns (1 − TVD) | missing_pattern_accuracy | 0.8000 |',
    );
    const html = await renderHtml(r);
    const section = /<section id="missingness">.*?<\/section>/s.exec(html)?.[0] ?? '';
    expect(section).toContain('<h2>Missing values</h2>');
    expect(section).toContain('<code>missing_rate_diff_max</code>');
    expect(section).toContain('<td>a</td><td>20.0%</td><td>20.0%</td>');
    expect(section).toContain('<svg');
  });
});
