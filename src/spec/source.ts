/**
 * Where things are in a spec file: a spec path → 1-based line/column (falling back to the nearest
 * existing ancestor). Backed by the positioned YAML reader (yaml.ts), parsed only when asked.
 */
import type { SpecPath } from './path.js';

/** 1-based line and column in the spec text. */
export interface SpecPosition {
  line: number;
  column: number;
}

export interface SpecSource {
  /** As given by the user (for messages). */
  file: string;
  text: string;
  /**
   * 1-based line/column of the node at a spec path like
   * `['tables','customer','columns','age','dist']`; falls back to the nearest existing ancestor.
   */
  locate(path: SpecPath): SpecPosition | undefined;
}

/** A source that can also point at a map key (what the spec checks report through). */
export interface KeyedSpecSource extends SpecSource {
  locateKey(path: SpecPath): SpecPosition | undefined;
}

/**
 * A source that places nothing: a spec handed over as an object (library use: problems are placed
 * by their spec path alone), or the fast path's checks, whose issues are thrown away.
 */
export class ObjectSpecSource implements KeyedSpecSource {
  readonly file = '';
  readonly text = '';
  locate(): undefined {
    return undefined;
  }
  locateKey(): undefined {
    return undefined;
  }
}
