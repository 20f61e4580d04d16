/**
 * `strata demo`: the main job on the bundled example, end to end, into ./strata-demo/.
 * Each verb adds its step here, so the demo always shows the whole product.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import type { Command } from 'commander';
import { generateToFile } from '../sample/index.js';
import { CARD_CUSTOMERS_YAML, parseSpecText } from '../spec/index.js';

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
  const dir = opts.dir;
  const rows = opts.rows ?? 20_000;
  const log = opts.log ?? (() => {});
  await mkdir(dir, { recursive: true });
  const steps: DemoStep[] = [];
  const step = async (verb: string, what: string, run: () => Promise<string[]>) => {
    const t0 = performance.now();
    const files = await run();
    const s: DemoStep = { verb, what, files, seconds: (performance.now() - t0) / 1000 };
    steps.push(s);
    log(`✔ ${verb.padEnd(9)} ${what} (${s.seconds.toFixed(1)} s)\n${files.map((f) => `    → ${relative(process.cwd(), f) || f}`).join('\n')}`);
    return s;
  };

  // describe: the DESIGN.md "card-customers" spec, written out so you can edit and re-run it.
  const specPath = join(dir, 'card-customers.yaml');
  const loaded = parseSpecText(CARD_CUSTOMERS_YAML, specPath);
  await step('describe', 'wrote the card-customers spec (columns, causal parents, a rule, coverage, tails)', async () => {
    await writeFile(specPath, CARD_CUSTOMERS_YAML);
    return [specPath];
  });

  // generate: rows that hold the rule by construction; the same seed gives the same bytes.
  const customers = join(dir, 'customers.csv');
  await step('generate', `${rows.toLocaleString('en-US')} customers; rule card_limit <= income holds on every row`, async () => {
    await generateToFile({ spec: loaded.spec, rows, seed: 42, out: customers, specHash: loaded.hash, provenance: false });
    return [customers];
  });

  // generate with an intervention: everyone premium; income and card limits respond, age does not.
  const premium = join(dir, 'customers-do-premium.csv');
  await step('generate', 'intervention --do segment=premium (descendants respond, ancestors do not)', async () => {
    await generateToFile({ spec: loaded.spec, rows: Math.min(rows, 5_000), seed: 42, out: premium, do: { segment: 'premium' } });
    return [premium];
  });

  return steps;
}

export function registerDemoCommand(program: Command): void {
  program
    .command('demo')
    .description('run the whole pipeline on the bundled example into ./strata-demo/')
    .option('--out <dir>', 'output directory', 'strata-demo')
    .option('-n, --rows <n>', 'rows to generate', '20000')
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
