/**
 * What a section shows, as data: a small vocabulary of blocks that src/report draws the same way for
 * every section, in Markdown and in HTML. A section that gives `present` needs no renderer of its
 * own; evaluate describes, report draws (evaluate never imports report).
 *
 *  - figures: headline numbers, each named in words, with the summary key a gate reads;
 *  - table: rows under typed columns (how each cell is formatted is the column's, not the cell's);
 *  - bars: real vs synthetic share (or count) per label, side by side;
 *  - histogram: one or more series of counts over shared bin edges;
 *  - note: a sentence, plain or marked good / bad / muted.
 */
import type { Histogram, Metric } from './types.js';

/**
 * How a number is written: `score` 0.123 (a Metric with its interval), `share` 12.5%, `count` an
 * integer, `text` as given.
 */
export type Format = 'score' | 'share' | 'count' | 'text';

/** One table cell; a Metric shows its interval, or "n/a (reason)". */
export type Cell = string | number | Metric | null;

export interface Figure {
  label: string;
  value: Metric | number | null;
  /** The summary key this figure is reported under (what `--gate` reads). */
  key?: string;
  format?: Format;
}

export interface FiguresBlock {
  kind: 'figures';
  items: Figure[];
}

export interface TableColumn {
  label: string;
  format: Format;
}

export interface TableBlock {
  kind: 'table';
  caption?: string;
  columns: TableColumn[];
  /** Most telling first: reports show the first rows (10 in Markdown, 15 in HTML) and count the rest. */
  rows: Cell[][];
}

export interface BarsBlock {
  kind: 'bars';
  title: string;
  labels: string[];
  real: number[];
  synthetic: number[];
  format: 'share' | 'count';
}

export interface HistogramBlock {
  kind: 'histogram';
  title: string;
  /** The quantity binned (the x axis). */
  x: string;
  /** The y axis, e.g. "synthetic rows". */
  y: string;
  series: { name: string; histogram: Histogram }[];
}

export interface NoteBlock {
  kind: 'note';
  text: string;
  tone?: 'good' | 'bad' | 'muted';
}

export type Block = FiguresBlock | TableBlock | BarsBlock | HistogramBlock | NoteBlock;

/** A section's report: its heading (the section's title when absent) and blocks, in order. */
export interface Presentation {
  heading?: string;
  blocks: Block[];
}
