/**
 * Issue 15's frontier test: Strata "dominates the CART frontier" when its detection AUC is below
 * that of every CART leaf size whose DCR share is at least Strata's (a CART run as private as
 * Strata, or less private, must not also be harder to detect). Pure: figures in, verdict out.
 *
 * Detection is compared folded, max(AUC, 1 − AUC): a copying generator scores well below 0.5 on
 * small tables (cross-validation puts a training row and its copy in different folds, so the
 * classifier learns the wrong way round; pima CART at 5 rows per leaf: 0.376 at DCR share 0.755),
 * which is a detected difference, not an undetectable sample. The literal verdict on raw AUC is
 * returned beside it.
 */

/** One point of a sweep: medians over generation seeds, with their ranges. */
export interface FrontierPoint {
  /** CART's fewest rows per leaf. */
  leaf: number;
  detection: number;
  dcr: number;
  detectionRange?: readonly [number, number];
}

export interface FrontierVerdict {
  dominates: boolean;
  /** CART points at a DCR share ≥ Strata's: the ones Strata is judged against. */
  compared: FrontierPoint[];
  /** Of those, the ones whose detection is not above Strata's (lowest detection first). */
  beaten: FrontierPoint[];
}

/** max(AUC, 1 − AUC): how far from chance a detector is, whichever way round it learned. */
export const folded = (auc: number) => Math.max(auc, 1 - auc);

/** The verdict on folded detection (`folded: true`, the bench's) or on raw AUC. */
export function frontierVerdict(
  strata: { detection: number; dcr: number },
  cart: readonly FrontierPoint[],
  opts: { folded: boolean } = { folded: true },
): FrontierVerdict {
  const d = (x: number) => (opts.folded ? folded(x) : x);
  const compared = cart.filter((p) => p.dcr >= strata.dcr);
  const beaten = compared
    .filter((p) => d(p.detection) <= d(strata.detection))
    .sort((a, b) => d(a.detection) - d(b.detection) || a.leaf - b.leaf);
  return { dominates: beaten.length === 0, compared, beaten };
}

const f3 = (x: number) => x.toFixed(3);

/**
 * The bench's one-line verdict, with the CART point that decides it. `folded`: detection figures
 * are max(AUC, 1 − AUC) (the verdict was computed so); ranges are then folded too.
 */
export function frontierLine(
  strata: { detection: number; dcr: number; detectionRange?: readonly [number, number] },
  v: FrontierVerdict,
  opts: { folded: boolean } = { folded: true },
): string {
  const d = (x: number) => (opts.folded ? folded(x) : x);
  const range = (r: readonly [number, number]): [number, number] => {
    const a = d(r[0]);
    const b = d(r[1]);
    // a range straddling 0.5 folds to [0.5, max]
    return opts.folded && r[0] < 0.5 && r[1] > 0.5 ? [0.5, Math.max(a, b)] : [Math.min(a, b), Math.max(a, b)];
  };
  const what = opts.folded ? 'detection max(AUC, 1 − AUC)' : 'detection AUC';
  if (v.compared.length === 0)
    return `Strata dominates: yes (vacuous) — no CART leaf reaches Strata's DCR share ${f3(strata.dcr)}`;
  if (v.dominates) {
    const closest = [...v.compared].sort((a, b) => d(a.detection) - d(b.detection))[0];
    return `Strata dominates: yes (${what}) — every CART leaf at DCR ≥ ${f3(strata.dcr)} is more detectable than Strata's ${f3(d(strata.detection))} (closest: leaf ${closest.leaf} at DCR ${f3(closest.dcr)}, ${f3(d(closest.detection))})`;
  }
  const b = v.beaten[0];
  const sr = strata.detectionRange ? range(strata.detectionRange) : undefined;
  const br = b.detectionRange ? range(b.detectionRange) : undefined;
  const overlap = sr && br ? sr[0] <= br[1] && br[0] <= sr[1] : false;
  return `Strata dominates: no (${what}) — CART leaf ${b.leaf} at DCR ${f3(b.dcr)} ≥ Strata's ${f3(strata.dcr)} has ${f3(d(b.detection))} ${d(b.detection) < d(strata.detection) ? '<' : '='} Strata's ${f3(d(strata.detection))}${overlap ? ' (seed ranges overlap: within noise)' : ''}`;
}
