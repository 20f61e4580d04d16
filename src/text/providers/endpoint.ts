/**
 * Where a provider sends its requests, and how it authenticates, from the plan's `base_url` and
 * API key:
 *  - the request path is appended to the URL's path, so a query string (`?api-version=…&api-key=…`)
 *    stays a query string instead of swallowing the path;
 *  - `user:pass@` in the URL cannot work (fetch refuses a URL with credentials), so the credentials
 *    are taken out of the URL and sent as an `Authorization: Basic` header;
 *  - every secret (key, password, Basic token, secret-looking query values) goes into the
 *    endpoint's redactor, and `display` is the URL safe to print (no credentials at all).
 */
import { StrataError } from '../../errors.js';
import { nameMap } from '../../names.js';
import { createRedactor, isSecretParam, printableUrl, type Redact } from './redact.js';

export interface Endpoint {
  /** The URL requests go to (no credentials in it). */
  readonly url: string;
  /** The URL as messages show it: no credentials, secret query values masked. */
  readonly display: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly redact: Redact;
}

export interface EndpointOptions {
  /** Sent as `Authorization: Bearer KEY`. */
  apiKey?: string;
  /** Plan path of the base URL, for error places (default `provider.base_url`). */
  path?: string;
}

export function createEndpoint(baseUrl: string, requestPath: string, o: EndpointOptions = {}): Endpoint {
  const where = { path: o.path ?? 'provider.base_url' };
  let u: URL;
  try {
    u = new URL(baseUrl);
  } catch {
    throw new StrataError(
      'text.provider_url',
      `base_url "${printableUrl(baseUrl)}" is not a URL`,
      where,
      'write it like http://127.0.0.1:8000/v1',
    );
  }
  if (u.protocol !== 'http:' && u.protocol !== 'https:')
    throw new StrataError(
      'text.provider_url',
      `base_url must be http or https, got ${u.protocol}`,
      where,
      'write it like https://api.example.com/v1',
    );
  const user = decodeURIComponent(u.username);
  const password = decodeURIComponent(u.password);
  const secrets: string[] = [];
  const headers: Record<string, string> = nameMap();
  if (o.apiKey) {
    secrets.push(o.apiKey);
    headers.authorization = `Bearer ${o.apiKey}`;
  }
  if (user || password) {
    if (o.apiKey)
      throw new StrataError(
        'text.provider_auth',
        'base_url carries user:password and api_key_env names a key; a request has one Authorization header',
        where,
        'remove the credentials from base_url or drop api_key_env',
      );
    const token = Buffer.from(`${user}:${password}`, 'utf8').toString('base64');
    // The user name is dropped from printed URLs but is not a secret: redacting a name like "bob"
    // from generated texts would corrupt them.
    secrets.push(token, password, u.password);
    headers.authorization = `Basic ${token}`;
    u.username = '';
    u.password = '';
  }
  for (const [k, v] of u.searchParams) if (isSecretParam(k)) secrets.push(v);
  u.pathname = `${u.pathname.replace(/\/+$/, '')}${requestPath}`;
  const url = u.toString();
  return { url, display: printableUrl(url), headers, redact: createRedactor(secrets) };
}
