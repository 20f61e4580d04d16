/** Text normalisation lives in src/ml (evaluate's free-text section uses it too); re-exported here. */
export { normalizeText, words } from '../ml/text-normalize.js';
