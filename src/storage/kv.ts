/**
 * The ordered, transactional key-value interface every storage engine implements.
 * Keys and values are byte strings; keys sort by unsigned byte order. Nothing here
 * knows about DynamoDB.
 *
 * Buffer ownership: `put` copies what it keeps, so callers may reuse their buffers
 * once it returns. Buffers handed out by `get` / `range` must be treated as
 * read-only (an adapter may return the stored bytes themselves).
 */

/**
 * Longest key every adapter accepts (LMDB's limit with 8 KiB pages). Keys are
 * 1..MAX_KEY_BYTES bytes long; `put` of a longer or empty key throws.
 */
export const MAX_KEY_BYTES = 4026;

export interface KVEntry {
  key: Buffer;
  value: Buffer;
}

/** A key range. Bounds are independent of direction: gte <= key < lt. */
export interface RangeOptions {
  gte?: Buffer;
  lt?: Buffer;
  /** Walk from the high end (lt) down to the low end (gte). */
  reverse?: boolean;
  limit?: number;
}

export interface ReadOps {
  get(key: Buffer): Buffer | undefined;
  /**
   * Lazy: entries are read as the iterable is consumed, from one consistent view.
   * Inside `transact` / `snapshot`, consume it before `fn` returns.
   */
  range(options: RangeOptions): Iterable<KVEntry>;
}

export interface WriteOps extends ReadOps {
  put(key: Buffer, value: Buffer): void;
  delete(key: Buffer): void;
}

export interface KVStore extends ReadOps {
  /**
   * Run `fn` as one serializable read-write transaction. Reads inside `fn` see the
   * transaction's own writes. The promise resolves once the commit is durable; if
   * `fn` throws, nothing is written and the promise rejects with that error.
   * `fn` must be synchronous, may run after `transact` returns, must not call
   * `transact` itself, and must not use `txn` after it returns.
   */
  transact<T>(fn: (txn: WriteOps) => T): Promise<T>;
  /** Read several keys from one consistent snapshot. */
  snapshot<T>(fn: (txn: ReadOps) => T): T;
  close(): Promise<void>;
}
