// One measured generation run in its own process, so peak RSS belongs to this run alone.
// usage: node bench/generate-child.mjs <strata|strata-coverage|baseline|baseline-coverage> <csv|parquet> <workers> <rows> <out>
// Prints { seconds (whole process after start-up of node), callSeconds (the library call alone), maxRssMb }.

import { once } from 'node:events';
import { createWriteStream } from 'node:fs';

// The format is chosen by OUT's extension; argv[3] only names the run.
const [mode, , workersArg, rowsArg, out] = process.argv.slice(2);
const rows = Number(rowsArg);
const t0 = performance.now();
let callSeconds;
if (mode === 'baseline') {
  // The baseline: a plain single-thread loop writing the same number of CSV rows with
  // the same column count (6), values from Math.random.
  const ws = createWriteStream(out);
  ws.write('segment,age,income,card_limit,email,opened\n');
  let buf = [];
  for (let i = 0; i < rows; i++) {
    const r = Math.random();
    buf.push(
      `${r < 0.7 ? 'retail' : r < 0.95 ? 'premium' : 'business'},${Math.floor(18 + Math.random() * 77)},${(Math.random() * 1e5).toFixed(2)},${(Math.random() * 2e4).toFixed(2)},user${Math.floor(Math.random() * 1e6)}@example.com,${new Date(1.42e12 + Math.random() * 3.4e11).toISOString()}\n`,
    );
    if (buf.length === 8192) {
      if (!ws.write(buf.join(''))) await once(ws, 'drain');
      buf = [];
    }
  }
  ws.write(buf.join(''));
  ws.end();
  await once(ws, 'finish');
} else if (mode === 'baseline-coverage') {
  // The same 10 columns a coverage run of the design example writes (the 6 of the table, then
  // _cell, _weight, _scenario, _extrapolated), values from Math.random, in one plain loop.
  const ws = createWriteStream(out);
  ws.write('segment,age,income,card_limit,email,opened,_cell,_weight,_scenario,_extrapolated\n');
  const bands = ['young', 'adult', 'senior'];
  let buf = [];
  for (let i = 0; i < rows; i++) {
    const r = Math.random();
    const segment = r < 0.7 ? 'retail' : r < 0.95 ? 'premium' : 'business';
    const age = Math.floor(18 + Math.random() * 77);
    const income = Math.random() * 1e5;
    buf.push(
      `${segment},${age},${income.toFixed(2)},${(income * 0.2).toFixed(2)},user${Math.floor(Math.random() * 1e6)}@example.com,${new Date(1.42e12 + Math.random() * 3.4e11).toISOString()},segment=${segment}|age_band=${bands[Math.floor(Math.random() * 3)]},${(0.9 + Math.random() * 0.2).toPrecision(8)},,false\n`,
    );
    if (buf.length === 8192) {
      if (!ws.write(buf.join(''))) await once(ws, 'drain');
      buf = [];
    }
  }
  ws.write(buf.join(''));
  ws.end();
  await once(ws, 'finish');
} else {
  // Only what generation needs (the package index also loads the judge, text and chart modules).
  const { parseSpecText, CARD_CUSTOMERS_YAML } = await import('../dist/spec/index.js');
  const { generateToFile } = await import('../dist/sample/index.js');
  const { spec } = parseSpecText(CARD_CUSTOMERS_YAML, 'card-customers.yaml');
  // 'strata' measures the engine (the spec's coverage plan off); 'strata-coverage' runs it as written.
  const c0 = performance.now();
  await generateToFile({
    spec,
    rows,
    workers: Number(workersArg),
    out,
    coverage: mode === 'strata-coverage',
  });
  callSeconds = (performance.now() - c0) / 1000;
}
const seconds = (performance.now() - t0) / 1000;
callSeconds ??= seconds;
const cpu = process.cpuUsage();
process.stdout.write(
  `${JSON.stringify({ seconds, callSeconds, cpuSeconds: (cpu.user + cpu.system) / 1e6, maxRssMb: process.resourceUsage().maxRSS / 1024 })}\n`,
);
