/**
 * `strata demo`: the main job on the bundled example, end to end, into ./strata-demo/.
 * Each verb adds its step here, so the demo always shows the whole product.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Command } from 'commander';
import { outOption } from './options.js';
import { type FileRef, openRun, type RunResult } from './record.js';

export interface DemoStep {
  verb: string;
  what: string;
  files: string[];
  seconds: number;
}

export interface DemoOptions {
  dir: string;
  rows?: number;
  log?: (line: string) => void;
}

export async function runDemo(opts: DemoOptions): Promise<DemoStep[]> {
  // Imported here, not with the module: `strata --help` does not load the whole library.
  const [
    { fitFile },
    { evaluateFiles },
    { generateToFile },
    { CARD_CUSTOMERS_YAML },
    spec,
    { generateFromPlan },
    { evaluateRecord, fitRecord, generateRecord, textGenerateRecord },
  ] = await Promise.all([
    import('../fit/file.js'),
    import('../report/files.js'),
    import('../sample/generate.js'),
    import('../spec/examples.js'),
    import('../spec/parse.js'),
    import('../text/generate.js'),
    import('./entries.js'),
  ]);
  const { loadSpec, parseSpecText } = spec;
  // Absolute from here on: the ledger records paths relative to each run's folder, and a relative
  // folder (the default strata-demo) resolved against itself recorded strata-demo/strata-demo/….
  const dir = resolve(opts.dir);
  const rows = opts.rows ?? 10_000;
  const log = opts.log ?? (() => {});
  await mkdir(join(dir, '.strata'), { recursive: true });
  const steps: DemoStep[] = [];
  // Every run is recorded in the demo folder's ledger as the command line that does the same, run
  // from the demo folder (`strata ledger trace FILE` there shows it; running it gives the same bytes).
  const ledger = join(dir, '.strata', 'ledger.jsonl');
  const recorded = async <T>(
    argv: string[],
    inputs: FileRef[],
    run: () => Promise<T>,
    entry: (r: T) => RunResult | Promise<RunResult>,
  ): Promise<T> => {
    const command = argv[0] === 'text' ? `text ${argv[1]}` : argv[0];
    const rec = await openRun(argv, command, { ledger }, inputs, dir);
    const r = await run();
    await rec.record(await entry(r));
    return r;
  };
  // Details a step reports (`note`) are printed under its ✔ line, after the files it made.
  let notes: string[] = [];
  const note = (line: string) => notes.push(line);
  // `what` may be worked out by the step itself (from what it did), so the line says what happened.
  const step = async (verb: string, what: string | (() => string), run: () => Promise<string[]>) => {
    const t0 = performance.now();
    notes = [];
    const files = await run();
    const said = typeof what === 'string' ? what : what();
    const s: DemoStep = { verb, what: said, files, seconds: (performance.now() - t0) / 1000 };
    steps.push(s);
    log(
      `✔ ${verb.padEnd(9)} ${said} (${s.seconds.toFixed(1)} s)\n${files.map((f) => `    → ${relative(process.cwd(), f) || f}`).join('\n')}`,
    );
    for (const n of notes) log(n);
    return s;
  };

  // describe: the bundled "card-customers" spec, written out so you can edit and re-run it.
  const specPath = join(dir, 'card-customers.yaml');
  const loaded = parseSpecText(CARD_CUSTOMERS_YAML, specPath);
  await step(
    'describe',
    'wrote the card-customers spec (columns, causal parents, a rule, coverage, tails)',
    async () => {
      await writeFile(specPath, CARD_CUSTOMERS_YAML);
      return [specPath];
    },
  );

  // generate: rows that hold the rule by construction; the same seed gives the same bytes.
  const customers = join(dir, 'customers.csv');
  await step(
    'generate',
    `${rows.toLocaleString('en-US')} customers; rule card_limit <= income holds on every row`,
    async () => {
      // Plain draws from the model (coverage comes later): this file plays the "real" data below.
      await recorded(
        [
          'generate',
          'card-customers.yaml',
          '-n',
          String(rows),
          '--seed',
          '42',
          '-o',
          'customers.csv',
          '--no-coverage',
        ],
        [{ role: 'spec', path: specPath }],
        () =>
          generateToFile({
            spec: loaded.spec,
            rows,
            seed: 42,
            out: customers,
            specHash: loaded.hash,
            coverage: false,
            hashOutput: true,
          }),
        (r) =>
          generateRecord(r, {
            out: customers,
            rows,
            do: {},
            coverage: false,
            spec: loaded.spec,
            specHash: loaded.hash,
          }),
      );
      return [customers];
    },
  );

  // generate with an intervention: everyone premium; income and card limits respond, age does not.
  const premium = join(dir, 'customers-do-premium.csv');
  await step(
    'generate',
    'intervention --do segment=premium (descendants respond, ancestors do not)',
    async () => {
      const n = Math.min(rows, 5_000);
      const args = [
        'generate',
        'card-customers.yaml',
        '-n',
        String(n),
        '--seed',
        '42',
        '-o',
        'customers-do-premium.csv',
      ];
      await recorded(
        [...args, '--do', 'segment=premium', '--no-coverage'],
        [{ role: 'spec', path: specPath }],
        () =>
          generateToFile({
            spec: loaded.spec,
            rows: n,
            seed: 42,
            out: premium,
            do: { segment: 'premium' },
            coverage: false,
            hashOutput: true,
          }),
        (r) =>
          generateRecord(r, {
            out: premium,
            rows: n,
            do: { segment: 'premium' },
            coverage: false,
            spec: loaded.spec,
            specHash: loaded.hash,
          }),
      );
      return [premium];
    },
  );

  // The rest of the demo treats customers.csv as "real" data: learn a model back from it, generate
  // from the model, and judge the result against the real rows and an independent holdout.
  const holdout = join(dir, 'customers-holdout.csv');
  await step(
    'generate',
    'an independent holdout from the same spec (seed 7), the judge\u2019s ceiling',
    async () => {
      await recorded(
        [
          'generate',
          'card-customers.yaml',
          '-n',
          String(rows),
          '--seed',
          '7',
          '-o',
          'customers-holdout.csv',
          '--no-coverage',
        ],
        [{ role: 'spec', path: specPath }],
        () =>
          generateToFile({
            spec: loaded.spec,
            rows,
            seed: 7,
            out: holdout,
            coverage: false,
            hashOutput: true,
          }),
        (r) =>
          generateRecord(r, {
            out: holdout,
            rows,
            do: {},
            coverage: false,
            spec: loaded.spec,
            specHash: loaded.hash,
          }),
      );
      return [holdout];
    },
  );

  const model = join(dir, 'model.yaml');
  const knowledge = join(dir, 'knowledge.yaml');
  let graph = '';
  await step(
    'learn',
    'fitted an editable causal model (a spec) from customers.csv, honouring expert time order',
    async () => {
      // What an expert knows but the data cannot tell: segment and age come first, limits last.
      await writeFile(knowledge, 'tiers:\n  - [segment, age]\n  - [income]\n  - [card_limit, opened]\n');
      // The model names its data as the recorded command does (run from the demo folder).
      const opts = {
        out: model,
        name: 'customer',
        seed: 1,
        knowledgePath: knowledge,
        sourceName: 'customers.csv',
      };
      const r = await recorded(
        [
          'fit',
          'customers.csv',
          '-o',
          'model.yaml',
          '--name',
          'customer',
          '--seed',
          '1',
          '--knowledge',
          'knowledge.yaml',
        ],
        [
          { role: 'data', path: customers },
          { role: 'knowledge', path: knowledge },
        ],
        () => fitFile(customers, opts),
        (x) => fitRecord(x, opts),
      );
      graph = r.edges.map((e) => `${e.from}→${e.to}`).join(', ');
      return [knowledge, model];
    },
  );
  log(`    learned edges: ${graph || '(none)'}`);

  const synthetic = join(dir, 'synthetic.csv');
  await step('generate', 'synthetic customers from the learned model', async () => {
    const m = await loadSpec(model);
    await recorded(
      ['generate', 'model.yaml', '-n', String(rows), '--seed', '1', '-o', 'synthetic.csv'],
      [{ role: 'spec', path: model }],
      () =>
        generateToFile({ spec: m.spec, rows, seed: 1, out: synthetic, specHash: m.hash, hashOutput: true }),
      (r) => generateRecord(r, { out: synthetic, rows, do: {}, spec: m.spec, specHash: m.hash }),
    );
    return [synthetic];
  });

  const json = join(dir, 'report.json');
  const html = join(dir, 'report.html');
  await step(
    'judge',
    'evaluated synthetic vs real (fidelity, detection, privacy, utility, rules)',
    async () => {
      const opts = {
        real: customers,
        synthetic,
        holdout,
        spec: specPath,
        target: 'segment',
        json,
        html,
        seed: 1,
      };
      const r = await recorded(
        [
          ...[
            'evaluate',
            '--real',
            'customers.csv',
            '--synthetic',
            'synthetic.csv',
            '--holdout',
            'customers-holdout.csv',
          ],
          ...[
            '--spec',
            'card-customers.yaml',
            '--target',
            'segment',
            '--json',
            'report.json',
            '--html',
            'report.html',
          ],
          ...['--seed', '1'],
        ],
        [
          { role: 'real', path: customers },
          { role: 'synthetic', path: synthetic },
          { role: 'holdout', path: holdout },
          { role: 'spec', path: specPath },
        ],
        () => evaluateFiles(opts),
        (x) => evaluateRecord(x, opts),
      );
      const s = r.report.summary;
      const f = (k: keyof typeof s) => {
        const v = s[k];
        return typeof v === 'number' ? v.toFixed(3) : 'n/a';
      };
      note(
        `    accuracy uni ${f('accuracy_univariate')} (holdout ${f('accuracy_univariate_holdout')}), ` +
          `bi ${f('accuracy_bivariate')} (holdout ${f('accuracy_bivariate_holdout')}), detection AUC ${f('detection_auc')}, ` +
          `DCR share ${f('dcr_share')}, rule violations ${f('rule_violation_rate')}`,
      );
      const cov = r.report.coverage;
      if (cov) {
        const forbiddenRows = cov.cells.filter((c) => c.forbidden).reduce((t, c) => t + c.delivered, 0);
        note(
          `    plan cells in synthetic.csv (drawn without the plan): ${cov.cells_met} of ${cov.cells_required} met, ` +
            `${forbiddenRows} rows in forbidden cells — the coverage step below fills them`,
        );
      }
      return [json, html];
    },
  );

  // coverage: the spec's plan (segment × age band, min 200 per cell, no young business customers)
  // and its tail (top 0.1% incomes, 1% of rows), filled by exact conditioning, with weights.
  const covered = join(dir, 'customers-covered.csv');
  let filled = '';
  await step(
    'coverage',
    () => filled,
    async () => {
      const r = await recorded(
        [
          'generate',
          'card-customers.yaml',
          '-n',
          String(rows),
          '--seed',
          '42',
          '-o',
          'customers-covered.csv',
        ],
        [{ role: 'spec', path: specPath }],
        () =>
          generateToFile({
            spec: loaded.spec,
            rows,
            seed: 42,
            out: covered,
            specHash: loaded.hash,
            hashOutput: true,
          }),
        (x) => generateRecord(x, { out: covered, rows, do: {}, spec: loaded.spec, specHash: loaded.hash }),
      );
      const c = r.coverage;
      if (c) {
        const cells = c.components.filter((x) => x.kind === 'cell');
        const met = cells.filter((x) => x.delivered >= x.quota).length;
        const tails = c.components.filter((x) => x.kind === 'tail');
        filled =
          `${met} of ${cells.length} plan cells (segment × age band) have their quota, ` +
          `${c.forbidden.length} forbidden cell${c.forbidden.length === 1 ? '' : 's'} 0 rows, ` +
          `${tails.map((t) => `${t.key} ${t.delivered} rows`).join(', ') || 'no tail'}; rows weighted`;
        for (const x of c.components) {
          note(
            `    ${x.kind} ${x.key}: P=${x.probability.toExponential(2)}, quota ${x.quota}, delivered ${x.delivered} (${x.method})`,
          );
        }
        note(
          `    forbidden: ${c.forbidden.map((f) => f.key).join(', ') || 'none'}; effective sample size ${Math.round(c.effectiveSampleSize).toLocaleString('en-US')} of ${r.rows.toLocaleString('en-US')}`,
        );
      }
      return [covered];
    },
  );

  // text: an intent × persona plan filled exactly, offline (template provider), deduplicated,
  // every record with its cell and operator chain.
  const plan = fileURLToPath(new URL('../../examples/text/banking77.plan.yaml', import.meta.url));
  const texts = join(dir, 'texts.jsonl');
  const rejections = join(dir, 'text-rejections.jsonl');
  await step(
    'text',
    'Banking77-style intents × personas, quotas met exactly, near-duplicates rejected with their neighbour',
    async () => {
      const r = await recorded(
        [
          'text',
          'generate',
          plan,
          '-o',
          'texts.jsonl',
          '--seed',
          '7',
          '--rejections',
          'text-rejections.jsonl',
        ],
        [{ role: 'plan', path: plan }],
        () => generateFromPlan(plan, texts, { seed: 7, rejectionsPath: rejections }),
        (x) => textGenerateRecord(x, { out: texts, seed: 7, rejections }),
      );
      const cells = new Set(r.records.map((x) => JSON.stringify(x.cell))).size;
      note(
        `    ${r.records.length} texts in ${cells} cells, ${r.dedup_rejections.length} near-duplicates rejected, ` +
          `${r.events.length} echo/refresh events, shortfall ${r.shortfall.length} cells`,
      );
      return [texts, rejections];
    },
  );

  // ledger: every run above, chained and hashed; verify checks the chain and every output file.
  await step('ledger', 'every run recorded in .strata/ledger.jsonl, chained by SHA-256', async () => {
    const { verifyLedger } = await import('../ledger/verify.js');
    const v = await verifyLedger(ledger);
    if (!v.ok || v.entries.length === 0 || !v.files.some((f) => f.status === 'ok'))
      throw new Error(
        `the demo's ledger ${ledger} is ${v.entries.length ? 'not intact' : 'empty'}: ${v.problems.map((p) => p.message).join('; ')}`,
      );
    note(
      `    ${v.entries.length} entries, ${v.ok ? 'intact' : 'NOT intact'}; ${v.files.filter((f) => f.status === 'ok').length} output files match; try: cd ${relative(process.cwd(), dir) || '.'} && strata ledger log`,
    );
    return [ledger];
  });

  return steps;
}

export function registerDemoCommand(program: Command): void {
  const cmd = program
    .command('demo')
    .description('run the whole pipeline on the bundled example into ./strata-demo/');
  outOption(cmd, 'output directory', { value: 'dir', default: 'strata-demo' });
  cmd
    .option('-n, --rows <n>', 'rows to generate', '10000')
    .action(async (flags: { out: string; rows: string }) => {
      process.stdout.write(`Strata demo → ${flags.out}/\n`);
      const steps = await runDemo({
        dir: flags.out,
        rows: Number(flags.rows),
        log: (l) => process.stdout.write(`${l}\n`),
      });
      const files = steps.flatMap((s) => s.files).length;
      process.stdout.write(`done: ${steps.length} steps, ${files} files in ${flags.out}/\n`);
    });
}
