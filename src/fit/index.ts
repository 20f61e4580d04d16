/** Learn: fit an editable causal model (a spec) from real data. */
export { type FitFileOptions, fitFile, fitSummary } from './file.js';
export { type FitOptions, type FitResult, type FittedColumn, fitTable, fitTableAsync } from './fit.js';
export { type Edge, toDot, toMermaid } from './graph.js';
export { type Knowledge, loadKnowledge, parseKnowledgeText } from './knowledge.js';
export { loadPartialSpec, parsePartialSpec } from './partial.js';
