/** `--auth` at the HTTP front: the request's signature -> the Caller the API authorizes. */
import type { IncomingMessage } from 'node:http';
import { DynamoError } from '../../errors.js';
import type { Caller } from '../../api/authorization/authorize.js';
import { checkAuthorization } from '../auth.js';
import { isPresigned, verifySignature } from './sigv4.js';
import type { UserDirectory } from './users.js';

export interface Authenticator {
  users: UserDirectory;
  /** The server clock (epoch ms) request times are checked against. */
  now: () => number;
}

/** The verified caller, or the DynamoDB error to answer with (anything else thrown is a bug). */
export function authenticate(auth: Authenticator, req: IncomingMessage, rawBody: Buffer): Caller | DynamoError {
  try {
    if (!isPresigned(req.url)) {
      const problem = checkAuthorization(req.headers);
      if (problem) return problem;
    }
    const { user, region } = verifySignature(req, rawBody, auth.users, auth.now());
    return {
      arn: user.arn,
      account: user.account,
      name: user.name,
      userId: user.userId,
      region,
      policy: user.policy,
      sourceIp: req.socket.remoteAddress ?? '',
      secureTransport: 'encrypted' in req.socket && req.socket.encrypted === true,
    };
  } catch (err) {
    if (err instanceof DynamoError) return err;
    throw err;
  }
}
