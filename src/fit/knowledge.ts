/**
 * Expert knowledge for structure learning: required and forbidden edges, tiers (time order) and
 * fixed roots, plus parent sets fixed by a hand-written spec. Compiled once into an edge filter
 * that the learners consult for every move, so constraints hold by construction.
 */
import { readFile } from 'node:fs/promises';
import { z } from 'zod';
import { StrataError } from '../errors.js';
import { didYouMean } from '../spec/did-you-mean.js';
import { loadYaml } from '../spec/yaml.js';

export interface Knowledge {
  /** Edges that must be in the graph: [from, to]. */
  required: [string, string][];
  /** Edges that must not be in the graph: [from, to]. */
  forbidden: [string, string][];
  /** Time order: nothing in a later tier causes anything in an earlier tier. */
  tiers: string[][];
  /** Columns without parents. */
  roots: string[];
}

export const emptyKnowledge = (): Knowledge => ({ required: [], forbidden: [], tiers: [], roots: [] });

const Edge = z.tuple([z.string(), z.string()]);
const KnowledgeSchema = z.strictObject({
  required: z.array(Edge).optional(),
  forbidden: z.array(Edge).optional(),
  tiers: z.array(z.array(z.string())).optional(),
  roots: z.array(z.string()).optional(),
});

/** Parse a knowledge file (YAML or JSON). Errors name the file, line and the fix. */
export function parseKnowledgeText(text: string, file: string): Knowledge {
  const { value, doc } = loadYaml(text, file, 'fit.knowledge');
  const parsed = KnowledgeSchema.safeParse(value ?? {});
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const at = doc.locate(issue.path as (string | number)[]);
    const path = issue.path.join('.');
    throw new StrataError(
      'fit.knowledge',
      issue.code === 'unrecognized_keys'
        ? `unknown key(s) ${issue.keys.map((k) => `"${k}"`).join(', ')}`
        : `${path || 'knowledge'}: ${issue.message}`,
      { file, line: at?.line, column: at?.column, path: path || undefined },
      'a knowledge file has keys required: [[a, b]], forbidden: [[a, b]], tiers: [[a, b], [c]], roots: [a]',
    );
  }
  const k = parsed.data;
  return {
    required: (k.required ?? []) as [string, string][],
    forbidden: (k.forbidden ?? []) as [string, string][],
    tiers: k.tiers ?? [],
    roots: k.roots ?? [],
  };
}

export async function loadKnowledge(path: string): Promise<Knowledge> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (e) {
    throw new StrataError(
      'fit.knowledge_unreadable',
      `cannot read knowledge file: ${(e as Error).message}`,
      { file: path },
      'check the path given to --knowledge',
    );
  }
  return parseKnowledgeText(text, path);
}

/** Knowledge resolved to node indices: what every learner asks before touching an edge. */
export interface Constraints {
  readonly d: number;
  /** May the edge from → to exist? (forbidden, tiers, roots, fixed parent sets) */
  allowed(from: number, to: number): boolean;
  /** Required edges [from, to]. */
  readonly required: readonly [number, number][];
  /** Nodes whose parent set is fixed (hand-written `given`), with that set. */
  readonly fixed: ReadonlyMap<number, readonly number[]>;
  isRequired(from: number, to: number): boolean;
}

/**
 * Resolve names to indices and check the knowledge is satisfiable: unknown columns, required edges
 * that contradict forbidden edges, tiers or roots, and cycles among required edges are errors.
 */
