/**
 * Secrets never leave a provider: every message, log line, cassette entry and generated text that
 * passes through a provider goes through its redactor, which replaces each secret (the API key,
 * URL credentials, the Basic-auth token, secret-looking query values — and their URL-encoded forms)
 * with `***`. A server that echoes the request's headers back therefore cannot make us print them.
 */

export const REDACTED = '***';

/** Query parameters whose values are treated as secrets (in printed URLs and in echoed bodies). */
const SECRET_PARAM = /key|token|secret|pass|auth|sig|cred/i;

export function isSecretParam(name: string): boolean {
  return SECRET_PARAM.test(name);
}

export type Redact = (text: string) => string;

/** A function that removes every given secret (and its URL-encoded form) from a text. */
export function createRedactor(secrets: Iterable<string | undefined>): Redact {
  const forms = new Set<string>();
  for (const s of secrets) {
    if (!s) continue;
    forms.add(s);
    forms.add(encodeURIComponent(s));
    forms.add(JSON.stringify(s).slice(1, -1)); // as it appears inside a JSON string
  }
  // Longest first, so a secret that contains another is removed whole.
  const list = [...forms].filter((f) => f.length > 0).sort((a, b) => b.length - a.length);
  if (list.length === 0) return (t) => t;
  return (text) => {
    let out = text;
    for (const f of list) if (out.includes(f)) out = out.split(f).join(REDACTED);
    return out;
  };
}

/**
 * A URL fit for printing: credentials dropped, secret-looking query values replaced. Text that does
 * not parse as a URL is masked where it looks like `//user:pass@` or `key=value`.
 */
export function printableUrl(raw: string | URL): string {
  let u: URL;
  try {
    u = new URL(String(raw));
  } catch {
    return String(raw)
      .replace(/\/\/.*@/, `//${REDACTED}@`) // up to the last @: a password may hold / and @
      .replace(/([?&][^=&#\s]*=)[^&#\s]*/g, (m, k: string) => (isSecretParam(k) ? `${k}${REDACTED}` : m));
  }
  const hadCredentials = u.username !== '' || u.password !== '';
  u.username = '';
  u.password = '';
  for (const k of [...new Set(u.searchParams.keys())]) if (isSecretParam(k)) u.searchParams.set(k, REDACTED);
  const s = u.toString(); // '*' is not percent-encoded by URLSearchParams
  return hadCredentials ? s.replace('//', `//${REDACTED}@`) : s;
}
