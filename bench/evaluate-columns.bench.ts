/**
 * Identifier and free-text columns (issue 13 item 7) on UCI Adult: the training file as "real", the
 * test file as a second real sample ("synthetic"), each with and without a `customer_id` column
 * (unique per row) and a free-text `note`; and a column-shuffled copy of the training rows.
 * Prints detection AUC, univariate accuracy, MMD² and its permutation p-value for each.
 * Needs /work/shared/data/uci-adult (skips when absent). Run: npx tsx bench/evaluate-columns.bench.ts
 */
import { existsSync } from 'node:fs';
import { shuffleColumns } from '../src/evaluate/fixtures.js';
import { evaluate } from '../src/evaluate/index.js';
import type { RawTable } from '../src/io/index.js';
import { readTable } from '../src/io/index.js';
import { streamFor } from '../src/random/stream.js';

const DIR = process.env.ADULT_DIR ?? '/work/shared/data/uci-adult';
if (!existsSync(`${DIR}/adult_train.csv`)) {
  console.log(`skipped: ${DIR}/adult_train.csv not found`);
  process.exit(0);
}

const TOPICS = [
  'billing',
  'a late payment',
  'the new card',
  'an address change',
  'a loan offer',
  'fees',
  'the mobile app',
  'a complaint',
  'travel notice',
  'overdraft',
];
const MOODS = ['calm', 'upset', 'friendly', 'in a hurry', 'confused', 'satisfied'];
const NEXT = [
  'call back next week',
  'no follow-up needed',
  'send a letter',
  'escalate to a manager',
  'email the form',
  'check again in a month',
];

/** The same free-text generator for both samples: a second real sample has notes of the same kind. */
function withIdAndNote(t: RawTable, idStart: number, seed: number): RawTable {
  const s = streamFor(seed, 'bench', 'notes');
  const pick = (xs: readonly string[]) => xs[s.nextInt(xs.length)];
  const ids: string[] = [];
  const notes: string[] = [];
  for (let i = 0; i < t.rowCount; i++) {
    ids.push(String(idStart + i));
    notes.push(
      `Customer ${pick(MOODS)}, asked about ${pick(TOPICS)} on day ${1 + s.nextInt(28)}; ${pick(NEXT)} (ref ${s.nextInt(100000)}).`,
    );
  }
  return { ...t, columns: ['customer_id', ...t.columns, 'note'], data: [ids, ...t.data, notes] };
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
