/**
 * `strata text plan|generate|dedup|audit` — thin shells over the src/text library, imported when a
 * command runs.
 */
import type { Command } from 'commander';
import { StrataError } from '../errors.js';
import { outOption, seedOption } from './options.js';
import { registerTextAugmentCommands } from './text-augment.js';

function num(name: string, min: number, max: number, integer = false) {
  return (v: string): number => {
    const x = Number(v);
    if (!Number.isFinite(x) || x < min || x > max || (integer && !Number.isInteger(x)))
      throw new StrataError(
        'cli.option',
        `${name} must be ${integer ? 'an integer' : 'a number'} in [${min}, ${max}], got "${v}"`,
        { path: name },
      );
    return x;
  };
}

/**
 * The dedup embedding stage is opt-in (measured: bench/dedup-embedding.bench.ts): `--embedding`
 * alone is cosine 0.9, `--embedding C` or `--embedding-threshold C` is C, nothing or
 * `--no-embedding` is off.
 */
function embeddingStage(flag: unknown, threshold: unknown): number | null {
  if (typeof threshold === 'number') return threshold;
  if (typeof flag === 'number') return flag;
  return flag === true ? 0.9 : null;
}

/** Warnings and deprecation notices go to stderr, one line each. */
const notice = (message: string): void => {
  process.stderr.write(`strata: warning: ${message}\n`);
};

