/**
 * Relational fit (issue 14, item 4): `npm run bench -- relational-fit`. Skips when /work/shared/data is absent.
 *
 * 1. MIMIC-III demo, PATIENTS + ADMISSIONS + ICUSTAYS + OUTPUTEVENTS: fit seconds (wall and CPU;
 *    target ≤ 30 s), what was learned per table, and a completeness check of the rules: every order
 *    relation between two datetime columns (same row, parent/ancestor–child, previous–next row) that
 *    holds on all real rows is a written rule or follows from written rules (target: all).
 * 2. A panel: the Taiwan credit-default table reshaped long (one row per customer and month, April
 *    to September 2005: PAY status, BILL_AMT, PAY_AMT), fitted with --entity ID --order month.
 *    Real lag-1 autocorrelation and the fitted step slope per numeric column; a snapshot
 *    (row-independent) model of the same long table is generated and scored on the step-to-step
 *    change (1 − TVD) and lag-1 autocorrelation; a holdout half of the real customers is the ceiling.
 *    The panel model generates as many customers as were fitted (seed 7) and is scored the same way.
 * 3. Pile-ups at a bound: for every written rule `col op bound` of a datetime column, the share of
 *    rows whose value sits within one second of the bound (the last grid point a strict bound
 *    leaves at whole seconds), generated vs real; the largest per table is printed.
 * Knobs (env): REL_SEED=n (generation seed, default 7); REL_PANEL_ENTITIES=n (default 3000); REL_SKIP_PANEL=1 runs MIMIC only; REL_COUNT_RATE=1 fits counts as size × rate;
 * REL_KEEP_DIR=path writes the generated MIMIC tables there (for `strata evaluate`) and keeps them.
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inferTable, numericValues, type RawColumns } from '../src/data/infer.js';
import { evaluate } from '../src/evaluate/index.js';
import { fitTable } from '../src/fit/fit.js';
import { mineOrderInvariants, type OrderVector } from '../src/fit/invariants.js';
import { fitTables, type RelationalFit, relationalYaml } from '../src/fit/relational.js';
import { readTable } from '../src/io/index.js';
import { generateTablesInMemory } from '../src/sample/generate-tables.js';
import { generateRows } from '../src/sample/index.js';
import { parseSpecText } from '../src/spec/index.js';

const DATA = '/work/shared/data';
const MIMIC = `${DATA}/mimic-iii-demo`;
const TAIWAN = `${DATA}/credit-default-taiwan/UCI_Credit_Card.csv`;

function cpuSeconds(start: NodeJS.CpuUsage): number {
  const u = process.cpuUsage(start);
  return (u.user + u.system) / 1e6;
}

/** Relations implied by the written rules (transitive closure over `<`/`<=`), as "a<b" / "a<=b". */
function closure(rules: readonly { check: string }[]): Set<string> {
  const edges: [string, string, boolean][] = [];
  for (const r of rules) {
    const m = /^(\S+) (<|<=|>|>=) (\S+)$/.exec(r.check);
    if (!m) continue;
    const [, a, op, b] = m;
    if (op === '<' || op === '<=') edges.push([a, b, op === '<']);
    else edges.push([b, a, op === '>']);
  }
  const out = new Set<string>();
  const nodes = new Set(edges.flatMap((e) => [e[0], e[1]]));
  for (const s of nodes) {
    // Longest strictness along any path: a path through one strict edge is strict.
    const best = new Map<string, boolean>();
    const stack: [string, boolean][] = [[s, false]];
    while (stack.length > 0) {
      const [x, strict] = stack.pop()!;
      for (const [a, b, st] of edges) {
        if (a !== x) continue;
        const ns = strict || st;
        if (best.has(b) && (best.get(b) || !ns)) continue;
        best.set(b, ns);
        stack.push([b, ns]);
      }
    }
    for (const [t, strict] of best) {
      out.add(`${s}<=${t}`);
      if (strict) out.add(`${s}<${t}`);
    }
  }
  return out;
}

