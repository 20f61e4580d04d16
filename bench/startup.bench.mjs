// Issue 12 benchmark: start-up time of the `strata` command beside a bare `node -e 0` measured in
// the same run. Each command runs STARTUP_REPS times (default 15), interleaved so machine noise
// hits them alike; medians in ms and the ratio to `node -e 0`. Target: `--version` within 3×.
// Needs dist/ (`npm run bench` builds it first). STARTUP_COMPARE=path/to/other/bin/strata.js adds
// the same commands of another checkout (e.g. one built from the commit before a change) to the
// same interleaved runs.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const REPS = Math.max(10, Number(process.env.STARTUP_REPS ?? 15));
const strata = fileURLToPath(new URL('../bin/strata.js', import.meta.url));
const other = process.env.STARTUP_COMPARE;

const verbs = [['--version'], ['--help'], ['generate', '--help'], ['text', 'generate', '--help']];
const commands = [
  ['node -e 0', ['-e', '0']],
  ...verbs.map((v) => [`strata ${v.join(' ')}`, [strata, ...v]]),
  ...(other ? verbs.map((v) => [`${other} ${v.join(' ')}`, [other, ...v]]) : []),
];

function timeOnce(args) {
  const t0 = process.hrtime.bigint();
  const r = spawnSync(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  if (r.status !== 0) throw new Error(`${args.join(' ')} exited ${r.status}: ${r.stderr}`);
  return ms;
}
const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};

for (const [, args] of commands) timeOnce(args); // warm the file cache
const times = commands.map(() => []);
for (let r = 0; r < REPS; r++) {
  for (const [i, [, args]] of commands.entries()) times[i].push(timeOnce(args));
}

const base = median(times[0]);
console.log(`\n## start-up: median of ${REPS} runs each, interleaved\n`);
console.log('| command | median ms | min ms | × node -e 0 |');
console.log('|---|---:|---:|---:|');
commands.forEach(([name], i) => {
  const m = median(times[i]);
  console.log(
    `| ${name} | ${m.toFixed(0)} | ${Math.min(...times[i]).toFixed(0)} | ${(m / base).toFixed(2)} |`,
  );
});
const ratio = median(times[1]) / base;
console.log(
  `\ntarget: strata --version ≤ 3× node -e 0 → ${ratio.toFixed(2)}× ${ratio <= 3 ? 'MET' : 'NOT MET'}`,
);
