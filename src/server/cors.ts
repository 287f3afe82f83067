/**
 * Cross-origin resource sharing, on for every origin by default as DynamoDB and
 * DynamoDB Local are. `--cors <origins>` narrows it to a comma-separated allow-list,
 * `--cors none` turns it off.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';

export type CorsPolicy = { anyOrigin: true } | { anyOrigin: false; origins: ReadonlySet<string> };

/** The policy for a `--cors` value: undefined (the default) and `*` allow every origin; `none` is off. */
export function corsPolicy(spec: string | undefined): CorsPolicy | undefined {
  const text = spec?.trim();
  if (text === undefined || text === '' || text === '*') return { anyOrigin: true };
  if (text.toLowerCase() === 'none') return undefined;
  const origins = text.split(',').map((s) => s.trim()).filter((s) => s !== '');
  if (origins.includes('*')) return { anyOrigin: true };
  return { anyOrigin: false, origins: new Set(origins) };
}

const ALLOWED_METHODS = 'GET, POST, OPTIONS';
const EXPOSED_HEADERS = 'x-amzn-RequestId, x-amzn-ErrorType, x-amzn-ErrorMessage, x-amz-crc32, Date';
const DEFAULT_ALLOWED_HEADERS = 'Content-Type, Content-Encoding, Authorization, X-Amz-Date, X-Amz-Target, X-Amz-Security-Token, X-Amz-User-Agent, Amz-Sdk-Invocation-Id, Amz-Sdk-Request';
/** How long a browser may cache a preflight answer, in seconds. */
const PREFLIGHT_MAX_AGE = '172800';

/**
 * Adds the CORS headers to a response. Only requests with an Origin header (the
 * ones browsers send cross-origin) get them: SDK clients pay nothing.
 * Returns whether the origin is allowed.
 */
export function applyCors(policy: CorsPolicy, req: IncomingMessage, res: ServerResponse): boolean {
  const origin = req.headers['origin'];
  if (origin === undefined) return false;
  if (policy.anyOrigin) {
    res.setHeader('Access-Control-Allow-Origin', '*');
  } else {
    res.setHeader('Vary', 'Origin');
    if (!policy.origins.has(origin)) return false;
    res.setHeader('Access-Control-Allow-Origin', origin);
  }
  res.setHeader('Access-Control-Expose-Headers', EXPOSED_HEADERS);
  return true;
}

/** The preflight part of an OPTIONS answer: which methods and headers the real request may use. */
export function applyPreflight(req: IncomingMessage, res: ServerResponse): void {
  res.setHeader('Access-Control-Allow-Methods', ALLOWED_METHODS);
  res.setHeader('Access-Control-Allow-Headers', req.headers['access-control-request-headers'] ?? DEFAULT_ALLOWED_HEADERS);
  res.setHeader('Access-Control-Max-Age', PREFLIGHT_MAX_AGE);
}
