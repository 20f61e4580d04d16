/**
 * Surface tokens for the augmentation operators: words (letters, digits, inner apostrophes and
 * hyphens), and single punctuation marks. Operators edit token arrays and `detokenize` joins them
 * back (no space before closing punctuation or after opening brackets), so an edited text keeps
 * the look of the real one it came from.
 */

const TOKEN = /[\p{L}\p{N}]+(?:['’\-.][\p{L}\p{N}]+)*|[^\s\p{L}\p{N}]/gu;

export function tokenize(text: string): string[] {
  return text.match(TOKEN) ?? [];
}

const NO_SPACE_BEFORE = new Set(['.', ',', '!', '?', ';', ':', ')', ']', '}', '%', "'", '’']);
const NO_SPACE_AFTER = new Set(['(', '[', '{', '$', '£', '€', '#']);

export function detokenize(tokens: readonly string[]): string {
  let out = '';
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i];
    if (t === '') continue;
    if (out !== '' && !NO_SPACE_BEFORE.has(t) && !NO_SPACE_AFTER.has(out[out.length - 1])) out += ' ';
    out += t;
  }
  return out;
}

/** A word token (not punctuation). */
export function isWord(t: string): boolean {
  return /[\p{L}\p{N}]/u.test(t);
}

/** Copy the case pattern of `model` onto `word` (all caps, capitalised, or as is). */
export function matchCase(model: string, word: string): string {
  if (model.length > 1 && model === model.toUpperCase() && model !== model.toLowerCase())
    return word.toUpperCase();
  const first = model.charAt(0);
  if (first !== first.toLowerCase()) return word.charAt(0).toUpperCase() + word.slice(1);
  return word;
}
