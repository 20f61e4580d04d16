/**
 * Tamper tests (issue 17): on a 100-entry ledger every single-byte change, every deletion, every
 * swap of neighbours and every insertion is found by the checker, naming the entry; a signed
 * ledger fails under a different public key.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { LedgerEntry } from './entry.js';
import { entryLine } from './entry.js';
import { generateKeyPair, publicKeyFromPem, signerFromPem } from './sign.js';
import { headFor, sealEntry } from './store.js';
import { buildLedger, draftFor } from './testing/ledgers.js';
import { checkLedgerText, type Problem } from './verify.js';

const N = 100;
const { entries, text, head } = buildLedger(N);
const lines = text.split('\n').slice(0, -1);

/** A cache filled from the intact ledger and then frozen: edited copies re-check only their edited lines. */
class FrozenCache<K, V> extends Map<K, V> {
  frozen = false;
  override set(k: K, v: V): this {
    return this.frozen ? this : super.set(k, v);
  }
}

const named = (ps: Problem[], seq: number) => ps.some((p) => p.entry === seq);
const join = (ls: string[]) => ls.map((l) => `${l}\n`).join('');

describe('checkLedgerText', () => {
  it('finds nothing wrong with an intact ledger', () => {
    const r = checkLedgerText(text, { head });
    expect(r.problems).toEqual([]);
    expect(r.entries).toHaveLength(N);
  });

  it('detects every single-byte change and names the entry that holds the byte', () => {
    const cache = new FrozenCache<string, never>();
    checkLedgerText(text, { head }, cache as never);
    cache.frozen = true;
    const bytes = Buffer.from(text, 'utf8');
    expect(bytes.length).toBe(text.length); // ASCII: byte i is character i
    const lineOf = new Int32Array(bytes.length);
    for (let i = 0, l = 0; i < bytes.length; i++) {
      lineOf[i] = l;
      if (bytes[i] === 0x0a) l++;
    }
    const missed: number[] = [];
    const unnamed: number[] = [];
    for (let i = 0; i < bytes.length; i++) {
      const c = String.fromCharCode(bytes[i] ^ 0x01);
      const edited = text.slice(0, i) + c + text.slice(i + 1);
      const r = checkLedgerText(edited, { head }, cache as never);
      if (r.problems.length === 0) missed.push(i);
      else if (!named(r.problems, entries[lineOf[i]].seq)) unnamed.push(i);
    }
    expect(missed).toEqual([]);
    expect(unnamed).toEqual([]);
  }, 600_000);

  it('detects other byte values at random places', () => {
    fc.assert(
      fc.property(fc.nat(text.length - 1), fc.integer({ min: 1, max: 255 }), (i, delta) => {
        const code = (text.charCodeAt(i) + delta) % 256;
        const edited = text.slice(0, i) + String.fromCharCode(code) + text.slice(i + 1);
        const r = checkLedgerText(edited, { head });
        const line = text.slice(0, i).split('\n').length - 1;
        return r.problems.length > 0 && named(r.problems, entries[line].seq);
      }),
      { numRuns: 300, seed: 17 },
    );
  });

  it('names every deleted entry, the last one included (the head records it)', () => {
    for (let k = 0; k < N; k++) {
      const r = checkLedgerText(join(lines.filter((_, i) => i !== k)), { head });
      const del = r.problems.filter((p) => p.kind === 'deleted');
      expect(del, `deleting entry #${k}`).toHaveLength(1);
      expect(del[0].entry).toBe(k);
      expect(del[0].message).toContain(`#${k}`);
    }
  });

  it('names every swap of neighbours', () => {
    for (let k = 0; k + 1 < N; k++) {
      const ls = [...lines];
      [ls[k], ls[k + 1]] = [ls[k + 1], ls[k]];
      const r = checkLedgerText(join(ls), { head });
      expect(r.problems.length, `swapping #${k} and #${k + 1}`).toBeGreaterThan(0);
      const sw = r.problems.find((p) => p.kind === 'swapped');
      expect(sw?.entry, `swapping #${k} and #${k + 1}: ${JSON.stringify(r.problems)}`).toBe(k);
      expect(sw?.message).toContain(`#${k} and #${k + 1}`);
    }
  });

  it('names every inserted entry: a copied line, or a forged entry chained in its place', () => {
    for (let k = 0; k <= N; k++) {
      // A copy of another entry's line put at position k.
      const copy = [...lines];
      copy.splice(k, 0, lines[(k + 37) % N]);
      const r1 = checkLedgerText(join(copy), { head });
      expect(
        r1.problems.some((p) => p.kind === 'inserted' && p.line === k + 1),
        `copy at line ${k + 1}: ${JSON.stringify(r1.problems)}`,
      ).toBe(true);
      // A well-formed entry claiming place k, chained to entry k-1.
      const forged = sealEntry({ ...draftFor(k), run: '20250101T999999Z-f0f0f0' }, entries[k - 1]);
      const fork = [...lines];
      fork.splice(k, 0, entryLine(forged));
      const r2 = checkLedgerText(join(fork), { head });
      const ins = r2.problems.find((p) => p.kind === 'inserted' || p.kind === 'head');
      expect(ins, `forged at line ${k + 1}: ${JSON.stringify(r2.problems)}`).toBeDefined();
      if (k < N) {
        expect(ins?.kind).toBe('inserted');
        expect(ins?.run).toBe(forged.run);
      }
    }
  });

  it('reads a published head hash (an anchor the ledger file cannot rewrite)', () => {
    // Rewriting the whole tail consistently (every later entry re-chained) passes the chain check,
    // but not a hash published elsewhere.
    const rewritten: LedgerEntry[] = entries.slice(0, 50);
    for (let i = 50; i < N; i++) rewritten.push(sealEntry({ ...draftFor(i), seed: 7 }, rewritten.at(-1)));
    const t = join(rewritten.map(entryLine));
    const h = headFor(rewritten[N - 1]);
    expect(checkLedgerText(t, { head: h }).problems).toEqual([]);
    const r = checkLedgerText(t, { head: h, anchor: { seq: 70, hash: entries[70].hash.slice(0, 16) } });
    expect(r.problems.map((p) => [p.kind, p.entry])).toEqual([['anchor', 70]]);
  });
});

