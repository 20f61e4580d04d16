/**
 * Echo detection: is the generator repeating itself? Per cell and batch it tracks acceptance rate,
 * novelty (1 − max cosine to everything already accepted in the cell and earlier in the batch),
 * repeated openings (first three words), repeated skeletons (content words masked) and cluster
 * concentration (largest skeleton group's share). Low novelty asks for a refresh; novelty that stays
 * flat for `patience` batches after refreshes stops the cell.
 */
import { DenseQuery, embedText, type SparseVec } from './embed.js';
import { words } from './normalize.js';

export interface EchoOptions {
  noveltyThreshold: number;
  patience: number;
}

export interface BatchStats {
  cell: string;
  batch: number;
  refresh: number;
  generated: number;
  accepted: number;
  acceptance_rate: number;
  novelty: number;
  repeated_openings: number;
  repeated_skeletons: number;
  concentration: number;
  action: 'none' | 'refresh' | 'stop';
}

const STOP = new Set(
  'i me my you your we our it is are was be been do does did can could would should will a an the to of in on for with at by from and or but not no this that there what why how when where which who please'.split(
    ' ',
  ),
);

export function opening(text: string): string {
  return words(text).slice(0, 3).join(' ');
}

export function skeleton(text: string): string {
  return words(text)
    .map((w) => (STOP.has(w) ? w : '_'))
    .join(' ')
    .replace(/(_ )+_/g, '_');
}

export class EchoMonitor {
  private readonly pool = new Map<string, SparseVec[]>();
  private readonly openings = new Map<string, Set<string>>();
  private readonly skeletons = new Map<string, Set<string>>();
  private readonly low = new Map<string, number>();
  private readonly dq = new DenseQuery();
  constructor(readonly options: EchoOptions) {}

  /** Record a batch: all generated texts and which of them were accepted. */
  observe(
    cell: string,
    batch: number,
    refresh: number,
    texts: readonly string[],
    accepted: readonly boolean[],
  ): BatchStats {
    const pool = this.pool.get(cell) ?? [];
    const seenOpen = this.openings.get(cell) ?? new Set<string>();
    const seenSkel = this.skeletons.get(cell) ?? new Set<string>();
    const batchVecs: SparseVec[] = [];
    let novelty = 0;
    let repOpen = 0;
    let repSkel = 0;
    const groups = new Map<string, number>();
    for (const t of texts) {
      const v = embedText(t);
      this.dq.set(v);
      let maxSim = 0;
      for (const p of pool) maxSim = Math.max(maxSim, this.dq.dot(p));
      for (const p of batchVecs) maxSim = Math.max(maxSim, this.dq.dot(p));
      novelty += 1 - maxSim;
      batchVecs.push(v);
      const o = opening(t);
      if (seenOpen.has(o)) repOpen++;
      seenOpen.add(o);
      const s = skeleton(t);
      if (seenSkel.has(s)) repSkel++;
      seenSkel.add(s);
      groups.set(s, (groups.get(s) ?? 0) + 1);
    }
    texts.forEach((_, i) => {
      if (accepted[i]) pool.push(batchVecs[i]);
    });
    this.pool.set(cell, pool);
    this.openings.set(cell, seenOpen);
    this.skeletons.set(cell, seenSkel);
    const n = texts.length || 1;
    const nAcc = accepted.filter(Boolean).length;
    const nov = texts.length ? novelty / n : 0;
    let action: BatchStats['action'] = 'none';
    if (nov < this.options.noveltyThreshold) {
      const streak = (this.low.get(cell) ?? 0) + 1;
      this.low.set(cell, streak);
      action = streak >= this.options.patience ? 'stop' : 'refresh';
    } else this.low.set(cell, 0);
    return {
      cell,
      batch,
      refresh,
      generated: texts.length,
      accepted: nAcc,
      acceptance_rate: texts.length ? nAcc / texts.length : 0,
      novelty: nov,
      repeated_openings: repOpen / n,
      repeated_skeletons: repSkel / n,
      concentration: texts.length ? Math.max(...groups.values()) / n : 0,
      action,
    };
  }

  /** The most repeated openings so far in a cell (for "avoid these patterns" negatives). */
  frequentOpenings(texts: readonly string[], top = 3): string[] {
    const c = new Map<string, number>();
    for (const t of texts) {
      const o = opening(t);
      c.set(o, (c.get(o) ?? 0) + 1);
    }
    return [...c.entries()]
      .filter(([, n]) => n > 1)
      .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
      .slice(0, top)
      .map(([o]) => o);
  }
}
