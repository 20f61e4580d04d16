/** Detection: can a classifier tell synthetic rows from real ones, and which columns give them away. */
import type { DetectionSection } from '../../evaluate/index.js';
import { escapeHtml as e, metricText, num } from '../format.js';
import { sectionHtml, tableHtml } from '../html-kit.js';
import type { SectionView } from './view.js';

function sentence(d: DetectionSection): string {
  return `Cross-validated AUC ${metricText(d.auc)}: 0.5 means the classifier cannot tell synthetic from real, 1 that it always can (${d.rows_per_side} rows per side, ${d.folds}-fold cross-validation).`;
}

export const detectionView: SectionView<'detection'> = {
  markdown(d: DetectionSection) {
    const out = ['## Detection (classifier two-sample test)', '', sentence(d)];
    if (d.importances.length)
      out.push(
        `Columns that give synthetic data away: ${d.importances
          .slice(0, 5)
          .map((x) => `${x.column} (${num(x.importance, 2)})`)
          .join(', ')}`,
      );
    return out.join('\n');
  },
  html: (d: DetectionSection) =>
    sectionHtml(
      'detection',
      'Can a classifier tell them apart?',
      `<p>${e(sentence(d))}</p>${
        d.importances.length
          ? tableHtml(
              ['column giving synthetic data away', 'share of the split gain'],
              d.importances.map((x) => [x.column, num(x.importance)]),
            )
          : ''
      }`,
    ),
};
