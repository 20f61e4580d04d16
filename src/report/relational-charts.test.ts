import { describe, expect, it } from 'vitest';
import { evaluate, SECTION_NAMES } from '../evaluate/index.js';
import { hospital, sets } from '../evaluate/relational/testing/hospital.js';
import type { TableInput } from '../evaluate/tables.js';
import { parseSpecText } from '../spec/index.js';
import { renderHtml, renderMarkdown } from './index.js';

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

  it('lists the parent–child pairs per foreign key and a rule of the spec the synthetic rows break across rows', async () => {
    const real = hospital(120, 1);
    const syn = structuredClone(real);
    for (const a of syn.adms) a.dischtime = '2200-01-01T00:00:00.000Z'; // every next admission comes before it
    const spec = parseSpecText(
      `strata: 1
tables:
  patients:
    key: subject_id
    columns:
      subject_id: { type: id, start: 100 }
      dob: { type: date, dist: { uniform: { min: "1950-01-01", max: "1980-01-01" } } }
  admissions:
    parent: patients
    key: hadm_id
    sequence: { order: admittime }
    columns:
      hadm_id: { type: id, start: 1000 }
      subject_id: { type: ref }
      admittime: { type: datetime, dist: { uniform: { min: "parent.dob", max: "2030-01-01" } } }
      dischtime: { type: datetime, dist: { uniform: { min: "admittime", max: "2031-01-01" } } }
    rules:
      - { name: after_previous_discharge, check: "admittime > prev.dischtime" }
`,
      'h.yaml',
    ).spec;
    const report = await evaluate({
      real: sets(real).get('patients') as TableInput,
      synthetic: sets(syn).get('patients') as TableInput,
      spec,
      sections: ONLY_RELATIONAL,
      relational: { real: sets(real), synthetic: sets(syn) },
    });
    const html = await renderHtml(report);
    const section = html.slice(html.indexOf('<section id="relational"'));
    expect(section).toContain('parent–child pairs 1 − TVD (mean)');
    expect(section).toContain('parent–child dependence');
    expect(section).toContain('Rules of the spec: 1 (1 read another row');
    expect(section).toContain('admittime &gt; prev.dischtime');
    expect(renderMarkdown(report)).toContain('after_previous_discharge');
  });
});
