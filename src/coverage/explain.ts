/** Why a coverage component is empty: the message `coverage.infeasible` gives per cell or tail. */
import { parseExpression } from '../expr/index.js';
import type { TableModel } from '../model/compile.js';
import type { Table } from '../spec/schema.js';
import type { Skeleton } from './discrete.js';
import type { Evidence } from './evidence.js';
import { eliminate } from './infer.js';
import { PILOT_SIZE } from './pilot.js';
import type { ResolvedTail } from './tail-region.js';

export function explainEmpty(
  c: { tail?: ResolvedTail; evidence?: Evidence },
  model: TableModel,
  table: Table,
  skeleton: Skeleton | undefined,
  exactReason: string | undefined,
): string {
  const t = c.tail;
  if (t && !t.spec.extrapolate) {
    return `the region ${model.columns[t.column].name} in [${t.lo}, ${t.hi}) has probability 0 under the model (the model's largest value is ${t.observedMax})`;
  }
  if (t?.gpd && !(t.gpd.exceed > 0)) return 'the fitted tail has no mass beyond the threshold';
  if (t?.gpd && t.cap !== undefined && t.lo >= t.cap)
    return `the region starts at ${t.lo}, beyond the extrapolation cap ${t.cap} (the value the fitted tail exceeds with probability 1e-4)`;
  if (!skeleton)
    return `no row of ${PILOT_SIZE} forward draws fell in it, and exact conditioning is impossible because ${exactReason}`;
  // Single-constraint marginals: which evidence alone is impossible, and which rule or table zeroes it.
  const parts: string[] = [];
  for (const [v, mask] of c.evidence!.masks) {
    const vr = skeleton.vars[v];
    const alone = eliminate(
      [...skeleton.cpts, { vars: [v], table: Float64Array.from(mask) }],
      skeleton.card,
    ).z;
    if (alone > 0) continue;
    const labels = vr.states.filter((_, j) => mask[j]).map((s) => s.label);
    const levelsAll = vr.states.map((s) => s.label);
    if (!labels.length) {
      parts.push(`"${vr.name}" has no state matching this cell (its values: ${levelsAll.join(', ')})`);
      continue;
    }
    const rules = (table.rules ?? []).filter((r) => {
      try {
        const refs = new Set<string>();
        const walk = (e: ReturnType<typeof parseExpression>) => {
          if (e.kind === 'ident') refs.add(e.name);
          for (const k of ['left', 'right', 'arg', 'test', 'then', 'else'] as const) {
            const x = (e as Record<string, unknown>)[k];
            if (x && typeof x === 'object') walk(x as ReturnType<typeof parseExpression>);
          }
        };
        walk(parseExpression(r.check));
        return refs.has(vr.name);
      } catch {
        return false;
      }
    });
    const ruleBad = rules.find((r) => {
      const info = model.rules.find((x) => x.name === r.name);
      return info?.enforcement.includes('set');
    });
    if (ruleBad)
      parts.push(`rule "${ruleBad.name}" (${ruleBad.check}) excludes ${vr.name} = ${labels.join('/')}`);
    else
      parts.push(
        `${vr.name} = ${labels.join('/')} has probability 0 under its ${table.columns[vr.name].conditional ? 'conditional table' : 'values'}`,
      );
  }
  if (parts.length) return parts.join('; ');
  const names = [...c.evidence!.masks.keys()].map((v) => skeleton.vars[v].name);
  return `this combination has probability 0 under the model: the conditional tables of ${names.join(', ')} never give it together`;
}
