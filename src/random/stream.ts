/**
 * Seeded, splittable random streams.
 *
 * Every consumer derives its own stream from (root seed, stable names) by hashing, so output does
 * not depend on call order, worker count or which other columns exist. The generator is
 * xoshiro128** (32-bit state words, fast in JS without BigInt); seeds are expanded with splitmix32.
 * Written here rather than taken from a library because stream derivation by name is the core of
 * Strata's determinism guarantee and must stay byte-stable across releases.
 */

const TWO_POW_32 = 4294967296;
const TWO_POW_53 = 9007199254740992;

/** 32-bit FNV-1a over a string, continued from `h`. */
function fnv1a(h: number, s: string): number {
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/** splitmix32 step: a good 32-bit mixer for expanding seeds. */
function splitmix32(x: number): number {
  x = (x + 0x9e3779b9) | 0;
  let z = x;
  z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
  z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
  return (z ^ (z >>> 16)) >>> 0;
}

/** Hash a seed and a list of names to four 32-bit words (the state of a new stream). */
export function hashToState(seedWords: readonly number[], names: readonly (string | number)[]): Uint32Array {
  let h1 = 0x811c9dc5;
  let h2 = 0x01234567;
  for (const w of seedWords) {
    h1 = fnv1a(h1, `#${w >>> 0}`);
    h2 = fnv1a(h2 ^ 0x5bd1e995, `@${w >>> 0}`);
  }
  for (const n of names) {
    const s = typeof n === 'number' ? `n:${n}` : `s:${n}`;
    h1 = fnv1a(h1, `/${s}`);
    h2 = fnv1a(h2 ^ 0x27d4eb2f, `\\${s}`);
  }
  const state = new Uint32Array(4);
  let x = h1 ^ Math.imul(h2, 0x9e3779b1);
  for (let i = 0; i < 4; i++) {
    x = splitmix32(x ^ (i === 1 ? h2 : i === 3 ? h1 : 0));
    state[i] = x;
  }
  if ((state[0] | state[1] | state[2] | state[3]) === 0) state[0] = 1;
  return state;
}

export class Stream {
  private a: number;
  private b: number;
  private c: number;
  private d: number;

  constructor(state: Uint32Array) {
    this.a = state[0] | 0;
    this.b = state[1] | 0;
    this.c = state[2] | 0;
    this.d = state[3] | 0;
  }

  /** Next uniform 32-bit unsigned integer (xoshiro128**). */
  nextUint32(): number {
    const b = this.b;
    let r = Math.imul(b, 5);
    r = ((r << 7) | (r >>> 25)) >>> 0;
    r = Math.imul(r, 9) >>> 0;
    const t = b << 9;
    this.c ^= this.a;
    this.d ^= b;
    this.b ^= this.c;
    this.a ^= this.d;
    this.c ^= t;
    this.d = (this.d << 11) | (this.d >>> 21);
    return r;
  }

  /** Uniform double in [0, 1) with 53 random bits. */
  nextFloat(): number {
    const hi = this.nextUint32() >>> 5; // 27 bits
    const lo = this.nextUint32() >>> 6; // 26 bits
    return (hi * 67108864 + lo) / TWO_POW_53;
  }

  /** Uniform double in (0, 1): never 0, for inverse-CDF sampling and logs. */
  nextOpen(): number {
    let u = this.nextFloat();
    while (u === 0) u = this.nextFloat();
    return u;
  }

  /** Uniform integer in [0, n) without modulo bias (n ≤ 2^32). */
  nextInt(n: number): number {
    if (n <= 1) return 0;
    if (n > TWO_POW_32) return Math.floor(this.nextFloat() * n);
    const limit = TWO_POW_32 - (TWO_POW_32 % n);
    let x = this.nextUint32();
    while (x >= limit) x = this.nextUint32();
    return x % n;
  }

  /** The current state (to save/restore). */
  state(): Uint32Array {
    return Uint32Array.of(this.a, this.b, this.c, this.d);
  }

  /** A new independent stream derived from this stream's current state and the names. Does not advance this stream. */
  derive(...names: (string | number)[]): Stream {
    return new Stream(hashToState(Array.from(this.state()), names));
  }
}

/** The stream for (seed, names...). Same inputs, same stream, on every machine. */
export function streamFor(seed: number, ...names: (string | number)[]): Stream {
  const s = Math.trunc(seed);
  const lo = s >>> 0;
  const hi = Math.floor(s / TWO_POW_32) >>> 0;
  return new Stream(hashToState([lo, hi], names));
}
