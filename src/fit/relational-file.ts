/**
 * The I/O edge of relational fit: expand the inputs (files, a directory of tables, a DuckDB
 * database), read every table, fit them together (relational.ts) and write the model atomically.
 */
import { readdir, stat } from 'node:fs/promises';
import { extname, join } from 'node:path';
import type { RawColumns } from '../data/infer.js';
import { StrataError } from '../errors.js';
import { readDuckdbTables, readTable, tableStem, writeTextAtomic } from '../io/index.js';
import { fitTables, type RelationalFit, type RelationalFitOptions, relationalYaml } from './relational.js';

export interface FitTablesFileOptions extends Omit<RelationalFitOptions, 'sources'> {
  /** Output model path (.yaml); absent = do not write. */
  out?: string;
  /** Tokens read as missing in every column of every table (`--na-values`). */
  naValues?: string[];
}

const TABLE_EXT = new Set(['.csv', '.tsv', '.jsonl', '.ndjson', '.json', '.parquet']);
const DUCKDB_EXT = new Set(['.duckdb', '.ddb', '.db']);

/** Read every table the inputs name: table files as they are, a directory's table files, a DuckDB file's tables. */
export async function readInputTables(
  inputs: readonly string[],
  naValues?: string[],
): Promise<{ tables: RawColumns[]; sources: Map<string, string> }> {
  const tables: RawColumns[] = [];
  const sources = new Map<string, string>();
  const add = (t: RawColumns, source: string) => {
    if (sources.has(t.name))
      throw new StrataError(
        'fit.tables',
        `two inputs are both table "${t.name}" (${sources.get(t.name)} and ${source})`,
        {},
        'a table name is its file name without the extension: rename one',
      );
    sources.set(t.name, source);
    tables.push(t);
  };
  for (const input of inputs) {
    let isDir = false;
    try {
      isDir = (await stat(input)).isDirectory();
    } catch {
      // Not found: readTable names the path.
    }
    if (isDir) {
      const files = (await readdir(input)).filter((f) => TABLE_EXT.has(extname(f).toLowerCase())).sort();
      if (files.length === 0)
        throw new StrataError(
          'fit.tables',
          'the directory holds no table files',
          { file: input },
          `put ${[...TABLE_EXT].join(', ')} files in it, or name the files`,
        );
      for (const f of files) {
        const raw = await readTable(join(input, f), { naValues });
        add({ ...raw, name: tableStem(f) }, join(input, f));
      }
    } else if (DUCKDB_EXT.has(extname(input).toLowerCase())) {
      for (const raw of await readDuckdbTables(input)) add(raw, `${input}#${raw.name}`);
    } else {
      const raw = await readTable(input, { naValues });
      add({ ...raw, name: tableStem(input) }, input);
    }
  }
  return { tables, sources };
}

export async function fitTablesFiles(
  inputs: readonly string[],
  opts: FitTablesFileOptions = {},
): Promise<{ fit: RelationalFit; yaml: string }> {
  const { tables, sources } = await readInputTables(inputs, opts.naValues);
  const { out: _out, naValues: _na, ...fitOpts } = opts;
  const fit = fitTables(tables, { ...fitOpts, sources });
  const yaml = relationalYaml(fit);
  if (opts.out) await writeTextAtomic(opts.out, yaml);
  return { fit, yaml };
}

/** What `strata fit` prints for several tables: links, counts, sequences, rules, timing. */
export function relationalSummary(fit: RelationalFit, out?: string): string {
  const lines: string[] = [];
  lines.push(
    `fitted ${fit.tables.length} table${fit.tables.length === 1 ? '' : 's'} in ${fit.seconds.toFixed(2)} s`,
  );
  for (const t of fit.tables) {
    lines.push('', `${t.name}: ${t.rows} rows${t.key ? `, key ${t.key}` : ''}`);
    if (t.parent) lines.push(`  parent: ${t.parent.table} through ${t.parent.column}`);
    if (t.count) lines.push(`  count: ${t.count.summary}`);
    if (t.sequence)
      lines.push(
        `  sequence: ${[t.sequence.entity ? `entity ${t.sequence.entity}` : '', t.sequence.order ? `order ${t.sequence.order}` : ''].filter(Boolean).join(', ')} (${t.sequence.why})`,
      );
    const cross = [...t.parents].filter(([, ps]) => ps.some((p) => p.includes('.') || p === 'index'));
    for (const [c, ps] of cross) lines.push(`  ${ps.join(', ')} -> ${c}`);
    for (const r of t.rules) lines.push(`  rule ${r.check}  (held on ${r.rows} rows)`);
  }
  if (fit.notes.length > 0) lines.push('', 'notes:', ...fit.notes.map((n) => `  ${n}`));
  if (out) lines.push('', `model written to ${out}`);
  return `${lines.join('\n')}\n`;
}
