/** Opens the HTML report in a real headless Chromium: no console errors, no failed requests, charts present. */
import { existsSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { mixedTable } from '../evaluate/fixtures.js';
import { evaluate } from '../evaluate/index.js';
import type { RawTable } from '../io/index.js';
import type { Spec } from '../spec/index.js';
import { renderHtml, renderMarkdown } from './index.js';

const CHROMIUM = '/usr/bin/chromium';

/** The fixture plus a date column and a category whose rarest level holds 0.5% of rows. */
function withDateAndRareLevel(t: RawTable): RawTable {
  const age = t.data[t.columns.indexOf('age')];
  const joined = age.map((a, i) =>
    new Date(Date.UTC(2019, 0, 1 + Number(a) * 20 + (i % 17))).toISOString().slice(0, 10),
  );
  const tier = age.map((_, i) => (i % 200 === 7 ? 'platinum' : i % 3 === 0 ? 'silver' : 'bronze'));
  return { ...t, columns: [...t.columns, 'joined', 'tier'], data: [...t.data, joined, tier] };
}

async function fixtureReport() {
  const spec = {
    strata: 1,
    tables: {
      real: {
        columns: {
          age: { type: 'integer', dist: { uniform: { min: 18, max: 90 } } },
          segment: { type: 'category', values: ['basic', 'standard', 'premium'] },
          channel: { type: 'category', values: ['web', 'app', 'branch'] },
        },
        rules: [{ name: 'senior_premium', check: "age < 70 or segment == 'premium'" }],
      },
    },
    coverage: { real: { axes: ['segment', 'channel'], min_per_cell: 30 } },
  } as unknown as Spec;
  return evaluate({
    real: withDateAndRareLevel(mixedTable(1, 800, 'real')),
    synthetic: withDateAndRareLevel(mixedTable(2, 800, 'syn')),
    holdout: withDateAndRareLevel(mixedTable(3, 800, 'hold')),
    target: 'label',
    sensitive: ['gender'],
    spec,
    bootstrapReps: 20,
  });
}

describe('reports', () => {
  it('Markdown names the worst columns and every section', async () => {
    const md = renderMarkdown(await fixtureReport());
    for (const h of [
      '## Summary',
      '## Worst columns',
      '## Worst pairs',
      '## Detection',
      '## MMD',
      '## Privacy',
      '## Utility',
      '## Bias: gender',
      '## Rules',
      '## Coverage',
    ]) {
      expect(md).toContain(h);
    }
    expect(md).toMatch(/\| Univariate accuracy [^|]*\| accuracy_univariate \| 0\.\d{4} \|/);
  });

  it.skipIf(!existsSync(CHROMIUM))(
    'HTML opens in headless Chromium without errors (needs /usr/bin/chromium)',
    async () => {
      const report = await fixtureReport();
      const html = await renderHtml(report, { maxOverlays: 24 });
      expect(html).not.toMatch(/<script|(?:src|href)="https?:/i);
      const dir = mkdtempSync(join(tmpdir(), 'strata-report-'));
      const file = join(dir, 'report.html');
      writeFileSync(file, html);
      const browser = await chromium.launch({
        executablePath: CHROMIUM,
        args: [
          '--headless',
          '--no-sandbox',
          '--disable-gpu',
          '--disable-quic',
          '--no-first-run',
          '--disable-background-networking',
          '--disable-component-update',
          '--disable-sync',
        ],
      });
      try {
        const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
        const problems: string[] = [];
        page.on('console', (m) => {
          if (m.type() === 'error') problems.push(`console: ${m.text()}`);
        });
        page.on('pageerror', (err) => problems.push(`page error: ${err.message}`));
        page.on('requestfailed', (r) => problems.push(`request failed: ${r.url()}`));
        await page.goto(`file://${file}`);
        expect(await page.locator('section').count()).toBeGreaterThanOrEqual(9);
        for (const id of [
          '#summary',
          '#columns',
          '#pairs',
          '#detection',
          '#mmd',
          '#privacy',
          '#utility',
          '#rules',
          '#coverage',
        ]) {
          expect(await page.locator(id).count(), id).toBe(1);
        }
        expect(await page.locator('svg').count()).toBeGreaterThanOrEqual(17 + 4);
        // every summary figure is named in words (its gate key is shown beside it, in small type)
        const cardLabels = await page.locator('.card .k').allInnerTexts();
        expect(cardLabels.length).toBe(Object.keys(report.summary).length);
        for (const label of cardLabels) expect(label).toMatch(/^[A-Z][^\s_]* \S/);
        // dates read as dates: the date column's bins are ISO dates and no epoch milliseconds show
        const text = (await page.locator('body').textContent()) ?? '';
        expect(text).not.toMatch(/\b1\d{12}\b/);
        expect(html).not.toMatch(/\d(\.\d+)?e\+1[0-3]\b/); // nor as 1.546e+12 in chart labels
        const dateBins = await page.locator('path[aria-label*="bin: ≤ 20"]').count();
        expect(dateBins).toBeGreaterThan(0);
        // a level holding 0.5% of rows still shows as a bar a reader can see
        const rare = page.locator('path[aria-label*="bin: platinum; source: real"]');
        expect(await rare.count()).toBe(1);
        const box = await rare.boundingBox();
        expect(box?.width ?? 0).toBeGreaterThanOrEqual(5);
        mkdirSync('test-output', { recursive: true });
        await page.screenshot({ path: 'test-output/report.png', fullPage: true });
        expect(problems).toEqual([]);
      } finally {
        await browser.close();
      }
    },
  );
});
