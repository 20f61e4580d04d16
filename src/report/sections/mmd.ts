/** MMD: the kernel two-sample test, read by its permutation p-value. */
import type { MmdSection } from '../../evaluate/index.js';
import { escapeHtml as e, metricText, num } from '../format.js';
import { sectionHtml } from '../html-kit.js';
import type { SectionView } from './view.js';

/** Below this p-value the report says the tables differ (the `mmd_p_value` gate sets your own). */
const ALPHA = 0.01;

function verdict(m: MmdSection): string {
  if (m.p_value === null) return `No verdict: ${m.mmd2.reason ?? 'not computed'}.`;
  const p = m.p_value < 0.001 ? m.p_value.toPrecision(2) : num(m.p_value);
  return m.p_value < ALPHA
    ? `The tables differ: permutation p = ${p} (below ${ALPHA}; ${m.permutations} permutations).`
    : `No significant difference: permutation p = ${p} (${ALPHA} or more; ${m.permutations} permutations).`;
}

function detail(m: MmdSection): string {
  return `MMD² ${metricText(m.mmd2, 5)} on ${m.rows_per_side} rows per side. MMD² has no fixed scale (a column-shuffled copy of real data can score a tiny MMD² and still differ clearly): the verdict is the p-value.`;
}

export const mmdView: SectionView<'mmd'> = {
  markdown: (m: MmdSection) => ['## MMD (kernel two-sample test)', '', verdict(m), detail(m)].join('\n'),
  html: (m: MmdSection) =>
    sectionHtml(
      'mmd',
      'Kernel two-sample test (MMD)',
      `<p><b class="${m.p_value !== null && m.p_value < ALPHA ? 'bad' : 'good'}">${e(verdict(m))}</b></p><p class="muted">${e(detail(m))}</p>`,
    ),
};
