import { parseSpecText, CARD_CUSTOMERS_YAML } from './src/spec/index.js';
import { compileModel, columnLaw } from './src/coverage/quantile.js';
const { spec } = parseSpecText(CARD_CUSTOMERS_YAML, 'x.yaml');
const model = compileModel(spec, 'customer');
let t0 = performance.now();
const law = columnLaw(model, spec.tables.customer, 2)!;
console.log('build', (performance.now() - t0).toFixed(1));
for (let i = 0; i < 3; i++) { t0 = performance.now(); law.quantile(0.999); console.log('q', (performance.now() - t0).toFixed(1)); }
