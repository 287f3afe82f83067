/**
 * ClientRequestToken idempotency for TransactWriteItems. A committed transaction leaves a
 * token record (the request's fingerprint and when the record expires) in the key space,
 * written in the same storage transaction as the items, so a retry after a crash or restart
 * still finds it. Records live 10 minutes; each new record sweeps a few expired ones via
 * an expiry-ordered index, so no timer is needed.
 */
import { createHash } from 'node:crypto';
import type { ReadOps, WriteOps } from '../storage/kv.js';
import { expiredTokensRange, tokenExpiryKey, tokenKey, tokenOfExpiryKey } from './keyspace.js';

/** DynamoDB keeps a client request token for 10 minutes after its request completed. */
export const TOKEN_LIFETIME_MS = 10 * 60 * 1000;
/** Expired records removed per new record: more than are created, so they never pile up. */
const SWEEP_PER_WRITE = 4;
const EMPTY = Buffer.alloc(0);

export interface TokenRecord {
  fingerprint: string;
  expiresAt: number;
}

/** A digest of a request that ignores member order in objects (but not in lists). */
export function requestFingerprint(request: unknown): string {
  return createHash('sha256').update(canonicalJson(request)).digest('base64');
}

function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  if (Array.isArray(value)) return '[' + value.map(canonicalJson).join(',') + ']';
  const obj = value as Record<string, unknown>;
  const keys = Object.keys(obj).filter((k) => obj[k] !== undefined).sort();
  return '{' + keys.map((k) => JSON.stringify(k) + ':' + canonicalJson(obj[k])).join(',') + '}';
}

/** The live record of `token`, or undefined (none, or expired). */
export function readTokenRecord(ops: ReadOps, token: string, now: number): TokenRecord | undefined {
  const stored = ops.get(tokenKey(token));
  if (stored === undefined) return undefined;
  const record = JSON.parse(stored.toString('utf8')) as TokenRecord;
  return record.expiresAt > now ? record : undefined;
}

/** Stores `token`'s record inside the caller's transaction, replacing an expired one. */
export function writeTokenRecord(txn: WriteOps, token: string, fingerprint: string, now: number): void {
  sweepExpired(txn, now);
  const previous = txn.get(tokenKey(token));
  if (previous !== undefined) {
    // An expired record that the sweep has not reached yet: drop its index entry.
    const { expiresAt } = JSON.parse(previous.toString('utf8')) as TokenRecord;
    txn.delete(tokenExpiryKey(expiresAt, token));
  }
  const record: TokenRecord = { fingerprint, expiresAt: now + TOKEN_LIFETIME_MS };
  txn.put(tokenKey(token), Buffer.from(JSON.stringify(record), 'utf8'));
  txn.put(tokenExpiryKey(record.expiresAt, token), EMPTY);
}

function sweepExpired(txn: WriteOps, now: number): void {
  const expired = [...txn.range({ ...expiredTokensRange(now), limit: SWEEP_PER_WRITE })];
  for (const { key } of expired) {
    txn.delete(key);
    txn.delete(tokenKey(tokenOfExpiryKey(key)));
  }
}

/** `readTokenRecord` inside an item transaction (`Database.transactItems`), for TransactWriteItems. */
export function tokenRecordIn(txn: { kv: ReadOps }, token: string, now: number): TokenRecord | undefined {
  return readTokenRecord(txn.kv, token, now);
}

/** `writeTokenRecord` inside an item transaction, committed with its writes. */
export function recordTokenIn(txn: { kv: WriteOps }, token: string, fingerprint: string, now: number): void {
  writeTokenRecord(txn.kv, token, fingerprint, now);
}
