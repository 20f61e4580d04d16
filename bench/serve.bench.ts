/**
 * `strata serve` benchmark (issue 16; run: npm run bench -- serve). Loopback only, bounded runs.
 *
 * Library (in this process):
 *  - one() on the card-customers spec: median / p99 over SERVE_ONE_CALLS calls (fresh seed each),
 *    beside the engine's own one-row block (sampleBlock) as the baseline of the same run;
 *  - complete() on the Adult model fitted per bench/fit.bench.ts's protocol (seeded 16,281-row
 *    subset of adult_train.csv, target income): partial rows made from adult_test.csv rows with a
 *    seeded random half of the columns kept, median / p99 over a first pass (each row's known values
 *    new to the sampler: prepared and checked) and a second pass over the same partial rows, and
 *    a few fixed patterns. Skipped without the data.
 * Service (a `strata serve` child process from dist/, one API key; autocannon in this process):
 *  - SERVE_SECONDS (default 60) at SERVE_RATE (default 1000) requests/s, one record each: p50 / p99
 *    latency, errors and non-2xx answers, the server's RSS at start and end (sampled every 5 s);
 *  - saturation: 10 s without a rate, 16 connections: requests/s;
 *  - streams: n = 10,000 rows as CSV and NDJSON, 20 requests each: rows/s (median).
 *  - server CPU time per request over the fixed-rate run (/proc): the service's own cost, which the
 *    machine's load does not inflate the way it inflates latency;
 *  - heap: 40,000 requests through inject() in this process, heap after forced GC every 5,000.
 * SERVE_PARTS=one,complete,heap,service selects parts (all by default).
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import autocannon from 'autocannon';
import { compileModel } from '../src/coverage/quantile.js';
import { fitTable } from '../src/fit/fit.js';
import { type RawTable, readTable } from '../src/io/index.js';
import { sampleBlock } from '../src/model/block.js';
import { shuffleInPlace } from '../src/random/shuffle.js';
import { streamFor } from '../src/random/stream.js';
import { createSampler, type GivenValue } from '../src/sample/sampler.js';
import { AUTH, testApp } from '../src/serve/testing/app.js';
import { CARD_CUSTOMERS_YAML, parseSpecText } from '../src/spec/index.js';

const DATA = '/work/shared/data/uci-adult';
const SECONDS = Number(process.env.SERVE_SECONDS ?? 60);
const RATE = Number(process.env.SERVE_RATE ?? 1000);
const ONE_CALLS = Number(process.env.SERVE_ONE_CALLS ?? 50_000);
const KEY = 'bench-key-0123456789abcdef0123';
/** SERVE_PARTS=one,complete,heap,service (comma-separated) runs only those parts; all by default. */
const PARTS = new Set((process.env.SERVE_PARTS ?? 'one,complete,heap,service,baseline').split(','));

const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(p * s.length))];
};
const us = (ms: number) => `${(ms * 1000).toFixed(1)} µs`;

function timeCalls(n: number, f: (i: number) => unknown): number[] {
  const out = new Array<number>(n);
  for (let i = 0; i < n; i++) {
    const t0 = performance.now();
    f(i);
    out[i] = performance.now() - t0;
  }
  return out;
}

