/**
 * Prometheus metrics (`GET /metrics`, text format 0.0.4) on the well-kept prom-client: request
 * counts by route and status, latency histograms by route, rows drawn by model, model reloads, and
 * the process's own figures (RSS, heap, event-loop lag). Labels are route templates and loaded model
 * names only, never caller text, so their number is bounded.
 */
import { Counter, collectDefaultMetrics, Histogram, Registry } from 'prom-client';

export interface ServiceMetrics {
  registry: Registry;
  requests: Counter<'route' | 'method' | 'status'>;
  latency: Histogram<'route'>;
  rows: Counter<'model'>;
  reloads: Counter<'result'>;
}

export function createMetrics(): ServiceMetrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'strata_' });
  return {
    registry,
    requests: new Counter({
      name: 'strata_http_requests_total',
      help: 'HTTP requests by route template, method and status code.',
      labelNames: ['route', 'method', 'status'],
      registers: [registry],
    }),
    latency: new Histogram({
      name: 'strata_http_request_duration_seconds',
      help: 'Time from request received to response sent, by route template.',
      labelNames: ['route'],
      buckets: [0.0002, 0.0005, 0.001, 0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 10, 60],
      registers: [registry],
    }),
    rows: new Counter({
      name: 'strata_rows_drawn_total',
      help: 'Rows drawn (sampled or completed) by model.',
      labelNames: ['model'],
      registers: [registry],
    }),
    reloads: new Counter({
      name: 'strata_model_reloads_total',
      help: 'Model reloads (SIGHUP) by result.',
      labelNames: ['result'],
      registers: [registry],
    }),
  };
}
