/** `strata dossier RUN -o dossier.html|.pdf`: the validation dossier of a recorded run. */
import { extname } from 'node:path';
import type { Command } from 'commander';
import { StrataError } from '../errors.js';
import { ledgerToRead } from './ledger.js';
import { outOption } from './options.js';
import { DEFAULT_LEDGER } from './record.js';

export function registerDossierCommand(program: Command): void {
  const cmd = program
    .command('dossier')
    .argument(
      '<run>',
      'a fit, generate or evaluate run (id, unique part, #N or last); the chain around it is found',
    );
  outOption(cmd, 'dossier.html, or dossier.pdf (printed with headless Chromium)', { required: true });
  cmd
    .option('--ledger <file>', `ledger file (default ${DEFAULT_LEDGER})`)
    .option(
      '--purpose <text>',
      'what the synthetic data is for (the first section); @FILE reads it from a file',
    )
    .option('--title <text>', 'title of the dossier')
    .description(
      'a validation dossier for reviewers: purpose, data fingerprint, model, results, limitations, reproduction, ledger',
    )
    .action(async (run: string, o: { out: string; ledger?: string; purpose?: string; title?: string }) => {
      const ext = extname(o.out).toLowerCase();
      if (ext !== '.html' && ext !== '.htm' && ext !== '.pdf')
        throw new StrataError(
          'cli.dossier_format',
          `cannot write a dossier as ${ext || 'a file without extension'}`,
          { file: o.out },
          'use -o dossier.html or -o dossier.pdf',
        );
      const path = ledgerToRead(o.ledger);
      const [{ collectDossier }, { renderDossier }, { readFile }, { writeTextAtomic, checkWritableTarget }] =
        await Promise.all([
          import('../ledger/dossier/collect.js'),
          import('../ledger/dossier/html.js'),
          import('node:fs/promises'),
          import('../io/atomic.js'),
        ]);
      checkWritableTarget(o.out);
      const purpose = o.purpose?.startsWith('@')
        ? (await readFile(o.purpose.slice(1), 'utf8')).trim()
        : o.purpose;
      const d = await collectDossier(path, run);
      const html = await renderDossier(d, { purpose, title: o.title });
      if (ext === '.pdf') await (await import('../ledger/dossier/pdf.js')).printPdf(html, o.out);
      else await writeTextAtomic(o.out, html);
      process.stdout.write(
        `dossier of run ${d.subject.run} → ${o.out} (${[d.fit, d.generate, d.evaluate].filter(Boolean).length} runs; ledger ${d.verify.ok ? 'intact' : 'NOT intact'})\n`,
      );
      for (const n of d.notes) process.stdout.write(`  note: ${n}\n`);
    });
}
