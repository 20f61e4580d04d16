import { parseSpecText, CARD_CUSTOMERS_YAML } from './src/spec/index.js';
import { compileModel } from './src/coverage/quantile.js';
import { buildSkeleton } from './src/coverage/discrete.js';
const { spec } = parseSpecText(CARD_CUSTOMERS_YAML, 'x.yaml');
const model = compileModel(spec, 'customer');
const sk = buildSkeleton(model, spec.tables.customer, [2]);
console.log(sk.ok ? 'ok' : sk.reason);
