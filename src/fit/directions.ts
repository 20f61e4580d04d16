/**
 * Which edge directions of a learned graph the data decided, and which are arbitrary.
 *
 * Structure learning identifies a graph only up to its Markov equivalence class: an edge's
 * direction is fixed by the data only where reversing it would create or destroy a v-structure
 * (a → c ← b with a, b not adjacent), or where Meek's rules force it to avoid a new v-structure
 * or a cycle. Knowledge (required edges, forbidden reverses, tiers, roots) fixes others. Every
 * other direction is one of several equally good choices, so an expert should check it (German
 * credit's `class → savings` reads backwards and is arbitrary). Pure functions over parent lists.
 */

export type Direction = 'v-structure' | 'knowledge' | 'implied' | 'arbitrary';

export interface EdgeDirection {
  from: number;
  to: number;
  direction: Direction;
}

/**
 * Classify every edge of the DAG `parents` (parents[v] = v's parent indices).
 * `byKnowledge(from, to)`: whether knowledge alone fixes the edge's direction.
 */
export function edgeDirections(
  parents: readonly (readonly number[])[],
  byKnowledge: (from: number, to: number) => boolean = () => false,
): EdgeDirection[] {
  const d = parents.length;
  const adjacent = (a: number, b: number) => parents[a].includes(b) || parents[b].includes(a);
  const key = (from: number, to: number) => from * d + to;
  const decided = new Map<number, Direction>();
  parents.forEach((ps, to) => {
    for (const from of ps) if (byKnowledge(from, to)) decided.set(key(from, to), 'knowledge');
  });
  parents.forEach((ps, c) => {
    for (let i = 0; i < ps.length; i++)
      for (let j = i + 1; j < ps.length; j++)
        if (!adjacent(ps[i], ps[j])) {
          if (!decided.has(key(ps[i], c))) decided.set(key(ps[i], c), 'v-structure');
          if (!decided.has(key(ps[j], c))) decided.set(key(ps[j], c), 'v-structure');
        }
  });
  const isDecided = (from: number, to: number) => decided.has(key(from, to));
  const undecided = (a: number, b: number) =>
    (parents[b].includes(a) && !isDecided(a, b)) || (parents[a].includes(b) && !isDecided(b, a));
  // Meek's rules R1–R3 until nothing changes (R4 needs background knowledge beyond these).
  for (let changed = true; changed; ) {
    changed = false;
    parents.forEach((ps, to) => {
      for (const from of ps) {
        if (isDecided(from, to)) continue;
        let forced = false;
        for (let a = 0; a < d && !forced; a++) {
          if (a === from || a === to) continue;
          // R1: a → from decided, a and `to` not adjacent.
          if (isDecided(a, from) && !adjacent(a, to)) forced = true;
          // R2: from → a → to decided.
          else if (isDecided(from, a) && isDecided(a, to)) forced = true;
        }
        // R3: from – c, from – e undecided, c → to, e → to decided, c and e not adjacent.
        if (!forced) {
          const into = parents[to].filter((c) => c !== from && isDecided(c, to) && undecided(from, c));
          for (let i = 0; i < into.length && !forced; i++)
            for (let j = i + 1; j < into.length && !forced; j++)
              if (!adjacent(into[i], into[j])) forced = true;
        }
        if (forced) {
          decided.set(key(from, to), 'implied');
          changed = true;
        }
      }
    });
  }
  const out: EdgeDirection[] = [];
  parents.forEach((ps, to) => {
    for (const from of ps) out.push({ from, to, direction: decided.get(key(from, to)) ?? 'arbitrary' });
  });
  return out;
}
