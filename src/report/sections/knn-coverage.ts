/** kNN coverage and density (Naeem et al. 2020). */
import type { KnnCoverageSection } from '../../evaluate/index.js';
import { escapeHtml as e, metricText } from '../format.js';
import { sectionHtml } from '../html-kit.js';
import type { SectionView } from './view.js';

function sentence(k: KnnCoverageSection): string {
  return `Coverage ${metricText(k.coverage)}: share of real rows whose neighbourhood (out to their ${k.k}th nearest real row) holds a synthetic row; 1 = every real region is reached. Density ${metricText(k.density)}: about 1 when synthetic rows crowd where real rows do. Naeem et al. 2020, ${k.rows_per_side} rows per side.`;
}

export const knnCoverageView: SectionView<'knn_coverage'> = {
  markdown: (k: KnnCoverageSection) => ['## kNN coverage and density', '', sentence(k)].join('\n'),
  html: (k: KnnCoverageSection) => sectionHtml('knn', 'kNN coverage and density', `<p>${e(sentence(k))}</p>`),
};
