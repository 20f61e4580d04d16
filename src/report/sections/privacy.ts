/** Privacy: overlap with the training rows and the distance to the closest record. */
import type { PrivacySection } from '../../evaluate/index.js';
import { dcrSpec } from '../charts.js';
import { mdTable, metricText, num } from '../format.js';
import { chart, sectionHtml, tableHtml } from '../html-kit.js';
import type { SectionView } from './view.js';

function rows(p: PrivacySection): string[][] {
  return [
    ['identical-match share (synthetic rows equal to a training row)', metricText(p.identical_match_share)],
    ['identical-match share of the holdout (baseline)', metricText(p.identical_match_share_holdout)],
    [
      'training rows equal to another training row (baseline without holdout)',
      metricText(p.identical_match_share_train),
    ],
    ['DCR share (closer to train than to holdout; 0.5 ideal)', metricText(p.dcr_share)],
    ['median distance to the closest training row (Gower)', num(p.dcr_train?.quantiles.p50)],
    ['median nearest-neighbour distance ratio', metricText(p.nndr_median)],
    ['membership-inference AUC (0.5 = no leak)', metricText(p.membership_inference_auc)],
  ];
}

export const privacyView: SectionView<'privacy'> = {
  markdown: (p: PrivacySection) => ['## Privacy', '', mdTable(['metric', 'value'], rows(p))].join('\n'),
  async html(p: PrivacySection) {
    const hist = p.dcr_train
      ? await chart(dcrSpec(p.dcr_train.histogram, p.dcr_holdout?.histogram ?? null))
      : '';
    return sectionHtml('privacy', 'Overlap and privacy', `${tableHtml(['metric', 'value'], rows(p))}${hist}`);
  },
};
