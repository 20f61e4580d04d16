import { describe, expect, it } from 'vitest';
import { folded, frontierLine, frontierVerdict } from './frontier.js';

// The bench's "Strata dominates" line decides a Done-when line of issue 15: it must compare only
// CART leaves at least as copy-prone as Strata (DCR share ≥ Strata's) and name the one that wins.
describe('CART frontier verdict', () => {
  const cart = [
    { leaf: 5, detection: 0.58, dcr: 0.65 },
    { leaf: 100, detection: 0.62, dcr: 0.52, detectionRange: [0.61, 0.63] as const },
    { leaf: 500, detection: 0.7, dcr: 0.5 },
  ];

  it('is beaten by a CART leaf at a DCR share ≥ Strata’s with lower detection', () => {
    const v = frontierVerdict({ detection: 0.6, dcr: 0.52 }, cart);
    expect(v.dominates).toBe(false);
    expect(v.compared.map((p) => p.leaf)).toEqual([5, 100]);
    expect(v.beaten.map((p) => p.leaf)).toEqual([5]);
    expect(frontierLine({ detection: 0.6, dcr: 0.52 }, v)).toBe(
      "Strata dominates: no (detection max(AUC, 1 − AUC)) — CART leaf 5 at DCR 0.650 ≥ Strata's 0.520 has 0.580 < Strata's 0.600",
    );
  });

  it('ignores more private CART leaves, however well they score', () => {
    const v = frontierVerdict({ detection: 0.55, dcr: 0.52 }, cart);
    expect(v.dominates).toBe(true);
    expect(v.compared.map((p) => p.leaf)).toEqual([5, 100]);
    expect(frontierLine({ detection: 0.55, dcr: 0.52 }, v)).toMatch(
      /^Strata dominates: yes .*closest: leaf 5/,
    );
  });

  it('counts a tie as not dominated and flags overlapping seed ranges as noise', () => {
    const strata = { detection: 0.62, dcr: 0.51, detectionRange: [0.615, 0.63] as const };
    const v = frontierVerdict(strata, cart.slice(1));
    expect(v.dominates).toBe(false);
    expect(frontierLine(strata, v)).toMatch(
      /CART leaf 100 .* has 0\.620 = Strata's 0\.620 \(seed ranges overlap: within noise\)$/,
    );
  });

  it('reads a copying CART’s AUC below 0.5 as detected (folded), and the literal rule the other way', () => {
    // pima, CART at 5 rows per leaf: AUC 0.376 at DCR 0.755 is a classifier that learned the wrong
    // way round across folds; 1 − 0.376 = 0.624 is how far from chance it is.
    expect(folded(0.376)).toBeCloseTo(0.624, 12);
    const copying = [{ leaf: 5, detection: 0.376, dcr: 0.755 }];
    const strata = { detection: 0.57, dcr: 0.529 };
    expect(frontierVerdict(strata, copying).dominates).toBe(true);
    expect(frontierVerdict(strata, copying, { folded: false }).dominates).toBe(false);
    expect(frontierLine(strata, frontierVerdict(strata, copying, { folded: false }), { folded: false })).toBe(
      "Strata dominates: no (detection AUC) — CART leaf 5 at DCR 0.755 ≥ Strata's 0.529 has 0.376 < Strata's 0.570",
    );
  });

  it('says so when no CART leaf is as copy-prone as Strata', () => {
    const v = frontierVerdict({ detection: 0.9, dcr: 0.8 }, cart);
    expect(v.dominates).toBe(true);
    expect(frontierLine({ detection: 0.9, dcr: 0.8 }, v)).toMatch(/vacuous/);
  });
});
