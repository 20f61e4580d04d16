/**
 * How one evaluate section is drawn: Markdown (stdout) and HTML. One file per section in this folder,
 * registered in index.ts under the section's name; that table's type is keyed by `SectionName`, so a
 * section without a renderer does not compile.
 */
import type { EvaluationReport, SectionName, SectionOutputs } from '../../evaluate/index.js';

export interface RenderContext {
  report: EvaluationReport;
  /** Rows of worst columns/pairs/cells listed in Markdown. */
  top: number;
  /** Distribution charts drawn in HTML (the worst columns first). */
  maxOverlays: number;
}

export interface SectionView<N extends SectionName> {
  /** Markdown blocks (each starting with its `## heading`), or '' for nothing to say. */
  markdown(value: NonNullable<SectionOutputs[N]>, c: RenderContext): string;
  /** HTML `<section>` elements, or '' for nothing to say. */
  html(value: NonNullable<SectionOutputs[N]>, c: RenderContext): string | Promise<string>;
}
