// One process of the concurrency test: append `count` entries to the ledger at argv[2].
import { appendEntry } from '../store.js';
import { draftFor } from './ledgers.js';

const [ledger, who, count] = [process.argv[2], Number(process.argv[3]), Number(process.argv[4] ?? 1)];
for (let k = 0; k < count; k++) {
  const d = draftFor(who * 100 + k);
  await appendEntry(ledger, { ...d, run: `${d.run.slice(0, 16)}-${String(who * 100 + k).padStart(6, '0')}` });
}
