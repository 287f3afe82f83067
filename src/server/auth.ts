/**
 * The Authorization header check DynamoDB does before anything else. Signatures are
 * not verified (any credentials work, as with other local DynamoDB servers), but a
 * missing or malformed header is refused the way DynamoDB refuses it.
 */
import type { IncomingHttpHeaders } from 'node:http';
import { DynamoError, serviceError } from '../errors.js';

export function checkAuthorization(headers: IncomingHttpHeaders): DynamoError | undefined {
  const auth = headers['authorization'];
  if (auth === undefined) {
    // Presigned-URL style authentication carries the signature in the query string.
    return serviceError('MissingAuthenticationTokenException', 'Request is missing Authentication Token');
  }
  if (!auth.startsWith('AWS4-')) {
    return serviceError('MissingAuthenticationTokenException', 'Request is missing Authentication Token');
  }
  const present = presentParameters(auth);
  const dated = headers['x-amz-date'] !== undefined || headers['date'] !== undefined;
  if (present === ALL_PRESENT && dated) return undefined;
  const problems: string[] = [];
  REQUIRED_PARAMETERS.forEach((name, i) => {
    if ((present & (1 << i)) === 0) problems.push(`Authorization header requires '${name}' parameter.`);
  });
  if (!dated) {
    problems.push("Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header.");
  }
  return serviceError('IncompleteSignatureException', `${problems.join(' ')} Authorization=${auth}`);
}

const REQUIRED_PARAMETERS = ['Credential', 'Signature', 'SignedHeaders'];
const ALL_PRESENT = (1 << REQUIRED_PARAMETERS.length) - 1;

/**
 * Which required parameters the header names, as bits of REQUIRED_PARAMETERS: after
 * the scheme, comma-separated `name=value` parts whose name, trimmed, is one of them.
 * (Runs on every request, so it walks the string instead of splitting it, and first
 * tries one search per name, which settles the headers SDKs send.)
 */
function presentParameters(auth: string): number {
  const space = auth.indexOf(' ');
  if (space < 0) return 0;
  if (startsPart(auth, space, auth.indexOf('Credential=')) && startsPart(auth, space, auth.indexOf('SignedHeaders='))
    && startsPart(auth, space, auth.indexOf('Signature='))) return ALL_PRESENT;
  let present = 0;
  for (let start = space + 1; start <= auth.length; ) {
    let end = auth.indexOf(',', start);
    if (end < 0) end = auth.length;
    const eq = auth.indexOf('=', start);
    if (eq > start && eq < end) {
      const i = REQUIRED_PARAMETERS.indexOf(auth.slice(start, eq).trim());
      if (i >= 0) present |= 1 << i;
    }
    start = end + 1;
  }
  return present;
}

/**
 * Whether `at` (a name's first occurrence, or -1) begins a part: only blanks between it and
 * the comma before it, or the space after the scheme. A part found so is one the full walk
 * would find too; when the first occurrence is not, the full walk decides.
 */
function startsPart(auth: string, space: number, at: number): boolean {
  if (at <= space) return false;
  let before = at - 1;
  while (before > space && (auth.charCodeAt(before) === 0x20 || auth.charCodeAt(before) === 0x09)) before--;
  return before === space || auth.charCodeAt(before) === 0x2c;
}
