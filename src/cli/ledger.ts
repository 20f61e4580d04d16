/**
 * `strata ledger verify|log|show|trace|check-row|keygen`: read and check the run ledger.
 * verify exits 0 when the ledger and its outputs are as recorded, 1 otherwise.
 */
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Command } from 'commander';
import { StrataError } from '../errors.js';
import { outOption, parseCount } from './options.js';
import { DEFAULT_LEDGER } from './record.js';

/** The ledger a reading command uses: the one given, else .strata/ledger.jsonl. */
export function ledgerToRead(given: string | undefined): string {
  const path = resolve(given ?? DEFAULT_LEDGER);
  if (!existsSync(path))
    throw new StrataError(
      'ledger.not_found',
      given ? 'no ledger at this path' : `no ledger given and no ${DEFAULT_LEDGER} here`,
      { file: given ?? DEFAULT_LEDGER },
      'pass the ledger file (runs are recorded with --ledger FILE, or in .strata/ when that folder exists)',
    );
  return path;
}

function parseAnchor(raw: string): { seq: number; hash: string } {
  const m = /^#?(\d+):([0-9a-f]{12,64})$/i.exec(raw.trim());
  if (!m)
    throw new StrataError(
      'cli.bad_head',
      `--head "${raw}" is not SEQ:HASH`,
      {},
      'e.g. --head 41:3f9a2c0d1e7b (at least 12 hex digits of the hash `ledger verify` printed)',
    );
  return { seq: Number(m[1]), hash: m[2].toLowerCase() };
}

