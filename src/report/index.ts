/** Human-readable renderings of an EvaluationReport: Markdown (stdout) and self-contained HTML. */
export { renderHtml } from './html.js';
export { renderMarkdown } from './markdown.js';
