/**
 * Which row of a conditional table applies to a parent state. A row's `when` gives one label per
 * parent; the label `"*"` matches any state of that parent (missing included). A row without
 * wildcards applies to exactly its state and always wins; otherwise the first wildcard row, in
 * file order, that matches does; otherwise none (the table's default applies).
 *
 * Wildcards let a fitted model say "every state of BILL_AMT6 under PAY_0 = 2 and PAY_AMT4 in
 * bin 3 alike" in one row instead of one copy per state (the Taiwan model was 18 MB of such
 * copies). Shared by the sampler and by coverage's exact probabilities, so both read a table
 * the same way.
 */

/** The `when` label that matches every state of its parent. */
export const ANY_STATE = '*';

/** Parent-state labels joined into one map key. */
export const stateKey = (labels: readonly string[]): string =>
  labels.length === 1 ? labels[0] : labels.join('\u0001');

/** Wildcard lookups remembered per state, up to this many states (then computed each time). */
const MEMO_LIMIT = 200_000;

export function conditionalResolver<R extends { when: readonly (string | number | boolean)[] }>(
  rows: readonly R[],
): (labels: readonly string[]) => R | undefined {
  const exact = new Map<string, R>();
  const wild: { row: R; labels: (string | null)[] }[] = [];
  for (const row of rows) {
    const labels = row.when.map((w) => String(w));
    if (labels.includes(ANY_STATE))
      wild.push({ row, labels: labels.map((l) => (l === ANY_STATE ? null : l)) });
    else exact.set(stateKey(labels), row);
  }
  if (wild.length === 0) return (labels) => exact.get(stateKey(labels));
  const memo = new Map<string, R | undefined>();
  return (labels) => {
    const key = stateKey(labels);
    const hit = exact.get(key);
    if (hit) return hit;
    if (memo.has(key)) return memo.get(key);
    let found: R | undefined;
    for (const w of wild) {
      let ok = true;
      for (let i = 0; i < labels.length; i++) {
        const l = w.labels[i];
        if (l !== null && l !== labels[i]) {
          ok = false;
          break;
        }
      }
      if (ok) {
        found = w.row;
        break;
      }
    }
    if (memo.size < MEMO_LIMIT) memo.set(key, found);
    return found;
  };
}
