/**
 * Print the dossier to PDF with headless Chromium (Debian's /usr/bin/chromium, or STRATA_CHROMIUM),
 * run as a plain command line (`--print-to-pdf`): no browser driver is needed at run time. The
 * page's CSS sets A4 and keeps tables and figures whole.
 */
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rename, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { StrataError } from '../../errors.js';

const CANDIDATES = ['/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome'];

export function chromiumPath(): string | undefined {
  const env = process.env.STRATA_CHROMIUM;
  if (env) return env;
  return CANDIDATES.find((p) => existsSync(p));
}

/** Print `html` to the PDF file `out` (atomically: a temp file beside it, renamed). */
export async function printPdf(html: string, out: string, timeoutMs = 120_000): Promise<void> {
  const chromium = chromiumPath();
  if (!chromium)
    throw new StrataError(
      'dossier.no_chromium',
      'printing to PDF needs headless Chromium, which is not installed',
      { file: out },
      'install it (Debian: apt-get install chromium) or set STRATA_CHROMIUM; or write -o dossier.html and print that',
    );
  const dir = await mkdtemp(join(tmpdir(), 'strata-dossier-'));
  const page = join(dir, 'dossier.html');
  const tmp = join(dirname(resolve(out)), `.${Date.now()}-${process.pid}.dossier.pdf.tmp`);
  try {
    await writeFile(page, html);
    await new Promise<void>((res, rej) => {
      execFile(
        chromium,
        [
          '--headless',
          '--no-sandbox',
          '--disable-gpu',
          '--no-first-run',
          '--disable-background-networking',
          '--disable-component-update',
          '--disable-sync',
          `--user-data-dir=${join(dir, 'profile')}`,
          '--no-pdf-header-footer',
          '--run-all-compositor-stages-before-draw',
          `--print-to-pdf=${tmp}`,
          pathToFileURL(page).href,
        ],
        { timeout: timeoutMs },
        (err, _stdout, stderr) => {
          if (err || !existsSync(tmp))
            rej(
              new StrataError(
                'dossier.pdf',
                `Chromium could not print the dossier: ${(err?.message ?? String(stderr)).split('\n')[0]}`,
                { file: out },
                'write -o dossier.html and print it from a browser',
              ),
            );
          else res();
        },
      );
    });
    await rename(tmp, out);
  } finally {
    await rm(tmp, { force: true });
    await rm(dir, { recursive: true, force: true });
  }
}
