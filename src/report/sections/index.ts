/**
 * Custom renderers, keyed by section name. A section that declares `present` (what it shows, as
 * data) is drawn by the generic renderer (../present.ts) and needs no entry here; one without
 * `present` must have one (the type below makes the compiler say so). A renderer here wins over
 * `present`.
 */
import type { SECTIONS, SectionName } from '../../evaluate/index.js';
import { biasView } from './bias.js';
import { coverageView } from './coverage.js';
import { detectionView } from './detection.js';
import { fidelityView } from './fidelity.js';
import { mmdView } from './mmd.js';
import { privacyView } from './privacy.js';
import { relationalView } from './relational.js';
import { rulesView } from './rules.js';
import { textView } from './text.js';
import { utilityView } from './utility.js';
import type { SectionView } from './view.js';

type Sections = typeof SECTIONS;
/** Sections without `present`: each needs a renderer here. */
type Unpresented = {
  [N in SectionName]: Sections[N] extends { present(v: never): unknown } ? never : N;
}[SectionName];

export const VIEWS: { readonly [N in Unpresented]: SectionView<N> } & {
  readonly [N in SectionName]?: SectionView<N>;
} = {
  fidelity: fidelityView,
  text: textView,
  detection: detectionView,
  mmd: mmdView,
  privacy: privacyView,
  utility: utilityView,
  bias: biasView,
  rules: rulesView,
  coverage: coverageView,
  relational: relationalView,
};

export type { RenderContext, SectionView } from './view.js';

/** The custom renderer of one section, if it has one. */
export function viewFor<N extends SectionName>(name: N): SectionView<N> | undefined {
  const views: { readonly [M in SectionName]?: SectionView<M> } = VIEWS;
  return views[name];
}
