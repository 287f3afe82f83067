/**
 * Signature Version 4 verification, as AWS does it: the canonical request over the
 * signed headers, query string and payload hash; the credential scope (date, region,
 * service `dynamodb`); the request time within 5 minutes of the server clock; session
 * tokens; and a constant-time comparison. Header-signed and presigned (query-string)
 * requests. Returns who signed, or throws DynamoDB's error.
 */
import { hash, timingSafeEqual } from 'node:crypto';
import type { DynamoRequest } from '../dynamoRequest.js';
import { DynamoError, serviceError } from '../../errors.js';
import { signingKey, type SigningKey } from './signingKeys.js';
import { checkAuthorization } from '../auth.js';
import type { AuthUser, UserDirectory } from './users.js';

const ALGORITHM = 'AWS4-HMAC-SHA256';
const SERVICE = 'dynamodb';
const MAX_SKEW_MS = 5 * 60_000;
const UNSIGNED_PAYLOAD = 'UNSIGNED-PAYLOAD';

/** What a verified signature establishes. */
export interface SignedIdentity {
  user: AuthUser;
  /** The region of the signature's credential scope. */
  region: string;
}

/** The parts of a signature, from the Authorization header or the query string. */
interface SignatureParts {
  credential: string;
  signedHeaders: string;
  signature: string;
  /** The request time as sent (X-Amz-Date form, or an HTTP date). */
  dateText: string;
  securityToken: string | undefined;
  /** Presigned requests only: seconds the signature stays valid. */
  expires?: number;
  /** The query string's own pairs, less the signature for presigned requests. */
  query: [string, string][];
}

export const invalidToken = (): DynamoError => serviceError('UnrecognizedClientException', 'The security token included in the request is invalid.');
const signatureMismatch = (): DynamoError => serviceError('InvalidSignatureException',
  'The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.');
const incomplete = (message: string): DynamoError => serviceError('IncompleteSignatureException', message);
const invalidSignature = (message: string): DynamoError => serviceError('InvalidSignatureException', message);

/** Whether the request carries a presigned (query-string) signature. */
export function isPresigned(url: string | undefined): boolean {
  return url !== undefined && url.includes('X-Amz-Signature=');
}

/** The X-Amz-Target a presigned request carries in its query string. */
export function presignedTarget(url: string | undefined): string | undefined {
  if (!isPresigned(url)) return undefined;
  return queryPairs(url!).find(([key]) => key.toLowerCase() === 'x-amz-target')?.[1];
}

export function verifySignature(req: DynamoRequest, rawBody: Buffer, users: UserDirectory, nowMs: number): SignedIdentity {
  const parts = isPresigned(req.url) ? presignedParts(req) : headerParts(req);
  const scope = checkedScope(parts.credential, parts.dateText);
  checkTime(scope.requestTime, parts.expires, nowMs);

  const user = users.find(scope.accessKeyId);
  if (user === undefined || !sameToken(user.sessionToken, parts.securityToken)) throw invalidToken();

  const signedHeaders = signedHeaderNames(parts.signedHeaders);
  if (!signedHeaders.includes('host')) throw invalidSignature("'Host' or ':authority' must be a 'SignedHeader' in the AWS Authorization.");
  const payloadHash = payloadHashOf(req, rawBody);
  const canonical = `${req.method ?? 'POST'}\n${canonicalPath(req.url ?? '/')}\n${canonicalQuery(parts.query)}\n` +
    `${canonicalHeaders(req, signedHeaders)}\n${parts.signedHeaders}\n${payloadHash}`;
  // ASCII throughout: the date and the scope passed checkScope's patterns, the rest is hex.
  const stringToSign = `${ALGORITHM}\n${scope.amzDate}\n${scope.credentialScope}\n${sha256Hex(canonical)}`;
  // The scope (cached per credential and date) keeps the key it was last verified with.
  if (scope.signing?.secret !== user.secretAccessKey) {
    scope.signing = { secret: user.secretAccessKey, key: signingKey(user.secretAccessKey, scope.scopeDate, scope.region, SERVICE) };
  }
  const expected = scope.signing.key.hmacHexOfAscii(stringToSign);
  if (!sameSignature(expected, parts.signature)) throw signatureMismatch();
  return { user, region: scope.region };
}

