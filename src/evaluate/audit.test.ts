/**
 * The audit section: a second real sample passes its own audit; a synthetic set missing one rare
 * cell, and one with its upper tail cut off, fail on exactly that; without a holdout nothing is
 * judged and the report says why. Drawn through the generic presentation path (no renderer of its own).
 */
import { describe, expect, it } from 'vitest';
import { streamFor } from '../random/stream.js';
import { renderHtml, renderMarkdown } from '../report/index.js';
import type { Spec } from '../spec/index.js';
import { checkGates, type EvaluateSections, evaluate, parseGates, SECTION_NAMES } from './index.js';
import type { CellValue } from './tables.js';

const ONLY = Object.fromEntries(
  SECTION_NAMES.map((n) => [n, n === 'audit' || n === 'privacy']),
) as EvaluateSections;

/**
 * One real law: a (p 60%, q 35%, r 5%), b (x/y, tied to a), v ~ exponential(1) + 10 × [a = q].
 * `opts.noRare` writes p for r; `opts.cut` redraws v above the cut from below it.
 */
function sample(rows: number, name: string, opts: { noRare?: boolean; cut?: number } = {}) {
  const st = streamFor(7, 'audit-test', name);
  const a: CellValue[] = [];
  const b: CellValue[] = [];
  const v: CellValue[] = [];
  for (let i = 0; i < rows; i++) {
    const u = st.nextFloat();
    const cat = u < 0.6 ? 'p' : u < 0.95 ? 'q' : 'r';
    a.push(opts.noRare && cat === 'r' ? 'p' : cat);
    b.push(st.nextFloat() < (cat === 'p' ? 0.3 : 0.7) ? 'x' : 'y');
    let x = -Math.log(1 - st.nextFloat());
    while (opts.cut !== undefined && x > opts.cut) x = -Math.log(1 - st.nextFloat());
    v.push(Math.round((x + (cat === 'q' ? 10 : 0)) * 1000) / 1000);
  }
  return { columns: ['a', 'b', 'v'], data: [a, b, v], rowCount: rows };
}

const train = sample(2000, 'train');
const holdout = sample(2000, 'holdout');
const judge = (synthetic: ReturnType<typeof sample>, withHoldout = true) =>
  evaluate({
    real: train,
    synthetic,
    holdout: withHoldout ? holdout : undefined,
    sections: ONLY,
    bootstrapReps: 20,
  });

