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
 * (Runs on every request, so it walks the string instead of splitting it.)
 */
function presentParameters(auth: string): number {
  const space = auth.indexOf(' ');
  if (space < 0) return 0;
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