/** A credential scope and request date that passed every check, with what signing needs of them. */
interface CheckedScope {
  accessKeyId: string;
  scopeDate: string;
  region: string;
  /** The signed text of the date: X-Amz-Date as sent, or an HTTP Date in the same basic format. */
  amzDate: string;
  requestTime: number;
  credentialScope: string;
  /** The signing key of the secret last checked against this scope (a reload may change the secret). */
  signing?: { secret: string; key: SigningKey };
}

/**
 * Clients send the same credential and date on many requests (the date changes once a
 * second): a scope that passed its checks is remembered, so most requests skip the parsing.
 */
const checkedScopes = new Map<string, CheckedScope>();
const MAX_CHECKED_SCOPES = 1024;

/** The last scope asked for: consecutive requests mostly share it (no cache key to build). */
let lastScope: { credential: string; dateText: string; checked: CheckedScope } | undefined;

function checkedScope(credential: string, dateText: string): CheckedScope {
  if (lastScope !== undefined && lastScope.credential === credential && lastScope.dateText === dateText) return lastScope.checked;
  const cacheKey = `${credential}\n${dateText}`;
  let checked = checkedScopes.get(cacheKey);
  if (checked === undefined) {
    checked = checkScope(credential, dateText);
    if (checkedScopes.size >= MAX_CHECKED_SCOPES) checkedScopes.clear();
    checkedScopes.set(cacheKey, checked);
  }
  lastScope = { credential, dateText, checked };
  return checked;
}

function checkScope(credential: string, dateText: string): CheckedScope {
  const scope = credential.split('/');
  if (scope.length !== 5) {
    throw incomplete(`Credential must have exactly 5 slash-delimited elements, e.g. keyid/date/region/service/term, got '${credential}'`);
  }
  const [accessKeyId, scopeDate, region, service, terminator] = scope as [string, string, string, string, string];
  const requestTime = parseRequestTime(dateText);
  if (requestTime === undefined) throw incomplete(`Date must be in ISO-8601 'basic format'. Got '${dateText}'. See http://en.wikipedia.org/wiki/ISO_8601`);
  const amzDate = dateText.length === 16 ? dateText : basicFormat(requestTime);
  if (terminator !== 'aws4_request') throw invalidSignature(`Credential should be scoped with a valid terminator: 'aws4_request', not '${terminator}'. `);
  if (service !== SERVICE) throw invalidSignature(`Credential should be scoped to correct service: '${SERVICE}'. `);
  if (!/^[a-z]{2}(-[a-z]+)+-\d+$/.test(region)) throw invalidSignature(`Credential should be scoped to a valid region, not '${region}'. `);
  if (scopeDate !== amzDate.slice(0, 8)) {
    throw invalidSignature(`Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: '${scopeDate}' != '${amzDate.slice(0, 8)}', from '${amzDate}'.`);
  }
  return { accessKeyId, scopeDate, region, amzDate, requestTime, credentialScope: `${scopeDate}/${region}/${service}/${terminator}` };
}

/** SignedHeaders split at `;` (the same few lists come again and again). */
const headerLists = new Map<string, string[]>();

function signedHeaderNames(list: string): string[] {
  let names = headerLists.get(list);
  if (names === undefined) {
    names = list.split(';');
    if (headerLists.size >= MAX_CHECKED_SCOPES) headerLists.clear();
    headerLists.set(list, names);
  }
  return names;
}

/** Compares a signature with the expected lower-case hex in time independent of where they differ. */
function sameSignature(expected: string, given: string): boolean {
  if (given.length !== expected.length) return false;
  let difference = 0;
  for (let i = 0; i < expected.length; i++) difference |= expected.charCodeAt(i) ^ given.charCodeAt(i);
  return difference === 0;
}

