/** Coverage: rows delivered per cell of the spec's coverage plan. */
import type { CoverageSection } from '../../evaluate/index.js';
import { coverageSpec } from '../charts.js';
import { escapeHtml as e, mdTable, num } from '../format.js';
import { chart, sectionHtml } from '../html-kit.js';
import type { SectionView } from './view.js';

function line(c: CoverageSection): string {
  return `${c.cells_met} of ${c.cells_required} required cells met · ${c.empty_cells} empty cells · ${c.rows_outside_cells} rows outside the declared cells${c.effective_sample_size !== null ? ` · effective sample size ${num(c.effective_sample_size, 1)}` : ''}`;
}

export const coverageView: SectionView<'coverage'> = {
  markdown(c: CoverageSection, { top }) {
    const out = [`## Coverage (${c.table}: ${c.axes.join(' × ')})`, '', line(c)];
    const short = c.cells.filter((x) => !x.met).slice(0, top);
    if (short.length)
      out.push(
        '',
        mdTable(
          ['cell', 'required', 'delivered'],
          short.map((x) => [
            Object.entries(x.labels)
              .map(([k, v]) => `${k}=${v}`)
              .join(', ') + (x.forbidden ? ' (forbidden)' : ''),
            String(x.required),
            String(x.delivered),
          ]),
        ),
      );
    return out.join('\n');
  },
  html: async (c: CoverageSection) =>
    sectionHtml('coverage', 'Coverage', `<p>${e(line(c))}</p>${await chart(coverageSpec(c))}`),
};
