/**
 * The engine's one way into a storage transaction: `store.transact`, run again with
 * backoff when the store reports a serialization conflict (`StorageConflict`), as a
 * networked engine may. Embedded stores never conflict (`neverConflicts`), so for them
 * this is the store's own call.
 * Every `fn` passed here may therefore run more than once (see storage/kv.ts).
 */
import { StorageConflict, type KVStore, type WriteOps } from '../storage/kv.js';

export interface RetryPolicy {
  /** Tries in all, the first one included. */
  attempts: number;
  /** The first wait; each later one doubles, up to `maxDelayMs`, with full jitter. */
  baseDelayMs: number;
  maxDelayMs: number;
}

export const CONFLICT_RETRY: RetryPolicy = { attempts: 10, baseDelayMs: 2, maxDelayMs: 250 };

export function transact<T>(store: KVStore, fn: (txn: WriteOps) => T, policy: RetryPolicy = CONFLICT_RETRY): Promise<T> {
  // The hot path of embedded stores: nothing to retry, so nothing added to the store's promise.
  return store.neverConflicts === true ? store.transact(fn) : withRetries(store, fn, policy, 1);
}

function withRetries<T>(store: KVStore, fn: (txn: WriteOps) => T, policy: RetryPolicy, attempt: number): Promise<T> {
  // Not an async loop: one promise added to the store's per try, no more.
  return store.transact(fn).catch((error: unknown) => {
    // Out of tries, the conflict goes up like any internal error (a 500, which SDKs retry).
    if (!(error instanceof StorageConflict) || attempt >= policy.attempts) throw error;
    return sleep(conflictBackoff(policy, attempt)).then(() => withRetries(store, fn, policy, attempt + 1));
  });
}

/** Random in [0, min(max, base * 2^(attempt-1))]: contenders spread out instead of colliding again. */
export function conflictBackoff(policy: RetryPolicy, attempt: number): number {
  return Math.random() * Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (attempt - 1));
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
