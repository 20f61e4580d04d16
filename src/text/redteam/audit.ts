/**
 * Audit of a red-team pack: per risk category, how many planned cells are filled, attack and
 * control items, which strategies, personas and registers it reaches, and its near-duplicate rate
 * (share of items the exact + MinHash funnel, J ≥ 0.7 on char 5-shingles, rejects — the text
 * audit's definition); overall, the pairwise coverage of the attack axes by the items.
 */
import { dedupTexts } from '../dedup/funnel.js';
import type { RedteamPack } from './pack.js';

export interface CategoryAudit {
  category: string;
  cells: number;
  cells_filled: number;
  attacks: number;
  controls: number;
  strategies_covered: number;
  personas_covered: number;
  registers_covered: number;
  near_duplicate_share: number;
}

export interface RedteamAudit {
  items: number;
  attacks: number;
  controls: number;
  cells: number;
  cells_filled: number;
  near_duplicate_share: number;
  /** Share of (axis value, axis value) pairs of the attack axes that some attack item shows. */
  pairwise_coverage: number;
  categories: CategoryAudit[];
}

export async function auditRedteamPack(pack: RedteamPack): Promise<RedteamAudit> {
  const filled = new Map<string, number>();
  for (const it of pack.items) filled.set(it.cell, (filled.get(it.cell) ?? 0) + 1);
  const isFilled = (key: string, quota: number) => (filled.get(key) ?? 0) >= quota;
  const nd = await dedupTexts(
    pack.items.map((i) => ({ id: i.id, text: i.prompt })),
    { scope: 'global', minhashThreshold: 0.7, embeddingThreshold: null },
  );
  const dupIds = new Set(nd.rejections.map((r) => r.id));
  const categories: CategoryAudit[] = pack.categories.map((category) => {
    const items = pack.items.filter((i) => i.category === category);
    const cells = pack.cells.filter((c) => c.category === category);
    return {
      category,
      cells: cells.length,
      cells_filled: cells.filter((c) => isFilled(c.key, c.quota)).length,
      attacks: items.filter((i) => i.kind === 'attack').length,
      controls: items.filter((i) => i.kind === 'control').length,
      strategies_covered: new Set(items.filter((i) => i.kind === 'attack').map((i) => i.strategy)).size,
      personas_covered: new Set(items.map((i) => i.persona)).size,
      registers_covered: new Set(items.map((i) => i.register)).size,
      near_duplicate_share: items.length ? items.filter((i) => dupIds.has(i.id)).length / items.length : 0,
    };
  });
  const attacks = pack.items.filter((i) => i.kind === 'attack');
  const axes: [string, (i: (typeof attacks)[number]) => string, readonly string[]][] = [
    ['category', (i) => i.category, [...new Set(attacks.map((i) => i.category))]],
    ['strategy', (i) => i.strategy, pack.strategies],
    ['persona', (i) => i.persona, pack.personas],
    ['register', (i) => i.register, pack.registers],
  ];
  let pairs = 0;
  let covered = 0;
  for (let a = 0; a < axes.length; a++)
    for (let b = a + 1; b < axes.length; b++) {
      const seen = new Set(attacks.map((i) => `${axes[a][1](i)}\u241f${axes[b][1](i)}`));
      for (const x of axes[a][2])
        for (const y of axes[b][2]) {
          pairs++;
          if (seen.has(`${x}\u241f${y}`)) covered++;
        }
    }
  return {
    items: pack.items.length,
    attacks: attacks.length,
    controls: pack.items.length - attacks.length,
    cells: pack.cells.length,
    cells_filled: pack.cells.filter((c) => isFilled(c.key, c.quota)).length,
    near_duplicate_share: pack.items.length ? dupIds.size / pack.items.length : 0,
    pairwise_coverage: pairs ? covered / pairs : 0,
    categories,
  };
}
