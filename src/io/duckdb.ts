/** Small helpers shared by the Parquet reader and writer. */

/** A SQL identifier, double-quoted. */
export function sqlIdent(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}

/** A SQL string literal, single-quoted. */
export function sqlString(s: string): string {
  return `'${s.replaceAll("'", "''")}'`;
}
