/**
 * The privacy guard of fit: a model must not sit closer to the rows it learned from than to rows
 * it never saw. On small tables the structure search's finest mechanisms (trees over up to six
 * parents, weak edges kept for fidelity, three-parent tables) are chosen on a few hundred rows and
 * reproduce them: MIMIC TRANSFERS (367 rows) drew rows with a DCR share of 0.56 (seeds 4–6,
 * 0.51–0.58) against a real holdout; without the tree pass and weak edges 0.53 (0.52–0.55), with
 * bivariate accuracy unchanged and detection AUC 0.82 → 0.75 (bench/dcr-trace.ts, docs/fit.md).
 *
 * The guard splits the training rows (seeded) into a fit part and a held-out part, fits each
 * step of a ladder of coarser settings on the fit part, draws rows from it and measures their
 * DCR share between the two parts (split-privacy.ts, the refine loop's check). The first step
 * within the bound is fitted on every row; when none is, the step with the lowest share. What it
 * measured and chose is written in the model file's header.
 */
import type { RawColumns } from '../data/infer.js';
import { parseSeed } from '../random/seed.js';
import { streamFor } from '../random/stream.js';
import { specToYaml } from './emit.js';
import { type FitOptions, type FitResult, fitTableAsync } from './fit.js';
import { drawRows } from './simulate.js';
import { foldSplits, judgedColumns, rowSubset, splitDcrShare } from './split-privacy.js';

export interface PrivacyGuardOptions {
  /** Largest DCR share between fit part and held-out part a model may reach (default 0.53). */
  bound?: number;
  /** Folds: each is held out once from a model fitted on the others, the shares averaged (default 3). */
  folds?: number;
  /** Largest table the guard measures (default 5,000 rows; each step costs `folds` fits). */
  maxRows?: number;
}

/** One rung of the ladder: what it turns off, as fit options. */
interface Step {
  label: string;
  options: Partial<FitOptions>;
}

/**
 * Coarser and coarser settings, each keeping the previous one's: no tree pass in the structure
 * search (children keep the BIC graph's parents), no weak fidelity edges, then at most one
 * parent per column beyond what the user asked.
 */
export function guardLadder(opts: FitOptions): Step[] {
  const steps: Step[] = [{ label: 'as fitted', options: {} }];
  const noTrees = { treeSearch: false } as const;
  if (opts.treeSearch !== false)
    steps.push({ label: 'no tree pass in the structure search', options: noTrees });
  const noWeak = { ...noTrees, fidelityPenalty: null };
  if (opts.fidelityPenalty !== null) steps.push({ label: 'and no weak edges', options: noWeak });
  const maxParents = opts.maxParents ?? 3;
  if (maxParents > 1)
    steps.push({ label: 'and at most 1 parent per column', options: { ...noWeak, maxParents: 1 } });
  return steps;
}

export interface GuardMeasure {
  label: string;
  dcr: number | null;
}

/** Is the guard off for these options (DP fits, tables too small to split, turned off)? */
function skipReason(raw: RawColumns, opts: FitOptions, folds: number, maxRows: number): string | null {
  if (opts.epsilon !== undefined) return 'differential privacy protects this fit';
  if (raw.rowCount > maxRows) return `more than ${maxRows} rows`;
  if (raw.rowCount / folds < 30) return `${raw.rowCount} rows are too few for ${folds} folds of 30`;
  return null;
}

/** The folds and seeds a guard measurement uses (derived from the fit's seed and table name). */
function guardPlan(raw: RawColumns, opts: FitOptions, folds: number) {
  const stream = streamFor(parseSeed(opts.seed ?? 1), 'privacy-guard', raw.name);
  return {
    splits: foldSplits(raw.rowCount, folds, stream.derive('split')),
    genSeed: stream.derive('generate').nextInt(2 ** 31),
    evalSeed: stream.derive('evaluate').nextInt(2 ** 31),
  };
}

/**
 * Mean DCR share, over `folds` seeded folds, of rows drawn from a model fitted with `opts` on the
 * other folds, between those rows and the fold held out (null if a fold gives none).
 */
export async function foldDcrShare(raw: RawColumns, opts: FitOptions, folds = 3): Promise<number | null> {
  const { splits, genSeed, evalSeed } = guardPlan(raw, opts, folds);
  let sum = 0;
  for (const split of splits) {
    const fitPart = rowSubset(raw, split.fit);
    const part = await fitTableAsync(fitPart, opts);
    // Judged on the columns the model learns (ids and free text are drawn fresh by design).
    const cols = part.columns.filter((c) => c.origin !== 'not modelled').map((c) => c.name);
    const drawn = judgedColumns(
      drawRows(part.spec, part.table, Math.max(1000, split.fit.length), genSeed),
      cols,
    );
    const dcr = await splitDcrShare(
      drawn,
      judgedColumns(fitPart, cols),
      judgedColumns(rowSubset(raw, split.held), cols),
      evalSeed,
      opts.signal,
    );
    if (dcr === null) return null;
    sum += dcr;
  }
  return Math.round((sum / splits.length) * 1e4) / 1e4;
}

/** The header line saying what the guard measured and chose. */
function guardLine(measures: readonly GuardMeasure[], chosen: number, bound: number, folds: number): string {
  const f = (x: number | null) => (x === null ? 'n/a' : x.toFixed(3));
  const tried = measures.map((m) => `${m.label} ${f(m.dcr)}`).join('; ');
  const verdict =
    chosen === 0
      ? 'kept as fitted'
      : measures[chosen].dcr !== null && measures[chosen].dcr! <= bound
        ? `coarsened: ${measures[chosen].label}`
        : `none within the bound, the lowest kept: ${measures[chosen].label}`;
  return `Privacy guard (DCR share of drawn rows between the training rows a model learned and those it did not, mean of ${folds} folds, bound ${bound}): ${tried}; ${verdict}.`;
}

/**
 * Fit, then coarsen while the fitted model's rows sit closer to its own training rows than the
 * bound allows (see the top of this file). Returns plain fit's result when the guard is skipped
 * or the first step is within the bound.
 */
export async function guardedFit(
  raw: RawColumns,
  opts: FitOptions,
  guard: PrivacyGuardOptions = {},
): Promise<FitResult & { guard?: GuardMeasure[] }> {
  const bound = guard.bound ?? 0.53;
  const folds = guard.folds ?? 3;
  if (skipReason(raw, opts, folds, guard.maxRows ?? 5000) !== null) return fitTableAsync(raw, opts);
  const ladder = guardLadder(opts);
  const measures: GuardMeasure[] = [];
  let chosen = 0;
  for (let i = 0; i < ladder.length; i++) {
    const dcr = await foldDcrShare(raw, { ...opts, ...ladder[i].options }, folds);
    measures.push({ label: ladder[i].label, dcr });
    if (dcr === null || dcr <= bound) {
      chosen = i;
      break;
    }
    const best = measures[chosen].dcr;
    if (best === null || dcr < best) chosen = i;
  }
  const full = await fitTableAsync(raw, { ...opts, ...ladder[chosen].options });
  const line = guardLine(measures, chosen, bound, folds);
  const header = [
    ...full.header.slice(0, -1 - full.notices.length),
    line,
    ...full.header.slice(-1 - full.notices.length),
  ];
  const yaml = specToYaml(full.spec, { header, columnComments: { [full.table]: full.comments } });
  return { ...full, header, yaml, guard: measures };
}
