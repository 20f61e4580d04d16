import { describe, expect, it } from 'vitest';
import { streamFor } from '../random/stream.js';
import {
  eliminate,
  eliminateOutside,
  type Factor,
  multiply,
  multiplySumOut,
  posteriorWith,
  sumOut,
} from './infer.js';

/** A random 5-variable network with CPTs; brute-force joint for checking. */
function network(seed: number) {
  const s = streamFor(seed, 'net');
  const card = [2, 3, 2, 4, 3];
  const parents = [[], [0], [0, 1], [2], [1, 3]];
  const factors: Factor[] = parents.map((ps, v) => {
    const vars = [...ps, v].sort((a, b) => a - b);
    const size = vars.reduce((m, x) => m * card[x], 1);
    const table = new Float64Array(size);
    for (let i = 0; i < size; i++) table[i] = 0.05 + s.nextFloat();
    return { vars, table };
  });
  const joint = (a: number[]) =>
    factors.reduce((p, f) => {
      let idx = 0;
      for (const v of f.vars) idx = idx * card[v] + a[v];
      return p * f.table[idx];
    }, 1);
  const all: number[][] = [];
  const rec = (a: number[]) => {
    if (a.length === card.length) all.push([...a]);
    else for (let j = 0; j < card[a.length]; j++) rec([...a, j]);
  };
  rec([]);
  return { card, factors, joint, all };
}

describe('bucket elimination', () => {
  it('Z equals the brute-force sum, with and without evidence', () => {
    const { card, factors, joint, all } = network(1);
    const z = all.reduce((t, a) => t + joint(a), 0);
    expect(eliminate(factors, card).z).toBeCloseTo(z, 10);
    const ev: Factor = { vars: [3], table: Float64Array.of(0, 1, 0, 1) };
    const zEv = all.filter((a) => a[3] % 2 === 1).reduce((t, a) => t + joint(a), 0);
    expect(eliminate([...factors, ev], card).z).toBeCloseTo(zEv, 10);
  });

  it('posterior draws match the exact posterior (chi-square over the joint)', () => {
    const { card, factors, joint, all } = network(2);
    const ev: Factor = { vars: [4], table: Float64Array.of(0, 0, 1) };
    const post = eliminate([...factors, ev], card);
    const kept = all.filter((a) => a[4] === 2);
    const p = kept.map(joint);
    const zp = p.reduce((t, x) => t + x, 0);
    const index = new Map(kept.map((a, i) => [a.join(','), i] as [string, number]));
    const counts = new Float64Array(kept.length);
    const out = new Int32Array(card.length);
    const rng = streamFor(3, 'post');
    const n = 40_000;
    for (let i = 0; i < n; i++) {
      post.sample(rng, out);
      const k = index.get([...out].join(','));
      expect(k).toBeDefined();
      counts[k!]++;
    }
    let chi = 0;
    kept.forEach((_, i) => {
      const e = (n * p[i]) / zp;
      chi += (counts[i] - e) ** 2 / e;
    });
    // 47 degrees of freedom: the 0.999 quantile is about 85.
    expect(chi).toBeLessThan(85);
  });
});

describe('one elimination for many evidence sets on kept variables', () => {
  it('gives the same Z and the exact posterior (chi-square over the joint) for each', () => {
    const { card, factors, joint, all } = network(4);
    // Keep variables 1 and 3; evidence is any non-negative table over them.
    const e = eliminateOutside(factors, card, new Set([1, 3]));
    expect(e.rest.vars).toEqual([1, 3]);
    for (const [seed, weights] of [
      [5, [1, 0, 0.5, 2, 0, 0, 1, 1, 0.25, 3, 0, 1]],
      [6, [0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0]],
    ] as [number, number[]][]) {
      const ev: Factor = { vars: [1, 3], table: Float64Array.from(weights) };
      const w = (a: number[]) => weights[a[1] * card[3] + a[3]];
      const z = all.reduce((t, a) => t + joint(a) * w(a), 0);
      const post = posteriorWith(e, [ev], card);
      expect(post.z).toBeCloseTo(z, 12);
      expect(post.z).toBeCloseTo(eliminate([...factors, ev], card).z, 12);
      const kept = all.filter((a) => w(a) > 0);
      const index = new Map(kept.map((a, i) => [a.join(','), i] as [string, number]));
      const counts = new Float64Array(kept.length);
      const out = new Int32Array(card.length);
      const rng = streamFor(seed, 'post');
      const n = 40_000;
      for (let i = 0; i < n; i++) {
        post.sample(rng, out);
        const k = index.get([...out].join(','));
        expect(k).toBeDefined();
        counts[k!]++;
      }
      let chi = 0;
      kept.forEach((a, i) => {
        const ex = (n * joint(a) * w(a)) / z;
        chi += (counts[i] - ex) ** 2 / ex;
      });
      // At most 143 degrees of freedom: the 0.999 quantile is about 200.
      expect(chi).toBeLessThan(kept.length + 4.5 * Math.sqrt(2 * kept.length) + 10);
    }
  });
});

describe('multiplySumOut', () => {
  it('equals sumOut(multiply(...)) without building the product', () => {
    const card = [2, 3, 4, 2];
    const f = (vars: number[], seed: number): Factor => {
      let size = 1;
      for (const v of vars) size *= card[v];
      return { vars, table: Float64Array.from({ length: size }, (_, i) => ((i * 7 + seed) % 5) + 0.5) };
    };
    const fs = [f([0, 1], 1), f([1, 2, 3], 2), f([0, 3], 3), f([2], 4)];
    for (const v of [0, 1, 2, 3]) {
      const a = multiplySumOut(fs, v, card);
      const b = sumOut(multiply(fs, card), v, card);
      expect(a.vars).toEqual(b.vars);
      for (let i = 0; i < b.table.length; i++) expect(a.table[i]).toBeCloseTo(b.table[i], 9);
    }
  });
});
