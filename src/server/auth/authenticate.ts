/** `--auth` at the HTTP front: the request's signature -> the Caller the API authorizes. */
import type { DynamoRequest } from '../dynamoRequest.js';
import { DynamoError } from '../../errors.js';
import type { Caller } from '../../api/authorization/caller.js';
import { verifySignature } from './sigv4.js';
import type { AuthUser, UserDirectory } from './users.js';

export interface Authenticator {
  users: UserDirectory;
  /** The server clock (epoch ms) request times are checked against. */
  now: () => number;
}

/** The verified caller, or the DynamoDB error to answer with (anything else thrown is a bug). */
export function authenticate(auth: Authenticator, req: DynamoRequest, rawBody: Buffer): Caller | DynamoError {
  try {
    const { user, region } = verifySignature(req, rawBody, auth.users, auth.now());
    const socket = req.socket;
    return callerOf(user, region, socket.remoteAddress ?? '', socket.encrypted === true);
  } catch (err) {
    if (err instanceof DynamoError) return err;
    throw err;
  }
}

/**
 * Callers are few and their requests many: one Caller per (user, region, peer address,
 * transport), so the objects built from it downstream are reused too. Keyed by the user
 * object, so a reload (new user objects) starts afresh; bounded against many peers.
 */
const callers = new WeakMap<AuthUser, Map<string, Caller>>();
const MAX_CALLERS_PER_USER = 1024;

/** The last caller asked for: consecutive requests mostly come from it (no cache key to build). */
let last: { user: AuthUser; region: string; sourceIp: string; secureTransport: boolean; caller: Caller } | undefined;

function callerOf(user: AuthUser, region: string, sourceIp: string, secureTransport: boolean): Caller {
  if (last !== undefined && last.user === user && last.region === region && last.sourceIp === sourceIp && last.secureTransport === secureTransport) {
    return last.caller;
  }
  let mine = callers.get(user);
  if (mine === undefined) callers.set(user, (mine = new Map()));
  const key = `${region}\n${sourceIp}\n${secureTransport}`;
  let caller = mine.get(key);
  if (caller === undefined) {
    if (mine.size >= MAX_CALLERS_PER_USER) mine.clear();
    caller = { arn: user.arn, account: user.account, name: user.name, userId: user.userId, region, policy: user.policy, sourceIp, secureTransport };
    mine.set(key, caller);
  }
  last = { user, region, sourceIp, secureTransport, caller };
  return caller;
}