function libraryOne(): void {
  const spec = parseSpecText(CARD_CUSTOMERS_YAML, 'card-customers.yaml').spec;
  const sampler = createSampler(spec);
  const model = compileModel(spec, 'customer');
  // Warm-up (JIT), then measure: alternate so load on the machine hits both alike.
  timeCalls(5000, (i) => sampler.one(undefined, { seed: i }));
  timeCalls(5000, (i) => sampleBlock(model, i, 0, 0, 1));
  const one: number[] = [];
  const base: number[] = [];
  for (let r = 0; r < 10; r++) {
    one.push(...timeCalls(ONE_CALLS / 10, (i) => sampler.one(undefined, { seed: r * 1e6 + i })));
    base.push(...timeCalls(ONE_CALLS / 10, (i) => sampleBlock(model, r * 1e6 + i, 0, 0, 1)));
  }
  const given: number[] = timeCalls(ONE_CALLS / 5, (i) =>
    sampler.one({ segment: 'premium', age: 30 + (i % 40) }, { seed: i }),
  );
  console.log('\nlibrary: one() on card-customers (target median ≤ 20 µs, p99 ≤ 100 µs)');
  console.log(
    `  one()                    median ${us(pct(one, 0.5))}  p99 ${us(pct(one, 0.99))}  (${one.length} calls)`,
  );
  console.log(
    `  engine one-row block     median ${us(pct(base, 0.5))}  p99 ${us(pct(base, 0.99))}  (baseline, same run)`,
  );
  console.log(`  one({segment, age})      median ${us(pct(given, 0.5))}  p99 ${us(pct(given, 0.99))}`);
}

function subset(t: RawTable, rows: readonly number[]): RawTable {
  return { ...t, rowCount: rows.length, data: t.data.map((col) => rows.map((i) => col[i])) };
}

async function libraryComplete(): Promise<void> {
  if (!existsSync(join(DATA, 'adult_train.csv'))) {
    console.log('\nlibrary: complete() on Adult — skipped (no data)');
    return;
  }
  const train = await readTable(join(DATA, 'adult_train.csv'));
  const idx = Array.from({ length: train.rowCount }, (_, i) => i);
  shuffleInPlace(idx, streamFor(42, 'bench-split'));
  const t0 = performance.now();
  const fit = fitTable(subset(train, idx.slice(0, 16_281)), { target: 'income', seed: 1 });
  const fitS = (performance.now() - t0) / 1000;
  const t1 = performance.now();
  const sampler = createSampler(fit.spec);
  const createS = (performance.now() - t1) / 1000;
  const test = await readTable(join(DATA, 'adult_test.csv'));
  const names = sampler.columns.map((c) => c.name);
  const kinds = new Map(sampler.columns.map((c) => [c.name, c.kind]));
  const pick = streamFor(7, 'bench-partial');
  const partials: Map<string, GivenValue>[] = [];
  for (let r = 0; r < Math.min(2000, test.rowCount); r++) {
    const p = new Map<string, GivenValue>();
    test.columns.forEach((c, k) => {
      if (!names.includes(c) || pick.nextFloat() < 0.5) return;
      const v = test.data[k][r];
      if (v === null || v === undefined || v === '') return;
      const kind = kinds.get(c);
      const value = kind === 'integer' || kind === 'number' ? Number(v) : String(v);
      if (typeof value === 'number' && !Number.isFinite(value)) return;
      p.set(c, value);
    });
    partials.push(p);
  }
  const run = (label: string) => {
    const ts: number[] = [];
    let failed = 0;
    const codes = new Map<string, number>();
    partials.forEach((p, i) => {
      const t = performance.now();
      try {
        sampler.complete(p, { seed: i });
      } catch (e) {
        failed++;
        const code = (e as { code?: string }).code ?? 'other';
        codes.set(code, (codes.get(code) ?? 0) + 1);
      }
      ts.push(performance.now() - t);
    });
    console.log(
      `  ${label.padEnd(38)} median ${us(pct(ts, 0.5))}  p90 ${us(pct(ts, 0.9))}  p99 ${us(pct(ts, 0.99))}  (${partials.length} rows${failed ? `; refused ${failed}: ${[...codes].map(([c, n]) => `${c} ${n}`).join(', ')}` : ''})`,
    );
  };
  console.log(
    `\nlibrary: complete() on the fitted Adult model (target median ≤ 200 µs); fit ${fitS.toFixed(1)} s, createSampler ${createS.toFixed(1)} s`,
  );
  run('half the columns known, first pass');
  run('same partial rows, second pass');
  const base = timeCalls(2000, (i) => sampler.one(undefined, { seed: i }));
  console.log(
    `  one() without given (baseline)         median ${us(pct(base, 0.5))}  p99 ${us(pct(base, 0.99))}`,
  );
  for (const g of [
    { age: 37, sex: 'Male', race: 'White', education: 'Bachelors' },
    { income: '>50K' },
    { age: 23, hours_per_week: 60 },
    { occupation: 'Exec-managerial', capital_gain: 15024 },
  ] as Record<string, GivenValue>[]) {
    sampler.complete(g, { seed: 0 });
    const ts = timeCalls(2000, (i) => sampler.complete(g, { seed: i + 1 }));
    console.log(
      `  ${JSON.stringify(g).slice(0, 60).padEnd(62)} median ${us(pct(ts, 0.5))}  p99 ${us(pct(ts, 0.99))}`,
    );
  }
}

