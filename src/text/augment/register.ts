/**
 * Persona and register rewrites by rules: politeness (greetings, "could you please", thanks),
 * terseness (drop greetings, fillers, articles and final punctuation), casual speech (contractions,
 * u/ur/pls, lower case), keyboard typos (neighbour keys, transpositions, drops, doubled letters)
 * and code-switching markers (a short phrase from another language at either end). The content
 * words of the message are never touched, so the intent stays.
 */
import type { Stream } from '../../random/stream.js';
import { isWord, matchCase } from './tokens.js';
import { type AugmentOperator, attested, type CellContext } from './types.js';

export const REGISTER_STYLES = ['polite', 'terse', 'casual', 'typo', 'code_switch'] as const;
export type RegisterStyle = (typeof REGISTER_STYLES)[number];

function pick<T>(xs: readonly T[], st: Stream): T {
  return xs[st.nextInt(xs.length)];
}

const GREETINGS = ['hi', 'hello', 'hey there', 'good morning', 'excuse me'];
const THANKS = ['thanks', 'thank you', 'thanks in advance', 'cheers', 'much appreciated'];
const MARKERS = [
  'por favor',
  'gracias',
  'bitte',
  'danke',
  'merci',
  's’il vous plaît',
  'obrigado',
  'grazie',
  'yaar',
  'ok lah',
];
const DROP_LEADING = new Set(['hi', 'hello', 'hey', 'please', 'so', 'um', 'well', 'ok', 'okay']);
const ARTICLES = new Set(['a', 'an', 'the']);
const CONTRACT: [string[], string][] = [
  [['i', 'am'], "i'm"],
  [['do', 'not'], "don't"],
  [['does', 'not'], "doesn't"],
  [['did', 'not'], "didn't"],
  [['can', 'not'], "can't"],
  [['cannot'], "can't"],
  [['is', 'not'], "isn't"],
  [['it', 'is'], "it's"],
  [['i', 'have'], "i've"],
  [['i', 'would'], "i'd"],
  [['want', 'to'], 'wanna'],
];
const SLANG = new Map([
  ['you', 'u'],
  ['your', 'ur'],
  ['please', 'pls'],
  ['thanks', 'thx'],
  ['are', 'r'],
  ['because', 'cuz'],
]);
const KEYBOARD = ['qwertyuiop', 'asdfghjkl', 'zxcvbnm'];

function neighbourKey(c: string, st: Stream): string {
  const lc = c.toLowerCase();
  for (let r = 0; r < KEYBOARD.length; r++) {
    const k = KEYBOARD[r].indexOf(lc);
    if (k < 0) continue;
    const opts = [KEYBOARD[r][k - 1], KEYBOARD[r][k + 1]].filter((x): x is string => !!x);
    return opts.length ? pick(opts, st) : c;
  }
  return c;
}

function polite(
  tokens: readonly string[],
  st: Stream,
  cell: CellContext,
): { out: string[]; what: string } | null {
  const out = [...tokens];
  const low = out.map((t) => t.toLowerCase());
  const k = low.findIndex((t, i) => (t === 'can' || t === 'will') && low[i + 1] === 'you');
  const greetings = GREETINGS.filter((g) => attested(cell, g));
  const thanks = THANKS.filter((t) => attested(cell, t));
  if (k >= 0 && attested(cell, 'could please') && st.nextFloat() < 0.7) {
    out.splice(k, 2, matchCase(out[k], 'could'), 'you', 'please');
    return { out, what: 'could you please' };
  }
  if (!greetings.length && !thanks.length) return null;
  if (greetings.length && (!thanks.length || st.nextFloat() < 0.5)) {
    const g = pick(greetings, st);
    const first = out[0] ?? '';
    out.unshift(matchCase(first, g), ',');
    if (first && first !== 'I' && first[0] !== first[0].toLowerCase() && first !== first.toUpperCase())
      out[2] = first.toLowerCase();
    return { out, what: `greeting:${g}` };
  }
  const t = pick(thanks, st);
  while (out.length && !isWord(out[out.length - 1])) out.pop();
  out.push(',', t);
  return { out, what: `thanks:${t}` };
}

