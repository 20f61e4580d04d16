/**
 * The package entry is curated: the calls users make are there, internals are not. The full shape
 * (every name and type) is pinned by etc/strata.api.md (`npm run check:api`).
 */
import { describe, expect, it } from 'vitest';
import * as api from './index.js';

const surface: Record<string, unknown> = { ...api };
const text: Record<string, unknown> = { ...api.text };
const coverage: Record<string, unknown> = { ...api.coverage };

describe('public API', () => {
  it('exports the entry points of every verb', () => {
    const calls = [
      'loadSpec',
      'parseSpecText',
      'checkSpecText',
      'validateSpec',
      'specJsonSchema',
      'generateRows',
      'generateToFile',
      'fitFile',
      'fitTable',
      'readTable',
      'evaluate',
      'evaluateFiles',
      'checkGates',
      'parseGates',
      'renderHtml',
      'renderMarkdown',
      'isStrataError',
    ];
    for (const name of calls) expect(typeof surface[name], name).toBe('function');
    expect(new api.StrataError('spec.invalid', 'm', {})).toBeInstanceOf(Error);
    for (const name of ['generateFromPlan', 'loadPlan', 'dedupFile', 'auditFiles', 'runTextPipeline'])
      expect(typeof text[name], `text.${name}`).toBe('function');
    for (const name of ['applyScenario', 'coverageFromData'])
      expect(typeof coverage[name], `coverage.${name}`).toBe('function');
  });

  it('keeps internals inside the package', () => {
    const exported = new Set(Object.keys(surface));
    for (const internal of [
      'sampleBlock',
      'BLOCK_ROWS',
      'csvCell',
      'outputValue',
      'compileTable',
      'resolveTable',
      'MAX_ROWS',
      'runDemo',
      'didYouMean',
      'specError',
      'dottedPath',
      'CARD_CUSTOMERS_YAML',
      'ml',
      'random',
      'io',
      'expr',
    ])
      expect(exported.has(internal), internal).toBe(false);
    for (const internal of [
      'coveringArray',
      'postJson',
      'createMinHasher',
      'EchoMonitor',
      'fitTfidf',
      'diversify',
    ])
      expect(internal in text, `text.${internal}`).toBe(false);
    expect(Object.keys(coverage).sort()).toEqual(['applyScenario', 'coverageFromData']);
  });
});