async function mimic(): Promise<void> {
  const names = ['PATIENTS', 'ADMISSIONS', 'ICUSTAYS', 'OUTPUTEVENTS'];
  const raws: RawColumns[] = [];
  for (const n of names) raws.push({ ...(await readTable(`${MIMIC}/${n}.csv`)), name: n });
  const t0 = performance.now();
  const c0 = process.cpuUsage();
  const fit = fitTables(raws, { seed: 1, countRate: process.env.REL_COUNT_RATE === '1' });
  const wall = (performance.now() - t0) / 1000;
  const cpu = cpuSeconds(c0);
  console.log(
    `MIMIC-III demo (${raws.map((r) => `${r.name} ${r.rowCount}`).join(', ')}): fit ${wall.toFixed(1)} s wall, ${cpu.toFixed(1)} s CPU (target ≤ 30 s)`,
  );
  for (const t of fit.tables) {
    const cross = [...t.parents].filter(([, ps]) => ps.some((p) => p.includes('.') || p === 'index')).length;
    console.log(
      `  ${t.name.padEnd(13)} ${String(t.rows).padStart(6)} rows  parent ${t.parent ? `${t.parent.table}.${t.parent.column}` : '-'}  sequence ${t.sequence?.order ?? '-'}  ${t.rules.length} rules  ${cross} columns given context`,
    );
    if (t.count) console.log(`    count: ${t.count.summary}`);
  }
  rulesComplete(raws, fit);
  const generate = await loadGenerator();
  if (!generate) {
    console.log(
      '  generation (1,000 patients: FK integrity, order violations, children-per-parent, univariate): pending rel-engine',
    );
    return;
  }
  const keep = process.env.REL_KEEP_DIR;
  const dir = keep ?? mkdtempSync(join(tmpdir(), 'strata-rel-bench-'));
  try {
    const { spec } = parseSpecText(relationalYaml(fit), 'mimic.yaml');
    const g0 = performance.now();
    const seed = Number(process.env.REL_SEED ?? 7);
    await generate({ spec, rows: 1000, seed, dir });
    const genSeconds = (performance.now() - g0) / 1000;
    const syn: RawColumns[] = [];
    for (const n of names) syn.push({ ...(await readTable(join(dir, `${n}.csv`))), name: n });
    console.log(
      `  generated 1,000 patients (seed ${seed}) in ${genSeconds.toFixed(1)} s: ${syn.map((t) => `${t.name} ${t.rowCount}`).join(', ')}`,
    );
    await judge(raws, syn, fit);
    atBounds(raws, syn, fit);
    ties(raws, syn, fit);
  } finally {
    if (!keep) rmSync(dir, { recursive: true, force: true });
  }
}

type GenerateTables = (opts: {
  spec: unknown;
  rows?: number;
  seed?: number;
  dir: string;
}) => Promise<unknown>;

/** rel-engine's generateTables, when it is on this branch (a plain import once it is on main). */
async function loadGenerator(): Promise<GenerateTables | undefined> {
  const path = '../src/sample/generate-tables.js';
  try {
    const m = (await import(path)) as { generateTables?: GenerateTables };
    return m.generateTables;
  } catch {
    return undefined;
  }
}

interface TableView {
  raw: RawColumns;
  col: (name: string) => (string | null)[];
  times: Map<string, Float64Array>;
}

function view(raw: RawColumns): TableView {
  const infos = inferTable(raw).columns;
  const times = new Map<string, Float64Array>();
  infos.forEach((info, c) => {
    if (info.kind === 'datetime' || info.kind === 'date')
      times.set(info.name, numericValues(info, raw.data[c]));
  });
  return { raw, col: (name) => raw.data[raw.columns.indexOf(name)], times };
}

/**
 * Order vectors of one table over its rows: own times, prev.* (rows sorted by the order column
 * within the parent), parent.* and ancestors' T.* times — on real or synthetic tables alike.
 */
function orderVectors(views: Map<string, TableView>, fit: RelationalFit, name: string): OrderVector[] {
  const t = fit.tables.find((x) => x.name === name)!;
  const v = views.get(name)!;
  const n = v.raw.rowCount;
  const out: OrderVector[] = [];
  const drawn = [...v.times].filter(([c]) => t.columns[c] && t.columns[c].type !== 'derived');
  for (const [c, values] of drawn) out.push({ name: c, values, unit: 'time', scope: 'own' });
  let rows = Int32Array.from({ length: n }, (_, i) => i);
  let at = t;
  let depth = 0;
  while (at.parent) {
    const links = fit.schema.tables.get(at.name)!.parent!;
    const pv = views.get(links.table)!;
    const idx = new Map<string, number>();
    pv.col(links.parentColumn).forEach((k, i) => {
      if (k !== null) idx.set(k, i);
    });
    const fk = views.get(at.name)!.col(links.column);
    rows = rows.map((r) => (r < 0 ? -1 : (idx.get(fk[r] ?? '') ?? -1)));
    const prefix = depth === 0 ? 'parent' : links.table;
    const pt = fit.tables.find((x) => x.name === links.table)!;
    for (const [c, values] of pv.times)
      if (pt.columns[c] && pt.columns[c].type !== 'derived')
        out.push({
          name: `${prefix}.${c}`,
          values: Float64Array.from(rows, (r) => (r < 0 ? Number.NaN : values[r])),
          unit: 'time',
          scope: 'context',
        });
    if (depth === 0 && t.sequence?.order && v.times.has(t.sequence.order)) {
      const order = v.times.get(t.sequence.order)!;
      const parentOf = rows.slice();
      const sorted = Array.from({ length: n }, (_, i) => i).sort(
        (a, b) => parentOf[a] - parentOf[b] || order[a] - order[b] || a - b,
      );
      const prevOf = new Int32Array(n).fill(-1);
      for (let k = 1; k < n; k++)
        if (parentOf[sorted[k]] >= 0 && parentOf[sorted[k]] === parentOf[sorted[k - 1]])
          prevOf[sorted[k]] = sorted[k - 1];
      for (const [c, values] of drawn)
        out.push({
          name: `prev.${c}`,
          values: Float64Array.from(prevOf, (p) => (p < 0 ? Number.NaN : values[p])),
          unit: 'time',
          scope: 'context',
        });
    }
    at = pt;
    depth++;
  }
  return out;
}

