import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { type EvaluationReport, evaluate, SECTION_NAMES } from '../evaluate/index.js';
import { readTable } from '../io/index.js';
import { runMain } from './testing/run-main.js';

function lcg(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

/** A long panel: `entities` customers × 6 months, balance an AR(1) walk, status a sticky chain. */
function panel(entities: number, seed: number): string[][] {
  const u = lcg(seed);
  const rows: string[][] = [];
  for (let e = 0; e < entities; e++) {
    let bal = 1000 + 4000 * u();
    let status = u() < 0.7 ? 'ok' : 'late';
    for (let m = 1; m <= 6; m++) {
      rows.push([String(5000 + e), String(m), bal.toFixed(0), status]);
      bal = 0.9 * bal + 300 * (u() - 0.5) + 100;
      if (u() < 0.1) status = status === 'ok' ? 'late' : 'ok';
    }
  }
  return rows;
}

/** Row-independent: every value column shuffled across rows (each month's marginal kept, steps lost). */
function snapshot(rows: string[][], seed: number): string[][] {
  const u = lcg(seed);
  const out = rows.map((r) => [...r]);
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(u() * (i + 1));
    [out[i][2], out[j][2]] = [out[j][2], out[i][2]];
    [out[i][3], out[j][3]] = [out[j][3], out[i][3]];
  }
  return out;
}

function csv(dir: string, name: string, rows: string[][]): string {
  const path = join(dir, name);
  writeFileSync(path, `ID,month,balance,status\n${rows.map((r) => r.join(',')).join('\n')}\n`);
  return path;
}

const ONLY_RELATIONAL = Object.fromEntries(SECTION_NAMES.map((n) => [n, n === 'relational']));

describe('strata evaluate --entity --order (one panel file)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'strata-panel-'));
  const real = csv(dir, 'long.csv', panel(300, 1));
  const fair = csv(dir, 'fair.csv', panel(300, 2));
  const snap = csv(dir, 'snap.csv', snapshot(panel(300, 2), 7));
  const hold = csv(dir, 'hold.csv', panel(300, 3));

  /** The relational section alone (the CLI runs every section: MMD's permutations take seconds). */
  async function judge(synthetic: string): Promise<EvaluationReport> {
    const set = async (path: string) => new Map([['long', await readTable(path)]]);
    const r = await set(real);
    return evaluate({
      real: r.get('long') as NonNullable<ReturnType<typeof r.get>>,
      synthetic: (await set(synthetic)).get('long') as NonNullable<ReturnType<typeof r.get>>,
      sections: ONLY_RELATIONAL,
      seed: 3,
      relational: {
        real: r,
        synthetic: await set(synthetic),
        holdout: await set(hold),
        orders: [{ table: 'long', column: 'month' }],
        entities: [{ table: 'long', column: 'ID' }],
      },
    });
  }

  it('runs the sequence figures and the per-entity detection on a panel; a snapshot fails them', async () => {
    const good = await judge(fair);
    const bad = await judge(snap);
    const seq = good.relational?.sequences[0];
    expect(seq).toMatchObject({ table: 'long', entity: 'ID', order: 'month', source: 'option' });
    expect(good.relational?.entities.map((e) => `${e.kind}:${e.table}.${e.entity}`)).toEqual([
      'panel:long.ID',
    ]);
    expect(good.relational?.entities[0].entities_real).toBe(300);
    // a second real-like sample
    expect(good.summary.sequence_length_tvd_min).toBe(1);
    expect(good.summary.step_change_tvd_min).toBeGreaterThan(0.85);
    expect(good.summary.lag1_autocorrelation_diff_max).toBeLessThan(0.1);
    expect(good.summary.entity_detection_auc_max).toBeLessThan(0.65);
    // the same rows, shuffled: marginals kept, dynamics gone
    expect(bad.summary.step_change_tvd_min).toBeLessThan(0.7);
    expect(bad.summary.lag1_autocorrelation_diff_max).toBeGreaterThan(0.5);
    expect(bad.summary.entity_detection_auc_max).toBeGreaterThan(0.75);
    expect(bad.relational?.entities[0].auc_holdout?.value).toBeLessThan(0.65);
    // a panel timeline carries the first numeric column as each entity's trajectory
    expect(good.relational?.entities[0].timeline?.value_column).toBe('balance');
  });

  it('judges one panel file from the command line, the entity id kept out of the single-table sections', async () => {
    const small = csv(dir, 'small.csv', panel(40, 1));
    const small2 = csv(dir, 'small2.csv', panel(40, 2));
    const json = join(dir, 'small.json');
    const args = ['evaluate', '--real', small, '--synthetic', small2, '--entity', 'ID', '--order', 'month'];
    const r = await runMain([...args, '--json', json, '--quiet']);
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    const rep = JSON.parse(readFileSync(json, 'utf8')) as EvaluationReport;
    expect(rep.relational?.sequences.map((s) => `${s.table} by ${s.entity} on ${s.order}`)).toEqual([
      'small by ID on month',
    ]);
    expect(rep.relational?.entities[0].entities_real).toBe(40);
    expect(rep.inputs.columns.map((c) => c.name)).not.toContain('ID');
    expect(r.out).toContain('Per-entity detection');
  });

  it('refuses --entity without one --order, or with directories, naming the form', async () => {
    const noOrder = await runMain(['evaluate', '--real', real, '--synthetic', fair, '--entity', 'ID']);
    expect(noOrder.code).toBe(2);
    expect(noOrder.err).toMatch(/--entity judges one panel file, but 0 --order columns were given/);
    const dirs = await runMain([
      'evaluate',
      '--real',
      dir,
      '--synthetic',
      dir,
      '--entity',
      'ID',
      '--order',
      'month',
    ]);
    expect(dirs.code).toBe(2);
    expect(dirs.err).toMatch(/--real is a directory/);
    const bare = await runMain(['evaluate', '--real', dir, '--synthetic', dir, '--order', 'month']);
    expect(bare.code).toBe(2);
    expect(bare.err).toMatch(/--order "month" is not TABLE=COLUMN/);
  });
});
