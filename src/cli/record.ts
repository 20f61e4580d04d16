/**
 * The run ledger from the command line: `--ledger FILE` (default `.strata/ledger.jsonl` when a
 * `.strata/` folder exists in the working directory), `--no-ledger`, `--sign-key KEY.pem`.
 *
 * Verbs know nothing of the ledger: a command opens a run here before calling its verb (the run id
 * exists from the start, for `--provenance` rows; inputs are hashed as they were read), then
 * records what the verb returned. The library is imported lazily, as every CLI module does.
 */
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import type { Command } from 'commander';
import { StrataError } from '../errors.js';
import type { FileRecord, Json, LedgerEntry } from '../ledger/entry.js';

export interface LedgerFlags {
  /** A path, false for --no-ledger, undefined for the default. */
  ledger?: string | false;
  signKey?: string;
}

export const DEFAULT_LEDGER = '.strata/ledger.jsonl';

/** Add --ledger / --no-ledger / --sign-key to a command. */
export function ledgerOptions(cmd: Command): Command {
  return cmd
    .option('--ledger <file>', `append this run to a ledger (default ${DEFAULT_LEDGER} when .strata/ exists)`)
    .option('--no-ledger', 'do not record this run, even when .strata/ exists')
    .option('--sign-key <file>', 'sign the ledger entry with this ed25519 private key (PEM)');
}

/** The ledger a run appends to, or undefined for none. */
export function ledgerPath(flags: LedgerFlags, cwd = process.cwd()): string | undefined {
  if (flags.ledger === false) return undefined;
  if (typeof flags.ledger === 'string') return resolve(cwd, flags.ledger);
  const dir = resolve(cwd, '.strata');
  try {
    if (statSync(dir).isDirectory()) return resolve(dir, 'ledger.jsonl');
  } catch {}
  return undefined;
}

/** Option values that look like secrets are not recorded. */
const SECRET_FLAG = /^--?[\w-]*(key|token|secret|password|passwd|credential)[\w-]*$/i;
const URL_CREDENTIALS = /(\/\/)[^/@\s:]+(:[^/@\s]*)?@/g;
/** Query values whose name looks like a secret (`?api_key=…`, `&token=…`), as the providers mask them. */
const SECRET_QUERY = /([?&][^=&#\s]*(?:key|token|secret|pass|auth|sig|cred)[^=&#\s]*=)[^&#\s]*/gi;

/** argv as recorded: values of secret-looking options, URL credentials and secret query values → ***. */
export function recordedArgv(argv: readonly string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const eq = a.indexOf('=');
    const flag = eq > 0 ? a.slice(0, eq) : a;
    if (flag !== '--sign-key' && SECRET_FLAG.test(flag)) {
      if (eq > 0) out.push(`${flag}=***`);
      else {
        out.push(a);
        if (i + 1 < argv.length) {
          out.push('***');
          i++;
        }
      }
      continue;
    }
    out.push(a.replace(URL_CREDENTIALS, '$1***@').replace(SECRET_QUERY, '$1***'));
  }
  return out;
}

/** The arguments after `strata` of the command line that ran `cmd`. */
export function rootArgs(cmd: Command): string[] {
  let c: Command = cmd;
  while (c.parent) c = c.parent;
  return [...((c as unknown as { rawArgs?: string[] }).rawArgs ?? [])];
}

export interface FileRef {
  role: string;
  path: string | undefined | false;
  /** What a writer already knows (its hash, rows, row index): the file is then not read again. */
  known?: { sha256?: string; bytes?: number; rows?: number; index?: [number, number][] };
}

export interface RunResult {
  outputs: FileRef[];
  /** Inputs known only after the run (e.g. a cassette the run created). */
  inputs?: FileRef[];
  seed: number | null;
  params: { [key: string]: unknown };
  result: { [key: string]: unknown };
  reproduces?: string;
}

export interface Run {
  /** The ledger file, or undefined when this run is not recorded. */
  ledger: string | undefined;
  /** This run's id (also when not recorded: `--provenance` rows carry it). */
  id: string;
  /** Append the entry (no-op without a ledger). Prints where it went on stderr. */
  record(r: RunResult): Promise<LedgerEntry | undefined>;
}

async function records(refs: readonly FileRef[], cwd: string): Promise<FileRecord[]> {
  const { fileRecord } = await import('../ledger/files.js');
  const out: FileRecord[] = [];
  for (const f of refs) {
    if (!f.path) continue;
    const abs = resolve(cwd, f.path);
    if (!f.known?.sha256 && !existsSync(abs)) continue;
    if (!f.known?.sha256 && statSync(abs).isDirectory()) {
      // A table set (one file per table): every file directly inside, in name order.
      for (const name of readdirSync(abs).sort()) {
        const p = join(f.path, name);
        if (statSync(resolve(cwd, p)).isFile()) out.push(await fileRecord(f.role, p, cwd));
      }
      continue;
    }
    out.push(await fileRecord(f.role, f.path, cwd, f.known));
  }
  return out;
}

/**
 * Open a run: choose the ledger, load the signing key (a bad key fails before any work), make the
 * run id and hash the inputs as they are now.
 */
export async function openRun(
  argvOrCmd: Command | readonly string[],
  command: string,
  flags: LedgerFlags,
  inputs: FileRef[],
  cwd = process.cwd(),
): Promise<Run> {
  const { newRunId } = await import('../ledger/entry.js');
  const id = newRunId();
  const path = ledgerPath(flags, cwd);
  if (!path) {
    if (flags.signKey)
      throw new StrataError(
        'cli.sign_without_ledger',
        '--sign-key signs a ledger entry, but this run has no ledger',
        {},
        `pass --ledger FILE, or create ${DEFAULT_LEDGER}'s folder: mkdir .strata`,
      );
    return { ledger: undefined, id, record: async () => undefined };
  }
  const { loadSigner } = await import('../ledger/sign.js');
  const signer = flags.signKey ? await loadSigner(flags.signKey) : undefined;
  const argv = recordedArgv(Array.isArray(argvOrCmd) ? argvOrCmd : rootArgs(argvOrCmd as Command));
  const started = new Date();
  const inputRecords = await records(inputs, cwd);
  return {
    ledger: path,
    id,
    async record(r) {
      const [{ appendEntry }, { toJson }, { version }] = await Promise.all([
        import('../ledger/store.js'),
        import('../ledger/entry.js'),
        import('./version.js'),
      ]);
      const entry = await appendEntry(
        path,
        {
          run: id,
          time: started.toISOString(),
          command,
          argv,
          cwd: relative(resolve(path, '..'), cwd).split('\\').join('/') || '.',
          strata: version(),
          node: process.version,
          seed: r.seed,
          inputs: [...inputRecords, ...(await records(r.inputs ?? [], cwd))],
          outputs: await records(r.outputs, cwd),
          params: toJson(r.params) as { [key: string]: Json },
          result: toJson(r.result) as { [key: string]: Json },
          ...(r.reproduces ? { reproduces: r.reproduces } : {}),
        },
        { signer },
      );
      process.stderr.write(
        `ledger: entry #${entry.seq} (run ${entry.run}${signer ? ', signed' : ''}) → ${relative(cwd, path) || path}\n`,
      );
      return entry;
    },
  };
}
