import { describe, expect, it } from 'vitest';
import { parseJsonBody } from './json-body.js';
import { ServiceProblem } from './problem.js';

const problemOf = (text: string): ServiceProblem => {
  try {
    parseJsonBody(text);
  } catch (e) {
    if (e instanceof ServiceProblem) return e;
    throw e;
  }
  throw new Error(`parsed: ${text}`);
};

describe('the service JSON body parser', () => {
  it('parses every object without a prototype, __proto__ and constructor kept as own keys', () => {
    const v = parseJsonBody('{"given": {"__proto__": "x", "constructor": {"prototype": 1}}, "l": [{}]}') as {
      given: Record<string, unknown>;
      l: object[];
    };
    expect(Object.getPrototypeOf(v)).toBeNull();
    expect(Object.getPrototypeOf(v.given)).toBeNull();
    expect(Object.getPrototypeOf(v.l[0])).toBeNull();
    expect(Array.isArray(v.l)).toBe(true);
    expect(Object.keys(v.given)).toEqual(['__proto__', 'constructor']);
    expect(Object.getOwnPropertyDescriptor(v.given, '__proto__')?.value).toBe('x');
    parseJsonBody('{"__proto__": {"polluted": 1}, "constructor": {"prototype": {"polluted": 1}}}');
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('names an empty body, says where malformed JSON stops, and survives deep nesting', () => {
    expect(problemOf('  ').code).toBe('request.empty_body');
    const bad = problemOf('{"n": 3,');
    expect(bad.code).toBe('request.malformed_json');
    expect(bad.status).toBe(400);
    expect(bad.message).toBe('the body is not valid JSON (at character 9)');
    const deep = problemOf(`${'{"a":'.repeat(200_000)}1${'}'.repeat(200_000)}`);
    expect(deep.code).toBe('request.malformed_json');
    expect(deep.message).toMatch(/nested too deeply/);
  });
});