export function registerLedgerCommand(program: Command): void {
  const ledger = program
    .command('ledger')
    .description('the run ledger: verify it, list and show runs, trace a file, redraw a row');

  ledger
    .command('verify')
    .argument('[file]', `ledger file (default ${DEFAULT_LEDGER})`)
    .option('--public-key <pem>', 'every entry must be signed by this ed25519 key (public or private PEM)')
    .option('--head <seq:hash>', 'the ledger must hold this entry (a head published elsewhere)')
    .option('--no-files', 'do not hash the output files')
    .option('--json', 'print the report as JSON')
    .description('check the chain, the head, signatures and every output file; exit 1 if anything changed')
    .action(
      async (
        file: string | undefined,
        o: { publicKey?: string; head?: string; files?: boolean; json?: boolean },
      ) => {
        const path = ledgerToRead(file);
        const [{ verifyLedger }, { loadPublicKey }, { formatVerify }] = await Promise.all([
          import('../ledger/verify.js'),
          import('../ledger/sign.js'),
          import('../ledger/format.js'),
        ]);
        const report = await verifyLedger(path, {
          publicKey: o.publicKey ? await loadPublicKey(o.publicKey) : undefined,
          anchor: o.head ? parseAnchor(o.head) : undefined,
          files: o.files !== false,
        });
        process.stdout.write(
          o.json
            ? `${JSON.stringify({ ok: report.ok, entries: report.entries.length, problems: report.problems, files: report.files, signers: report.signers }, null, 2)}\n`
            : formatVerify(report, file ?? DEFAULT_LEDGER),
        );
        if (!report.ok) process.exitCode = 1;
      },
    );

  ledger
    .command('log')
    .argument('[file]', `ledger file (default ${DEFAULT_LEDGER})`)
    .description('one line per run: number, run id, command, what it made')
    .action(async (file: string | undefined) => {
      const [{ readEntries }, { formatLog }] = await Promise.all([
        import('../ledger/read.js'),
        import('../ledger/format.js'),
      ]);
      process.stdout.write(formatLog(await readEntries(ledgerToRead(file))));
    });

  ledger
    .command('show')
    .argument('[run...]', 'run ids (or a unique part, #N, last); default: the last entry')
    .option('--ledger <file>', `ledger file (default ${DEFAULT_LEDGER})`)
    .option('--json', 'print the entries as JSON')
    .description('print entries in full: inputs and outputs with hashes, options, results, how to reproduce')
    .action(async (runs: string[], o: { ledger?: string; json?: boolean }) => {
      const path = ledgerToRead(o.ledger);
      const [{ readEntries, findEntry }, { formatEntry }] = await Promise.all([
        import('../ledger/read.js'),
        import('../ledger/format.js'),
      ]);
      const entries = await readEntries(path);
      const picked = (runs.length ? runs : ['last']).map((r) => findEntry(entries, r, path));
      process.stdout.write(
        o.json ? `${JSON.stringify(picked, null, 2)}\n` : picked.map((e) => formatEntry(e, path)).join('\n'),
      );
    });

  ledger
    .command('trace')
    .argument('<output>', 'a file a run wrote (matched by its bytes)')
    .option('--ledger <file>', `ledger file (default ${DEFAULT_LEDGER})`)
    .option('--json', 'print the trace as JSON')
    .description('walk back from a file to the data and model it came from, and the evaluations it passed')
    .action(async (output: string, o: { ledger?: string; json?: boolean }) => {
      const path = ledgerToRead(o.ledger);
      const [{ readEntries }, { traceFile }, { formatTrace }] = await Promise.all([
        import('../ledger/read.js'),
        import('../ledger/trace.js'),
        import('../ledger/format.js'),
      ]);
      const t = await traceFile(path, await readEntries(path), resolve(output));
      process.stdout.write(o.json ? `${JSON.stringify(t, null, 2)}\n` : formatTrace(t));
      if (!t.madeBy) process.exitCode = 1;
    });

  ledger
    .command('check-row')
    .argument('<ledger>', 'ledger file')
    .argument('<file>', 'a generated file (.csv, .jsonl, .parquet)')
    .argument('<row>', 'data row number, from 0')
    .option('--json', 'print the result as JSON')
    .option('--no-header', 'CSV: the file has no header line (default: as the run recorded it)')
    .description('redraw one row of a generated file from its run and compare; exit 1 if it differs')
    .action(
      async (ledgerFile: string, file: string, rowArg: string, o: { json?: boolean; header?: boolean }) => {
        const row = parseCount('ROW', rowArg);
        const [{ checkRow }, { formatCheckRow }] = await Promise.all([
          import('../ledger/check-row.js'),
          import('../ledger/format.js'),
        ]);
        // commander sets `header` to true unless --no-header is given: only "no" is an instruction.
        const r = await checkRow(
          ledgerToRead(ledgerFile),
          file,
          row,
          o.header === false ? { header: false } : {},
        );
        process.stdout.write(
          o.json
            ? `${JSON.stringify({ ...r, entry: { seq: r.entry.seq, run: r.entry.run } }, null, 2)}\n`
            : formatCheckRow(r),
        );
        if (!r.match) process.exitCode = 1;
      },
    );

  const keygen = ledger.command('keygen');
  outOption(keygen, 'private key file to write (PEM); the public key goes to FILE.pub', { required: true });
  keygen
    .description('make an ed25519 key pair for --sign-key (private, mode 600) and --public-key (FILE.pub)')
    .action(async (o: { out: string }) => {
      const [{ generateKeyPair }, { writeFile, chmod }] = await Promise.all([
        import('../ledger/sign.js'),
        import('node:fs/promises'),
      ]);
      if (existsSync(o.out))
        throw new StrataError(
          'cli.key_exists',
          'the key file exists',
          { file: o.out },
          'choose another name; a key is never overwritten',
        );
      const { privatePem, publicPem } = generateKeyPair();
      await writeFile(o.out, privatePem, { mode: 0o600, flag: 'wx' });
      await chmod(o.out, 0o600);
      await writeFile(`${o.out}.pub`, publicPem, { flag: 'wx' });
      process.stdout.write(
        `wrote ${o.out} (private: keep it secret) and ${o.out}.pub (public: give it to reviewers)\n`,
      );
    });
}