export function compileKnowledge(
  k: Knowledge,
  names: readonly string[],
  fixedParents: ReadonlyMap<string, readonly string[]> = new Map(),
  file = 'knowledge',
): Constraints {
  const d = names.length;
  const index = new Map(names.map((n, i) => [n, i]));
  const idx = (name: string, path: string): number => {
    const i = index.get(name);
    if (i === undefined) {
      const guess = didYouMean(name, names);
      throw new StrataError(
        'fit.knowledge_column',
        `unknown column "${name}"`,
        { file, path },
        guess ? `did you mean "${guess}"?` : `modelled columns are: ${names.join(', ')}`,
      );
    }
    return i;
  };
  const forbidden = new Uint8Array(d * d);
  k.forbidden.forEach(([a, b], i) => {
    forbidden[idx(a, `forbidden[${i}][0]`) * d + idx(b, `forbidden[${i}][1]`)] = 1;
  });
  const tier = new Int32Array(d).fill(-1);
  k.tiers.forEach((t, ti) => {
    t.forEach((name, j) => {
      const i = idx(name, `tiers[${ti}][${j}]`);
      if (tier[i] !== -1)
        throw new StrataError('fit.knowledge_tiers', `column "${name}" is in two tiers`, {
          file,
          path: `tiers[${ti}]`,
        });
      tier[i] = ti;
    });
  });
  const root = new Uint8Array(d);
  k.roots.forEach((name, i) => {
    root[idx(name, `roots[${i}]`)] = 1;
  });
  const fixed = new Map<number, number[]>();
  for (const [child, ps] of fixedParents) {
    const c = index.get(child);
    if (c === undefined) continue;
    fixed.set(
      c,
      ps.map((p) => index.get(p)).filter((p): p is number => p !== undefined),
    );
  }
  const allowedRaw = (from: number, to: number): boolean => {
    if (from === to) return false;
    if (forbidden[from * d + to]) return false;
    if (root[to]) return false;
    if (tier[from] !== -1 && tier[to] !== -1 && tier[from] > tier[to]) return false;
    return true;
  };
  const requiredSet = new Uint8Array(d * d);
  const required: [number, number][] = [];
  k.required.forEach(([a, b], i) => {
    const from = idx(a, `required[${i}][0]`);
    const to = idx(b, `required[${i}][1]`);
    const path = `required[${i}]`;
    if (from === to)
      throw new StrataError('fit.knowledge_conflict', `edge ${a} → ${a} is a self-loop`, { file, path });
    if (!allowedRaw(from, to)) {
      const why = forbidden[from * d + to]
        ? 'it is also forbidden'
        : root[to]
          ? `"${b}" is a root`
          : `"${a}" is in a later tier than "${b}"`;
      throw new StrataError('fit.knowledge_conflict', `required edge ${a} → ${b} cannot hold: ${why}`, {
        file,
        path,
      });
    }
    if (fixed.has(to) && !fixed.get(to)!.includes(from))
      throw new StrataError(
        'fit.knowledge_conflict',
        `required edge ${a} → ${b} contradicts the hand-written given of "${b}"`,
        { file, path },
        `add ${a} to given of ${b} in the spec, or drop the required edge`,
      );
    if (!requiredSet[from * d + to]) required.push([from, to]);
    requiredSet[from * d + to] = 1;
  });
  for (const [c, ps] of fixed) for (const p of ps) if (!requiredSet[p * d + c]) required.push([p, c]);
  for (const [c, ps] of fixed) for (const p of ps) requiredSet[p * d + c] = 1;
  const cycle = findCycle(d, required);
  if (cycle)
    throw new StrataError(
      'fit.knowledge_cycle',
      `required edges form a cycle: ${cycle.map((i) => names[i]).join(' → ')}`,
      { file, path: 'required' },
      'drop one of these edges',
    );
  return {
    d,
    required,
    fixed,
    isRequired: (from, to) => requiredSet[from * d + to] === 1,
    allowed: (from, to) => {
      if (!allowedRaw(from, to)) return false;
      const f = fixed.get(to);
      return f === undefined || f.includes(from);
    },
  };
}

/** A directed cycle among the edges, as a node list closing on its first node, or null. */
export function findCycle(d: number, edges: readonly [number, number][]): number[] | null {
  const out: number[][] = Array.from({ length: d }, () => []);
  for (const [a, b] of edges) out[a].push(b);
  const state = new Uint8Array(d); // 0 new, 1 on stack, 2 done
  const stack: number[] = [];
  const visit = (v: number): number[] | null => {
    state[v] = 1;
    stack.push(v);
    for (const w of out[v]) {
      if (state[w] === 1) return [...stack.slice(stack.indexOf(w)), w];
      if (state[w] === 0) {
        const c = visit(w);
        if (c) return c;
      }
    }
    stack.pop();
    state[v] = 2;
    return null;
  };
  for (let v = 0; v < d; v++) {
    if (state[v] === 0) {
      const c = visit(v);
      if (c) return c;
    }
  }
  return null;
}

/** Does the graph (parent lists) satisfy every constraint? Returns the first violation or null. */
export function violation(
  parents: readonly (readonly number[])[],
  c: Constraints,
  names: readonly string[],
): string | null {
  for (let to = 0; to < parents.length; to++)
    for (const from of parents[to])
      if (!c.allowed(from, to)) return `edge ${names[from]} → ${names[to]} is not allowed`;
  for (const [from, to] of c.required)
    if (!parents[to].includes(from)) return `required edge ${names[from]} → ${names[to]} is missing`;
  const edges: [number, number][] = [];
  parents.forEach((ps, to) => {
    for (const p of ps) edges.push([p, to]);
  });
  const cyc = findCycle(parents.length, edges);
  return cyc ? `cycle ${cyc.map((i) => names[i]).join(' → ')}` : null;
}

/** The same constraints with the edges of `parents` also required (kept by a later search pass). */
export function withRequired(c: Constraints, parents: readonly (readonly number[])[]): Constraints {
  const extra = new Set<number>();
  const required = [...c.required];
  parents.forEach((ps, to) => {
    for (const from of ps) {
      extra.add(from * c.d + to);
      if (!c.isRequired(from, to)) required.push([from, to]);
    }
  });
  return {
    d: c.d,
    allowed: c.allowed,
    fixed: c.fixed,
    required,
    isRequired: (from, to) => c.isRequired(from, to) || extra.has(from * c.d + to),
  };
}
