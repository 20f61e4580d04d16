/**
 * Loading real red-team collections from a path (not bundled; see docs/text.md for why):
 * XSTest (`xstest_prompts.csv`: prompt, type, label safe|unsafe) — safe prompts become over-refusal
 * controls, unsafe ones attacks, in the category of their XSTest type (contrast_X → X; the two
 * discrimination types and the privacy types merged); and jailbreak templates with an
 * `[INSERT PROMPT HERE]` placeholder (GPTFuzzer.csv: a `text` column).
 */
import { StrataError } from '../../errors.js';
import { readTextRows } from '../records.js';
import { PLACEHOLDER, type RedteamSeed, type SeedSet } from './seeds.js';

export function xstestCategory(type: string): string {
  const t = type.replace(/^contrast_/, '');
  if (t.includes('discr')) return 'discrimination';
  if (t.startsWith('privacy')) return 'privacy';
  return t;
}

export async function loadXstest(path: string): Promise<RedteamSeed[]> {
  const rows = await readTextRows(path, 'prompt', 'type');
  return rows.map((r, i) => {
    const label = String(r.raw.label ?? '');
    if (label !== 'safe' && label !== 'unsafe')
      throw new StrataError(
        'text.redteam_seeds',
        `row ${i + 1}: label must be safe or unsafe, got "${label}"`,
        { file: path, line: i + 2 },
        'pass the XSTest prompts CSV (columns id, prompt, type, label, …)',
      );
    return {
      id: `xstest:${r.id}`,
      category: xstestCategory(r.label ?? 'unknown'),
      kind: label === 'safe' ? 'control' : 'attack',
      text: r.text,
      source: 'xstest',
    } satisfies RedteamSeed;
  });
}

export async function loadJailbreakTemplates(path: string): Promise<SeedSet['templates']> {
  const rows = await readTextRows(path, 'text');
  const out = rows
    .filter((r) => r.text.includes(PLACEHOLDER))
    .map((r) => ({
      id: `templates:${r.id}`,
      text: r.text,
      source: path.split(/[\\/]/).pop() ?? 'templates',
    }));
  if (!out.length)
    throw new StrataError(
      'text.redteam_templates',
      `no template in ${path} contains ${PLACEHOLDER}`,
      { file: path },
      'pass a CSV with a text column of templates holding the placeholder',
    );
  return out;
}