/**
 * Share of rows sitting on a written rule's bound: for each rule `col op other` (either side read
 * as the column drawn), rows with |col − other| ≤ 1 s — the bound itself or the last whole second a
 * strict bound leaves. A draw by the law truncated to the window puts about the law's own mass
 * there; a clamp puts every draw the window cuts off there. Printed per table: the rule whose
 * generated share most exceeds the real share of the same rule (an equality the real rows keep,
 * `deathtime >= dischtime` at 97.5 %, is no pile-up).
 */
function atBounds(real: readonly RawColumns[], syn: readonly RawColumns[], fit: RelationalFit): void {
  const rv = new Map(real.map((r) => [r.name, view(r)]));
  const sv = new Map(syn.map((r) => [r.name, view(r)]));
  for (const t of fit.tables) {
    const rVec = new Map(orderVectors(rv, fit, t.name).map((x) => [x.name, x.values]));
    const sVec = new Map(orderVectors(sv, fit, t.name).map((x) => [x.name, x.values]));
    const share = (vec: Map<string, Float64Array>, a: string, b: string) => {
      const x = vec.get(a);
      const y = vec.get(b);
      if (!x || !y) return { at: 0, n: 0 };
      let at = 0;
      let n = 0;
      for (let i = 0; i < x.length; i++) {
        if (Number.isNaN(x[i]) || Number.isNaN(y[i])) continue;
        n++;
        if (Math.abs(x[i] - y[i]) <= 1000) at++;
      }
      return { at, n };
    };
    let worst: { rule: string; s: { at: number; n: number }; r: { at: number; n: number } } | undefined;
    for (const rule of t.rules) {
      const { left, right } = rule.relation;
      const s = share(sVec, left, right);
      const r = share(rVec, left, right);
      const excess = (x: typeof worst) =>
        x ? x.s.at / Math.max(1, x.s.n) - x.r.at / Math.max(1, x.r.n) : -2;
      const here = { rule: rule.check, s, r };
      if (s.n > 0 && excess(here) > excess(worst)) worst = here;
    }
    if (!worst) continue;
    const pct = (x: { at: number; n: number }) =>
      `${((100 * x.at) / Math.max(1, x.n)).toFixed(2)}% (${x.at} of ${x.n})`;
    console.log(
      `  ${t.name}: rule bound with the largest excess of rows within 1 s of it: \`${worst.rule}\` generated ${pct(worst.s)}, real ${pct(worst.r)}`,
    );
  }
}

/**
 * Rows of a sequence table in parent-then-order order: per row its parent row (-1 none) and the
 * position of the previous row of the same parent (-1 on a first row).
 */
function sequenceOf(
  views: Map<string, TableView>,
  fit: RelationalFit,
  name: string,
): { parentOf: Int32Array; prevOf: Int32Array } | undefined {
  const t = fit.tables.find((x) => x.name === name)!;
  const order = t.sequence?.order;
  const v = views.get(name)!;
  if (!t.parent || order === undefined || !v.times.has(order)) return undefined;
  const links = fit.schema.tables.get(name)!.parent!;
  const idx = new Map<string, number>();
  views
    .get(links.table)!
    .col(links.parentColumn)
    .forEach((k, i) => {
      if (k !== null) idx.set(k, i);
    });
  const fk = v.col(links.column);
  const n = v.raw.rowCount;
  const parentOf = Int32Array.from({ length: n }, (_, i) => idx.get(fk[i] ?? '') ?? -1);
  const o = v.times.get(order)!;
  const sorted = Array.from({ length: n }, (_, i) => i).sort(
    (a, b) => parentOf[a] - parentOf[b] || o[a] - o[b] || a - b,
  );
  const prevOf = new Int32Array(n).fill(-1);
  for (let k = 1; k < n; k++)
    if (parentOf[sorted[k]] >= 0 && parentOf[sorted[k]] === parentOf[sorted[k - 1]])
      prevOf[sorted[k]] = sorted[k - 1];
  return { parentOf, prevOf };
}

