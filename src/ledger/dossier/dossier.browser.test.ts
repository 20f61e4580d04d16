/**
 * The dossier end to end through the CLI (generate "real" data and a holdout, fit, generate,
 * evaluate with gates, dossier), then checked in headless Chromium: no console errors, every
 * figure rendered, and printed to PDF with no table cut by a page break (pdftotext per page).
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../cli/main.js';
import { CARD_CUSTOMERS_YAML } from '../../spec/examples.js';
import { printPdf } from './pdf.js';

const CHROMIUM = '/usr/bin/chromium';
const POPPLER = existsSync('/usr/bin/pdftotext') && existsSync('/usr/bin/pdfinfo');
const dir = mkdtempSync(join(tmpdir(), 'strata-dossier-'));
const cwd = process.cwd();

async function strata(args: string[]): Promise<number> {
  return main(args);
}

beforeAll(async () => {
  process.chdir(dir);
  writeFileSync('card.yaml', CARD_CUSTOMERS_YAML);
  writeFileSync(
    'gates.yaml',
    'accuracy_univariate: { min: 0.8 }\ndetection_auc: { max: 0.99 }\ndcr_share: { max: 0.9 }\n',
  );
  const rec = ['--ledger', '.strata/ledger.jsonl'];
  expect(
    await strata([
      'generate',
      'card.yaml',
      '-n',
      '1500',
      '--seed',
      '1',
      '--no-coverage',
      '-o',
      'real.csv',
      '--no-ledger',
    ]),
  ).toBe(0);
  expect(
    await strata([
      'generate',
      'card.yaml',
      '-n',
      '1500',
      '--seed',
      '2',
      '--no-coverage',
      '-o',
      'holdout.csv',
      '--no-ledger',
    ]),
  ).toBe(0);
  expect(
    await strata(['fit', 'real.csv', '-o', 'model.yaml', '--name', 'customers', '--seed', '1', ...rec]),
  ).toBe(0);
  expect(
    await strata(['generate', 'model.yaml', '-n', '1500', '--seed', '3', '-o', 'synthetic.csv', ...rec]),
  ).toBe(0);
  expect(
    await strata([
      'evaluate',
      '--real',
      'real.csv',
      '--synthetic',
      'synthetic.csv',
      '--holdout',
      'holdout.csv',
      '--target',
      'segment',
      '--sensitive',
      'segment',
      '--gate',
      'gates.yaml',
      '--json',
      'report.json',
      '--seed',
      '1',
      ...rec,
    ]),
  ).toBe(0);
  expect(
    await strata([
      'dossier',
      'last',
      '-o',
      'dossier.html',
      '--ledger',
      '.strata/ledger.jsonl',
      '--purpose',
      'Test data for a card-limit model.',
    ]),
  ).toBe(0);
}, 600_000);

afterAll(() => process.chdir(cwd));

interface TableInfo {
  caption: string;
  last: string;
}

/** Every table's caption and its last row's longest cell text, read in the browser. */
const TABLES_JS = `[...document.querySelectorAll('table')].map((t) => {
  const rows = t.tBodies[0].rows; const cells = [...rows[rows.length - 1].cells].map((c) => c.innerText.replace(/\\s+/g, ' ').trim());
  return { caption: t.caption.innerText.trim(), last: cells.sort((a, b) => b.length - a.length)[0].slice(0, 24) };
})`;

const norm = (s: string) => s.replace(/\s+/g, ' ');

/** Tables whose caption and last row are not on one PDF page. */
function cutTables(pdf: string, tables: TableInfo[]): string[] {
  const pages = Number(/Pages:\s+(\d+)/.exec(execFileSync('pdfinfo', [pdf], { encoding: 'utf8' }))?.[1]);
  const text = Array.from({ length: pages }, (_, i) =>
    norm(
      execFileSync('pdftotext', ['-f', String(i + 1), '-l', String(i + 1), pdf, '-'], { encoding: 'utf8' }),
    ),
  );
  return tables
    .filter((t) => {
      const label = `${t.caption.split('.')[0]}.`;
      const page = text.find((p) => p.includes(label));
      if (!page) return true;
      return !page.slice(page.indexOf(label)).includes(norm(t.last));
    })
    .map((t) => t.caption);
}

