/** Shared shapes of the text pipeline. */

/** A plan cell: one value per axis, e.g. `{ intent: 'card_arrival', persona: 'student' }`. */
export type Cell = Readonly<Record<string, string>>;

/** One step of a diversifier chain, recorded in provenance. */
export interface OperatorStep {
  op: string;
  params?: Record<string, string | number | boolean>;
}

export interface Provenance {
  provider: string;
  model: string;
  /** The names the seed stream was derived from (with the root seed), so the draw can be replayed. */
  seed_stream: string;
  prompt_hash: string;
  operators: OperatorStep[];
  /** Set when the verifier moved the sample to another cell. */
  rerouted_from?: Cell;
  /** Refresh round in which the sample was produced (0 = first). */
  refresh?: number;
}

/** A generated record as written to JSONL. */
export interface TextRecord {
  id: string;
  text: string;
  cell: Cell;
  label?: string;
  provenance: Provenance;
}

/** Stable key of a cell: axis=value pairs in the given axis order. */
export function cellKey(cell: Cell, axes?: readonly string[]): string {
  const names = axes ?? Object.keys(cell);
  return names.map((a) => `${a}=${cell[a] ?? ''}`).join('|');
}