/**
 * Ties and duplicates in sequence tables, generated vs real: rows whose order value equals the
 * previous row's (ties), per datetime column the rows whose value repeats another row's under the
 * same parent (exact duplicates), the largest share of rows at one single value of a column, and
 * rows in the last 10% of the parent's interval when the order column has a parent end bound.
 */
function ties(real: readonly RawColumns[], syn: readonly RawColumns[], fit: RelationalFit): void {
  const rv = new Map(real.map((r) => [r.name, view(r)]));
  const sv = new Map(syn.map((r) => [r.name, view(r)]));
  const pct = (x: number) => `${(100 * x).toFixed(2)}%`;
  for (const t of fit.tables) {
    const order = t.sequence?.order;
    if (!order) continue;
    const stats = (views: Map<string, TableView>) => {
      const seq = sequenceOf(views, fit, t.name);
      const v = views.get(t.name)!;
      if (!seq) return undefined;
      const o = v.times.get(order)!;
      let tied = 0;
      let pairs = 0;
      for (let i = 0; i < o.length; i++) {
        const p = seq.prevOf[i];
        if (p < 0) continue;
        pairs++;
        if (o[i] === o[p]) tied++;
      }
      const dup = new Map<string, number>();
      let single = { column: '', share: 0 };
      for (const [c, values] of v.times) {
        if (t.columns[c]?.type === 'derived') continue;
        const seen = new Map<string, number>();
        const at = new Map<number, number>();
        let n = 0;
        for (let i = 0; i < values.length; i++) {
          if (Number.isNaN(values[i])) continue;
          n++;
          const k = `${seq.parentOf[i]}:${values[i]}`;
          seen.set(k, (seen.get(k) ?? 0) + 1);
          at.set(values[i], (at.get(values[i]) ?? 0) + 1);
        }
        let d = 0;
        for (const m of seen.values()) if (m > 1) d += m;
        dup.set(c, n > 0 ? d / n : 0);
        const top = Math.max(0, ...at.values()) / Math.max(1, n);
        if (top > single.share) single = { column: c, share: top };
      }
      // Last 10% of the parent's interval: the rule `order < parent.X` (or <=) names the end.
      const endRule = t.rules.find(
        (r) => r.relation.left === order && r.relation.right.startsWith('parent.'),
      );
      const startRule = t.rules.find(
        (r) => r.relation.right === order && r.relation.left.startsWith('parent.'),
      );
      let late: number | undefined;
      if (endRule && startRule) {
        const pv = views.get(fit.schema.tables.get(t.name)!.parent!.table)!;
        const end = pv.times.get(endRule.relation.right.slice(7));
        const start = pv.times.get(startRule.relation.left.slice(7));
        if (end && start) {
          let k = 0;
          let m = 0;
          for (let i = 0; i < o.length; i++) {
            const p = seq.parentOf[i];
            if (p < 0 || Number.isNaN(o[i])) continue;
            m++;
            if (o[i] - start[p] > 0.9 * (end[p] - start[p])) k++;
          }
          late = m > 0 ? k / m : undefined;
        }
      }
      return { ties: pairs > 0 ? tied / pairs : 0, pairs, dup, single, late };
    };
    const r = stats(rv);
    const g = stats(sv);
    if (!r || !g) continue;
    console.log(
      `  ${t.name}: rows tied with the previous one (same ${order}) generated ${pct(g.ties)} of ${g.pairs}, real ${pct(r.ties)} of ${r.pairs}${g.late !== undefined && r.late !== undefined ? `; rows in the last 10% of the parent's interval generated ${pct(g.late)}, real ${pct(r.late)}` : ''}`,
    );
    console.log(
      `    exact duplicate times under one parent, generated / real: ${[...r.dup].map(([c, x]) => `${c} ${pct(g.dup.get(c) ?? 0)} / ${pct(x)}`).join(', ')}; largest share at one value: generated ${pct(g.single.share)} (${g.single.column}), real ${pct(r.single.share)} (${r.single.column})`,
    );
  }
}