describe('dossier', () => {
  it('is one self-contained page with every section', () => {
    const html = readFileSync(join(dir, 'dossier.html'), 'utf8');
    expect(html).not.toMatch(/<script|(?:src|href)="https?:/i);
    for (const id of [
      'summary',
      'purpose',
      'fingerprint',
      'model',
      'results',
      'limitations',
      'reproduce',
      'ledger',
    ])
      expect(html).toContain(`<section id="${id}"`);
    expect(html).toContain('Test data for a card-limit model.');
    expect(html).toContain('All gates passed');
    expect(html).toContain('Intact.');
    expect(html).toMatch(/strata fit real\.csv -o model\.yaml --name customers --seed 1/);
  });

  it.skipIf(!existsSync(CHROMIUM))(
    'renders in headless Chromium without errors, every figure drawn, and prints with no table cut',
    async () => {
      const browser = await chromium.launch({
        executablePath: CHROMIUM,
        args: [
          '--headless',
          '--no-sandbox',
          '--disable-gpu',
          '--no-first-run',
          '--disable-background-networking',
        ],
      });
      let tables: TableInfo[];
      try {
        const page = await browser.newPage({ viewport: { width: 1200, height: 900 } });
        const problems: string[] = [];
        page.on('console', (m) => {
          if (m.type() === 'error') problems.push(`console: ${m.text()}`);
        });
        page.on('pageerror', (err) => problems.push(`page error: ${err.message}`));
        page.on('requestfailed', (r) => problems.push(`request failed: ${r.url()}`));
        await page.goto(`file://${join(dir, 'dossier.html')}`);
        const figures = await page.locator('figure svg').evaluateAll((svgs) =>
          svgs.map((s) => {
            const b = s.getBoundingClientRect();
            return { w: b.width, h: b.height, marks: s.querySelectorAll('path, rect, text').length };
          }),
        );
        expect(figures.length).toBeGreaterThanOrEqual(3); // causal graph, accuracy, DCR
        for (const f of figures) {
          expect(f.w).toBeGreaterThan(50);
          expect(f.h).toBeGreaterThan(50);
          expect(f.marks).toBeGreaterThan(5);
        }
        tables = (await page.evaluate(TABLES_JS)) as TableInfo[];
        expect(tables.length).toBeGreaterThanOrEqual(8);
        expect(problems).toEqual([]);
      } finally {
        await browser.close();
      }
      if (!POPPLER) return;
      const pdf = join(dir, 'dossier.pdf');
      expect(await strata(['dossier', 'last', '-o', pdf, '--ledger', '.strata/ledger.jsonl'])).toBe(0);
      const pages = Number(/Pages:\s+(\d+)/.exec(execFileSync('pdfinfo', [pdf], { encoding: 'utf8' }))?.[1]);
      expect(pages).toBeGreaterThanOrEqual(3);
      expect(cutTables(pdf, tables)).toEqual([]);
      // The check can fail: a 120-row table without break-inside: avoid runs over a page break.
      const rows = Array.from(
        { length: 120 },
        (_, i) => `<tr><td>row number ${String(i).padStart(3, '0')}</td></tr>`,
      );
      const control = join(dir, 'control.pdf');
      await printPdf(
        `<!doctype html><html><body><p style="height:600px">intro</p><table><caption>Table 1. Long</caption><tbody>${rows.join('')}</tbody></table></body></html>`,
        control,
      );
      expect(cutTables(control, [{ caption: 'Table 1. Long', last: 'row number 119' }])).toEqual([
        'Table 1. Long',
      ]);
    },
    300_000,
  );
});
