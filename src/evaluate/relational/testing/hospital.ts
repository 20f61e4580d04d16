/** Test fixture: a hand-made hospital (patients → admissions) whose histories have known dynamics. */
import type { TableInput } from '../../tables.js';

/**
 * Hand-made hospital: patients with 0–4 admissions each; admissions follow each other in time
 * (admit < discharge < next admit), their type cycles EMERGENCY → ELECTIVE → URGENT → EMERGENCY,
 * and `los` is a random walk within a patient (strong lag-1 autocorrelation).
 */
export interface Adm {
  hadm_id: string;
  subject_id: string;
  admittime: string;
  dischtime: string;
  admission_type: string;
  los: string;
}

const TYPES = ['EMERGENCY', 'ELECTIVE', 'URGENT'];
const DAY = 86_400_000;

export function lcg(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

export function hospital(patients = 120, seed = 1) {
  const u = lcg(seed);
  const pats: { subject_id: string; dob: string }[] = [];
  const adms: Adm[] = [];
  let hadm = 1000;
  for (let p = 0; p < patients; p++) {
    const id = String(100 + p);
    const dob = Date.UTC(1950, 0, 1) + Math.floor(u() * 30 * 365) * DAY;
    pats.push({ subject_id: id, dob: new Date(dob).toISOString().slice(0, 10) });
    const n = Math.floor(u() * 5);
    let t = dob + (20 * 365 + Math.floor(u() * 3650)) * DAY;
    let state = Math.floor(u() * 3);
    let los = 5 + u() * 20;
    for (let k = 0; k < n; k++) {
      const stay = Math.max(1, Math.round(los)) * DAY;
      adms.push({
        hadm_id: String(hadm++),
        subject_id: id,
        admittime: new Date(t).toISOString(),
        dischtime: new Date(t + stay).toISOString(),
        admission_type: TYPES[state],
        los: los.toFixed(2),
      });
      t += stay + (30 + Math.floor(u() * 300)) * DAY;
      state = (state + 1) % 3;
      los = Math.max(1, los + (u() - 0.5) * 4);
    }
  }
  return { pats, adms };
}

export function table<T extends object>(name: string, rows: T[], columns: (keyof T & string)[]): TableInput {
  return {
    name,
    columns,
    rowCount: rows.length,
    data: columns.map((c) => rows.map((r) => String(r[c]))),
  };
}

export function sets(h: ReturnType<typeof hospital>) {
  return new Map([
    ['patients', table('patients', h.pats, ['subject_id', 'dob'])],
    [
      'admissions',
      table('admissions', h.adms, [
        'hadm_id',
        'subject_id',
        'admittime',
        'dischtime',
        'admission_type',
        'los',
      ]),
    ],
  ]);
}
