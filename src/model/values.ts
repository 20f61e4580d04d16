/**
 * Value conventions shared by the engine: datetimes are epoch milliseconds (UTC) inside the engine,
 * and are formatted only at output time.
 */
export type Value = number | string | boolean | null;

const ISO_DATE = /^\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)?$/;

/** Parse an ISO date/datetime string to epoch ms (UTC when no zone is given); undefined if not a date. */
export function parseIsoDate(s: string): number | undefined {
  const t = s.trim();
  if (!ISO_DATE.test(t)) return undefined;
  const withZone = /(?:Z|[+-]\d{2}:?\d{2})$/.test(t) || t.length === 10 ? t : `${t}Z`;
  const ms = Date.parse(t.length === 10 ? `${t}T00:00:00Z` : withZone.replace(' ', 'T'));
  return Number.isFinite(ms) ? ms : undefined;
}

const pad = (n: number, w = 2) => String(n).padStart(w, '0');

/**
 * Format epoch ms. `format`: `iso` (default for datetime), `date` (default for date), `epoch_ms`,
 * `epoch_s`, or a pattern with YYYY MM DD HH mm ss SSS tokens.
 */
export function formatDate(ms: number, format: string): string | number {
  if (format === 'epoch_ms') return Math.round(ms);
  if (format === 'epoch_s') return Math.round(ms / 1000);
  const d = new Date(Math.round(ms));
  if (format === 'iso') return d.toISOString().replace('.000Z', 'Z');
  if (format === 'date') return d.toISOString().slice(0, 10);
  return format.replace(/YYYY|MM|DD|HH|mm|ss|SSS/g, (tok) => {
    switch (tok) {
      case 'YYYY':
        return pad(d.getUTCFullYear(), 4);
      case 'MM':
        return pad(d.getUTCMonth() + 1);
      case 'DD':
        return pad(d.getUTCDate());
      case 'HH':
        return pad(d.getUTCHours());
      case 'mm':
        return pad(d.getUTCMinutes());
      case 'ss':
        return pad(d.getUTCSeconds());
      default:
        return pad(d.getUTCMilliseconds(), 3);
    }
  });
}

/** Round to `decimals` places; the printed value is the shortest decimal that round-trips. */
export function roundTo(x: number, decimals: number): number {
  if (decimals >= 15 || !Number.isFinite(x)) return x;
  const f = 10 ** decimals;
  const r = Math.round(x * f) / f;
  return Object.is(r, -0) ? 0 : r;
}

export function floorTo(x: number, decimals: number): number {
  const f = 10 ** decimals;
  return Math.floor(x * f + 1e-9) / f;
}

export function ceilTo(x: number, decimals: number): number {
  const f = 10 ** decimals;
  return Math.ceil(x * f - 1e-9) / f;
}
