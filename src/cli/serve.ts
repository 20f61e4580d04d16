/**
 * `strata serve MODEL.yaml [MORE.yaml…] --port P`: a thin shell over `runServer` (src/serve). The
 * service is imported when the command runs. The command returns when the server has stopped
 * (SIGTERM / SIGINT, after draining requests in flight).
 */
import type { Command } from 'commander';
import { StrataError } from '../errors.js';
import { parseCount } from './options.js';
import { type LedgerFlags, ledgerOptions, openRun } from './record.js';

interface ServeFlags {
  port: string;
  host?: string;
  keys?: string;
  rateLimit?: string;
  maxRows?: string;
  maxJsonRows?: string;
  maxBatch?: string;
  maxBody?: string;
  requestTimeout?: string;
  drainTimeout?: string;
  logLevel?: string;
}

export function registerServeCommand(program: Command): void {
  const cmd = program
    .command('serve')
    .description(
      'serve records, completions and interventions over HTTP (models are loaded at start; SIGHUP reloads them)',
    )
    .argument('<models...>', 'model / spec files (YAML or JSON); each is served under its name:')
    .option('-p, --port <port>', 'TCP port', '8080')
    .option('--host <host>', 'address to bind (default 127.0.0.1; another needs API keys)')
    .option(
      '--keys <file>',
      'file of SHA-256 hashes of API keys, one per line (or set STRATA_API_KEYS=k1,k2)',
    )
    .option('--rate-limit <n>', 'requests per second per API key (default 1000)')
    .option('--max-rows <n>', 'rows per streamed answer (default 1,000,000)')
    .option('--max-json-rows <n>', 'rows per JSON answer (default 10,000)')
    .option('--max-batch <n>', 'partial rows per completion request (default 1000)')
    .option('--max-body <bytes>', 'largest request body (default 65536)')
    .option('--request-timeout <ms>', 'time to receive a request (default 10000)')
    .option('--drain-timeout <ms>', 'how long shutdown waits for requests in flight (default 10000)')
    .option('--log-level <level>', 'fatal, error, warn (default), info, debug');
  ledgerOptions(cmd).action(async (files: string[], flags: ServeFlags & LedgerFlags) => {
    const [{ runServer }, { keyRing, keysFromEnv, keysFromFile }] = await Promise.all([
      import('../serve/run.js'),
      import('../serve/keys.js'),
    ]);
    const port = parseCount('--port', flags.port, 65535);
    const count = (flag: string, v: string | undefined, max = 1e10) =>
      v === undefined ? undefined : Math.max(1, parseCount(flag, v, max));
    if (flags.logLevel && !['fatal', 'error', 'warn', 'info', 'debug', 'trace'].includes(flags.logLevel))
      throw new StrataError(
        'cli.option',
        `--log-level "${flags.logLevel}" is not a level`,
        {},
        'use warn, info or debug',
      );
    const keys = keyRing(
      keysFromEnv(process.env.STRATA_API_KEYS),
      flags.keys ? await keysFromFile(flags.keys) : new Map(),
    );
    // plain-object: fixed keys (the limit option names)
    const limits = Object.fromEntries(
      Object.entries({
        rateLimit: count('--rate-limit', flags.rateLimit),
        maxRows: count('--max-rows', flags.maxRows),
        maxJsonRows: count('--max-json-rows', flags.maxJsonRows),
        maxBatch: count('--max-batch', flags.maxBatch),
        maxBody: count('--max-body', flags.maxBody, 1 << 30),
        requestTimeoutMs: count('--request-timeout', flags.requestTimeout),
      }).filter(([, v]) => v !== undefined),
    );
    // The ledger gets an entry when the service starts and one per SIGHUP reload: the model
    // files' hashes as they were loaded, the address and the limits (never the API keys).
    const record = async (command: string, result: Record<string, unknown>) => {
      const run = await openRun(
        cmd,
        command,
        flags,
        files.map((path) => ({ role: 'model', path })),
      );
      await run.record({
        outputs: [],
        seed: null,
        params: { host: flags.host ?? '127.0.0.1', port, limits, api_keys: keys.size },
        result,
      });
    };
    const server = await runServer({
      files,
      host: flags.host,
      port,
      keys,
      limits,
      version: program.version(),
      drainMs: count('--drain-timeout', flags.drainTimeout),
      logLevel: flags.logLevel,
      onReload: (r) =>
        record(
          'serve reload',
          r.ok ? { ok: true, changed: r.changed } : { ok: false, error: errorText(r.error) },
        ),
    });
    await record('serve', { url: server.url, models: [...server.registry.models.keys()] });
    await new Promise<void>((resolve) => server.app.server.once('close', () => resolve()));
  });
}

function errorText(e: unknown): string {
  return e instanceof StrataError ? `${e.code}: ${e.message}` : String(e);
}
