import { describe, expect, it } from 'vitest';
import type { RawColumns } from '../data/infer.js';
import { streamFor } from '../random/stream.js';
import { fitTables, relationalYaml } from './relational.js';

// A hospital built here, not read from ../shared: admissions → ICU stays (a sequence by intime) →
// charted events. Stays of one admission follow each other (intime > prev.outtime on every pair)
// and start before discharge (intime < parent.dischtime), yet a third of the last stays end after
// discharge: `prev.outtime <= parent.dischtime` holds on the real pairs but no rule says so — the
// shape of MIMIC-III's ICUSTAYS, where fit dropped `intime > prev.outtime`.
const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const t0 = Date.UTC(2150, 0, 1);
const fmt = (ms: number) => new Date(ms).toISOString().slice(0, 19).replace('T', ' ');

interface Fixture {
  tables: RawColumns[];
  /** Events whose charttime is after their stay's outtime (the near-invariant's breaks). */
  late: number;
  events: number;
  pairs: number;
}

function hospital(admissions: number, lateEvents: number, seed: number): Fixture {
  const s = streamFor(seed, 'hospital');
  const u = (a: number, b: number) => a + (b - a) * s.nextFloat();
  const adm: string[][] = [[], [], []];
  const stays: string[][] = [[], [], [], []];
  const ev: string[][] = [[], [], [], []];
  let stayId = 200_000;
  let rowId = 1;
  let pairs = 0;
  let late = 0;
  for (let a = 0; a < admissions; a++) {
    const hadm = 100_000 + a;
    const admit = Math.round(t0 + u(0, 365 * DAY));
    const disch = Math.round(admit + u(3, 12) * DAY);
    adm[0].push(String(hadm));
    adm[1].push(fmt(admit));
    adm[2].push(fmt(disch));
    const n = s.nextFloat() < 0.35 ? 2 : 1;
    let prevOut = admit;
    for (let k = 0; k < n; k++) {
      const last = k === n - 1;
      // The first stay starts soon after admission; the next one after the previous ends.
      const intime = Math.round(k === 0 ? admit + u(1, 12) * HOUR : prevOut + u(2, 24) * HOUR);
      // A stay followed by another ends well before discharge; a last one may end after it.
      const outtime = last
        ? Math.round(s.nextFloat() < 0.35 ? disch + u(1, 24) * HOUR : intime + u(0.3, 0.6) * (disch - intime))
        : Math.round(intime + u(0.1, 0.3) * (disch - intime));
      if (k > 0) pairs++;
      stays[0].push(String(++stayId));
      stays[1].push(String(hadm));
      stays[2].push(fmt(intime));
      stays[3].push(fmt(outtime));
      prevOut = outtime;
      // Events charted inside the stay, every 1–3 hours.
      for (let c = intime + u(0.2, 1) * HOUR; c < outtime; c += u(1, 3) * HOUR) {
        let chart = Math.round(c);
        if (late < lateEvents && s.nextFloat() < 0.01) {
          chart = outtime + 600_000; // charted 10 minutes after the stay's recorded end
          late++;
        }
        ev[0].push(String(rowId++));
        ev[1].push(String(stayId));
        ev[2].push(fmt(chart));
        ev[3].push(fmt(chart + Math.round(u(1, 30) * 60_000)));
      }
    }
  }
  return {
    tables: [
      {
        name: 'ADMISSIONS',
        columns: ['hadm_id', 'admittime', 'dischtime'],
        rowCount: adm[0].length,
        data: adm,
      },
      {
        name: 'ICUSTAYS',
        columns: ['icustay_id', 'hadm_id', 'intime', 'outtime'],
        rowCount: stays[0].length,
        data: stays,
      },
      {
        name: 'EVENTS',
        columns: ['row_id', 'icustay_id', 'charttime', 'storetime'],
        rowCount: ev[0].length,
        data: ev,
      },
    ],
    late,
    events: ev[0].length,
    pairs,
  };
}

const h = hospital(160, 2, 4);
const fit = fitTables(h.tables, { seed: 1, restarts: 2 });
const rules = (t: string) => fit.tables.find((x) => x.name === t)!.rules;

describe('fit writes the order of consecutive rows as a rule', () => {
  it('learns intime > prev.outtime although intime < parent.dischtime leaves the pair unordered', () => {
    expect(fit.tables.find((t) => t.name === 'ICUSTAYS')!.sequence?.order).toBe('intime');
    const checks = rules('ICUSTAYS').map((r) => r.check);
    // The conflict that used to drop it: both bounds of intime are written.
    expect(checks).toContain('intime < parent.dischtime');
    expect(checks).toContain('intime > prev.outtime');
    const rule = rules('ICUSTAYS').find((r) => r.check === 'intime > prev.outtime')!;
    expect(rule.rows).toBe(h.pairs);
    expect(fit.notes.join('\n')).not.toMatch(/prev\.outtime.*is not written/);
  });

  it('says in the model how many pairs of consecutive rows supported it', () => {
    expect(h.pairs).toBeGreaterThanOrEqual(5);
    expect(relationalYaml(fit)).toMatch(
      new RegExp(
        `# held on all ${h.pairs} real pairs of consecutive rows where its inputs are present\\n\\s+- \\{ ?name: intime_after_prev_outtime`,
      ),
    );
  });

  it('needs the same support as any learned invariant: 5 pairs', () => {
    // 8 admissions give 1–4 pairs: below the evidence threshold, no rule against the previous row.
    const few = hospital(8, 0, 9);
    expect(few.pairs).toBeLessThan(5);
    const f = fitTables(few.tables, { seed: 1, restarts: 1 });
    const stays = f.tables.find((t) => t.name === 'ICUSTAYS')!;
    expect(stays.rules.map((r) => r.check).filter((c) => c.includes('prev.'))).toEqual([]);
  });
});

describe('fit writes a relation broken on at most 0.1 % of the real rows, saying how many break it', () => {
  it('learns charttime < parent.outtime though 2 events are charted after their stay ends', () => {
    expect(h.late).toBe(2);
    expect(h.events).toBeGreaterThanOrEqual(2000);
    const rule = rules('EVENTS').find((r) => r.check === 'charttime < parent.outtime');
    expect(rule).toBeDefined();
    expect(rule!.relation.breaks).toBe(2);
    expect(rule!.rows).toBe(h.events);
    expect(fit.notes.join('\n')).toContain(
      `EVENTS: charttime < parent.outtime is written as a rule though 2 of ${h.events} real rows break it`,
    );
    expect(relationalYaml(fit)).toMatch(
      new RegExp(
        `# held on ${h.events - 2} of ${h.events} real rows where its inputs are present; 2 break it\\n\\s+- \\{ ?name: charttime_before_parent_outtime`,
      ),
    );
  });

  it('writes none with ruleBreakShare 0', () => {
    const strict = fitTables(h.tables, { seed: 1, restarts: 1, ruleBreakShare: 0 });
    const checks = strict.tables.find((t) => t.name === 'EVENTS')!.rules.map((r) => r.check);
    expect(checks).not.toContain('charttime < parent.outtime');
    expect(checks).toContain('storetime > charttime');
  });
});
