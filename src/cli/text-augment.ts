/**
 * `strata text augment | prove | redteam` — thin shells over src/text/augment and src/text/prove. The
 * library modules are imported when a command runs, not when the CLI starts. Each run is recorded
 * in the run ledger (record.ts; what is recorded: entries.ts).
 */
import type { Command } from 'commander';
import { StrataError } from '../errors.js';
import { outOption, seedOption } from './options.js';
import { type LedgerFlags, ledgerOptions, openRun } from './record.js';

function int(name: string, min: number, max: number) {
  return (v: string): number => {
    const x = Number(v);
    if (!Number.isInteger(x) || x < min || x > max)
      throw new StrataError('cli.option', `${name} must be an integer in [${min}, ${max}], got "${v}"`, {
        path: name,
      });
    return x;
  };
}

const list = (v: string) =>
  v
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);

interface AugmentCliOptions extends LedgerFlags {
  textField: string;
  labelField: string;
  perLabel: number;
  out: string;
  /** Command-line text; the seed rule (random/seed.ts) reads it in the action. */
  seed: string;
  report?: string;
  oversample: number;
  verify: boolean;
  selection: string;
  labels?: string[];
  llmBaseUrl?: string;
  llmModel?: string;
  llmApiKeyEnv?: string;
  record?: string;
  replay?: string;
  allowShort?: boolean;
}

/** Warnings go to stderr, one line each (as the other text commands print them). */
const warn = (message: string): void => {
  process.stderr.write(`strata: warning: ${message}\n`);
};