/** The Authorization header's three parameters, as a walk over its parts finds them. */
interface AuthorizationParams {
  credential: string;
  signedHeaders: string;
  signature: string;
  /** Which of the three were found: bits 1, 2, 4. */
  found: number;
  /** Where the Signature's value starts when it runs to the header's end, else 0. */
  signatureAt: number;
}

/**
 * The start of the last well-formed Authorization header whose Signature came last, up to
 * the signature's value, with the parameters found in it. A client signs every request with
 * the same credential and headers, so most headers differ from the one before only in
 * their signature: those skip the walk.
 */
let lastHeader: { start: string; credential: string; signedHeaders: string } | undefined;

function headerParts(req: DynamoRequest): SignatureParts {
  const headers = req.headers;
  const auth = headers['authorization'] ?? '';
  const amzDate = headers['x-amz-date'];
  const date = headers['date'];
  let params = reusedParams(auth);
  if (params === undefined || (amzDate === undefined && date === undefined)) {
    params = walkParams(auth);
    if (params.found !== 7 || (amzDate === undefined && date === undefined) || !auth.startsWith('AWS4-')) {
      // Refused as any request with a malformed Authorization header is (the same check runs without --auth).
      const problem = checkAuthorization(headers);
      if (problem) throw problem;
    }
    const space = auth.indexOf(' ');
    const algorithm = space < 0 ? auth : auth.slice(0, space);
    if (algorithm !== ALGORITHM) throw incomplete(`Unsupported AWS 'algorithm': '${algorithm}'.`);
    if (params.found === 7 && params.signatureAt > 0) {
      lastHeader = { start: auth.slice(0, params.signatureAt), credential: params.credential, signedHeaders: params.signedHeaders };
    }
  }
  return {
    credential: params.credential,
    signedHeaders: params.signedHeaders,
    signature: params.signature,
    dateText: typeof amzDate === 'string' ? amzDate : (date ?? ''),
    securityToken: headerValue(req, 'x-amz-security-token'),
    query: queryPairs(req.url ?? '/'),
  };
}

/**
 * The parameters of a header that starts as the last one did up to its signature's value:
 * the walk would find the same credential and signed headers in that start, and, with no
 * comma after it, the rest (trimmed) as the signature.
 */
function reusedParams(auth: string): AuthorizationParams | undefined {
  // (`slice` and `===` compare as one block; `startsWith` goes a character at a time, several times slower.)
  if (lastHeader === undefined || auth.slice(0, lastHeader.start.length) !== lastHeader.start || auth.indexOf(',', lastHeader.start.length) >= 0) {
    return undefined;
  }
  return {
    credential: lastHeader.credential,
    signedHeaders: lastHeader.signedHeaders,
    signature: auth.slice(lastHeader.start.length).trim(),
    found: 7,
    signatureAt: lastHeader.start.length,
  };
}

/** `name=value` parts separated by commas, after the scheme; the last of a repeated name counts. */
function walkParams(auth: string): AuthorizationParams {
  const space = auth.indexOf(' ');
  const params: AuthorizationParams = { credential: '', signedHeaders: '', signature: '', found: 0, signatureAt: 0 };
  for (let start = space + 1; space >= 0 && start <= auth.length; ) {
    let end = auth.indexOf(',', start);
    if (end < 0) end = auth.length;
    const eq = auth.indexOf('=', start);
    if (eq > start && eq < end) {
      const value = auth.slice(eq + 1, end).trim();
      switch (auth.slice(start, eq).trim()) {
        case 'Credential': params.credential = value; params.found |= 1; break;
        case 'SignedHeaders': params.signedHeaders = value; params.found |= 2; break;
        case 'Signature': params.signature = value; params.found |= 4; params.signatureAt = end === auth.length ? eq + 1 : 0; break;
      }
    }
    start = end + 1;
  }
  return params;
}

