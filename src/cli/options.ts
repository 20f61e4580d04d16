/** Parsing helpers for CLI option values, with errors that say which option and how to fix it. */
import { type Command, Option } from 'commander';
import { StrataError } from '../errors.js';

/**
 * The one spelling of an output path: `-o, --out <file>`. `--output`, which `text generate` and
 * `text dedup` used to take, still works as a hidden alias that fills the same `out` value.
 */
export function outOption(
  cmd: Command,
  description: string,
  opts: { required?: boolean; value?: string; default?: string } = {},
): Command {
  const value = opts.value ?? 'file';
  const out = new Option(`-o, --out <${value}>`, description).makeOptionMandatory(opts.required ?? false);
  if (opts.default !== undefined) out.default(opts.default);
  cmd.addOption(out);
  cmd.addOption(new Option(`--output <${value}>`, 'old spelling of --out').hideHelp());
  cmd.on('option:output', (v: string) => cmd.setOptionValueWithSource('out', v, 'cli'));
  return cmd;
}

export function parseCount(flag: string, raw: string, max = 1e10, min = 0): number {
  const cleaned = raw.replace(/[_,]/g, '');
  const n = /^\d+(\.\d+)?(e\d+)?$/i.test(cleaned) ? Number(cleaned) : Number.NaN;
  if (!Number.isInteger(n) || n < min || n > max) {
    throw new StrataError(
      'cli.bad_number',
      `${flag} "${raw}" is not a whole number from ${min} to ${max}`,
      {},
      `e.g. ${flag} ${Math.min(100_000, max)}`,
    );
  }
  return n;
}

/**
 * `--seed` text → seed, by the one seed rule (src/random/seed.ts); a bad one is `seed.invalid`.
 * Called in a command's action, so the rule loads with the command, not at start-up.
 */
export async function seedOption(raw: string | undefined): Promise<number | undefined> {
  if (raw === undefined) return undefined;
  const { parseSeed } = await import('../random/seed.js');
  return parseSeed(raw, { label: '--seed', text: true });
}

/** `col=value` pairs for --do: numbers and true/false are typed, anything else is a string. */
export function parseAssignments(
  flag: string,
  items: readonly string[],
): Record<string, string | number | boolean> {
  const out: Record<string, string | number | boolean> = Object.create(null); // keyed by user text (src/names.ts; not imported: the CLI loads the library lazily)
  for (const item of items) {
    const eq = item.indexOf('=');
    if (eq <= 0) {
      throw new StrataError(
        'cli.bad_assignment',
        `${flag} "${item}" is not column=value`,
        {},
        `e.g. ${flag} segment=premium`,
      );
    }
    const key = item.slice(0, eq).trim();
    const raw = item.slice(eq + 1).trim();
    const num = Number(raw);
    out[key] =
      raw === 'true' ? true : raw === 'false' ? false : raw !== '' && Number.isFinite(num) ? num : raw;
  }
  return out;
}

/** A comma-separated list (`--na-values None,?`): items trimmed, empty ones dropped. */
export function parseList(raw: string): string[] {
  return raw
    .split(',')
    .map((t) => t.trim())
    .filter((t) => t !== '');
}

export const collect = (value: string, previous: string[] = []): string[] => [...previous, value];
