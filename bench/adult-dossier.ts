/**
 * Builds the example dossier in docs/examples/adult/ from the real UCI Adult data (not part of
 * `npm test`; needs /work/shared/data or STRATA_DATA): the protocol of bench/fit.bench.ts
 * (a seeded 16,281-row training subset of adult_train.csv, holdout adult_test.csv), run through the
 * CLI in a work folder with a `.strata/` ledger:
 *
 *   strata fit train.csv -o model.yaml --name adult --target income --seed 1 --knowledge knowledge.yaml
 *   strata generate model.yaml -n 16281 --seed 7 -o synthetic.csv
 *   strata evaluate --real train.csv --synthetic synthetic.csv --holdout holdout.csv --spec model.yaml --target income
 *     --sensitive sex race --gate gates.yaml --json report.json --html report.html --seed 1
 *   strata dossier last -o dossier.html (and .pdf)
 *
 * run: npx tsx bench/adult-dossier.ts [WORKDIR]
 */
import { copyFileSync, existsSync, mkdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { main } from '../src/cli/main.js';
import { csvLine } from '../src/io/csv-write.js';
import { readTable } from '../src/io/read-table.js';
import { shuffleInPlace } from '../src/random/shuffle.js';
import { streamFor } from '../src/random/stream.js';

const DATA = process.env.STRATA_DATA ?? '/work/shared/data';
const SRC = join(DATA, 'uci-adult');
if (!existsSync(join(SRC, 'adult_train.csv'))) {
  console.log(`no ${SRC}: skipped`);
  process.exit(0);
}
const repo = resolve(import.meta.dirname, '..');
const work = resolve(process.argv[2] ?? join(repo, 'test-output', 'adult-dossier'));
const docs = join(repo, 'docs', 'examples', 'adult');
rmSync(work, { recursive: true, force: true });
mkdirSync(join(work, '.strata'), { recursive: true });
mkdirSync(docs, { recursive: true });

// The training subset of bench/fit.bench.ts: rows of adult_train.csv in a seeded order, first 16,281.
const train = await readTable(join(SRC, 'adult_train.csv'));
const idx = Array.from({ length: train.rowCount }, (_, i) => i);
shuffleInPlace(idx, streamFor(42, 'bench-split'));
const lines = [csvLine(train.columns)];
for (const i of idx.slice(0, 16_281)) lines.push(csvLine(train.data.map((c) => c[i])));
writeFileSync(join(work, 'train.csv'), `${lines.join('\n')}\n`);
copyFileSync(join(SRC, 'adult_test.csv'), join(work, 'holdout.csv'));
writeFileSync(
  join(work, 'knowledge.yaml'),
  [
    '# What a labour economist knows and the data cannot tell: demographics come first, then',
    '# schooling and household, then work, and income last (nothing is caused by income).',
    'tiers:',
    '  - [age, sex, race, native_country]',
    '  - [education, education_num, marital_status, relationship]',
    '  - [workclass, occupation, hours_per_week, fnlwgt, capital_gain, capital_loss]',
    '  - [income]',
    '',
  ].join('\n'),
);
writeFileSync(
  join(work, 'gates.yaml'),
  [
    '# Release thresholds agreed with the reviewer (evaluate --gate): the run fails when one is missed.',
    'accuracy_univariate: { min: 0.95 }',
    'accuracy_bivariate: { min: 0.93 }',
    'detection_auc: { max: 0.70 }',
    'dcr_share: { max: 0.60 }',
    'identical_match_share: { max: 0.01 }',
    'tstr_auc: { min: 0.85 }',
    '',
  ].join('\n'),
);
const PURPOSE =
  'Share a census-income table with an external analytics vendor for building and testing income-prediction models, without disclosing any real person’s record. The synthetic table must keep the distributions and the relationships a model relies on, must not be closer to the real people than fresh data would be, and must not widen the income gap between sexes or races.';

process.chdir(work);
const run = async (args: string[]) => {
  console.log(`$ strata ${args.join(' ')}`);
  const t0 = performance.now();
  const code = await main(args);
  console.log(`  (exit ${code}, ${((performance.now() - t0) / 1000).toFixed(1)} s)`);
  if (code > 1) process.exit(code);
};
await run([
  'fit',
  'train.csv',
  '-o',
  'model.yaml',
  '--name',
  'adult',
  '--target',
  'income',
  '--seed',
  '1',
  '--knowledge',
  'knowledge.yaml',
]);
await run(['generate', 'model.yaml', '-n', '16281', '--seed', '7', '-o', 'synthetic.csv']);
await run([
  'evaluate',
  '--real',
  'train.csv',
  '--synthetic',
  'synthetic.csv',
  '--holdout',
  'holdout.csv',
  '--spec',
  'model.yaml',
  '--target',
  'income',
  '--sensitive',
  'sex',
  'race',
  '--gate',
  'gates.yaml',
  '--json',
  'report.json',
  '--html',
  'report.html',
  '--seed',
  '1',
]);
await run([
  'dossier',
  'last',
  '-o',
  'dossier.html',
  '--purpose',
  PURPOSE,
  '--title',
  'Validation dossier: synthetic UCI Adult (census income)',
]);
await run([
  'dossier',
  'last',
  '-o',
  'dossier.pdf',
  '--purpose',
  PURPOSE,
  '--title',
  'Validation dossier: synthetic UCI Adult (census income)',
]);
await run(['ledger', 'verify']);
for (const f of ['dossier.html', 'dossier.pdf', 'gates.yaml', 'knowledge.yaml', 'model.yaml'])
  copyFileSync(f, join(docs, f));
mkdirSync(join(docs, 'ledger'), { recursive: true });
copyFileSync('.strata/ledger.jsonl', join(docs, 'ledger', 'ledger.jsonl'));
copyFileSync('.strata/ledger.jsonl.head', join(docs, 'ledger', 'ledger.jsonl.head'));
console.log(
  `docs/examples/adult: dossier.html ${statSync('dossier.html').size} bytes, dossier.pdf ${statSync('dossier.pdf').size} bytes`,
);