function terse(tokens: readonly string[]): { out: string[]; what: string } {
  let out = [...tokens];
  let dropped = 0;
  while (out.length > 2 && (DROP_LEADING.has(out[0].toLowerCase()) || out[0] === ',')) {
    out.shift();
    dropped++;
  }
  const before = out.length;
  out = out.filter((t, i) => !(ARTICLES.has(t.toLowerCase()) && i > 0));
  dropped += before - out.length;
  while (out.length > 1 && !isWord(out[out.length - 1])) {
    out.pop();
    dropped++;
  }
  return { out, what: `dropped:${dropped}` };
}

function casual(tokens: readonly string[], st: Stream, cell: CellContext): { out: string[]; what: string } {
  const out: string[] = [];
  let n = 0;
  for (let i = 0; i < tokens.length; i++) {
    const l = tokens[i].toLowerCase();
    const c = CONTRACT.find(([ws]) => ws.every((w, k) => tokens[i + k]?.toLowerCase() === w));
    if (c && attested(cell, c[1]) && st.nextFloat() < 0.8) {
      out.push(c[1]);
      i += c[0].length - 1;
      n++;
      continue;
    }
    const s = SLANG.get(l);
    if (s && attested(cell, s) && st.nextFloat() < 0.5) {
      out.push(s);
      n++;
      continue;
    }
    out.push(l);
  }
  while (out.length > 1 && out[out.length - 1] === '.') out.pop();
  return { out, what: `casual:${n}` };
}

function typo(tokens: readonly string[], st: Stream, rate: number): { out: string[]; what: string } {
  const out = [...tokens];
  const long = out.flatMap((t, i) => (isWord(t) && t.length >= 4 ? [i] : []));
  if (!long.length) return { out, what: 'typos:0' };
  const k = Math.max(1, Math.round(rate * long.length));
  for (let r = 0; r < k; r++) {
    const i = long[st.nextInt(long.length)];
    const cs = [...out[i]];
    const p = 1 + st.nextInt(cs.length - 2);
    const kind = st.nextInt(4);
    if (kind === 0) [cs[p], cs[p + 1]] = [cs[p + 1], cs[p]];
    else if (kind === 1) cs.splice(p, 1);
    else if (kind === 2) cs.splice(p, 0, cs[p]);
    else cs[p] = neighbourKey(cs[p], st);
    out[i] = cs.join('');
  }
  return { out, what: `typos:${k}` };
}

function codeSwitch(
  tokens: readonly string[],
  st: Stream,
  cell: CellContext,
): { out: string[]; what: string } | null {
  const markers = MARKERS.filter((m) => attested(cell, m));
  if (!markers.length) return null;
  const m = pick(markers, st);
  const out = [...tokens];
  if (st.nextFloat() < 0.5) {
    while (out.length && !isWord(out[out.length - 1])) out.pop();
    out.push(',', ...m.split(' '));
  } else out.unshift(...m.split(' '), ',');
  return { out, what: `marker:${m}` };
}

export const register: AugmentOperator = (tokens, _source, cell, st, p) => {
  const styles = String(p.styles ?? REGISTER_STYLES.join(','))
    .split(',')
    .filter((s): s is RegisterStyle => (REGISTER_STYLES as readonly string[]).includes(s));
  if (!styles.length) return null;
  const style = pick(styles, st);
  const r =
    style === 'polite'
      ? polite(tokens, st, cell)
      : style === 'terse'
        ? terse(tokens)
        : style === 'casual'
          ? casual(tokens, st, cell)
          : style === 'typo'
            ? typo(tokens, st, Number(p.typo_rate ?? 0.15))
            : codeSwitch(tokens, st, cell);
  if (!r || r.out.join(' ') === tokens.join(' ') || r.out.filter(isWord).length < 2) return null;
  return { tokens: r.out, params: { style, change: r.what } };
};