function presignedParts(req: DynamoRequest): SignatureParts {
  const all = queryPairs(req.url ?? '/');
  const get = (name: string) => all.find(([key]) => key === name)?.[1];
  const missing = ['X-Amz-Algorithm', 'X-Amz-Credential', 'X-Amz-Signature', 'X-Amz-SignedHeaders', 'X-Amz-Date'].filter((name) => get(name) === undefined);
  if (missing.length > 0) {
    throw incomplete(missing.map((name) => `AWS query-string parameters must include '${name}'.`).join(' ') + ` Re-examine the query-string parameters.`);
  }
  if (get('X-Amz-Algorithm') !== ALGORITHM) throw incomplete(`Unsupported AWS 'algorithm': '${get('X-Amz-Algorithm')}'.`);
  const expiresText = get('X-Amz-Expires');
  const expires = expiresText === undefined ? undefined : Number(expiresText);
  if (expires !== undefined && !(Number.isInteger(expires) && expires >= 1 && expires <= 604800)) {
    throw incomplete(`X-Amz-Expires must be between 1 and 604800 seconds, got '${expiresText}'.`);
  }
  return {
    credential: get('X-Amz-Credential')!,
    signedHeaders: get('X-Amz-SignedHeaders')!,
    signature: get('X-Amz-Signature')!,
    dateText: get('X-Amz-Date')!,
    securityToken: get('X-Amz-Security-Token') ?? headerValue(req, 'x-amz-security-token'),
    expires,
    query: all.filter(([key]) => key !== 'X-Amz-Signature'),
  };
}

function checkTime(requestTime: number, expires: number | undefined, nowMs: number): void {
  if (expires !== undefined) {
    // A presigned request is valid from its date (less the skew) until date + expires.
    if (nowMs > requestTime + expires * 1000) {
      throw invalidSignature(`Signature expired: ${basicFormat(requestTime)} is now earlier than ${basicFormat(nowMs - expires * 1000)} (${basicFormat(nowMs)} - ${expires} sec.)`);
    }
  } else if (requestTime < nowMs - MAX_SKEW_MS) {
    throw invalidSignature(`Signature expired: ${basicFormat(requestTime)} is now earlier than ${basicFormat(nowMs - MAX_SKEW_MS)} (${basicFormat(nowMs)} - 5 min.)`);
  }
  if (requestTime > nowMs + MAX_SKEW_MS) {
    throw invalidSignature(`Signature not yet current: ${basicFormat(requestTime)} is still later than ${basicFormat(nowMs + MAX_SKEW_MS)} (${basicFormat(nowMs)} + 5 min.)`);
  }
}

/** X-Amz-Date (`20260101T000000Z`) or an HTTP date -> epoch ms. */
function parseRequestTime(text: string): number | undefined {
  const basic = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(text);
  if (basic) {
    const [, y, mo, d, h, mi, s] = basic.map(Number) as number[];
    if (mo! < 1 || mo! > 12 || d! < 1 || d! > 31 || h! > 23 || mi! > 59 || s! > 59) return undefined;
    const ms = Date.UTC(y!, mo! - 1, d!, h!, mi!, s!);
    // A day past the month's end rolls over: refuse it.
    return new Date(ms).getUTCDate() === d ? ms : undefined;
  }
  if (!/^[A-Z][a-z]{2}, \d{2} [A-Z][a-z]{2} \d{4} \d{2}:\d{2}:\d{2} GMT$/.test(text)) return undefined;
  const ms = Date.parse(text);
  return Number.isNaN(ms) ? undefined : ms;
}

function basicFormat(ms: number): string {
  return new Date(ms).toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, '');
}

function sameToken(expected: string | undefined, given: string | undefined): boolean {
  if (expected === undefined || given === undefined) return expected === given;
  const a = Buffer.from(expected);
  const b = Buffer.from(given);
  return a.length === b.length && timingSafeEqual(a, b);
}

