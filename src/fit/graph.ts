/** The learned graph as text a person reads: an edge list, Mermaid and Graphviz DOT. */

export interface Edge {
  from: string;
  to: string;
  /** Added by the fidelity pass (weak evidence), not part of the BIC graph. */
  weak?: boolean;
}

/** Edges of `parents`; those absent from `strong` (when given) are marked weak. */
export function edgesOf(
  names: readonly string[],
  parents: readonly (readonly number[])[],
  strong?: readonly (readonly number[])[],
): Edge[] {
  const out: Edge[] = [];
  parents.forEach((ps, to) => {
    for (const p of ps) {
      const e: Edge = { from: names[p], to: names[to] };
      if (strong && !strong[to].includes(p)) e.weak = true;
      out.push(e);
    }
  });
  return out;
}

/** `age -> income` lines; weak edges end in ` (weak)`. */
export function edgeText(edges: readonly Edge[]): string[] {
  return edges.map((e) => `${e.from} -> ${e.to}${e.weak ? ' (weak)' : ''}`);
}

const mermaidId = (i: number) => `n${i}`;
const mermaidLabel = (s: string) => s.replace(/"/g, '#quot;');

/** Mermaid flowchart (`graph TD`) with every node, parents before children. */
export function toMermaid(nodes: readonly string[], edges: readonly Edge[]): string {
  const id = new Map(nodes.map((n, i) => [n, mermaidId(i)]));
  const lines = ['graph TD'];
  nodes.forEach((n, i) => {
    lines.push(`  ${mermaidId(i)}["${mermaidLabel(n)}"]`);
  });
  for (const e of edges) lines.push(`  ${id.get(e.from)} ${e.weak ? '-.->' : '-->'} ${id.get(e.to)}`);
  return lines.join('\n');
}

/** Graphviz DOT digraph. */
export function toDot(nodes: readonly string[], edges: readonly Edge[]): string {
  const q = (s: string) => `"${s.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
  const lines = ['digraph strata {'];
  for (const n of nodes) lines.push(`  ${q(n)};`);
  for (const e of edges) lines.push(`  ${q(e.from)} -> ${q(e.to)}${e.weak ? ' [style=dashed]' : ''};`);
  lines.push('}');
  return lines.join('\n');
}