export function registerTextAugmentCommands(text: Command): void {
  const augment = text.command('augment').argument('<train>', 'labelled real texts (JSONL, CSV or Parquet)');
  outOption(augment, 'synthetic rows (JSONL, same text and label fields, with provenance)', {
    required: true,
  });
  augment
    .requiredOption('--text-field <name>', 'field holding the text (dotted paths work in JSONL)')
    .requiredOption('--label-field <name>', 'field holding the label')
    .requiredOption(
      '--per-label <n>',
      'fill every label up to this many rows',
      int('--per-label', 1, 1_000_000),
    )
    .option('--seed <n>', 'root seed', '1')
    .option('--report <file>', 'per-label counts, gain curves and operator statistics (JSON)')
    .option('--oversample <k>', 'candidates made per missing row', int('--oversample', 1, 1000), 8)
    .option('--no-verify', 'keep candidates the cell verifier would reject (ablation)')
    .option('--selection <kind>', 'coverage | random (ablation)', 'coverage')
    .option('--labels <a,b,...>', 'only augment these labels', list)
    .option('--allow-short', 'write the rows made when a label cannot be filled (still exit status 1)')
    .option('--llm-base-url <url>', 'also ask an OpenAI-compatible endpoint for candidates')
    .option('--llm-model <name>', 'model name for --llm-base-url')
    .option('--llm-api-key-env <VAR>', 'environment variable holding the API key')
    .option('--record <cassette>', 'record LLM answers to a cassette (JSONL)')
    .option('--replay <cassette>', 'replay LLM answers from a cassette; a miss is an error')
    .description(
      'fill every label up to N rows from its own real examples (offline; an LLM may add candidates)',
    );
  ledgerOptions(augment).action(async (train: string, o: AugmentCliOptions) => {
    const seed = (await seedOption(o.seed)) ?? 1;
    if (o.selection !== 'coverage' && o.selection !== 'random')
      throw new StrataError('cli.option', `--selection must be coverage or random, got "${o.selection}"`, {
        path: '--selection',
      });
    if (o.record && o.replay)
      throw new StrataError('cli.option', '--record and --replay exclude each other', { path: '--replay' });
    const run = await openRun(augment, 'text augment', o, [
      { role: 'train', path: train },
      { role: 'cassette', path: o.replay },
    ]);
    const [
      { augmentFile, shortLines, SHORT_LINES_FIX },
      { openAiProvider },
      { replayProvider },
      { apiKeyFrom },
    ] = await Promise.all([
      import('../text/augment/files.js'),
      import('../text/providers/openai.js'),
      import('../text/providers/replay.js'),
      import('../text/plan-load.js'),
    ]);
    let llm: Parameters<typeof augmentFile>[2]['llm'];
    let cassette: ReturnType<typeof replayProvider> | undefined;
    if (o.llmBaseUrl || o.replay) {
      if (!o.llmModel)
        throw new StrataError('cli.option', '--llm-model is required with --llm-base-url or --replay', {
          path: '--llm-model',
        });
      const inner = o.llmBaseUrl
        ? openAiProvider({
            baseUrl: o.llmBaseUrl,
            model: o.llmModel,
            // an unset variable warns, as api_key_env does for text generate (issue 13.3)
            apiKey: apiKeyFrom(o.llmApiKeyEnv, warn, {
              name: '--llm-api-key-env',
              remove: 'drop --llm-api-key-env',
            }),
            seed,
          })
        : { name: 'openai', model: o.llmModel };
      if (o.record || o.replay) {
        cassette = replayProvider(o.record ?? o.replay!, o.record ? 'record' : 'replay', inner);
        llm = { provider: cassette };
      } else if ('generate' in inner) llm = { provider: inner };
    }
    const r = await augmentFile(train, o.out, {
      textField: o.textField,
      labelField: o.labelField,
      perLabel: o.perLabel,
      seed,
      reportPath: o.report,
      oversample: o.oversample,
      verify: o.verify,
      selection: o.selection,
      labels: o.labels,
      llm,
      allowShort: o.allowShort,
    });
    await cassette?.save();
    const { textAugmentRecord } = await import('./entries.js');
    await run.record(
      textAugmentRecord(r, {
        ...o,
        recorded: o.record,
        seed,
        llm: o.llmBaseUrl ? 'live' : o.replay ? 'replay' : 'none',
      }),
    );
    const short = shortLines(r, o.perLabel);
    const filled = r.labels.filter((l) => l.missing > 0);
    const cands = filled.reduce((s, l) => s + l.candidates, 0);
    const vrej = filled.reduce((s, l) => s + l.verifier_rejected, 0);
    const drej = filled.reduce((s, l) => s + l.dedup_rejected.exact + l.dedup_rejected.minhash, 0);
    process.stdout.write(
      `${r.records.length} texts → ${o.out} for ${filled.length} labels below ${o.perLabel}; ${cands} candidates, verifier rejected ${vrej}, dedup rejected ${drej}; ${(r.timings_ms.total / 1000).toFixed(1)} s\n`,
    );
    for (const l of filled) {
      const at = (f: number) => l.curve[Math.max(0, Math.ceil(f * l.curve.length) - 1)]?.coverage;
      const cov = [0.25, 0.5, 1].map((f) => (at(f) ?? Number.NaN).toFixed(2)).join(' → ');
      process.stdout.write(`  ${l.label}: ${l.real} real + ${l.selected} synthetic; coverage ${cov}\n`);
    }
    if (short.length) {
      // only with --allow-short (otherwise augmentFile refused to write): say why, and fail the run
      for (const line of short) process.stderr.write(`short: ${line}\n`);
      process.stderr.write(`fix: ${SHORT_LINES_FIX}\n`);
      process.exitCode = 1;
    }
  });

  const prove = text
    .command('prove')
    .requiredOption('--real <file>', 'real training texts')
    .requiredOption('--test <file>', 'real test texts')
    .requiredOption('--synthetic <file>', 'synthetic texts (e.g. from text augment)')
    .option('--text-field <name>', 'text field', 'text')
    .option('--label-field <name>', 'label field', 'label')
    .option('--synthetic-text-field <name>', 'text field of the synthetic file when different')
    .option('--synthetic-label-field <name>', 'label field of the synthetic file when different')
    .option('--rare <a,b,...>', 'rare classes (default: the 10 smallest in --real)', list)
    .option('--rare-count <n>', 'how many smallest classes count as rare', int('--rare-count', 1, 100000), 10)
    .option('--reps <n>', 'bootstrap replicates', int('--reps', 50, 100000), 1000)
    .option('--seed <n>', 'seed for training and the bootstrap', '1')
    .option('--json <file>', 'write the JSON report')
    .option('--html <file>', 'write the HTML report (with the confusion-change matrix)')
    .description(
      'real-only vs real + synthetic: rare-class recall and macro-F1 change, two classifiers, CIs',
    );
  ledgerOptions(prove).action(async (o: Record<string, string | number | string[] | undefined>) => {
    const run = await openRun(prove, 'text prove', o as LedgerFlags, [
      { role: 'real', path: o.real as string },
      { role: 'test', path: o.test as string },
      { role: 'synthetic', path: o.synthetic as string },
    ]);
    const seed = (await seedOption(o.seed as string)) ?? 1;
    const { proveFiles } = await import('../text/prove/files.js');
    const { proveText } = await import('../text/prove/report.js');
    const rep = await proveFiles({
      real: String(o.real),
      test: String(o.test),
      synthetic: String(o.synthetic),
      textField: String(o.textField),
      labelField: String(o.labelField),
      syntheticTextField: o.syntheticTextField as string | undefined,
      syntheticLabelField: o.syntheticLabelField as string | undefined,
      rare: o.rare as string[] | undefined,
      rareCount: o.rareCount as number,
      reps: o.reps as number,
      seed,
      json: o.json as string | undefined,
      html: o.html as string | undefined,
    });
    process.stdout.write(proveText(rep));
    const { textProveRecord } = await import('./entries.js');
    await run.record(
      textProveRecord(rep, {
        json: o.json as string | undefined,
        html: o.html as string | undefined,
        seed,
        textField: String(o.textField),
        labelField: String(o.labelField),
        rare: o.rare as string[] | undefined,
        rareCount: o.rareCount as number,
        reps: o.reps as number,
      }),
    );
  });

  const redteam = text.command('redteam');
  outOption(
    redteam,
    'the pack as JSONL (prompt, category, kind, strategy, persona, register, expected, provenance)',
    {
      required: true,
    },
  );
  redteam
    .option('--promptfoo <file>', 'also write a promptfoo test file (YAML list: tests: file://…)')
    .option('--audit <file>', 'write the audit (per-category coverage, near-duplicate rate) as JSON')
    .option('--xstest <csv>', 'seed from XSTest prompts (xstest_prompts.csv) instead of the bundled seeds')
    .option('--templates <csv>', 'jailbreak templates with [INSERT PROMPT HERE] (e.g. GPTFuzzer.csv)')
    .option('--quota <n>', 'prompts per cell', int('--quota', 1, 1000), 2)
    .option('--strength <t>', 't-wise cover of the attack axes (0: full product)', int('--strength', 0, 4), 2)
    .option('--seed <n>', 'root seed', '1')
    .description(
      'red-team coverage pack: risk category × attack strategy × persona × register, with over-refusal controls',
    );
  ledgerOptions(redteam).action(
    async (
      o: LedgerFlags & {
        out: string;
        promptfoo?: string;
        audit?: string;
        xstest?: string;
        templates?: string;
        quota: number;
        strength: number;
        seed: string;
      },
    ) => {
      const run = await openRun(redteam, 'text redteam', o, [
        { role: 'xstest', path: o.xstest },
        { role: 'templates', path: o.templates },
      ]);
      const seed = (await seedOption(o.seed)) ?? 1;
      const { redteamFiles } = await import('../text/redteam/files.js');
      const { pack, audit } = await redteamFiles({
        jsonl: o.out,
        promptfoo: o.promptfoo,
        audit: o.audit,
        xstest: o.xstest,
        templates: o.templates,
        quota: o.quota,
        strength: o.strength,
        seed,
      });
      process.stdout.write(
        `${pack.items.length} prompts (${audit.attacks} attacks, ${audit.controls} over-refusal controls) in ${audit.cells} cells → ${o.out}${o.promptfoo ? ` and ${o.promptfoo}` : ''}; pairwise coverage of the attack axes ${audit.pairwise_coverage.toFixed(3)}; near-duplicate share ${audit.near_duplicate_share.toFixed(3)}\n`,
      );
      for (const c of audit.categories)
        process.stdout.write(
          `  ${c.category}: ${c.cells_filled}/${c.cells} cells, ${c.attacks} attacks, ${c.controls} controls, ${c.strategies_covered} strategies, near-duplicates ${c.near_duplicate_share.toFixed(3)}\n`,
        );
      const { textRedteamRecord } = await import('./entries.js');
      await run.record(textRedteamRecord(audit, { ...o, seed }));
    },
  );
}
