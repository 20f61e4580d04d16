/** Bias: P(target | group) per sensitive column, and whether the synthetic data widens the gap. */
import type { BiasSection } from '../../evaluate/index.js';
import { escapeHtml as e, metricText, num } from '../format.js';
import { tableHtml } from '../html-kit.js';
import type { SectionView } from './view.js';

function amplifiedText(b: BiasSection): string {
  return b.amplified === null ? 'unknown' : b.amplified ? 'yes' : 'no';
}

export const biasView: SectionView<'bias'> = {
  markdown: (list: BiasSection[]) =>
    list
      .map((b) =>
        [
          `## Bias: ${b.column} (positive class "${b.positive_class}")`,
          '',
          `Demographic-parity gap real ${metricText(b.demographic_parity_gap_real)}, synthetic ${metricText(b.demographic_parity_gap_synthetic)}.`,
          `Equalized-odds gap, trained on real ${metricText(b.equalized_odds_gap_trtr)}, trained on synthetic ${metricText(b.equalized_odds_gap_tstr)}.`,
          `Amplified: ${b.amplified ? 'YES' : amplifiedText(b)} — ${b.amplified_reason}`,
        ].join('\n'),
      )
      .join('\n\n'),
  html: (list: BiasSection[]) =>
    list
      .map(
        (b) =>
          `<section class="bias"><h2>Bias: ${e(b.column)}</h2><p>Demographic-parity gap (spread of P(${e(b.positive_class)}) over groups): real ${e(metricText(b.demographic_parity_gap_real))}, synthetic ${e(metricText(b.demographic_parity_gap_synthetic))}. Amplified: <b class="${b.amplified ? 'bad' : 'good'}">${amplifiedText(b)}</b> <span class="muted">${e(b.amplified_reason)}</span></p>${tableHtml(
            [
              'group',
              'rows real',
              'rows synthetic',
              `P(${b.positive_class}) real`,
              `P(${b.positive_class}) synthetic`,
            ],
            b.groups.map((g) => [
              g.group,
              String(g.rows_real),
              String(g.rows_synthetic),
              num(g.p_real[b.positive_class]),
              num(g.p_synthetic[b.positive_class]),
            ]),
          )}</section>`,
      )
      .join(''),
};
