/** Strata's version, from package.json (read once). */
import { readFileSync } from 'node:fs';

let cached: string | undefined;

export function version(): string {
  if (cached) return cached;
  try {
    const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as {
      version: string;
    };
    cached = pkg.version;
  } catch {
    cached = '0.0.0';
  }
  return cached;
}