describe('audit section', () => {
  it('a second real sample passes: no cell, tail or privacy check fails, nor does the holdout', async () => {
    const r = await judge(sample(4000, 'fresh'));
    expect(r.audit?.cells.judged).toBeGreaterThanOrEqual(3 + 2 + 4);
    expect(r.audit?.tails.judged).toBe(2);
    expect(r.summary.audit_failed_cells).toBe(0);
    expect(r.summary.audit_failed_tails).toBe(0);
    expect(r.summary.audit_holdout_failed).toBe(0);
    expect(r.summary.audit_failed).toBe(0);
    expect(r.audit?.line).toMatch(/^audit: passes/);
  });

  it('flags a missing rare category (and its pair cells), worst first', async () => {
    const r = await judge(sample(4000, 'fresh', { noRare: true }));
    const a = r.audit!;
    expect(a.worst[0].failed).toBe(true);
    const failed = a.worst.filter((c) => c.failed).map((c) => c.label);
    expect(failed).toContain('a = r');
    // only cells holding r (and p, which took its rows) fail; no tail
    for (const l of failed) expect(l).toMatch(/a = [rp]/);
    expect(r.summary.audit_failed_tails).toBe(0);
    expect(r.summary.audit_failed_cells).toBe(failed.length);
    expect(r.summary.audit_holdout_failed).toBe(0);
  });

  it('flags a truncated tail: the upper 1% of v (q rows hold it) cut off', async () => {
    // v's training 99% quantile is about 10 + ln(35) ≈ 13.5; draws above 3 are redrawn below
    const r = await judge(sample(4000, 'fresh', { cut: 3 }));
    const a = r.audit!;
    const failed = a.worst.filter((c) => c.failed);
    expect(failed.map((c) => c.kind)).toEqual(['tail']);
    expect(failed[0].label).toMatch(/^v > 1\d\.\d+ \(training 99%\)$/);
    expect(failed[0].synthetic).toBe(0);
    expect(r.summary.audit_failed_tails).toBe(1);
    expect(r.summary.audit_failed).toBe(1);
  });

  it('without a holdout: gaps listed, no verdict, and the report says what cannot be judged', async () => {
    const r = await judge(sample(4000, 'fresh', { noRare: true }), false);
    expect(r.summary.audit_failed).toBeNull();
    expect(r.summary.audit_failed_cells).toBeNull();
    expect(r.audit?.worst[0].label).toBe('a = r');
    expect(r.audit?.worst[0].failed).toBeNull();
    expect(r.audit?.not_judged.join('\n')).toMatch(/cells and tails: needs --holdout/);
    expect(r.audit?.not_judged.join('\n')).toMatch(/DCR share: needs --holdout/);
    expect(r.skipped.find((s) => s.metric === 'audit_failed')?.reason).toMatch(/needs --holdout/);
  });

  it('reads the privacy figures from the privacy section, and names it when it did not run', async () => {
    const r = await judge(sample(4000, 'fresh'));
    const dcr = r.audit?.verdicts.find((v) => v.check === 'DCR share');
    expect(dcr?.value).toBe(r.privacy?.dcr_share.value);
    expect(dcr?.failed).toBe(false);
    const alone = await evaluate({
      real: train,
      synthetic: sample(4000, 'fresh'),
      holdout,
      sections: Object.fromEntries(SECTION_NAMES.map((n) => [n, n === 'audit'])) as EvaluateSections,
      bootstrapReps: 20,
    });
    expect(alone.audit?.verdicts.find((v) => v.check === 'DCR share')?.note).toBe(
      'the privacy section did not run',
    );
  });

  it('a copy of the training rows fails the DCR share and identical-match checks', async () => {
    const r = await judge(train);
    const failed = r.audit?.verdicts.filter((v) => v.failed).map((v) => v.check);
    expect(failed).toEqual(expect.arrayContaining(['DCR share', 'identical matches with training rows']));
    expect(r.summary.audit_failed_cells).toBe(0);
  });

  it('rules: a synthetic set breaking a rule more often than the holdout fails; the holdout is checked the same way', async () => {
    // rule v < 12: about 1 − 0.35 · P(exp > 2) ≈ 95% of real rows keep it; the synthetic set loses
    // its r rows to p, which changes nothing here, so the cut is what breaks it: v + 3 on every row
    const spec = {
      strata: 1,
      tables: {
        t: {
          columns: {
            a: { type: 'category', values: { p: 0.6, q: 0.35, r: 0.05 } },
            b: { type: 'category', values: { x: 0.5, y: 0.5 } },
            v: { type: 'number', dist: { exponential: { rate: 1 } } },
          },
          rules: [{ name: 'v_small', check: 'v < 12' }],
        },
      },
    } as unknown as Spec;
    const shifted = sample(4000, 'fresh');
    shifted.data[2] = shifted.data[2].map((x) => Number(x) + 3);
    const sections = Object.fromEntries(
      SECTION_NAMES.map((n) => [n, n === 'audit' || n === 'rules']),
    ) as EvaluateSections;
    const run = (synthetic: ReturnType<typeof sample>) =>
      evaluate({ real: train, synthetic, holdout, spec, sections, bootstrapReps: 20 });
    const bad = (await run(shifted)).audit?.verdicts.find((v) => v.check === 'rows breaking a spec rule');
    expect(bad?.failed).toBe(true);
    expect(bad?.value).toBeGreaterThan(bad?.baseline ?? 1);
    const good = (await run(sample(4000, 'fresh'))).audit?.verdicts.find(
      (v) => v.check === 'rows breaking a spec rule',
    );
    expect(good?.failed).toBe(false);
    expect(good?.baseline).toBeGreaterThan(0);
  });

  it('gates read its keys; Markdown and HTML draw it from its presentation', async () => {
    const r = await judge(sample(4000, 'fresh', { noRare: true }));
    const gates = parseGates('audit_failed_cells: { max: 0 }\naudit_failed_tails: { max: 0 }', 'g.yaml');
    expect(checkGates(r, gates).map((f) => f.key)).toEqual(['audit_failed_cells']);
    const md = renderMarkdown(r);
    expect(md).toContain('## Audit: rare cells, tails, rules and privacy against the holdout');
    expect(md).toMatch(/\| a = r \| [3-6]\.\d% \| 0\.0% \| [3-6]\.\d% \| [0-9.e-]+ \| FAILS \|/);
    const html = await renderHtml(r);
    const section = /<section id="audit">.*?<\/section>/s.exec(html)?.[0] ?? '';
    expect(section).toContain('<code>audit_failed_cells</code>');
    expect(section).toContain('<td>a = r</td>');
  });
});