/** Relations holding on all real rows, checked on the synthetic rows; FK integrity; counts; univariate. */
async function judge(
  real: readonly RawColumns[],
  syn: readonly RawColumns[],
  fit: RelationalFit,
): Promise<void> {
  const rv = new Map(real.map((r) => [r.name, view(r)]));
  const sv = new Map(syn.map((r) => [r.name, view(r)]));
  let relations = 0;
  let violated = 0;
  let violations = 0;
  let checked = 0;
  const broken: string[] = [];
  for (const t of fit.tables) {
    const held = mineOrderInvariants(orderVectors(rv, fit, t.name), {
      keepImplied: true,
      minRows: 1,
    }).invariants;
    const sVec = new Map(orderVectors(sv, fit, t.name).map((x) => [x.name, x.values]));
    for (const inv of held) {
      relations++;
      const a = sVec.get(inv.left);
      const b = sVec.get(inv.right);
      if (!a || !b) {
        broken.push(
          `${t.name}: ${inv.left} ${inv.op} ${inv.right} not checked (not a datetime column in the synthetic table)`,
        );
        continue;
      }
      let bad = 0;
      for (let i = 0; i < a.length; i++) {
        if (Number.isNaN(a[i]) || Number.isNaN(b[i])) continue;
        checked++;
        if (inv.op === '<' ? !(a[i] < b[i]) : !(a[i] <= b[i])) bad++;
      }
      if (bad > 0) {
        violated++;
        violations += bad;
        broken.push(`${t.name}: ${inv.left} ${inv.op} ${inv.right} broken on ${bad} rows`);
      }
    }
  }
  console.log(
    `  order relations between datetime columns holding on all real rows (same row, parent/ancestor, previous row; range-implied ones included): ${relations}; broken on synthetic rows: ${violated} relations, ${violations} of ${checked} row checks (target 0)`,
  );
  for (const b of broken.slice(0, 8)) console.log(`    ${b}`);
  for (const t of fit.tables) {
    if (!t.parent) continue;
    const links = fit.schema.tables.get(t.name)!.parent!;
    const keys = new Set(sv.get(links.table)!.col(links.parentColumn));
    const fk = sv.get(t.name)!.col(links.column);
    const ok = fk.filter((k) => k !== null && keys.has(k)).length;
    const counts = (views: Map<string, TableView>) => {
      const m = new Map<string, number>();
      for (const k of views.get(links.table)!.col(links.parentColumn)) m.set(k ?? '', 0);
      for (const k of views.get(t.name)!.col(links.column))
        if (k !== null && m.has(k)) m.set(k, m.get(k)! + 1);
      return [...m.values()];
    };
    console.log(
      `  ${t.name}: FK integrity ${((100 * ok) / Math.max(1, fk.length)).toFixed(1)}% (${ok}/${fk.length}); children per ${links.table} row 1 − TVD ${oneMinusTvd(counts(rv), counts(sv)).toFixed(3)} (target ≥ 0.85)`,
    );
  }
  // Ceilings: one half of the real patients (with their admissions, stays, events) against the
  // other — a fresh real sample; and, in the bar's own protocol (as many patients as generated,
  // judged against all real rows), a bootstrap resample of the real patients with their subtrees —
  // a model that copies the real entities exactly.
  const [a, b] = splitByRoot(real, fit);
  const rootCount = syn.find((x) => !fit.schema.tables.get(x.name)?.parent)?.rowCount ?? 1000;
  const boot = bootstrapByRoot(real, fit, rootCount, Number(process.env.REL_SEED ?? 7));
  for (const r of real) {
    const s = syn.find((x) => x.name === r.name)!;
    const u = await univariate(r, s);
    const c = await univariate(a.find((x) => x.name === r.name)!, b.find((x) => x.name === r.name)!);
    const bs = await univariate(r, boot.find((x) => x.name === r.name)!);
    console.log(
      `  ${r.name}: univariate accuracy ${u?.toFixed(3)} (target ≥ 0.90; ceilings: real half vs real half by patient ${c?.toFixed(3)}; bootstrap of ${rootCount} real patients vs all real rows ${bs?.toFixed(3)})`,
    );
  }
}

/**
 * Every order relation among datetime vectors that holds on all rows (no reduction), compared with
 * the closure of the written rules of each table.
 */
