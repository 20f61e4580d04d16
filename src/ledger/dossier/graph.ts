/**
 * The causal graph as inline SVG: columns in layers by their longest path from a root (top to
 * bottom), ordered within a layer by the mean position of their parents, edges as curves with
 * arrowheads. A small layered layout of our own: the graphs are tens of nodes, and an SVG we lay out
 * needs no browser, no script and no layout dependency to render in the dossier or its PDF.
 */
import { escapeHtml as e } from '../../report/format.js';

export interface GraphNode {
  name: string;
  parents: string[];
  /** Shown under the name (type, mechanism). */
  note?: string;
}

const NODE_H = 32;
const GAP_Y = 30;
const GAP_X = 14;
const CHAR_W = 6.6;

/** Layers by longest path from the roots; a cycle (not expected: specs are DAGs) is cut. */
function layers(nodes: readonly GraphNode[]): Map<string, number> {
  const byName = new Map(nodes.map((n) => [n.name, n]));
  const depth = new Map<string, number>();
  const visiting = new Set<string>();
  const visit = (name: string): number => {
    const known = depth.get(name);
    if (known !== undefined) return known;
    if (visiting.has(name)) return 0;
    visiting.add(name);
    const n = byName.get(name);
    const d = n ? Math.max(-1, ...n.parents.filter((p) => byName.has(p)).map(visit)) + 1 : 0;
    visiting.delete(name);
    depth.set(name, d);
    return d;
  };
  for (const n of nodes) visit(n.name);
  return depth;
}

export function graphSvg(nodes: readonly GraphNode[], title = 'causal graph'): string {
  if (nodes.length === 0) return '';
  const depth = layers(nodes);
  const nLayers = Math.max(...depth.values()) + 1;
  const cols: GraphNode[][] = Array.from({ length: nLayers }, () => []);
  for (const n of nodes) cols[depth.get(n.name) ?? 0].push(n);
  // Order: roots as declared; later layers by the mean row of their parents (barycentre), twice.
  const row = new Map<string, number>();
  cols[0].forEach((n, i) => {
    row.set(n.name, i);
  });
  for (let pass = 0; pass < 2; pass++)
    for (let l = 1; l < nLayers; l++) {
      const key = (n: GraphNode) => {
        const ps = n.parents.filter((p) => row.has(p)).map((p) => row.get(p) as number);
        return ps.length ? ps.reduce((a, b) => a + b, 0) / ps.length : 0;
      };
      cols[l].sort((a, b) => key(a) - key(b));
      cols[l].forEach((n, i) => {
        row.set(n.name, i);
      });
    }
  const width = (n: GraphNode) =>
    Math.max(64, Math.max(n.name.length, (n.note ?? '').length * 0.85) * CHAR_W + 16);
  // Layers top to bottom, each row centred; the widest row sets the width.
  const rowW = cols.map((c) => c.reduce((s, n) => s + width(n), 0) + (c.length - 1) * GAP_X);
  const svgW = Math.max(...rowW) + 20;
  const height = nLayers * (NODE_H + GAP_Y) - GAP_Y + 20;
  const pos = new Map<string, { x: number; y: number; w: number }>();
  cols.forEach((c, l) => {
    let x = (svgW - rowW[l]) / 2;
    for (const n of c) {
      pos.set(n.name, { x, y: 10 + l * (NODE_H + GAP_Y), w: width(n) });
      x += width(n) + GAP_X;
    }
  });
  const edges: string[] = [];
  for (const n of nodes) {
    const to = pos.get(n.name);
    if (!to) continue;
    for (const p of n.parents) {
      const from = pos.get(p);
      if (!from) continue;
      const x1 = from.x + from.w / 2;
      const y1 = from.y + NODE_H;
      const x2 = to.x + to.w / 2;
      const y2 = to.y - 2;
      const mid = (y1 + y2) / 2;
      edges.push(
        `<path d="M${x1.toFixed(1)},${y1.toFixed(1)} C${x1.toFixed(1)},${mid.toFixed(1)} ${x2.toFixed(1)},${mid.toFixed(1)} ${x2.toFixed(1)},${y2.toFixed(1)}" fill="none" stroke="#8a94a6" stroke-width="1.1" marker-end="url(#arrow)"><title>${e(p)} → ${e(n.name)}</title></path>`,
      );
    }
  }
  const boxes = nodes.map((n) => {
    const p = pos.get(n.name) as { x: number; y: number; w: number };
    const root = n.parents.length === 0;
    return `<g><rect x="${p.x.toFixed(1)}" y="${p.y.toFixed(1)}" width="${p.w.toFixed(1)}" height="${NODE_H}" rx="6" fill="${root ? '#eef3fb' : '#fff'}" stroke="#4c78a8"/><text x="${(p.x + p.w / 2).toFixed(1)}" y="${(p.y + 14).toFixed(1)}" text-anchor="middle" font-size="12" font-weight="600">${e(n.name)}</text>${n.note ? `<text x="${(p.x + p.w / 2).toFixed(1)}" y="${(p.y + 27).toFixed(1)}" text-anchor="middle" font-size="9.5" fill="#555">${e(n.note)}</text>` : ''}</g>`;
  });
  return `<svg xmlns="http://www.w3.org/2000/svg" role="img" aria-label="${e(title)}" width="${svgW.toFixed(0)}" height="${height.toFixed(0)}" viewBox="0 0 ${svgW.toFixed(0)} ${height.toFixed(0)}" font-family="sans-serif"><defs><marker id="arrow" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" fill="#8a94a6"/></marker></defs>${edges.join('')}${boxes.join('')}</svg>`;
}