/** CPU time (user + system) a process has used, ms (clock ticks at 100 Hz). */
function cpuMs(pid: number): number {
  const f = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return (Number(f[11]) + Number(f[12])) * 10;
}

/**
 * The app's heap after forced GC over many in-process requests (inject(), no sockets): whether
 * memory is flat, independent of the machine's load and of V8's lazy collection in the child.
 */
async function heapFlat(): Promise<void> {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (!gc) return;
  const t = await testApp({ rateLimit: 1e9 });
  const heap = () => {
    gc();
    gc();
    return process.memoryUsage().heapUsed / 1048576;
  };
  const mb: number[] = [];
  let bad = 0;
  for (let round = 0; round <= 8; round++) {
    if (round > 0)
      for (let i = 0; i < 5000; i++) {
        const r = await t.app.inject({
          method: 'POST',
          url: '/v1/models/card-customers/sample',
          payload: {},
          headers: AUTH,
        });
        if (r.statusCode !== 200) bad++;
      }
    mb.push(heap());
  }
  await t.app.close();
  console.log(
    `
service: heap after GC over 40,000 in-process requests (inject): ${mb.map((x) => x.toFixed(2)).join(' ')} MB (every 5,000; non-200 ${bad})`,
  );
}

function rssKb(pid: number): number {
  const m = /VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) : Number.NaN;
}

