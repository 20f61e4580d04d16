/**
 * One-entry memo keyed by a short list of numbers. Rows of one column share parameters and bounds, so
 * per-column setup (incomplete gamma/beta evaluations) runs once instead of once per draw. Purely a
 * cache: results are identical with or without it.
 */
export class LastMemo<T> {
  private key: readonly number[] | null = null;
  private value: T | undefined;

  get(key: readonly number[], make: () => T): T {
    const k = this.key;
    let same = k !== null && k.length === key.length;
    for (let i = 0; same && i < key.length; i++) same = Object.is(k![i], key[i]);
    if (!same) {
      this.value = make();
      this.key = key.slice();
    }
    return this.value as T;
  }
}
