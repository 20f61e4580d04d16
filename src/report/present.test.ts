/** The generic renderer of section presentations: every block kind, in Markdown and HTML. */
import { describe, expect, it } from 'vitest';
import type { Presentation } from '../evaluate/presentation.js';
import { cellText, presentHtml, presentMarkdown } from './present.js';

const p: Presentation = {
  heading: 'Example <section>',
  blocks: [
    {
      kind: 'figures',
      items: [
        { label: 'Score', value: { value: 0.91234, ci: [0.9, 0.93] }, key: 'example_score' },
        { label: 'Gap', value: 0.125, format: 'share' },
        { label: 'Missing', value: { value: null, reason: 'too few rows' }, key: 'example_other' },
      ],
    },
    {
      kind: 'table',
      caption: 'Rows, worst first',
      columns: [
        { label: 'name', format: 'text' },
        { label: 'rows', format: 'count' },
        { label: 'share', format: 'share' },
      ],
      rows: Array.from({ length: 12 }, (_, i) => [`r${i}`, i * 10.4, i / 100]),
    },
    {
      kind: 'bars',
      title: 'Bars',
      labels: ['a', 'b'],
      real: [0.75, 0.25],
      synthetic: [0.5, 0.5],
      format: 'share',
    },
    {
      kind: 'histogram',
      title: 'Distances',
      x: 'distance',
      y: 'rows',
      series: [{ name: 'real', histogram: { edges: [0, 1, 2], counts: [3, 4] } }],
    },
    { kind: 'note', text: 'Careful: x < y', tone: 'bad' },
  ],
};

describe('presentation renderer', () => {
  it('formats cells by their column: scores with intervals, shares, counts, n/a with the reason', () => {
    expect(cellText({ value: 0.5, ci: [0.4, 0.6] }, 'score')).toBe('0.500 [0.400, 0.600]');
    expect(cellText({ value: 0.5, ci: [0.4, 0.6] }, 'share')).toBe('50.0% [40.0%, 60.0%]');
    expect(cellText({ value: null, reason: 'no rows' }, 'share')).toBe('n/a (no rows)');
    expect(cellText(41.6, 'count')).toBe('42');
    expect(cellText(null, 'score')).toBe('—');
    expect(cellText('x|y', 'text')).toBe('x|y');
  });

  it('Markdown: heading, figures with gate keys, the first `top` rows and a count of the rest', () => {
    const md = presentMarkdown('fallback', p, 10);
    expect(md.startsWith('## Example <section>\n\n| metric | key | value |')).toBe(true);
    expect(md).toContain('| Score | example_score | 0.912 [0.900, 0.930] |');
    expect(md).toContain('| Gap |  | 12.5% |');
    expect(md).toContain('| Missing | example_other | n/a (too few rows) |');
    expect(md).toContain('| r9 | 94 | 9.0% |');
    expect(md).not.toContain('| r10 |');
    expect(md).toContain('… and 2 more (all in the JSON report)');
    expect(md).toContain('| a | 75.0% | 50.0% |');
    expect(md).toContain('Distances: chart in the HTML report (--html).');
    expect(md.endsWith('**Careful: x < y**')).toBe(true);
    expect(presentMarkdown('fallback', { blocks: [] }, 10)).toBe('## fallback');
  });

  it('HTML: one escaped section with figure cards, tables, SVG charts and toned notes', async () => {
    const html = await presentHtml('example', 'fallback', p, 15);
    expect(html.startsWith('<section id="example"><h2>Example &lt;section&gt;</h2>')).toBe(true);
    expect(html).toContain(
      '<div class="k">Score <code>example_score</code></div><div class="v">0.912 [0.900, 0.930]</div>',
    );
    expect(html).toContain('<div class="na">n/a (too few rows)</div>');
    expect(html).toContain('<td>r11</td><td>114</td><td>11.0%</td>');
    expect(html.match(/<svg/g)?.length).toBe(2);
    expect(html).toContain('<p class="bad">Careful: x &lt; y</p>');
  });
});