async function startServer(): Promise<{ child: ChildProcess; url: string }> {
  const dir = mkdtempSync(join(tmpdir(), 'strata-serve-bench-'));
  const spec = join(dir, 'card-customers.yaml');
  writeFileSync(spec, CARD_CUSTOMERS_YAML);
  const bin = new URL('../bin/strata.js', import.meta.url).pathname;
  const child = spawn(process.execPath, [bin, 'serve', spec, '--port', '0', '--rate-limit', '1000000'], {
    env: { ...process.env, STRATA_API_KEYS: KEY },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  const url = await new Promise<string>((resolve, reject) => {
    let err = '';
    child.stderr!.setEncoding('utf8');
    child.stderr!.on('data', (d: string) => {
      err += d;
      const m = / on (http:\/\/\S+)/.exec(err);
      if (m) resolve(m[1]);
    });
    child.on('exit', (c) => reject(new Error(`server exited ${c}: ${err}`)));
  });
  return { child, url };
}

function cannon(opts: autocannon.Options): Promise<autocannon.Result> {
  return new Promise((resolve, reject) => {
    autocannon(opts, (err, res) => (err ? reject(err) : resolve(res)));
  });
}

async function service(): Promise<void> {
  const { child, url } = await startServer();
  const headers = { authorization: `Bearer ${KEY}`, 'content-type': 'application/json' };
  const sampleUrl = `${url}/v1/models/card-customers/sample`;
  try {
    await cannon({ url: sampleUrl, method: 'POST', headers, body: '{}', connections: 4, duration: 3 }); // warm-up
    const rss: number[] = [rssKb(child.pid!)];
    const hist0 = await serverHistogram(url, headers);
    const cpu0 = cpuMs(child.pid!);
    const timer = setInterval(() => rss.push(rssKb(child.pid!)), 5000);
    const r = await cannon({
      url: sampleUrl,
      method: 'POST',
      headers,
      body: '{}',
      connections: 16,
      overallRate: RATE,
      duration: SECONDS,
    });
    clearInterval(timer);
    rss.push(rssKb(child.pid!));
    const hist1 = await serverHistogram(url, headers);
    const cpuPerRequest = (cpuMs(child.pid!) - cpu0) / r.requests.total;
    console.log(
      `\nservice: ${SECONDS} s at ${RATE} requests/s, one record each, API key (target p99 ≤ 2 ms, 0 errors)`,
    );
    console.log(
      `  requests ${r.requests.total}  (${r.requests.average.toFixed(0)}/s)  latency p50 ${r.latency.p50} ms  p99 ${r.latency.p99} ms  max ${r.latency.max} ms  errors ${r.errors}  timeouts ${r.timeouts}  non-2xx ${r.non2xx}`,
    );
    console.log(
      `  server-side time (the service's own histogram, request received → response sent): ${serverQuantiles(hist0, hist1)}`,
    );
    console.log(
      `  server CPU (user + system) per request: ${(cpuPerRequest * 1000).toFixed(0)} µs  (load-independent cost; 1,000 requests/s use ${(cpuPerRequest * 100).toFixed(0)}% of a core)`,
    );
    console.log(
      `  server RSS: start ${(rss[0] / 1024).toFixed(1)} MB, end ${(rss[rss.length - 1] / 1024).toFixed(1)} MB, max ${(Math.max(...rss) / 1024).toFixed(1)} MB (every 5 s: ${rss.map((x) => (x / 1024).toFixed(0)).join(' ')})`,
    );
    const sat = await cannon({
      url: sampleUrl,
      method: 'POST',
      headers,
      body: '{}',
      connections: 16,
      duration: 10,
    });
    console.log(
      `service: saturation (16 connections, 10 s): ${sat.requests.average.toFixed(0)} requests/s, p50 ${sat.latency.p50} ms, p99 ${sat.latency.p99} ms, non-2xx ${sat.non2xx}`,
    );
    for (const [accept, label] of [
      ['text/csv', 'CSV'],
      ['application/x-ndjson', 'NDJSON'],
    ]) {
      const rates: number[] = [];
      for (let i = 0; i < 20; i++) {
        const t0 = performance.now();
        const res = await fetch(sampleUrl, {
          method: 'POST',
          headers: { ...headers, accept },
          body: JSON.stringify({ n: 10_000, seed: i }),
        });
        const text = await res.text();
        const s = (performance.now() - t0) / 1000;
        if (res.status !== 200 || text.split('\n').filter(Boolean).length < 10_000)
          throw new Error(`stream ${res.status}`);
        rates.push(10_000 / s);
      }
      console.log(
        `service: n = 10,000 streamed as ${label}: median ${Math.round(pct(rates, 0.5)).toLocaleString('en-US')} rows/s (min ${Math.round(Math.min(...rates)).toLocaleString('en-US')}, 20 requests)`,
      );
    }
  } finally {
    child.kill('SIGTERM');
  }
}

const load = () => {
  try {
    return readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');
  } catch {
    return '?';
  }
};
console.log(`machine load average at start: ${load()}`);
if (PARTS.has('one')) libraryOne();
if (PARTS.has('complete')) await libraryComplete();
if (PARTS.has('heap')) await heapFlat();
if (PARTS.has('service')) await service();
if (PARTS.has('baseline')) await bareBaseline();
console.log(`machine load average at end: ${load()}`);

/** Cumulative bucket counts of the sample route's latency histogram (bound in seconds → count). */
async function serverHistogram(url: string, headers: Record<string, string>): Promise<Map<number, number>> {
  const text = await (await fetch(`${url}/metrics`, { headers })).text();
  const out = new Map<number, number>();
  const re =
    /^strata_http_request_duration_seconds_bucket\{[^}]*le="([^"]+)"[^}]*route="\/v1\/models\/:name\/sample"[^}]*\} (\d+)/;
  const re2 =
    /^strata_http_request_duration_seconds_bucket\{[^}]*route="\/v1\/models\/:name\/sample"[^}]*le="([^"]+)"[^}]*\} (\d+)/;
  for (const line of text.split('\n')) {
    const m = re.exec(line) ?? re2.exec(line);
    if (m) out.set(m[1] === '+Inf' ? Number.POSITIVE_INFINITY : Number(m[1]), Number(m[2]));
  }
  return out;
}

