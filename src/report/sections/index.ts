/** The renderer of every evaluate section, keyed like the evaluate registry (the compiler checks both). */
import type { SectionName } from '../../evaluate/index.js';
import { biasView } from './bias.js';
import { coverageView } from './coverage.js';
import { detectionView } from './detection.js';
import { fidelityView } from './fidelity.js';
import { knnCoverageView } from './knn-coverage.js';
import { mmdView } from './mmd.js';
import { privacyView } from './privacy.js';
import { relationalView } from './relational.js';
import { rulesView } from './rules.js';
import { textView } from './text.js';
import { utilityView } from './utility.js';
import type { SectionView } from './view.js';

export const VIEWS: { readonly [N in SectionName]: SectionView<N> } = {
  fidelity: fidelityView,
  text: textView,
  detection: detectionView,
  mmd: mmdView,
  privacy: privacyView,
  utility: utilityView,
  bias: biasView,
  rules: rulesView,
  coverage: coverageView,
  knn_coverage: knnCoverageView,
  relational: relationalView,
};

export type { RenderContext, SectionView } from './view.js';
