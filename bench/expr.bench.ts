/**
 * Expression evaluation speed: compiled closures vs the equivalent hand-written JS closure.
 * Run: npx tsx bench/expr.bench.ts
 */
import { Bench } from 'tinybench';
import { compileExpression, parseExpression, type Value } from '../src/expr/index.js';

const N = 1_000_000;
const columns = new Map([
  ['segment', 0],
  ['age', 1],
  ['income', 2],
  ['card_limit', 3],
]);

// A fixed pseudo-random table (LCG; Math.random is not used anywhere in the project).
let state = 12345;
const next = () => {
  state = (Math.imul(state, 1103515245) + 12345) >>> 0;
  return state / 4294967296;
};
const segments = ['retail', 'premium', 'business'];
const rows: Value[][] = Array.from({ length: 4096 }, () => [
  segments[Math.floor(next() * 3)],
  18 + Math.floor(next() * 70),
  20_000 + next() * 100_000,
  next() * 40_000,
]);

const rule = compileExpression('card_limit <= income', { columns });
const param = compileExpression("10 + 0.4*(segment == 'premium') + 0.01*age", { columns });
const band = compileExpression("age < 25 ? 'young' : age < 65 ? 'adult' : 'senior'", { columns });
const handRule = (r: readonly Value[]) => (r[3] as number) <= (r[2] as number);
const handParam = (r: readonly Value[]) => 10 + 0.4 * (r[0] === 'premium' ? 1 : 0) + 0.01 * (r[1] as number);

let sink = 0;
function loop(f: (r: readonly Value[]) => Value): void {
  for (let i = 0; i < N; i++) if (f(rows[i & 4095])) sink++;
}

const bench = new Bench({ iterations: 10, warmup: true });
bench
  .add('compiled  card_limit <= income  ×1M', () => loop(rule.evaluate))
  .add('hand JS   card_limit <= income  ×1M', () => loop(handRule))
  .add("compiled  10 + 0.4*(segment == 'premium') + 0.01*age  ×1M", () => loop(param.evaluate))
  .add('hand JS   the same parameter  ×1M', () => loop(handParam))
  .add('compiled  age-band ternary  ×1M', () => loop(band.evaluate))
  .add('parse+compile the age-band expression  ×1k', () => {
    for (let i = 0; i < 1000; i++)
      compileExpression(parseExpression("age < 25 ? 'young' : age < 65 ? 'adult' : 'senior'"), { columns });
  });

await bench.run();
console.table(
  bench.tasks.map((t) => {
    const r = t.result;
    const mean = r && 'latency' in r ? r.latency.mean : Number.NaN;
    return {
      task: t.name,
      'ms per batch': mean.toFixed(2),
      'ops/s (single evals)': t.name.includes('1M') ? Math.round((N / mean) * 1000).toLocaleString('en') : '',
    };
  }),
);
if (sink < 0) console.log(sink);
