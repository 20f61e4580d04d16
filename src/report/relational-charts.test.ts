import { describe, expect, it } from 'vitest';
import { evaluate, SECTION_NAMES } from '../evaluate/index.js';
import { hospital, sets } from '../evaluate/relational/testing/hospital.js';
import type { TableInput } from '../evaluate/tables.js';
import { renderHtml } from './index.js';

const ONLY_RELATIONAL = Object.fromEntries(SECTION_NAMES.map((n) => [n, n === 'relational']));

describe('relational HTML report', () => {
  it('draws children-per-parent and gap histograms and a timeline as inline SVG, with no external asset', async () => {
    const real = sets(hospital(120, 1));
    const report = await evaluate({
      real: real.get('patients') as TableInput,
      synthetic: real.get('patients') as TableInput,
      sections: ONLY_RELATIONAL,
      relational: {
        real,
        synthetic: sets(hospital(120, 2)),
        orders: [{ table: 'admissions', column: 'admittime' }],
      },
    });
    const html = await renderHtml(report);
    const section = html.slice(html.indexOf('<section id="relational"'));
    expect(section).toContain('Per-entity detection');
    expect(section).toContain('admissions per patients');
    expect(section).toContain('gap between consecutive admittime');
    expect(section).toContain('a few real and synthetic entities over time');
    expect((section.match(/<svg/g) ?? []).length).toBe(3);
    expect(html).not.toMatch(/<(script|link|img)\b|src="http|href="http/);
  });
});
