/**
 * Point masses of a numeric parent as parent states of their own (issue 15: "a zero bill is not
 * a low bill"). Structure learning cuts a numeric parent into a few quantile bins that keep a
 * point mass with its neighbours; a child whose law differs at exactly that value (a payment
 * after a zero bill) is then drawn from the whole bin's mix. Proposed per child and parent, and
 * taken only where it wins on held-out log-likelihood (heldout.ts).
 *
 * The spec construct is the parent's `breaks`: the point mass a gets the state [a, a + w/2),
 * w the column's rounding step, so a generated value that rounds to a is in a's state.
 */
import { binOf, type NodeColumn, recodeNumericNode } from './encode.js';
import { type Coded, heldOutLogLik, scoringCodes } from './heldout.js';

export interface AtomStatesCandidate {
  /** Node index of the numeric parent. */
  parent: number;
  /** The parent re-coded with its point masses as states of their own. */
  node: NodeColumn;
  /** The point masses given states. */
  atoms: number[];
  /** Held-out log-likelihood gain of the child, nats per row (> minGain). */
  gain: number;
}

export interface AtomStatesOptions {
  /** Share of the parent's rows a value needs to be a state of its own (default 0.05). */
  minShare?: number;
  /** Least held-out gain, nats per row (default 0.002). */
  minGain?: number;
}

/** Values holding at least `minShare` of a numeric column's present rows, ascending. */
export function pointMasses(node: NodeColumn, minShare: number): number[] {
  const counts = new Map<number, number>();
  let m = 0;
  for (const x of node.values) {
    if (Number.isNaN(x)) continue;
    m++;
    counts.set(x, (counts.get(x) ?? 0) + 1);
  }
  return [...counts]
    .filter(([, c]) => c >= minShare * m)
    .map(([x]) => x)
    .sort((a, b) => a - b);
}

/** `breaks` with each atom a given the state [a, a + half) (no duplicate or crossing cut). */
export function isolateBreaks(breaks: readonly number[], atoms: readonly number[], half: number): number[] {
  const out = new Set(breaks);
  for (const a of atoms) {
    out.add(a);
    const next = breaks.find((b) => b > a);
    if (next === undefined || next > a + half) out.add(a + half);
  }
  return [...out].sort((x, y) => x - y);
}

/** Half the rounding step of a numeric column (0.5 for integers); undefined for datetimes. */
function halfStep(node: NodeColumn): number | undefined {
  const { kind, decimals } = node.info;
  if (kind === 'integer') return 0.5;
  if (kind === 'number') return 10 ** -(decimals ?? 0) / 2;
  return undefined;
}

/**
 * For each numeric parent of `child` with point masses (≥ minShare of its rows) that its bins do
 * not already isolate: the re-coded parent, kept when the child's held-out log-likelihood given
 * all its parents gains more than `minGain` nats per row.
 */
export function proposeAtomStates(
  nodes: readonly NodeColumn[],
  child: number,
  parents: readonly number[],
  opts: AtomStatesOptions = {},
): AtomStatesCandidate[] {
  const minShare = opts.minShare ?? 0.05;
  const minGain = opts.minGain ?? 0.002;
  const target = scoringCodes(nodes[child]);
  const coded: Coded[] = parents.map((p) => nodes[p]);
  const base = heldOutLogLik(target, coded);
  const out: AtomStatesCandidate[] = [];
  parents.forEach((p, k) => {
    const node = nodes[p];
    const half = halfStep(node);
    if (node.role !== 'numeric' || half === undefined) return;
    // Atoms whose bin holds other values too (a bin of its own needs nothing).
    const atoms = pointMasses(node, minShare).filter((a) => {
      const b = binOf(a, node.breaks);
      const lo = b > 0 ? node.breaks[b - 1] : Number.NEGATIVE_INFINITY;
      const hi = b < node.breaks.length ? node.breaks[b] : Number.POSITIVE_INFINITY;
      return !(lo === a && hi <= a + half);
    });
    if (atoms.length === 0) return;
    const recoded = recodeNumericNode(node, isolateBreaks(node.breaks, atoms, half));
    const trial = coded.slice();
    trial[k] = recoded;
    const gain = heldOutLogLik(target, trial) - base;
    if (gain > minGain) out.push({ parent: p, node: recoded, atoms, gain });
  });
  return out;
}