function rulesComplete(raws: readonly RawColumns[], fit: RelationalFit): void {
  let held = 0;
  let covered = 0;
  const missing: string[] = [];
  for (const t of fit.tables) {
    const raw = raws.find((r) => r.name === t.name)!;
    // Re-mine with every relation kept, from the written rules' vocabulary: own columns only here
    // (context relations are checked by the fit itself); the closure must contain each.
    const infos = inferTable(raw).columns;
    const vectors: OrderVector[] = [];
    infos.forEach((info, c) => {
      if ((info.kind === 'datetime' || info.kind === 'date') && t.columns[info.name]?.type !== 'derived')
        vectors.push({
          name: info.name,
          values: numericValues(info, raw.data[c]),
          unit: 'time',
          scope: 'own',
        });
    });
    const all = mineOrderInvariants(vectors, { keepImplied: true }).invariants;
    const implied = closure(t.rules);
    for (const inv of all) {
      held++;
      if (implied.has(`${inv.left}${inv.op}${inv.right}`)) covered++;
      else missing.push(`${t.name}: ${inv.left} ${inv.op} ${inv.right}`);
    }
  }
  console.log(
    `  same-row order relations holding on all real rows: ${held}; written as rules or implied by them: ${covered}${missing.length > 0 ? ` (not: ${missing.slice(0, 5).join('; ')})` : ''}`,
  );
}

/** Taiwan long: one row per customer and month (1 = April … 6 = September 2005). */
function taiwanLong(t: RawColumns, entities: number): RawColumns {
  const col = (name: string) => t.data[t.columns.indexOf(name)];
  const id = col('ID');
  const months = [6, 5, 4, 3, 2, 1]; // BILL_AMT6 is April
  const pay = ['PAY_6', 'PAY_5', 'PAY_4', 'PAY_3', 'PAY_2', 'PAY_0'];
  const data: (string | null)[][] = [[], [], [], [], []];
  const n = Math.min(entities, t.rowCount);
  for (let i = 0; i < n; i++)
    months.forEach((m, k) => {
      data[0].push(id[i]);
      data[1].push(String(k + 1));
      data[2].push(col(pay[k])[i]);
      data[3].push(col(`BILL_AMT${m}`)[i]);
      data[4].push(col(`PAY_AMT${m}`)[i]);
    });
  return {
    name: 'taiwan_long',
    columns: ['ID', 'month', 'PAY', 'BILL_AMT', 'PAY_AMT'],
    rowCount: data[0].length,
    data,
  };
}

/** Per entity (rows consecutive, 6 per entity in month order): steps and lag-1 pairs of a column. */
function dynamics(values: ArrayLike<number>, per: number): { steps: number[]; lag1: number } {
  const steps: number[] = [];
  const a: number[] = [];
  const b: number[] = [];
  for (let e = 0; e + per <= values.length; e += per)
    for (let k = 1; k < per; k++) {
      const x = values[e + k - 1];
      const y = values[e + k];
      if (Number.isNaN(x) || Number.isNaN(y)) continue;
      steps.push(y - x);
      a.push(x);
      b.push(y);
    }
  const mean = (v: number[]) => v.reduce((s, x) => s + x, 0) / v.length;
  const ma = mean(a);
  const mb = mean(b);
  let sab = 0;
  let saa = 0;
  let sbb = 0;
  for (let i = 0; i < a.length; i++) {
    sab += (a[i] - ma) * (b[i] - mb);
    saa += (a[i] - ma) ** 2;
    sbb += (b[i] - mb) ** 2;
  }
  return { steps, lag1: sab / Math.sqrt(saa * sbb) };
}

/** 1 − TVD of two samples over 20 quantile bins of the first (ties kept together). */
function oneMinusTvd(real: number[], syn: number[]): number {
  const s = [...real].sort((x, y) => x - y);
  const cuts = [...new Set(Array.from({ length: 19 }, (_, i) => s[Math.floor(((i + 1) * s.length) / 20)]))];
  const bin = (x: number) => {
    let k = 0;
    while (k < cuts.length && x >= cuts[k]) k++;
    return k;
  };
  const h = (v: number[]) => {
    const c = new Float64Array(cuts.length + 1);
    for (const x of v) c[bin(x)] += 1 / v.length;
    return c;
  };
  const hr = h(real);
  const hs = h(syn);
  let tvd = 0;
  for (let k = 0; k < hr.length; k++) tvd += Math.abs(hr[k] - hs[k]) / 2;
  return 1 - tvd;
}

