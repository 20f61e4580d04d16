/**
 * Per-entity detection AUC: the single-table detection classifier (detection.ts: balanced,
 * cross-validated gradient boosting) run on one feature vector per entity (entity-features.ts),
 * real against synthetic entities — and, with a holdout, the holdout's entities against the real
 * ones as the ceiling. A generator whose rows look right one by one but whose histories do not
 * (children drawn from the wrong law, shuffled across parents) is told apart here.
 */
import { computeDetection } from '../detection.js';
import type { Metric } from '../types.js';
import { assignEntities, entityRoots } from './entities.js';
import { entityFeatures, featurePlan } from './entity-features.js';
import { entityTimeline } from './entity-timeline.js';
import type { RelationalInputs } from './inputs.js';
import type { EntityDetectionReport } from './types.js';

export interface EntityDetectionOptions {
  seed: number;
  reps: number;
  level: number;
}

const ABSENT: Metric = { value: null, reason: 'the root table is missing from the compared set' };

export function entityDetection(i: RelationalInputs, o: EntityDetectionOptions): EntityDetectionReport[] {
  return entityRoots(i.real, i.links).map((root) => {
    const plan = featurePlan(i.real, root, i.links);
    const realE = assignEntities(i.real, root, i.links);
    const synE = assignEntities(i.synthetic, root, i.links);
    const holdE = i.holdout ? assignEntities(i.holdout, root, i.links) : undefined;
    // the root is a real table, so its entities are always assigned
    const real = entityFeatures(i.real, plan, realE as NonNullable<typeof realE>);
    const syn = synE && entityFeatures(i.synthetic, plan, synE);
    const hold = i.holdout && holdE ? entityFeatures(i.holdout, plan, holdE) : undefined;
    const d = syn && computeDetection(real, syn, o);
    const h = hold && computeDetection(real, hold, o);
    return {
      table: root.table,
      entity: root.entity,
      kind: root.kind,
      tables: root.tables,
      entities_real: real.rowCount,
      entities_synthetic: syn?.rowCount ?? 0,
      entities_holdout: i.holdout ? (hold?.rowCount ?? 0) : null,
      features: real.columns.length,
      auc: d?.auc ?? ABSENT,
      ...(i.holdout ? { auc_holdout: h?.auc ?? ABSENT } : {}),
      rows_per_side: d?.rows_per_side ?? 0,
      importances: (d?.importances ?? []).map((x) => ({ feature: x.column, importance: x.importance })),
      timeline: synE ? entityTimeline(i, root, realE as NonNullable<typeof realE>, synE, plan) : null,
    };
  });
}
