import { describe, expect, it } from 'vitest';
import { streamFor } from '../random/stream.js';
import { splitLogLik } from './heldout.js';

/** Child copies x (90%) and ignores z; y is a weak parent. */
function data(n: number) {
  const s = streamFor(4, 'heldout-test');
  const x = new Int32Array(n);
  const z = new Int32Array(n);
  const child = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    x[i] = s.nextInt(4);
    z[i] = s.nextInt(4);
    child[i] = s.nextFloat() < 0.9 ? x[i] : s.nextInt(4);
  }
  return { x: { codes: x, card: 4 }, z: { codes: z, card: 4 }, child: { codes: child, card: 4 } };
}

describe('splitLogLik (the refine loop yardstick)', () => {
  const { x, z, child } = data(4000);
  const n = 3200;

  it('rewards a parent that predicts the validation rows, and not one that does not', () => {
    const none = splitLogLik(child, [], [], n);
    const withX = splitLogLik(child, [], [x], n);
    const withZ = splitLogLik(child, [], [z], n);
    expect(withX - none).toBeGreaterThan(0.5);
    expect(withZ - none).toBeLessThan(0.002);
  });

  it('backs off to the base table, so a noise parent on top of a good one costs little', () => {
    const base = splitLogLik(child, [x], [], n);
    const more = splitLogLik(child, [x], [x, z], n);
    expect(base - more).toBeLessThan(0.01);
    expect(more).toBeLessThan(base + 0.002);
  });

  it('uses a state of base + extra only with enough training rows', () => {
    // With minState above every state's count the extra level is never used: equal to the base.
    expect(splitLogLik(child, [x], [z], n, 4, 1e9)).toBe(splitLogLik(child, [x], [], n));
  });
});