async function panel(): Promise<void> {
  const entities = Number(process.env.REL_PANEL_ENTITIES ?? 3000);
  const wide = await readTable(TAIWAN);
  const long = taiwanLong(wide, 2 * entities);
  // Real halves: the first half is fitted, the second half is the holdout ceiling.
  const half = (from: number): RawColumns => ({
    ...long,
    rowCount: 6 * entities,
    data: long.data.map((c) => c.slice(6 * from, 6 * (from + entities))),
  });
  const train = half(0);
  const holdout = half(entities);
  const t0 = performance.now();
  const fit = fitTables([train], {
    entity: 'ID',
    orders: [{ table: 'taiwan_long', column: 'month' }],
    seed: 1,
  });
  const seconds = (performance.now() - t0) / 1000;
  const t = fit.tables[0];
  console.log(
    `\npanel: Taiwan credit default reshaped long (${entities} customers × 6 months = ${train.rowCount} rows; holdout: the next ${entities} customers)`,
  );
  console.log(
    `  fit --entity ID --order month: ${seconds.toFixed(1)} s; count ${JSON.stringify(t.count?.count.values ?? t.count?.count)}; sequence ${JSON.stringify(fit.spec.tables.taiwan_long.sequence)}`,
  );
  // Snapshot: the same long table as independent rows (no entity), generated and cut into entities of 6.
  const snapshotRaw: RawColumns = {
    ...train,
    columns: train.columns.slice(1),
    data: train.data.slice(1),
  };
  const snap = fitTable(snapshotRaw, { seed: 1, name: 'snapshot' });
  const gen = await generateRows({ spec: snap.spec, rows: train.rowCount, seed: 7, workers: 1 });
  const infos = inferTable(train).columns;
  // The panel model, generated: one row per customer and month, in order (spec/panels.ts).
  const { spec: panelSpec } = parseSpecText(relationalYaml(fit), 'panel.yaml');
  const g0 = performance.now();
  const synth = (await generateTablesInMemory({ spec: panelSpec, rows: entities, seed: 7 })).get(
    'taiwan_long',
  )!;
  const genSeconds = (performance.now() - g0) / 1000;
  const synthCol = (name: string) => synth.values[synth.columns.indexOf(name)] as (number | string | null)[];
  const perEntity = new Map<unknown, number>();
  for (const id of synthCol('ID')) perEntity.set(id, (perEntity.get(id) ?? 0) + 1);
  const sizes = new Map<number, number>();
  for (const k of perEntity.values()) sizes.set(k, (sizes.get(k) ?? 0) + 1);
  const months = synthCol('month');
  let inOrder = 0;
  for (let i = 0; i < months.length; i++) if (Number(months[i]) === (i % 6) + 1) inOrder++;
  console.log(
    `  generated ${perEntity.size} customers (${synth.values[0].length} rows) in ${genSeconds.toFixed(1)} s; rows per customer ${JSON.stringify(Object.fromEntries(sizes))}; month = position 1…6 on ${((100 * inOrder) / months.length).toFixed(2)}% of rows`,
  );
  console.log(
    '  column    real lag-1  holdout lag-1  snapshot lag-1  panel lag-1  panel slope  | step 1−TVD: holdout  snapshot  panel',
  );
  for (const name of ['PAY', 'BILL_AMT', 'PAY_AMT']) {
    const c = train.columns.indexOf(name);
    const real = dynamics(numericValues(infos[c], train.data[c]), 6);
    const hold = dynamics(numericValues(infos[c], holdout.data[c]), 6);
    // Snapshot rows sorted by month within each block of 6 rows is not possible (rows are independent):
    // take them in generated order, 6 per pseudo-entity, ordered by their month column.
    const sc = gen.columns.indexOf(name);
    const sm = gen.columns.indexOf('month');
    const rows = gen.data[sc].map((v, i) => ({
      v: Number(v),
      m: Number(gen.data[sm][i]),
      e: Math.floor(i / 6),
    }));
    rows.sort((x, y) => x.e - y.e || x.m - y.m);
    const snapDyn = dynamics(
      rows.map((r) => r.v),
      6,
    );
    const col = t.columns[name] as {
      conditional?: { default?: { dist?: { empirical?: { slope?: number; shift?: string } } } };
    };
    const step = col.conditional?.default?.dist?.empirical;
    const slope = step?.shift === `prev.${name}` ? (step.slope ?? 1).toFixed(3) : '(no step law)';
    // Every generated customer has 6 rows (the fitted count law), consecutive and in month order.
    const panelDyn = dynamics(
      synthCol(name).map((v) => (v === null ? Number.NaN : Number(v))),
      6,
    );
    console.log(
      `  ${name.padEnd(9)} ${real.lag1.toFixed(3).padStart(10)}  ${hold.lag1.toFixed(3).padStart(13)}  ${snapDyn.lag1.toFixed(3).padStart(14)}  ${panelDyn.lag1.toFixed(3).padStart(11)}  ${slope.padStart(11)}  | ${oneMinusTvd(real.steps, hold.steps).toFixed(3).padStart(17)}  ${oneMinusTvd(real.steps, snapDyn.steps).toFixed(3).padStart(8)}  ${oneMinusTvd(real.steps, panelDyn.steps).toFixed(3).padStart(5)}`,
    );
  }
}