describe('signed ledgers', () => {
  const pair = generateKeyPair();
  const other = generateKeyPair();
  const signer = signerFromPem(pair.privatePem);
  const signed = buildLedger(20, signer);

  it('verify under the signing key, and fail under a different public key', () => {
    const key = publicKeyFromPem(pair.publicPem);
    expect(checkLedgerText(signed.text, { head: signed.head, publicKey: key }).problems).toEqual([]);
    const wrong = checkLedgerText(signed.text, {
      head: signed.head,
      publicKey: publicKeyFromPem(other.publicPem),
    });
    expect(wrong.problems.filter((p) => p.kind === 'wrong_key')).toHaveLength(21); // 20 entries + head
    expect(wrong.problems[0].entry).toBe(0);
  });

  it('catch an entry forged at the end with a consistent head when a key is expected', () => {
    const forged = sealEntry(draftFor(20), signed.entries[19]);
    const t = `${signed.text}${entryLine(forged)}\n`;
    const key = publicKeyFromPem(pair.publicPem);
    const r = checkLedgerText(t, { head: headFor(forged), publicKey: key });
    expect(r.problems.find((p) => p.kind === 'unsigned')?.entry).toBe(20);
    // re-signed with another key: named as the wrong key
    const resigned = sealEntry(draftFor(20), signed.entries[19], signerFromPem(other.privatePem));
    const r2 = checkLedgerText(`${signed.text}${entryLine(resigned)}\n`, {
      head: headFor(resigned, signerFromPem(other.privatePem)),
      publicKey: key,
    });
    expect(r2.problems.find((p) => p.kind === 'wrong_key')?.entry).toBe(20);
  });

  it('detect a signature that does not match the content', () => {
    const e = { ...signed.entries[5], sig: signed.entries[6].sig };
    const ls = signed.text.split('\n');
    ls[5] = entryLine(e);
    const r = checkLedgerText(ls.join('\n'), { head: signed.head });
    expect(r.problems.map((p) => [p.kind, p.entry])).toEqual([['bad_signature', 5]]);
  });
});