export function registerTextCommand(program: Command): void {
  const text = program
    .command('text')
    .description('coverage-driven synthetic text: plan, generate, dedup, audit, augment, prove, redteam');
  registerTextAugmentCommands(text);

  text
    .command('plan')
    .argument('<plan>', 'PLAN.yaml')
    .option('--json', 'print the plan as JSON')
    .description('print the cell table of a text plan')
    .action(async (planPath: string, o: { json?: boolean }) => {
      const [{ loadPlan }, { formatPlan }] = await Promise.all([
        import('../text/plan-load.js'),
        import('../text/plan.js'),
      ]);
      const { plan } = await loadPlan(planPath, { onNotice: notice });
      process.stdout.write(o.json ? `${JSON.stringify(plan, null, 2)}\n` : formatPlan(plan));
    });

  const generate = text.command('generate').argument('<plan>', 'PLAN.yaml');
  outOption(generate, 'output JSONL', { required: true });
  generate
    .option('--seed <n>', 'root seed (default: the plan seed)')
    .option(
      '--record <cassette>',
      'keep provider answers in this cassette (JSONL) and replay what it has; default for network providers: OUT.cassette.jsonl',
    )
    .option('--replay <cassette>', 'replay provider answers from a cassette; a miss is an error')
    .option('--no-cassette', 'do not keep network provider answers (a failed run then pays again)')
    .option('--rejections <file>', 'write dedup/verification rejections (JSONL)')
    .option('--log <file>', 'write batch statistics and refresh/stop events (JSONL)')
    .description('generate texts for every cell of a plan, quotas met exactly')
    .action(
      async (
        planPath: string,
        o: {
          out: string;
          seed?: string;
          record?: string;
          replay?: string;
          rejections?: string;
          log?: string;
          cassette?: boolean;
        },
      ) => {
        if (o.record && o.replay)
          throw new StrataError(
            'cli.option',
            '--record and --replay exclude each other',
            { path: '--replay' },
            'use one of them',
          );
        const replay = o.record
          ? { path: o.record, mode: 'record' as const }
          : o.replay
            ? { path: o.replay, mode: 'replay' as const }
            : undefined;
        const seed = await seedOption(o.seed);
        const { generateFromPlan } = await import('../text/generate.js');
        const r = await generateFromPlan(planPath, o.out, {
          seed,
          replay,
          rejectionsPath: o.rejections,
          logPath: o.log,
          cassette: o.cassette === false ? false : undefined,
          onNotice: notice,
        });
        const refreshes = r.events.filter((e) => e.type === 'refresh').length;
        process.stdout.write(
          `${r.records.length} texts → ${o.out}; dedup rejected ${r.dedup_rejections.length}, verification rejected ${r.verify_rejections.length}, refreshes ${refreshes}; ${r.usage.requests} requests, ${r.usage.prompt_tokens + r.usage.completion_tokens} tokens, $${r.usage.cost_usd.toFixed(4)}\n`,
        );
        if (r.cassette)
          process.stdout.write(
            `cassette ${r.cassette.path}: ${r.cassette.replayed} answers replayed, ${r.cassette.recorded} new\n`,
          );
        if (r.shortfall.length) {
          for (const s of r.shortfall) process.stdout.write(`short: ${s.cell} ${s.got}/${s.quota}\n`);
          process.exitCode = 1;
        }
      },
    );

  const dedup = text.command('dedup').argument('<input>', 'IN.jsonl (or CSV)');
  outOption(dedup, 'kept rows (JSONL or CSV)', { required: true });
  dedup
    .requiredOption('--text-field <name>', 'field holding the text (dotted paths work in JSONL)')
    .option('--rejections <file>', 'rejections JSONL: { id, neighbour_id, stage, similarity, scope }')
    .option('--scope <scope>', 'cell | global', 'global')
    .option('--cell-field <name>', 'field holding the cell (with --scope cell)', 'cell')
    .option('--threshold <j>', 'MinHash Jaccard threshold', num('--threshold', 0, 1), 0.7)
    .option(
      '--embedding [c]',
      'add the embedding-cosine stage (default cosine 0.9); off by default: on 5,000 short texts it took 100x the time of MinHash for +3 points of recall (docs/text.md)',
      num('--embedding', 0, 1),
    )
    .option('--embedding-threshold <c>', 'same as --embedding <c>', num('--embedding-threshold', 0, 1))
    .option('--no-embedding', 'no embedding stage (the default)')
    .option('--shingle <kind>', 'char | word', 'char')
    .option('--real <file>', 'also reject rows that duplicate this real corpus')
    .option('--real-text-field <name>', 'text field of --real (default: --text-field)')
    .description('exact → MinHash-LSH → embedding dedup; every rejection names its neighbour')
    .action(async (input: string, o: Record<string, string | number | boolean | undefined>) => {
      if (o.scope !== 'cell' && o.scope !== 'global')
        throw new StrataError('cli.option', `--scope must be cell or global, got "${o.scope}"`, {
          path: '--scope',
        });
      if (o.shingle !== 'char' && o.shingle !== 'word')
        throw new StrataError('cli.option', `--shingle must be char or word, got "${o.shingle}"`, {
          path: '--shingle',
        });
      const { dedupFile } = await import('../text/files.js');
      const r = await dedupFile(input, String(o.out), {
        textField: String(o.textField),
        cellField: String(o.cellField),
        rejectionsPath: o.rejections as string | undefined,
        scope: o.scope,
        minhashThreshold: o.threshold as number,
        embeddingThreshold: embeddingStage(o.embedding, o.embeddingThreshold),
        shingle: o.shingle,
        realPath: o.real as string | undefined,
        realTextField: o.realTextField as string | undefined,
      });
      const s = r.stats.rejected;
      process.stdout.write(
        `kept ${r.kept} of ${r.stats.seen}; rejected exact ${s.exact}, minhash ${s.minhash}, embedding ${s.embedding} (LSH ${r.stats.bands} bands × ${r.stats.rows} rows)\n`,
      );
    });

  text
    .command('audit')
    .requiredOption('--real <file>', 'real labelled texts (CSV/JSONL)')
    .requiredOption('--synthetic <file>', 'synthetic texts (JSONL from generate, or CSV)')
    .requiredOption('--text-field <name>', 'text field')
    .option('--label-field <name>', 'label field (enables per-cell counts and the downstream test)')
    .option(
      '--synthetic-label-field <name>',
      'label field of the synthetic file when different (e.g. label, cell.intent)',
    )
    .option('--synthetic-text-field <name>', 'text field of the synthetic file when different')
    .option('--test <file>', 'real test split (default: a seeded stratified 20% of --real)')
    .option('--plan <file>', 'PLAN.yaml: count synthetic rows per plan cell against quotas')
    .option('--json <file>', 'write the JSON report')
    .option('--html <file>', 'write the self-contained HTML report')
    .option('--seed <n>', 'seed for samples, splits and bootstrap', '1')
    .option('--sample <n>', 'rows sampled for pairwise figures', num('--sample', 10, 100000, true), 2000)
    .option(
      '--gate <file>',
      'YAML thresholds per summary key (as evaluate --gate); exit code 1 when any fails',
    )
    .option('--no-downstream', 'skip the classifier test')
    .option('--balanced', 'weight classes inversely to their frequency in the downstream classifiers')
    .description('judge synthetic texts: coverage, diversity, leakage, downstream recall change')
    .action(async (o: Record<string, string | number | boolean | undefined>) => {
      const seed = await seedOption(o.seed as string);
      const [{ auditFiles }, { auditText }] = await Promise.all([
        import('../text/files.js'),
        import('../text/report.js'),
      ]);
      const rep = await auditFiles({
        real: String(o.real),
        synthetic: String(o.synthetic),
        test: o.test as string | undefined,
        textField: String(o.textField),
        labelField: o.labelField as string | undefined,
        syntheticLabelField: o.syntheticLabelField as string | undefined,
        syntheticTextField: o.syntheticTextField as string | undefined,
        plan: o.plan as string | undefined,
        json: o.json as string | undefined,
        html: o.html as string | undefined,
        seed,
        sample: o.sample as number,
        downstream: o.downstream !== false,
        classWeight: o.balanced ? 'balanced' : null,
        gate: o.gate as string | undefined,
        onNotice: notice,
      });
      process.stdout.write(auditText(rep));
      if (rep.gate) {
        const { file, failures } = rep.gate;
        if (failures.length) {
          process.stdout.write(
            `\ngate failures (${file}):\n${failures.map((f) => `- ${f.message}`).join('\n')}\n`,
          );
          process.exitCode = 1;
        } else process.stdout.write(`\nall gates in ${file} pass\n`);
      }
    });
}
