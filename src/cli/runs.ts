/** `strata runs list|show|diff|query`: the ledger as a table of runs, through DuckDB. */
import type { Command } from 'commander';
import { ledgerToRead } from './ledger.js';
import { DEFAULT_LEDGER } from './record.js';

const fmt = (v: unknown): string =>
  v === null || v === undefined
    ? '—'
    : typeof v === 'number'
      ? Number.isInteger(v)
        ? String(v)
        : v.toFixed(4)
      : typeof v === 'string'
        ? v
        : JSON.stringify(v);

function table(head: string[], rows: unknown[][]): string {
  const cells = [head, ...rows.map((r) => r.map(fmt))];
  const w = head.map((_, i) => Math.max(...cells.map((r) => String(r[i]).length)));
  return `${cells
    .map((r) =>
      r
        .map((c, i) => String(c).padEnd(w[i]))
        .join('  ')
        .trimEnd(),
    )
    .join('\n')}\n`;
}

export function registerRunsCommand(program: Command): void {
  const runs = program
    .command('runs')
    .description('the run registry: list, show and compare recorded runs (SQL over the ledger)');
  const ledgerOpt = (c: Command) => c.option('--ledger <file>', `ledger file (default ${DEFAULT_LEDGER})`);

  ledgerOpt(
    runs
      .command('list')
      .option('--json', 'print JSON')
      .option('--sql', 'print the SQL instead of running it')
      .description('every run: number, id, time, command, output, rows, gate'),
  ).action(async (o: { ledger?: string; json?: boolean; sql?: boolean }) => {
    const { listRuns, LIST_SQL, runsViewSql } = await import('../ledger/registry.js');
    const path = ledgerToRead(o.ledger);
    if (o.sql) {
      process.stdout.write(`${runsViewSql(path)};\n${LIST_SQL};\n`);
      return;
    }
    const rows = await listRuns(path);
    process.stdout.write(
      o.json
        ? `${JSON.stringify(rows, null, 2)}\n`
        : table(
            ['#', 'run', 'time', 'command', 'output', 'rows', 'gate'],
            rows.map((r) => [r.seq, r.run, r.time, r.command, r.output, r.rows, r.gate]),
          ),
    );
  });

  ledgerOpt(
    runs
      .command('show')
      .argument('<run>', 'run id (or a unique part, #N, last)')
      .option('--json', 'print JSON')
      .description('one run in full (as `ledger show`)'),
  ).action(async (run: string, o: { ledger?: string; json?: boolean }) => {
    const [{ readEntries, findEntry }, { formatEntry }] = await Promise.all([
      import('../ledger/read.js'),
      import('../ledger/format.js'),
    ]);
    const path = ledgerToRead(o.ledger);
    const e = findEntry(await readEntries(path), run, path);
    process.stdout.write(o.json ? `${JSON.stringify(e, null, 2)}\n` : formatEntry(e, path));
  });

  ledgerOpt(
    runs
      .command('diff')
      .argument('<a>', 'first run')
      .argument('<b>', 'second run')
      .option('--json', 'print JSON')
      .description('what changed from A to B: options, inputs, the model (spec diff), metric deltas'),
  ).action(async (ra: string, rb: string, o: { ledger?: string; json?: boolean }) => {
    const [{ readEntries, findEntry }, { diffRuns }] = await Promise.all([
      import('../ledger/read.js'),
      import('../ledger/registry.js'),
    ]);
    const path = ledgerToRead(o.ledger);
    const entries = await readEntries(path);
    const d = await diffRuns(path, findEntry(entries, ra, path), findEntry(entries, rb, path));
    if (o.json) {
      const { a, b, ...rest } = d;
      process.stdout.write(`${JSON.stringify({ a: a.run, b: b.run, ...rest }, null, 2)}\n`);
      return;
    }
    const out = [
      `A = #${d.a.seq} ${d.a.command} (run ${d.a.run})`,
      `B = #${d.b.seq} ${d.b.command} (run ${d.b.run})`,
      '',
    ];
    const changes = (title: string, cs: { what: string; from: unknown; to: unknown }[]) => {
      out.push(`${title}:`);
      if (!cs.length) out.push('  (no change)');
      for (const c of cs) out.push(`  ${c.what}: ${fmt(c.from)} → ${fmt(c.to)}`);
    };
    changes('options', d.params);
    changes('inputs', d.inputs);
    changes('model (spec)', d.spec);
    out.push(
      `metrics (A from ${d.metricsFrom[0] ?? 'no evaluation'}, B from ${d.metricsFrom[1] ?? 'no evaluation'}):`,
    );
    const shown = d.metrics.filter((m) => m.a !== null || m.b !== null);
    if (!shown.length) out.push('  (no evaluation of either run)');
    else
      out.push(
        ...table(
          ['  metric', 'A', 'B', 'B − A'],
          shown.map((m) => [
            `  ${m.key}`,
            m.a,
            m.b,
            m.delta === null ? null : `${m.delta >= 0 ? '+' : ''}${m.delta.toFixed(4)}`,
          ]),
        )
          .trimEnd()
          .split('\n'),
      );
    process.stdout.write(`${out.join('\n')}\n`);
  });

  ledgerOpt(
    runs
      .command('query')
      .argument('<sql>', 'SQL over the table `runs` (one row per ledger entry)')
      .option('--json', 'print JSON')
      .description('run your own SQL on the ledger (docs/ledger.md lists the columns)'),
  ).action(async (sql: string, o: { ledger?: string; json?: boolean }) => {
    const { withRuns } = await import('../ledger/registry.js');
    const rows = await withRuns(ledgerToRead(o.ledger), async (conn) =>
      (await conn.runAndReadAll(sql)).getRowObjectsJS(),
    );
    const { nameMap } = await import('../names.js');
    // The user's SQL names the columns: null-prototype rows (a column called __proto__ stays a column).
    const plain = rows.map((r) =>
      nameMap(Object.entries(r).map(([k, v]) => [k, typeof v === 'bigint' ? Number(v) : v] as const)),
    );
    if (o.json || !plain.length) {
      process.stdout.write(`${JSON.stringify(plain, null, 2)}\n`);
      return;
    }
    const head = Object.keys(plain[0]);
    process.stdout.write(
      table(
        head,
        plain.map((r) => head.map((h) => r[h])),
      ),
    );
  });
}
