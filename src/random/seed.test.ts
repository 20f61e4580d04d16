import { describe, expect, it } from 'vitest';
import { MAX_SEED, parseSeed, seedProblem } from './seed.js';

describe('the one seed rule', () => {
  it('accepts every safe integer, the rule spec and plan files always had', () => {
    for (const s of [0, 1, 42, -7, MAX_SEED, -MAX_SEED]) {
      expect(seedProblem(s)).toBeUndefined();
      expect(parseSeed(s)).toBe(s);
    }
  });

  it('refuses fractions, unsafe integers, non-numbers and text outside the command line', () => {
    for (const bad of [
      1.5,
      2 ** 53,
      -(2 ** 53),
      1e300,
      Number.NaN,
      Number.POSITIVE_INFINITY,
      null,
      true,
      '42',
      {},
    ]) {
      expect(seedProblem(bad)).toMatch(/is not a whole number/);
      expect(() => parseSeed(bad, { path: 'seed' })).toThrow(
        expect.objectContaining({ code: 'seed.invalid', place: { path: 'seed' } }),
      );
    }
  });

  it('reads command-line text as decimal digits only', () => {
    expect(parseSeed('42', { text: true })).toBe(42);
    expect(parseSeed(' -7 ', { text: true })).toBe(-7);
    expect(parseSeed('+3', { text: true })).toBe(3);
    // "" and "0x10" were read as 0 and 16 by Number(), "1e3" as 1000: none is a seed
    for (const bad of ['', ' ', '0x10', '1e3', '1.0', 'abc', '9007199254740992']) {
      expect(() => parseSeed(bad, { text: true, label: '--seed' })).toThrow(
        expect.objectContaining({ code: 'seed.invalid', message: expect.stringMatching(/^--seed /) }),
      );
    }
  });
});

describe('every seed input uses the rule (integration)', async () => {
  const { CARD_CUSTOMERS_YAML, parseSpecText } = await import('../spec/index.js');
  const { generateRows } = await import('../sample/index.js');
  const { fitTable } = await import('../fit/fit.js');
  const { parsePlanSpec } = await import('../text/plan-load.js');
  const card = parseSpecText(CARD_CUSTOMERS_YAML, 'card.yaml').spec;

  it('generate, fit and text plans refuse a fractional seed with seed.invalid', async () => {
    await expect(generateRows({ spec: card, rows: 1, seed: 1.5 })).rejects.toMatchObject({
      code: 'seed.invalid',
    });
    // fit used to truncate 0.5 to 0 silently
    const raw = { name: 't', columns: ['x'], rowCount: 3, data: [['1', '2', '3']] };
    expect(() => fitTable(raw, { seed: 0.5 })).toThrow(expect.objectContaining({ code: 'seed.invalid' }));
    expect(() => parsePlanSpec({ seed: 1.5, axes: { a: ['x'] } }, 'p.yaml')).toThrow(
      expect.objectContaining({ code: 'seed.invalid', place: expect.objectContaining({ file: 'p.yaml' }) }),
    );
  });

  it('a negative seed in a spec still generates (old files still load)', async () => {
    const neg = parseSpecText(CARD_CUSTOMERS_YAML.replace(/^seed: .*$/m, 'seed: -5'), 'neg.yaml').spec;
    expect(neg.seed).toBe(-5);
    expect((await generateRows({ spec: neg, rows: 10, coverage: false })).seed).toBe(-5);
  });
});