if (!existsSync(DATA)) {
  console.log(`relational-fit: ${DATA} absent, skipped`);
} else {
  if (existsSync(MIMIC)) await mimic();
  else console.log('MIMIC-III demo absent: skipped');
  if (process.env.REL_SKIP_PANEL) console.log('panel skipped (REL_SKIP_PANEL)');
  else if (existsSync(TAIWAN)) await panel();
  else console.log('Taiwan credit default absent: panel skipped');
}

/** Real tables split in two halves by root entity (descendants follow their root): the ceiling. */
function splitByRoot(real: readonly RawColumns[], fit: RelationalFit): [RawColumns[], RawColumns[]] {
  const half = new Map<string, Int8Array>();
  for (const t of fit.tables) {
    const raw = real.find((r) => r.name === t.name)!;
    const side = new Int8Array(raw.rowCount);
    const links = fit.schema.tables.get(t.name)!.parent;
    if (!links) for (let i = 0; i < raw.rowCount; i++) side[i] = i % 2;
    else {
      const parent = real.find((r) => r.name === links.table)!;
      const pSide = half.get(links.table)!;
      const idx = new Map<string, number>();
      parent.data[parent.columns.indexOf(links.parentColumn)].forEach((k, i) => {
        if (k !== null) idx.set(k, i);
      });
      const fk = raw.data[raw.columns.indexOf(links.column)];
      for (let i = 0; i < raw.rowCount; i++) {
        const p = idx.get(fk[i] ?? '');
        side[i] = p === undefined ? -1 : pSide[p];
      }
    }
    half.set(t.name, side);
  }
  const take = (s: number) =>
    real.map((r) => {
      const side = half.get(r.name)!;
      const rows = [...side.keys()].filter((i) => side[i] === s);
      return { ...r, rowCount: rows.length, data: r.data.map((c) => rows.map((i) => c[i])) };
    });
  return [take(0), take(1)];
}

async function univariate(real: RawColumns, syn: RawColumns): Promise<number | null | undefined> {
  const rep = await evaluate({
    real: { ...real, source: real.name },
    synthetic: { ...syn, source: `other ${real.name}` },
    bootstrapReps: 0,
    sections: {
      detection: false,
      mmd: false,
      privacy: false,
      utility: false,
      bias: false,
      knnCoverage: false,
      rules: false,
    },
  });
  return (rep.summary as unknown as Record<string, number | null>).accuracy_univariate;
}

/**
 * A bootstrap resample of the real entities: `roots` root rows drawn with replacement (a seeded
 * LCG: a bench, not the product's streams), each with all its descendants, so a child table holds
 * every child of every drawn parent copy. Keys repeat; the univariate figure reads no keys.
 */
function bootstrapByRoot(
  real: readonly RawColumns[],
  fit: RelationalFit,
  roots: number,
  seed: number,
): RawColumns[] {
  let state = (seed * 2654435761) >>> 0 || 1;
  const next = () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
  const picked = new Map<string, number[]>();
  for (const t of fit.tables) {
    const raw = real.find((r) => r.name === t.name)!;
    const links = fit.schema.tables.get(t.name)!.parent;
    if (!links) {
      picked.set(
        t.name,
        Array.from({ length: roots }, () => Math.floor(next() * raw.rowCount)),
      );
      continue;
    }
    const parent = real.find((r) => r.name === links.table)!;
    const keyRow = new Map<string, number>();
    parent.data[parent.columns.indexOf(links.parentColumn)].forEach((k, i) => {
      if (k !== null) keyRow.set(k, i);
    });
    const children = new Map<number, number[]>();
    raw.data[raw.columns.indexOf(links.column)].forEach((k, i) => {
      const p = keyRow.get(k ?? '');
      if (p !== undefined) children.set(p, [...(children.get(p) ?? []), i]);
    });
    picked.set(
      t.name,
      picked.get(links.table)!.flatMap((p) => children.get(p) ?? []),
    );
  }
  return real.map((r) => {
    const rows = picked.get(r.name) ?? [];
    return { ...r, rowCount: rows.length, data: r.data.map((c) => rows.map((i) => c[i])) };
  });
}
