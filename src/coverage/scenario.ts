/**
 * Scenarios: named interventions (`do:`) and stress shifts (`shift: { col: { param, scale, add } }`)
 * applied to a spec before compiling. A shift rewrites the named parameter of the column's dist —
 * everywhere it appears (the column's own dist and every conditional state's dist):
 * a number x becomes x·scale + add; an expression e becomes "(e) * scale + add".
 */
import { StrataError } from '../errors.js';
import { nameMap } from '../names.js';
import { lawOfDist } from '../random/index.js';
import { markChecked } from '../spec/parse.js';
import type { Column, Dist, Scenario, Spec } from '../spec/schema.js';

export interface AppliedScenario {
  spec: Spec;
  do: Record<string, string | number | boolean>;
  scenario: Scenario;
}

/** The dist with parameter `param` (a number-or-expression parameter of its law, by name) shifted. */
function shiftDist(dist: Dist, param: string, scale: number, add: number): Dist | undefined {
  const found = lawOfDist(dist);
  if (!found || !Object.hasOwn(found.law.params, param) || found.params[param] === undefined)
    return undefined;
  // plain-object: fixed keys (a law's parameter names, checked with Object.hasOwn above)
  const params: Record<string, unknown> = { ...found.params };
  const v = params[param];
  params[param] = typeof v === 'number' ? v * scale + add : `(${String(v)}) * ${scale} + ${add}`;
  return { [found.law.name]: params } as Dist;
}

/** What a shift could name on this column: its laws' number-or-expression parameters, and a guess for `param`. */
function shiftable(c: Column, param: string): { params: string[]; guess?: string } {
  const dists = [c.dist, ...(c.conditional?.rows.map((r) => r.dist) ?? [])];
  const out = new Set<string>();
  let guess: string | undefined;
  for (const d of dists) {
    const found = d ? lawOfDist(d) : undefined;
    if (!found) continue;
    for (const k of Object.keys(found.law.params)) if (found.params[k] !== undefined) out.add(k);
    const syn = found.law.synonyms.get(param.toLowerCase());
    if (syn !== undefined && out.has(syn)) guess ??= syn;
  }
  return { params: [...out], guess };
}

function shiftHint(c: Column, param: string): string {
  const { params, guess } = shiftable(c, param);
  if (params.length === 0)
    return 'this column has no dist parameter to shift (only dist columns can be shifted)';
  return `${guess ? `did you mean "${guess}"? ` : ''}name a parameter of its dist: ${params.join(', ')}`;
}

/** The spec (deep-copied where changed) and interventions for scenario `name` of `table`. */
export function applyScenario(spec: Spec, table: string, name: string): AppliedScenario {
  const i = (spec.scenarios ?? []).findIndex((s) => s.name === name);
  if (i < 0) {
    const names = (spec.scenarios ?? []).map((s) => s.name);
    throw new StrataError(
      'coverage.unknown_scenario',
      `no scenario "${name}"`,
      { path: 'scenarios' },
      names.length ? `scenarios are: ${names.join(', ')}` : 'add one under scenarios:',
    );
  }
  const scenario = spec.scenarios![i];
  const t = spec.tables[table];
  const columns: Record<string, Column> = Object.assign(nameMap<Column>(), t.columns);
  for (const [col, sh] of Object.entries(scenario.shift ?? {})) {
    const c = columns[col];
    const path = `scenarios[${i}].shift.${col}`;
    if (!c)
      throw new StrataError('coverage.unknown_column', `scenario "${name}" shifts unknown column "${col}"`, {
        path,
      });
    const scale = sh.scale ?? 1;
    const add = sh.add ?? 0;
    let hit = false;
    const next: Column = { ...c };
    if (c.dist) {
      const d = shiftDist(c.dist, sh.param, scale, add);
      if (d) {
        next.dist = d;
        hit = true;
      }
    }
    if (c.conditional) {
      const rows = c.conditional.rows.map((r) => {
        const d = r.dist ? shiftDist(r.dist, sh.param, scale, add) : undefined;
        if (d) hit = true;
        return d ? { ...r, dist: d } : r;
      });
      next.conditional = { ...c.conditional, rows };
    }
    if (!hit) {
      throw new StrataError(
        'coverage.bad_shift',
        `scenario "${name}": column "${col}" has no dist parameter "${sh.param}"`,
        { path: `${path}.param` },
        shiftHint(c, sh.param),
      );
    }
    columns[col] = next;
  }
  for (const col of Object.keys(scenario.do ?? {})) {
    if (!columns[col]) {
      throw new StrataError('coverage.unknown_column', `scenario "${name}" sets unknown column "${col}"`, {
        path: `scenarios[${i}].do.${col}`,
      });
    }
  }
  return {
    // Built from a checked spec by rewriting numbers and expressions of dist parameters; the
    // compiler checks every law's parameter values again (with their place), so a shift that
    // makes one invalid (sd × −1) is still reported, without re-checking a whole fitted model.
    spec: markChecked({
      ...spec,
      tables: Object.assign(nameMap(), spec.tables, { [table]: { ...t, columns } }),
    }),
    do: { ...(scenario.do ?? {}) },
    scenario,
  };
}

/**
 * A scenario of a relational spec: applied to its `table:`, or to the one table that has every
 * column it shifts and sets. Its interventions come back as `table.col` (children see them).
 */
export function applyRelationalScenario(spec: Spec, name: string): AppliedScenario {
  const i = (spec.scenarios ?? []).findIndex((s) => s.name === name);
  const tables = Object.keys(spec.tables);
  if (i < 0) return applyScenario(spec, tables[0], name); // throws coverage.unknown_scenario
  const sc = spec.scenarios![i];
  let table = sc.table;
  if (table === undefined) {
    const cols = [...Object.keys(sc.shift ?? {}), ...Object.keys(sc.do ?? {})];
    const fits = tables.filter((t) => cols.every((c) => Object.hasOwn(spec.tables[t].columns, c)));
    if (fits.length !== 1) {
      throw new StrataError(
        'coverage.unknown_column',
        `scenario "${name}" does not say its table, and ${fits.length ? `${fits.length} tables (${fits.join(', ')})` : 'no table'} has every column it names (${cols.join(', ')})`,
        { path: `scenarios[${i}].table` },
        `add table: to the scenario (tables: ${tables.join(', ')})`,
      );
    }
    table = fits[0];
  } else if (!Object.hasOwn(spec.tables, table)) {
    throw new StrataError(
      'coverage.unknown_table',
      `scenario "${name}" names unknown table "${table}"`,
      { path: `scenarios[${i}].table` },
      `tables: ${tables.join(', ')}`,
    );
  }
  const applied = applyScenario(spec, table, name);
  const at = table;
  return {
    ...applied,
    do: nameMap(Object.entries(applied.do).map(([c, v]) => [`${at}.${c}`, v] as const)),
  };
}
