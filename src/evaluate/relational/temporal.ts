/**
 * Temporal order relations: every `left <= right` (or `<`) between two datetime columns that holds
 * on all real rows where both are present — within a row, between a parent row and its children,
 * and between consecutive rows of a sequence — found on the real tables and counted on another
 * table set (synthetic or holdout).
 */
import type { RawTable } from '../../io/index.js';
import type { Links } from './links.js';
import { sequenced } from './order.js';
import { columnOf, datetimeColumns, keyValues, orderValues, type TableSet } from './tables.js';
import type { OrderRelationReport } from './types.js';

/** A relation needs at least this many real rows (or pairs) with both sides present. */
const MIN_SUPPORT = 3;

/** One candidate relation: its label and how to read aligned (left, right) values from a table set. */
interface Candidate {
  kind: OrderRelationReport['kind'];
  table: string;
  left: string;
  right: string;
  pairs(set: TableSet): { left: Float64Array; right: Float64Array } | undefined;
}

function dates(t: RawTable, col: string): Float64Array {
  return orderValues(columnOf(t, col) ?? []);
}

function candidates(real: TableSet, links: Links): Candidate[] {
  const dt = new Map([...real].map(([name, t]) => [name, datetimeColumns(t)] as const));
  const out: Candidate[] = [];
  for (const [table, cols] of dt)
    for (const a of cols)
      for (const b of cols)
        if (a !== b)
          out.push({
            kind: 'row',
            table,
            left: a,
            right: b,
            pairs: (set) => {
              const t = set.get(table);
              return t && { left: dates(t, a), right: dates(t, b) };
            },
          });
  for (const link of links.refs) {
    for (const a of dt.get(link.parent) ?? [])
      for (const b of dt.get(link.child) ?? []) {
        const joined = (set: TableSet) => {
          const p = set.get(link.parent);
          const c = set.get(link.child);
          if (!p || !c) return undefined;
          const index = new Map<string, number>();
          keyValues(columnOf(p, link.parentColumn) ?? []).forEach((k, i) => {
            if (k !== null && !index.has(k)) index.set(k, i);
          });
          const pa = dates(p, a);
          const fk = keyValues(columnOf(c, link.column) ?? []);
          const parentSide = new Float64Array(c.rowCount);
          for (let i = 0; i < c.rowCount; i++) {
            const r = fk[i] === null ? undefined : index.get(fk[i] as string);
            parentSide[i] = r === undefined ? Number.NaN : pa[r];
          }
          return { parentSide, childSide: dates(c, b) };
        };
        const parentName = `${link.parent}.${a}`;
        // Both directions: parent value ≤ child value, and child value ≤ parent value.
        for (const childLeft of [false, true])
          out.push({
            kind: 'parent',
            table: link.child,
            left: childLeft ? b : parentName,
            right: childLeft ? parentName : b,
            pairs: (set) => {
              const j = joined(set);
              if (!j) return undefined;
              return childLeft
                ? { left: j.childSide, right: j.parentSide }
                : { left: j.parentSide, right: j.childSide };
            },
          });
      }
  }
  for (const s of links.sequences) {
    const cols = dt.get(s.table) ?? [];
    for (const a of cols)
      for (const b of cols) {
        if (a === s.order && b === s.order) continue; // sorted by it: holds by construction
        out.push({
          kind: 'previous',
          table: s.table,
          left: `prev.${a}`,
          right: b,
          pairs: (set) => {
            const t = set.get(s.table);
            if (!t) return undefined;
            const seq = sequenced(t, s);
            const va = dates(t, a);
            const vb = dates(t, b);
            const left: number[] = [];
            const right: number[] = [];
            for (let p = 1; p < seq.rows.length; p++) {
              if (seq.starts[p]) continue;
              left.push(va[seq.rows[p - 1]]);
              right.push(vb[seq.rows[p]]);
            }
            return { left: Float64Array.from(left), right: Float64Array.from(right) };
          },
        });
      }
  }
  return out;
}

function tally(
  left: Float64Array,
  right: Float64Array,
  op: '<' | '<=',
): { checked: number; violations: number } {
  let checked = 0;
  let violations = 0;
  for (let i = 0; i < left.length; i++) {
    const l = left[i];
    const r = right[i];
    if (Number.isNaN(l) || Number.isNaN(r)) continue;
    checked++;
    if (op === '<' ? !(l < r) : !(l <= r)) violations++;
  }
  return { checked, violations };
}

/** A relation found on the real tables, ready to be counted on others. */
export interface FoundRelation {
  candidate: Candidate;
  op: '<' | '<=';
  realChecked: number;
}

export function findRelations(real: TableSet, links: Links): FoundRelation[] {
  const found: FoundRelation[] = [];
  for (const c of candidates(real, links)) {
    const p = c.pairs(real);
    if (!p) continue;
    const strict = tally(p.left, p.right, '<');
    if (strict.checked < MIN_SUPPORT) continue;
    if (strict.violations === 0) found.push({ candidate: c, op: '<', realChecked: strict.checked });
    else if (tally(p.left, p.right, '<=').violations === 0)
      found.push({ candidate: c, op: '<=', realChecked: strict.checked });
  }
  return found;
}

/** Violations of each found relation in another table set. */
export function countViolations(r: FoundRelation, other: TableSet): { checked: number; violations: number } {
  const p = r.candidate.pairs(other);
  return p ? tally(p.left, p.right, r.op) : { checked: 0, violations: 0 };
}