/** p50 / p99 bucket bounds of the requests between two histogram snapshots ("≤ bound"). */
function serverQuantiles(before: Map<number, number>, after: Map<number, number>): string {
  const bounds = [...after.keys()].sort((a, b) => a - b);
  const counts = bounds.map((b) => (after.get(b) ?? 0) - (before.get(b) ?? 0));
  const total = counts[counts.length - 1] ?? 0;
  if (!total) return 'no samples (route label not found in /metrics)';
  const q = (p: number) => {
    const i = counts.findIndex((c) => c >= p * total);
    return bounds[i] === Number.POSITIVE_INFINITY ? '> 60 s' : `≤ ${(bounds[i] * 1000).toFixed(1)} ms`;
  };
  const within2 = counts[bounds.indexOf(0.002)] ?? 0;
  return `p50 ${q(0.5)}, p99 ${q(0.99)}; ${((100 * within2) / total).toFixed(2)}% of ${total} requests within 2 ms`;
}

/**
 * The floor of this measurement: a bare node:http server in a child process answering every POST
 * with a fixed JSON record of the same size, loaded with the same autocannon settings. Its p99 is
 * what the load tool and the loopback show on this machine with no Strata in the path.
 */
async function bareBaseline(): Promise<void> {
  const body = JSON.stringify({
    model_hash: 'x'.repeat(64),
    seed: 1,
    rows: [
      { id: 1, segment: 'retail', age: 41, income: 52000.5, card_limit: 10000.25, opened: '2021-03-04' },
    ],
  });
  const code = `const http = require('node:http'); const b = ${JSON.stringify(body)};
    const s = http.createServer((q, r) => { q.resume(); q.on('end', () => { r.writeHead(200, { 'content-type': 'application/json' }); r.end(b); }); });
    s.listen(0, '127.0.0.1', () => console.error('baseline listening on http://127.0.0.1:' + s.address().port));`;
  const child = spawn(process.execPath, ['-e', code], { stdio: ['ignore', 'ignore', 'pipe'] });
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('the baseline server did not start in 10 s')), 10_000);
    child.stderr!.setEncoding('utf8');
    child.stderr!.on('data', (d: string) => {
      const m = / on (http:\/\/\S+)/.exec(d);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]);
      }
    });
    child.on('exit', (c) => reject(new Error(`baseline server exited ${c}`)));
  });
  try {
    const opts = {
      url,
      method: 'POST' as const,
      headers: { 'content-type': 'application/json' },
      body: '{}',
    };
    await cannon({ ...opts, connections: 4, duration: 3 });
    const r = await cannon({ ...opts, connections: 16, overallRate: RATE, duration: SECONDS });
    console.log(
      `\nbaseline: a bare node:http server under the same load (${SECONDS} s at ${RATE} requests/s, 16 connections): p50 ${r.latency.p50} ms  p99 ${r.latency.p99} ms  max ${r.latency.max} ms  (${r.requests.total} requests, errors ${r.errors})`,
    );
  } finally {
    child.kill('SIGKILL');
  }
}