/**
 * The payload hash the client signed: x-amz-content-sha256 when sent (UNSIGNED-PAYLOAD
 * leaves the body unsigned; a hash must match the body as sent), else the body's own.
 */
function payloadHashOf(req: DynamoRequest, rawBody: Buffer): string {
  const declared = headerValue(req, 'x-amz-content-sha256');
  if (declared === UNSIGNED_PAYLOAD) return declared;
  const actual = sha256Hex(rawBody);
  if (declared !== undefined && declared.toLowerCase() !== actual) throw signatureMismatch();
  return actual;
}

/** crypto.hash: the one-shot digest, several times cheaper than createHash for small inputs. */
function sha256Hex(data: string | Buffer): string {
  return hash('sha256', data, 'hex');
}

function headerValue(req: DynamoRequest, name: string): string | undefined {
  const value = req.headers[name];
  return Array.isArray(value) ? value.join(',') : value;
}

/** Each signed header: `name:value`, values trimmed with inner runs of spaces collapsed, repeats joined by commas. */
function canonicalHeaders(req: DynamoRequest, names: string[]): string {
  const headers = req.headers;
  // Node joins a repeated header with ', ' where SigV4 wants ','; only then are the separate values needed.
  const repeated = req.rawHeaders.length / 2 !== Object.keys(headers).length;
  const distinct = repeated ? req.headersDistinct : undefined;
  let text = '';
  for (const name of names) {
    if (distinct !== undefined) {
      text += `${name}:${(distinct[name] ?? []).map(canonicalValue).join(',')}\n`;
    } else {
      const single = headers[name];
      text += `${name}:${single === undefined ? '' : canonicalValue(String(single))}\n`;
    }
  }
  return text;
}

/** Values as sent mostly need nothing done: one test finds those that do. */
const NEEDS_CANONICAL_FORM = /^\s|\s$|\s\s|[\t\r\n]/;

function canonicalValue(value: string): string {
  if (!NEEDS_CANONICAL_FORM.test(value)) return value;
  const trimmed = value.trim();
  return /\s\s|[\t\r\n]/.test(trimmed) ? trimmed.replace(/\s+/g, ' ') : trimmed;
}

/** The path, with dot segments removed and each segment URI-encoded again (as AWS does for services other than S3). */
function canonicalPath(url: string): string {
  if (url === '/') return url;
  const q = url.indexOf('?');
  const path = q < 0 ? url : url.slice(0, q);
  const segments: string[] = [];
  for (const segment of path.split('/')) {
    if (segment === '.') continue;
    if (segment === '..') segments.pop();
    else segments.push(segment);
  }
  const normalized = segments.join('/');
  const encoded = encodeRfc3986(normalized).replace(/%2F/g, '/');
  return encoded.startsWith('/') ? encoded : `/${encoded}`;
}

function canonicalQuery(pairs: [string, string][]): string {
  if (pairs.length === 0) return '';
  return pairs
    .map(([k, v]) => [encodeRfc3986(k), encodeRfc3986(v)] as const)
    .sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : a[1] < b[1] ? -1 : a[1] > b[1] ? 1 : 0))
    .map(([k, v]) => `${k}=${v}`)
    .join('&');
}

/** Shared by every request without a query string (never added to). */
const NO_PAIRS: [string, string][] = [];

function queryPairs(url: string): [string, string][] {
  const q = url.indexOf('?');
  if (q < 0) return NO_PAIRS;
  const pairs: [string, string][] = [];
  for (const part of url.slice(q + 1).split('&')) {
    if (part === '') continue;
    const eq = part.indexOf('=');
    pairs.push([decode(eq < 0 ? part : part.slice(0, eq)), eq < 0 ? '' : decode(part.slice(eq + 1))]);
  }
  return pairs;
}

function decode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

function encodeRfc3986(text: string): string {
  return encodeURIComponent(text).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}
