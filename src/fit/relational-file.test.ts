import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { fitTablesFiles, readInputTables } from './relational-file.js';

const dir = mkdtempSync(join(tmpdir(), 'strata-fit-rel-file-'));

describe('relational fit inputs', () => {
  it('reads every table of a DuckDB file and fits them together', async () => {
    const path = join(dir, 'shop.duckdb');
    const db = await DuckDBInstance.create(path);
    const conn = await db.connect();
    await conn.run('CREATE TABLE customers (customer_id INTEGER, segment VARCHAR)');
    await conn.run(
      "INSERT INTO customers SELECT i, CASE WHEN i % 2 = 0 THEN 'A' ELSE 'B' END FROM range(1, 61) t(i)",
    );
    await conn.run(
      'CREATE TABLE orders (order_id INTEGER, customer_id INTEGER, placed TIMESTAMP, amount DOUBLE)',
    );
    await conn.run(
      "INSERT INTO orders SELECT 1000 + i, 1 + (i % 60), TIMESTAMP '2024-01-01' + INTERVAL (i) HOUR, 10.5 + (i % 7) FROM range(0, 150) t(i)",
    );
    conn.closeSync();
    db.closeSync();
    const { tables, sources } = await readInputTables([path]);
    expect(tables.map((t) => t.name)).toEqual(['customers', 'orders']);
    expect(sources.get('orders')).toBe(`${path}#orders`);
    const orders = tables[1];
    expect(orders.data[orders.columns.indexOf('amount')][0]).toBe('10.5');
    const out = join(dir, 'shop.yaml');
    const { fit } = await fitTablesFiles([path], { out, restarts: 1 });
    expect(fit.tables.find((t) => t.name === 'orders')?.parent).toEqual({
      table: 'customers',
      column: 'customer_id',
    });
    const doc = parse(readFileSync(out, 'utf8')) as { tables: Record<string, { rows?: number }> };
    expect(doc.tables.customers.rows).toBe(60);
  });

  it('reads a directory’s table files only, and names a directory without any', async () => {
    const d = mkdtempSync(join(tmpdir(), 'strata-fit-rel-dir-'));
    writeFileSync(join(d, 'a.csv'), 'a_id,x\n1,2\n2,3\n');
    writeFileSync(join(d, 'notes.md'), '# not a table\n');
    const { tables } = await readInputTables([d]);
    expect(tables.map((t) => t.name)).toEqual(['a']);
    const empty = mkdtempSync(join(tmpdir(), 'strata-fit-rel-empty-'));
    await expect(readInputTables([empty])).rejects.toThrow(/no table files/);
    await expect(readInputTables([join(d, 'a.csv'), d])).rejects.toThrow(/both table "a"/);
  });
});
