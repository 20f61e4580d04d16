/**
 * Identifier and free-text columns (issue 13 item 7) on UCI Adult: the training file as "real", the
 * test file as a second real sample ("synthetic"), each with and without a `customer_id` column
 * (unique per row) and a free-text `note`; and a column-shuffled copy of the training rows.
 * Prints detection AUC, univariate accuracy, MMD² and its permutation p-value for each.
 * Needs /work/shared/data/uci-adult (skips when absent). Run: npx tsx bench/evaluate-columns.bench.ts
 */
import { existsSync } from 'node:fs';
import { shuffleColumns, withIdAndNote } from '../src/evaluate/fixtures.js';
import { evaluate } from '../src/evaluate/index.js';
import type { RawTable } from '../src/io/index.js';
import { readTable } from '../src/io/index.js';

const DIR = process.env.ADULT_DIR ?? '/work/shared/data/uci-adult';
if (!existsSync(`${DIR}/adult_train.csv`)) {
  console.log(`skipped: ${DIR}/adult_train.csv not found`);
  process.exit(0);
}

const train = await readTable(`${DIR}/adult_train.csv`);
const test = await readTable(`${DIR}/adult_test.csv`);
const runs: [string, RawTable, RawTable][] = [
  ['second sample, plain columns', train, test],
  ['second sample + customer_id + note', withIdAndNote(train, 1, 1), withIdAndNote(test, 100_001, 2)],
  ['column-shuffled copy of real', train, shuffleColumns(train, 7)],
];
for (const [label, real, synthetic] of runs) {
  const t0 = performance.now();
  const r = await evaluate({
    real,
    synthetic,
    sections: { privacy: false, utility: false, knn_coverage: false },
  });
  const s = r.summary;
  console.log(
    `${label.padEnd(38)} detection ${s.detection_auc?.toFixed(3)}  univariate ${s.accuracy_univariate?.toFixed(3)}  MMD² ${s.mmd?.toFixed(4)}  p ${s.mmd_p_value?.toFixed(4)} (${r.mmd?.permutations} permutations)  ${((performance.now() - t0) / 1000).toFixed(1)} s`,
  );
  const set = r.inputs.columns.filter((c) => c.role !== 'value');
  if (set.length) console.log(`  judged apart: ${set.map((c) => `${c.name} (${c.role_reason})`).join('; ')}`);
  for (const c of r.text?.columns ?? [])
    console.log(
      `  text "${c.name}": length similarity ${c.length_similarity.value?.toFixed(3)}, synthetic words in real vocabulary ${c.synthetic_words_in_real_vocabulary.value?.toFixed(3)}, copies ${c.near_copy_share.value?.toFixed(3)} (baseline ${c.near_copy_share_baseline.value?.toFixed(3)})`,
    );
  for (const w of r.warnings) console.log(`  warning: ${w.message}`);
}
