/**
 * Intent data sets for the text benchmarks (third-party, from ../shared/data; see its README for
 * origin and licence) and the rare-intent protocol: the `rareCount` smallest intents of the training
 * split (ties by name) keep their first `keep` rows in file order; the rows cut away are kept aside
 * (the oracle and the simulated LLM use them — never the test split).
 */
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { readTextRows } from '../src/text/records.js';

export interface Row {
  id: string;
  text: string;
  label: string;
}

export const DATA_DIR = [resolve(import.meta.dirname, '../../shared/data'), '/work/shared/data'].find((d) =>
  existsSync(d),
);

async function csv(path: string, text: string, label: string, prefix: string): Promise<Row[]> {
  return (await readTextRows(path, text, label)).map((r, i) => ({
    id: `${prefix}${i}`,
    text: r.text,
    label: r.label!,
  }));
}

export const DATASETS = ['banking77', 'clinc150', 'hwu64', 'snips'] as const;
export type DatasetName = (typeof DATASETS)[number];

export async function loadDataset(name: DatasetName): Promise<{ train: Row[]; test: Row[] } | null> {
  if (!DATA_DIR) return null;
  const d = DATA_DIR;
  switch (name) {
    case 'banking77':
      if (!existsSync(`${d}/banking77/train.csv`)) return null;
      return {
        train: await csv(`${d}/banking77/train.csv`, 'text', 'category', 'tr'),
        test: await csv(`${d}/banking77/test.csv`, 'text', 'category', 'te'),
      };
    case 'hwu64':
      if (!existsSync(`${d}/hwu64/hwu64_kfold1_train.csv`)) return null;
      return {
        train: await csv(`${d}/hwu64/hwu64_kfold1_train.csv`, 'text', 'label', 'tr'),
        test: await csv(`${d}/hwu64/hwu64_kfold1_test.csv`, 'text', 'label', 'te'),
      };
    case 'clinc150': {
      const f = `${d}/clinc150/data_full.json`;
      if (!existsSync(f)) return null;
      const j = JSON.parse(readFileSync(f, 'utf8')) as Record<string, [string, string][]>;
      const rows = (xs: [string, string][], p: string) =>
        xs.map(([text, label], i) => ({ id: `${p}${i}`, text, label }));
      return { train: rows(j.train, 'tr'), test: rows(j.test, 'te') };
    }
    case 'snips': {
      const f = (n: string) => `${d}/snips-nlu-benchmark/${n}`;
      if (!existsSync(f('snips_train.jsonl'))) return null;
      const rd = (n: string, p: string) =>
        readFileSync(f(n), 'utf8')
          .split('\n')
          .filter(Boolean)
          .map((l, i) => {
            const o = JSON.parse(l) as { text: string; intent: string };
            return { id: `${p}${i}`, text: o.text.trim(), label: o.intent };
          });
      return { train: rd('snips_train.jsonl', 'tr'), test: rd('snips_validate.jsonl', 'te') };
    }
  }
}

export interface Cut {
  rows: Row[];
  rare: string[];
  /** Rows of the rare intents that the cut removed, in file order. */
  cutAway: Row[];
}

/** How many intents the protocol cuts: 10, or half of them when there are fewer than 20 (SNIPS: 3 of 7). */
export function rareCountFor(train: readonly Row[]): number {
  return Math.min(10, Math.floor(new Set(train.map((r) => r.label)).size / 2));
}

export function cutRare(train: readonly Row[], rareCount: number, keep = 5): Cut {
  const counts = new Map<string, number>();
  for (const r of train) counts.set(r.label, (counts.get(r.label) ?? 0) + 1);
  const rare = [...counts]
    .sort((a, b) => a[1] - b[1] || (a[0] < b[0] ? -1 : 1))
    .slice(0, rareCount)
    .map(([l]) => l);
  const seen = new Map<string, number>();
  const rows: Row[] = [];
  const cutAway: Row[] = [];
  for (const r of train) {
    if (!rare.includes(r.label)) {
      rows.push(r);
      continue;
    }
    const k = seen.get(r.label) ?? 0;
    seen.set(r.label, k + 1);
    (k < keep ? rows : cutAway).push(r);
  }
  return { rows, rare, cutAway };
}

export function medianClassSize(rows: readonly Row[]): number {
  const counts = new Map<string, number>();
  for (const r of rows) counts.set(r.label, (counts.get(r.label) ?? 0) + 1);
  const v = [...counts.values()].sort((a, b) => a - b);
  return v[Math.floor((v.length - 1) / 2)];
}
