/**
 * Threshold calibration: given labelled pairs (duplicate or not) and a similarity function, pick
 * the threshold with the best F-beta (default F1; beta < 1 favours precision).
 */
export interface LabelledPair {
  a: string;
  b: string;
  duplicate: boolean;
}

export interface Calibration {
  threshold: number;
  precision: number;
  recall: number;
  f: number;
}

export function calibrateThreshold(
  pairs: readonly LabelledPair[],
  similarity: (a: string, b: string) => number,
  opts: { beta?: number; minPrecision?: number } = {},
): Calibration {
  const beta = opts.beta ?? 1;
  const scored = pairs.map((p) => ({ s: similarity(p.a, p.b), d: p.duplicate }));
  const candidates = [...new Set(scored.map((x) => x.s))].sort((x, y) => x - y);
  const positives = scored.filter((x) => x.d).length;
  let best: Calibration = { threshold: 1, precision: 0, recall: 0, f: 0 };
  for (const t of candidates) {
    let tp = 0;
    let fp = 0;
    for (const x of scored)
      if (x.s >= t) {
        if (x.d) tp++;
        else fp++;
      }
    const precision = tp + fp === 0 ? 0 : tp / (tp + fp);
    const recall = positives === 0 ? 0 : tp / positives;
    if (opts.minPrecision !== undefined && precision < opts.minPrecision) continue;
    const b2 = beta * beta;
    const f = precision + recall === 0 ? 0 : ((1 + b2) * precision * recall) / (b2 * precision + recall);
    if (f > best.f) best = { threshold: t, precision, recall, f };
  }
  return best;
}
