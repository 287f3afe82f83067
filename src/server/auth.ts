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
  const params = new Set<string>();
  const space = auth.indexOf(' ');
  const rest = space < 0 ? '' : auth.slice(space + 1);
  for (const part of rest.split(',')) {
    const eq = part.indexOf('=');
    if (eq > 0) params.add(part.slice(0, eq).trim());
  }
  const problems: string[] = [];
  for (const name of ['Credential', 'Signature', 'SignedHeaders']) {
    if (!params.has(name)) problems.push(`Authorization header requires '${name}' parameter.`);
  }
  if (headers['x-amz-date'] === undefined && headers['date'] === undefined) {
    problems.push("Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header.");
  }
  if (problems.length === 0) return undefined;
  return serviceError('IncompleteSignatureException', `${problems.join(' ')} Authorization=${auth}`);
}
