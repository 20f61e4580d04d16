import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Command } from 'commander';
import { parse } from 'csv-parse/sync';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { compilePlan } from '../coverage/plan.js';
import { CARD_CUSTOMERS_YAML, parseSpecText } from '../spec/index.js';
import { registerGenerateCommand } from './generate.js';

async function run(args: string[]): Promise<string> {
  const program = new Command().exitOverride();
  registerGenerateCommand(program);
  let out = '';
  const spy = vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    out += String(chunk);
    return true;
  });
  try {
    await program.parseAsync(['node', 'strata', ...args]);
  } finally {
    spy.mockRestore();
  }
  return out;
}

afterEach(() => {
  process.exitCode = undefined;
});

/** The output file, recounted from scratch: rows, columns, ESS, rows per plan cell and per tail region. */
function recount(csv: string) {
  const { spec } = parseSpecText(CARD_CUSTOMERS_YAML, 'card.yaml');
  const parsed = parse(readFileSync(csv, 'utf8')) as string[][];
  const header = parsed[0];
  const rows = parsed.slice(1).filter((r) => r.length > 1);
  const col = (n: string) => header.indexOf(n);
  const columnIndex = new Map(header.map((n, i) => [n, i] as [string, number]));
  const plan = compilePlan(spec.coverage!.customer, spec.tables.customer.columns, {
    table: 'customer',
    columnIndex,
  });
  const perCell = new Map<string, number>();
  let forbiddenRows = 0;
  let sw = 0;
  let sw2 = 0;
  for (const r of rows) {
    const typed = r.map((v, i) => (header[i] === 'age' || header[i] === 'income' ? Number(v) : v));
    const cell = plan.cellOf(typed);
    if (cell) perCell.set(cell.key, (perCell.get(cell.key) ?? 0) + 1);
    if (plan.forbiddenBy(typed) !== undefined) forbiddenRows++;
    const w = Number(r[col('_weight')]);
    sw += w;
    sw2 += w * w;
  }
  const inRegion = (column: string, lo: number, hi: number) =>
    rows.filter((r) => {
      const v = Number(r[col(column)]);
      return v >= lo && v < hi;
    }).length;
  return { header, rows: rows.length, perCell, forbiddenRows, ess: (sw * sw) / sw2, inRegion };
}

describe('strata generate: every summary line agrees with the file it wrote', () => {
  const dir = mkdtempSync(join(tmpdir(), 'strata-cli-generate-'));
  const specPath = join(dir, 'card.yaml');
  writeFileSync(specPath, CARD_CUSTOMERS_YAML);

  it('rows, columns, seed, workers used, ESS, each cell and tail, forbidden cells', async () => {
    const out = join(dir, 'covered.csv');
    const text = await run(['generate', specPath, '-n', '20000', '-o', out, '--workers', '2']);
    const lines = text.trim().split('\n');
    const got = recount(out);
    const num = (s: string) => Number(s.replace(/,/g, ''));

    const head =
      /^wrote ([\d,]+) rows × (\d+) columns of "customer" to .* \(.* rows\/s, seed (\d+), (\d+) workers?\)$/.exec(
        lines[0],
      );
    expect(head).not.toBeNull();
    expect(num(head![1])).toBe(got.rows);
    expect(Number(head![2])).toBe(got.header.length);
    expect(Number(head![3])).toBe(42);
    expect(Number(head![4])).toBe(2); // 20,000 rows are several blocks: two threads drew them

    const cov = /^coverage: (\d+) cells\/tails, effective sample size ([\d,]+) of ([\d,]+) rows$/.exec(
      lines[1],
    );
    expect(cov).not.toBeNull();
    expect(num(cov![2])).toBe(Math.round(got.ess));
    expect(num(cov![3])).toBe(got.rows);

    let checked = 0;
    for (const l of lines.slice(2)) {
      const forbidden = /^ {2}(\S+): forbidden by .* \((\d+) rows\)$/.exec(l);
      if (forbidden) {
        expect(got.forbiddenRows).toBe(0);
        expect(Number(forbidden[2])).toBe(got.forbiddenRows);
        checked++;
        continue;
      }
      const tail = /^ {2}tail:\S+ \((\w+) in \[([^,]+), ([^)]+)\)\): P=\S+ quota (\d+) delivered (\d+)$/.exec(
        l,
      );
      if (tail) {
        expect(Number(tail[5])).toBe(got.inRegion(tail[1], Number(tail[2]), Number(tail[3])));
        expect(Number(tail[5])).toBeGreaterThanOrEqual(Number(tail[4]));
        checked++;
        continue;
      }
      const cell = /^ {2}(\S+): P=\S+ quota (\d+) delivered (\d+)$/.exec(l);
      expect(cell, l).not.toBeNull();
      expect(Number(cell![3])).toBe(got.perCell.get(cell![1]) ?? 0);
      expect(Number(cell![3])).toBeGreaterThanOrEqual(Number(cell![2]));
      checked++;
    }
    expect(checked).toBe(Number(cov![1]) + 1); // every component, and the forbidden cell
  });

  it('reports one worker when one block is all there is', async () => {
    const out = join(dir, 'small.csv');
    const text = await run(['generate', specPath, '-n', '500', '-o', out, '--workers', '4', '--no-coverage']);
    expect(text).toMatch(/seed 42, 1 worker\)/);
  });
});
