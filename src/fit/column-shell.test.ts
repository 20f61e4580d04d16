import { describe, expect, it } from 'vitest';
import type { Column } from '../spec/schema.js';
import { withoutMechanism } from './column-shell.js';

describe('withoutMechanism', () => {
  const base = {
    type: 'datetime',
    format: 'YYYY-MM-DD',
    min: '2100-01-01',
    max: '2200-01-01',
    given: ['a'],
    missing: 0.1,
    dist: { normal: { mean: 0, sd: 1 } },
  } as unknown as Column;
  it('keeps type, format and bounds, drops the law, parents and missing rate', () => {
    expect(withoutMechanism(base)).toEqual({
      type: 'datetime',
      format: 'YYYY-MM-DD',
      min: '2100-01-01',
      max: '2200-01-01',
    });
  });
  it('drops the bounds when asked', () => {
    expect(withoutMechanism(base, true)).toEqual({ type: 'datetime', format: 'YYYY-MM-DD' });
  });
});
