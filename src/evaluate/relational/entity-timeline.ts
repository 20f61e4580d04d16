/**
 * A few real and synthetic entities' events in time, for the report's timeline: each history
 * table's rows at their order (the sequence's order column, else the table's first datetime
 * column), as days since the entity's first event. For a panel, each row also carries the panel's
 * first numeric column, drawn as a trajectory. Only offsets within an entity are kept, never
 * absolute times or keys, and only a handful of entities of typical sizes (picked by their number
 * of events, no random draw).
 */
import type { RawTable } from '../../io/index.js';
import type { EntityAssignment, EntityRoot } from './entities.js';
import type { FeaturePlan } from './entity-features.js';
import type { RelationalInputs } from './inputs.js';
import { columnOf, datetimeColumns, orderValues, type TableSet } from './tables.js';
import type { EntityTimeline } from './types.js';

/** Entities drawn per source, at these quantiles of the number of events per entity. */
const QUANTILES = [0.2, 0.4, 0.6, 0.8];
/** Events kept per entity (the earliest): a report stays small whatever the history. */
const MAX_EVENTS = 200;
const DAY = 86_400_000;

interface TimeColumn {
  table: string;
  column: string;
  datetime: boolean;
}

function timeColumns(real: TableSet, root: EntityRoot, plan: FeaturePlan): TimeColumn[] {
  const out: TimeColumn[] = [];
  for (const p of plan.tables) {
    if (p.own) continue;
    const t = real.get(p.table) as RawTable;
    const dt = datetimeColumns(t);
    const column = p.sequence?.order ?? dt[0];
    if (column) out.push({ table: p.table, column, datetime: dt.includes(column) });
  }
  // Days when any table has datetimes (then only those), else the order unit of a panel.
  const dated = out.filter((c) => c.datetime);
  return dated.length ? dated : root.kind === 'panel' ? out.slice(0, 1) : [];
}

type Event = EntityTimeline['events'][number];

function events(
  set: TableSet,
  entities: EntityAssignment,
  cols: readonly TimeColumn[],
  valueColumn: string | null,
  source: Event['source'],
): Event[] {
  const per = Array.from({ length: entities.count }, () => [] as Omit<Event, 'entity' | 'source'>[]);
  for (const c of cols) {
    const t = set.get(c.table);
    const of = entities.rows.get(c.table);
    if (!t || !of) continue;
    const time = orderValues(columnOf(t, c.column) ?? []);
    const value = valueColumn ? orderValues(columnOf(t, valueColumn) ?? []) : undefined;
    for (let i = 0; i < t.rowCount; i++)
      if (of[i] >= 0 && !Number.isNaN(time[i]))
        per[of[i]].push({
          table: c.table,
          t: time[i],
          ...(value ? { value: Number.isNaN(value[i]) ? null : value[i] } : {}),
        });
  }
  const eligible = per
    .map((ev, e) => [e, ev.length] as const)
    .filter(([, n]) => n > 0)
    .sort((a, b) => a[1] - b[1] || a[0] - b[0]);
  const picked = [...new Set(QUANTILES.map((q) => eligible[Math.floor(q * eligible.length)]?.[0]))].filter(
    (e): e is number => e !== undefined,
  );
  const scale = cols.some((c) => c.datetime) ? DAY : 1;
  return picked.flatMap((e, k) => {
    const ev = [...per[e]].sort((a, b) => a.t - b.t).slice(0, MAX_EVENTS);
    const t0 = ev[0].t;
    return ev.map((x) => ({ ...x, source, entity: k, t: (x.t - t0) / scale }));
  });
}

export function entityTimeline(
  i: RelationalInputs,
  root: EntityRoot,
  real: EntityAssignment,
  synthetic: EntityAssignment,
  plan: FeaturePlan,
): EntityTimeline | null {
  const cols = timeColumns(i.real, root, plan);
  if (cols.length === 0) return null;
  const panel = root.kind === 'panel' ? plan.tables.find((p) => p.table === root.table) : undefined;
  const dated = new Set(panel ? datetimeColumns(i.real.get(root.table) as RawTable) : []);
  const valueColumn = panel?.numeric.find((c) => c !== panel.sequence?.order && !dated.has(c)) ?? null;
  return {
    unit: cols.some((c) => c.datetime) ? 'days' : 'order',
    value_column: valueColumn,
    events: [
      ...events(i.real, real, cols, valueColumn, 'real'),
      ...events(i.synthetic, synthetic, cols, valueColumn, 'synthetic'),
    ],
  };
}
