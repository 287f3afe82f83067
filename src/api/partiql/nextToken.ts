/**
 * NextToken: where a SELECT stopped (which partition, and the last key read there),
 * opaque to clients and signed with the store's paging secret, so a token that was altered,
 * or that belongs to another statement, is refused rather than followed.
 */
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import { validationError } from '../../errors.js';
import { pagingSecret } from '../../engine/pagingSecret.js';
import type { Item } from '../../values/types.js';
import type { ApiContext } from '../context.js';
import type { StatementInput } from './prepare.js';

export interface ReadPosition {
  /** Index of the partition key value being read (0 for a Scan). */
  partition: number;
  /** The last key read there; undefined: that partition starts from its beginning. */
  lastKey?: Item;
}

/** Ties a token to its statement and parameters. */
function statementDigest(input: StatementInput): string {
  return createHash('sha256').update(input.Statement).update('\0').update(JSON.stringify(input.Parameters ?? [])).digest('base64url');
}

function sign(secret: Buffer, payload: string): Buffer {
  return createHmac('sha256', secret).update(payload).digest();
}

export async function encodeNextToken(ctx: ApiContext, input: StatementInput, position: ReadPosition): Promise<string> {
  const payload = Buffer.from(JSON.stringify({ s: statementDigest(input), p: position.partition, k: position.lastKey })).toString('base64url');
  return `${payload}.${sign(await pagingSecret(ctx.db), payload).toString('base64url')}`;
}

export async function decodeNextToken(ctx: ApiContext, input: StatementInput, token: string): Promise<ReadPosition> {
  const [payload, mac, extra] = token.split('.');
  if (payload === undefined || mac === undefined || extra !== undefined) throw invalidToken();
  const expected = sign(await pagingSecret(ctx.db), payload);
  const given = Buffer.from(mac, 'base64url');
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) throw invalidToken();
  const decoded = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as { s: string; p: number; k?: Item };
  if (decoded.s !== statementDigest(input)) throw validationError('The NextToken does not belong to this statement and its parameters');
  return { partition: decoded.p, lastKey: decoded.k };
}

function invalidToken() {
  return validationError('Invalid NextToken');
}
