/**
 * Running the service: load the models, bind, and handle signals.
 *  - Without API keys the server binds 127.0.0.1 only (and refuses another host), with a warning.
 *  - SIGHUP reloads every model file atomically: a file that fails keeps the old set, logged.
 *  - SIGTERM / SIGINT stop accepting connections and let requests in flight finish (up to the drain
 *    timeout), then exit.
 */
import type { FastifyInstance } from 'fastify';
import { StrataError } from '../errors.js';
import { buildApp, type ServeLimits } from './app.js';
import type { KeyRing } from './keys.js';
import { createMetrics } from './metrics.js';
import { loadModels, ModelRegistry, type ReloadResult } from './models.js';

export interface RunOptions {
  files: readonly string[];
  host?: string;
  port: number;
  keys: KeyRing;
  limits?: Partial<ServeLimits>;
  version?: string;
  /** How long shutdown waits for requests in flight, ms (default 10 s). */
  drainMs?: number;
  logLevel?: string;
  /** Where to write warnings and the startup line (default stderr). */
  log?: (line: string) => void;
  /** Install SIGHUP / SIGTERM / SIGINT handlers (default true). */
  signals?: boolean;
  /** Called after each SIGHUP reload, whether it succeeded (e.g. to record it in the ledger). */
  onReload?: (r: ReloadResult) => Promise<void> | void;
}

export interface RunningServer {
  app: FastifyInstance;
  registry: ModelRegistry;
  url: string;
  /** Stop accepting, drain in-flight requests, close. */
  close(): Promise<void>;
}

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '::1']);

export async function runServer(opts: RunOptions): Promise<RunningServer> {
  const log = opts.log ?? ((line: string) => process.stderr.write(`${line}\n`));
  let host = opts.host ?? '127.0.0.1';
  if (!opts.keys.size) {
    if (opts.host !== undefined && !LOOPBACK.has(opts.host))
      throw new StrataError(
        'serve.keys_required',
        `refusing to listen on ${opts.host} without API keys`,
        {},
        'set STRATA_API_KEYS or pass --keys FILE, or leave --host out to listen on 127.0.0.1 only',
      );
    host = opts.host ?? '127.0.0.1';
    log(
      'strata serve: warning: no API keys (STRATA_API_KEYS or --keys): listening on loopback only, without authentication',
    );
  }
  const models = await loadModels(opts.files);
  const registry = new ModelRegistry(opts.files, models);
  const metrics = createMetrics();
  const app = await buildApp({
    registry,
    metrics,
    keys: opts.keys,
    limits: opts.limits,
    version: opts.version,
    logger: { level: opts.logLevel ?? 'warn' },
  });
  await app.listen({ host, port: opts.port });
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : opts.port;
  const url = `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
  log(
    `strata serve: ${[...models.values()].map((m) => `${m.name} (${m.hash})`).join(', ')} on ${url}${opts.keys.size ? ` with ${opts.keys.size} API key${opts.keys.size > 1 ? 's' : ''}` : ''}`,
  );

  let closing: Promise<void> | undefined;
  const close = () => {
    closing ??= (async () => {
      const timer = setTimeout(() => {
        log('strata serve: drain timeout: closing the remaining connections');
        app.server.closeAllConnections();
      }, opts.drainMs ?? 10_000);
      timer.unref();
      await app.close();
      clearTimeout(timer);
    })();
    return closing;
  };

  if (opts.signals !== false) {
    const onHup = () => {
      void registry.reload().then((r) => {
        metrics.reloads.inc({ result: r.ok ? 'ok' : 'failed' });
        if (r.ok)
          log(
            `strata serve: reloaded${r.changed.length ? `: ${r.changed.join(', ')} changed` : ' (nothing changed)'}`,
          );
        else
          log(
            `strata serve: reload failed, keeping the models loaded before: ${r.error instanceof StrataError ? r.error.format() : String(r.error)}`,
          );
        return Promise.resolve(opts.onReload?.(r)).catch((e: unknown) =>
          log(`strata serve: the reload was not recorded: ${e instanceof Error ? e.message : String(e)}`),
        );
      });
    };
    const onStop = (signal: string) => () => {
      log(`strata serve: ${signal}: draining requests in flight`);
      void close().then(() => {
        process.off('SIGHUP', onHup);
        log('strata serve: stopped');
      });
    };
    process.on('SIGHUP', onHup);
    process.once('SIGTERM', onStop('SIGTERM'));
    process.once('SIGINT', onStop('SIGINT'));
  }
  return { app, registry, url, close };
}
