/** Opens the HTML report in a real headless Chromium: no console errors, no failed requests, charts present. */
import { existsSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { mixedTable } from '../evaluate/fixtures.js';
import { evaluate } from '../evaluate/index.js';
import type { Spec } from '../spec/index.js';
import { renderHtml, renderMarkdown } from './index.js';

const CHROMIUM = '/usr/bin/chromium';

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
    real: mixedTable(1, 800, 'real'),
    synthetic: mixedTable(2, 800, 'syn'),
    holdout: mixedTable(3, 800, 'hold'),
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
      '## Privacy',
      '## Utility',
      '## Bias: gender',
      '## Rules',
      '## Coverage',
    ]) {
      expect(md).toContain(h);
    }
    expect(md).toMatch(/\| accuracy_univariate \| 0\.\d{4} \|/);
  });

  it.skipIf(!existsSync(CHROMIUM))(
    'HTML opens in headless Chromium without errors (needs /usr/bin/chromium)',
    async () => {
      const html = await renderHtml(await fixtureReport());
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
          '#privacy',
          '#utility',
          '#rules',
          '#coverage',
        ]) {
          expect(await page.locator(id).count(), id).toBe(1);
        }
        expect(await page.locator('svg').count()).toBeGreaterThanOrEqual(15 + 4);
        mkdirSync('test-output', { recursive: true });
        await page.screenshot({ path: 'test-output/report.png', fullPage: true });
        expect(problems).toEqual([]);
      } finally {
        await browser.close();
      }
    },
  );
});
