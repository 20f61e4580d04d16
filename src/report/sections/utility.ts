/** Utility: a model trained on synthetic rows, tested on real ones, against one trained on real rows. */
import type { Metric, UtilitySection } from '../../evaluate/index.js';
import { escapeHtml as e, mdTable, metricText, num } from '../format.js';
import { sectionHtml, tableHtml } from '../html-kit.js';
import type { SectionView } from './view.js';

const HEADERS = ['model', 'AUC', 'accuracy', 'macro-F1'];

function rows(u: UtilitySection): string[][] {
  const row = (name: string, m: { auc: Metric; accuracy: Metric; macro_f1: Metric }) => [
    name,
    metricText(m.auc),
    metricText(m.accuracy),
    metricText(m.macro_f1),
  ];
  return [
    row('train synthetic → test real', u.tstr),
    row('train real → test real', u.trtr),
    row('real + synthetic → test real', u.augmented),
  ];
}

export const utilityView: SectionView<'utility'> = {
  markdown(u: UtilitySection) {
    const out = [
      `## Utility (target ${u.target}, tested on ${u.test_set}, ${u.test_rows} rows)`,
      '',
      mdTable(HEADERS, rows(u)),
    ];
    const rare = Object.entries(u.rare_recall_change);
    if (rare.length)
      out.push(
        '',
        `Rare-class recall change with augmentation: ${rare.map(([c, v]) => `${c} ${v === null ? '—' : (v >= 0 ? '+' : '') + num(v)}`).join(', ')}`,
      );
    return out.join('\n');
  },
  html: (u: UtilitySection) =>
    sectionHtml(
      'utility',
      `Utility: predicting ${u.target}`,
      `<p class="muted">tested on ${e(u.test_set)} (${u.test_rows} rows)</p>${tableHtml(HEADERS, rows(u))}${tableHtml(
        ['class', 'recall, trained on synthetic', 'recall, trained on real', 'recall, real + synthetic'],
        u.classes.map((c) => [
          c,
          num(u.tstr.per_class_recall[c]),
          num(u.trtr.per_class_recall[c]),
          num(u.augmented.per_class_recall[c]),
        ]),
      )}`,
    ),
};
