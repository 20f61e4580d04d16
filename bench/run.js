// `npm run bench [-- NAME...]`: runs every benchmark in bench/ (or those whose file name contains
// one of NAME), one process each, in a fixed order, printing their tables. Not part of `npm test`.
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const dir = fileURLToPath(new URL('.', import.meta.url));
const order = [
  'startup',
  'generate',
  'relational',
  'random',
  'expr',
  'io',
  'neighbours',
  'gbdt',
  'evaluate',
  'fit',
  'relational-fit',
  'coverage',
  'text',
];
const files = readdirSync(dir)
  .filter((f) => /\.bench\.(ts|mjs|js)$/.test(f))
  .sort((a, b) => {
    const ia = order.findIndex((o) => a.startsWith(o));
    const ib = order.findIndex((o) => b.startsWith(o));
    return (ia < 0 ? 99 : ia) - (ib < 0 ? 99 : ib) || a.localeCompare(b);
  });
const wanted = process.argv.slice(2);
const chosen = wanted.length ? files.filter((f) => wanted.some((w) => f.includes(w))) : files;
let failed = 0;
for (const f of chosen) {
  console.log(`\n===== bench/${f} =====`);
  const args = f.endsWith('.ts')
    ? ['--import', 'tsx', '--expose-gc', `${dir}${f}`]
    : ['--expose-gc', `${dir}${f}`];
  const r = spawnSync(process.execPath, args, { stdio: 'inherit' });
  if (r.status !== 0) {
    failed++;
    console.log(`(bench/${f} exited with ${r.status})`);
  }
}
console.log(`\n${chosen.length - failed} benchmarks ran, ${failed} failed`);
process.exitCode = failed ? 1 : 0;
