/** Rules: violations of the spec's checks, with example rows. */
import type { RuleReport } from '../../evaluate/index.js';
import { mdTable, metricText } from '../format.js';
import { sectionHtml, tableHtml } from '../html-kit.js';
import type { SectionView } from './view.js';

function example(ex: RuleReport['examples'][number]): string {
  return `row ${ex.row}: ${Object.entries(ex.values)
    .map(([k, v]) => `${k}=${v}`)
    .join(', ')}`;
}

export const rulesView: SectionView<'rules'> = {
  markdown: (rules: RuleReport[]) =>
    [
      '## Rules',
      '',
      mdTable(
        ['rule', 'violations', 'rate', 'not evaluable', 'first example'],
        rules.map((x) => [
          x.name,
          String(x.violations),
          metricText(x.rate, 4),
          String(x.not_evaluable),
          x.examples[0] ? example(x.examples[0]) : '',
        ]),
      ),
    ].join('\n'),
  html: (rules: RuleReport[]) =>
    sectionHtml(
      'rules',
      'Rule violations',
      tableHtml(
        ['rule', 'check', 'violations', 'rate', 'not evaluable (a value missing)', 'examples'],
        rules.map((x) => [
          x.name,
          x.check,
          String(x.violations),
          metricText(x.rate, 4),
          String(x.not_evaluable),
          x.error ?? x.examples.map(example).join('; '),
        ]),
      ),
    ),
};
