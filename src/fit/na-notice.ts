/**
 * What fit says about missing-value tokens (io/na-values.ts): a token kept as a category (`None`
 * among text) gets a notice naming the column and how to say otherwise; tokens listed as missing
 * (`--na-values`, `na_values:`) are written on the model's column, so `evaluate --spec` reads the real
 * data the same way.
 */
import type { NaTokenUse } from '../io/index.js';

export interface NaReport {
  /** One line per column whose tokens were kept as values. */
  notices: string[];
  /** Column → tokens read as missing because they were listed. */
  listed: Map<string, string[]>;
}

const rows = (n: number): string => `${n.toLocaleString('en-US')} row${n === 1 ? '' : 's'}`;

/** A token as the user would type it in YAML flow style and on the command line. */
function spelled(token: string): string {
  return /^[A-Za-z0-9_./-]+$/.test(token) ? token : JSON.stringify(token);
}

export function naReport(uses: readonly NaTokenUse[] | undefined, rowCount: number): NaReport {
  const kept = new Map<string, NaTokenUse[]>();
  const listed = new Map<string, string[]>();
  for (const u of uses ?? []) {
    if (u.readAs === 'value') kept.set(u.column, [...(kept.get(u.column) ?? []), u]);
    else if (u.readAs === 'listed') listed.set(u.column, [...(listed.get(u.column) ?? []), u.token]);
  }
  const notices = [...kept].map(([column, us]) => {
    const what = us
      .map((u) => `"${u.token}" (${rows(u.count)} of ${rowCount.toLocaleString('en-US')})`)
      .join(', ');
    const tokens = us.map((u) => spelled(u.token)).join(',');
    const one = us.length === 1;
    return (
      `column "${column}": ${what} ${one ? 'is' : 'are'} read as ${one ? 'a category' : 'categories'}, not as missing, ` +
      `because the column's other values are text. If ${one ? 'it means' : 'they mean'} missing here, fit with ` +
      `--na-values ${tokens}, or give the column na_values: [${us.map((u) => spelled(u.token)).join(', ')}] in a --from spec.`
    );
  });
  return { notices, listed };
}
