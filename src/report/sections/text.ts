/** Free-text columns: lengths, vocabulary overlap and copies of real texts. */
import type { TextColumnReport, TextSection } from '../../evaluate/index.js';
import { mdTable, metricText, num } from '../format.js';
import { sectionHtml, tableHtml } from '../html-kit.js';
import type { SectionView } from './view.js';

const HEADERS = [
  'column',
  'texts real / synthetic',
  'length similarity (Kolmogorov–Smirnov)',
  'median characters real / synthetic',
  'mean words real / synthetic',
  'synthetic words found in real texts',
  'real words found in synthetic texts',
  'synthetic texts copying a real one',
  'baseline: real texts copying a real one',
];

function row(c: TextColumnReport): string[] {
  return [
    c.name,
    `${c.texts_real} / ${c.texts_synthetic}`,
    metricText(c.length_similarity),
    `${num(c.median_chars_real, 0)} / ${num(c.median_chars_synthetic, 0)}`,
    `${num(c.mean_words_real, 1)} / ${num(c.mean_words_synthetic, 1)}`,
    metricText(c.synthetic_words_in_real_vocabulary),
    metricText(c.real_words_in_synthetic_vocabulary),
    metricText(c.near_copy_share),
    `${metricText(c.near_copy_share_baseline)} (${c.baseline === 'holdout' ? 'holdout vs real' : 'each real text vs the others'})`,
  ];
}

const NOTE =
  'Free-text columns are judged as text, not as categories: a copy is a text equal to a real one after normalising case, punctuation and spacing, or sharing 70% of its word 3-grams with one.';

export const textView: SectionView<'text'> = {
  markdown: (t: TextSection) =>
    ['## Free-text columns', '', NOTE, '', mdTable(HEADERS, t.columns.map(row))].join('\n'),
  html: (t: TextSection) =>
    sectionHtml(
      'text',
      'Free-text columns',
      `<p class="muted">${NOTE}</p>${tableHtml(HEADERS, t.columns.map(row))}`,
    ),
};
