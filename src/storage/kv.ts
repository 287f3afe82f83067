/**
 * The ordered, transactional key-value interface every storage engine implements.
 * Keys and values are byte strings; keys sort by unsigned byte order. Nothing here
 * knows about DynamoDB.
 *
 * Buffer ownership: `put` copies what it keeps, so callers may reuse their buffers
 * once it returns. Buffers handed out by `get` / `range` must be treated as
 * read-only (an adapter may return the stored bytes themselves).
 *
 * Two kinds of adapter implement it. Embedded ones (memory, LMDB) answer every read in
 * the caller's turn of the event loop and never conflict: they are `LocalKVStore`s. A
 * networked engine (PostgreSQL) answers reads later and may fail a transaction with
 * `StorageConflict`; it implements `KVStore` alone. Callbacks stay synchronous for both:
 * such an adapter runs `fn` against what it has fetched, and where `fn` reads a key or
 * range it has not fetched yet, it fetches that and runs `fn` again (read-through
 * replay). Hence the rule for every `fn` below: it may run more than once, so it must be
 * a pure function of what it reads through its argument — no effects outside it that
 * are unsafe to repeat.
 */

export interface KVEntry {
  key: Buffer;
  value: Buffer;
  /**
   * The value as latin1 text (one char per byte), from a store that keeps values so (the
   * in-memory store): a reader that only copies the bytes somewhere may take this instead
   * of `value` and save unpacking them.
   */
  readonly text?: string;
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
  /**
   * Puts `value` unless the key holds a value (committed, or written earlier in this
   * transaction); reads that follow see whichever is kept. A networked store may decide
   * at commit without reading the key first, so the transaction depends on nothing it
   * did not read: over PostgreSQL two transactions inserting next to each other then
   * do not fail as each other's readers.
   */
  putIfAbsent(key: Buffer, value: Buffer): void;
}

/**
 * A transaction lost to a concurrent one (a serialization failure): nothing of it was
 * written, and running it again may succeed. The engine retries these (engine/transact.ts).
 */
export class StorageConflict extends Error {
  constructor(message = 'The transaction conflicted with a concurrent transaction') {
    super(message);
    this.name = 'StorageConflict';
  }
}

export interface KVStore {
  /**
   * Longest key this adapter accepts; keys are 1..maxKeyBytes bytes long and `put` of a
   * longer or empty key throws. The engine's key layout states what it needs (keyspace.ts).
   */
  readonly maxKeyBytes: number;
  /**
   * True when `transact` never rejects with `StorageConflict` (an embedded store whose
   * transactions run one after another). The engine then calls `transact` without its
   * retry wrapper, one promise fewer per write. Absent means it may conflict: a store
   * that wraps another must say so itself, not inherit it.
   */
  readonly neverConflicts?: boolean;
  /**
   * Run `fn` as one serializable read-write transaction. Reads inside `fn` see the
   * transaction's own writes. The promise resolves once the commit is durable; if
   * `fn` throws, nothing is written and the promise rejects with that error. It may also
   * reject with `StorageConflict` (nothing written) — the adapter itself never retries.
   * `fn` must be synchronous, may run after `transact` returns and more than once (see
   * above), must not call `transact` itself, and must not use `txn` after it returns.
   */
  transact<T>(fn: (txn: WriteOps) => T): Promise<T>;
  /**
   * Read from one consistent snapshot of committed data. Embedded adapters answer in the
   * same turn (a value, not a promise); a networked one may answer with a promise and
   * run `fn` more than once.
   */
  snapshot<T>(fn: (txn: ReadOps) => T): T | Promise<T>;
  /**
   * Optional, for eventually consistent reads only: like `snapshot`, but the data may
   * trail committed data by a bounded time (a read replica). A store that leaves it out
   * serves those reads from `snapshot`.
   */
  staleSnapshot?<T>(fn: (txn: ReadOps) => T): T | Promise<T>;
  /** Optional: the state of the replicas `staleSnapshot` reads from (for metrics). */
  replicas?(): ReplicaState[];
  close(): Promise<void>;
}

/** A read replica as last observed. */
export interface ReplicaState {
  /** Where it is (host:port), never credentials. */
  name: string;
  /** How far behind the primary its data may be, in ms; undefined until first observed. */
  lagMs: number | undefined;
  /** WAL bytes it has still to replay, as last observed. */
  lagBytes: number | undefined;
  /** Whether eventually consistent reads go to it now (reachable and within the lag bound). */
  serving: boolean;
}

/**
 * An embedded store: reads of committed data answered in the caller's turn (`get`,
 * `range`, `snapshot`), transactions serialised one after another, so never a conflict.
 */
export interface LocalKVStore extends KVStore, ReadOps {
  snapshot<T>(fn: (txn: ReadOps) => T): T;
}

/** An embedded store (reads outside transactions answered at once). */
export function isLocalStore(store: KVStore): store is LocalKVStore {
  return typeof (store as Partial<LocalKVStore>).get === 'function';
}

/** Enforces `maxKeyBytes` with the same errors as the on-disk adapter's. */
export function checkKey(key: Buffer, maxKeyBytes: number): void {
  if (key.length === 0) throw new Error('Zero length key is not allowed');
  if (key.length > maxKeyBytes) {
    throw new Error(`Key size is larger than the maximum key size (${maxKeyBytes})`);
  }
}

/**
 * Whole-store copies, for tests that roll the database back between cases. Each adapter
 * copies with its engine's own means (a copy-on-write tree clone, LMDB's backup).
 */
export interface CopyableStore {
  /** Saves a copy of every key under `id` (replacing any copy of that id). */
  saveCopy(id: string): Promise<void>;
  /** Makes the store hold exactly what copy `id` holds, in one step; false when there is no such copy. */
  restoreCopy(id: string): Promise<boolean>;
  /** Deletes every key, in one step. */
  clearAll(): Promise<void>;
}

export function isCopyable(store: KVStore): store is KVStore & CopyableStore {
  const candidate = store as Partial<CopyableStore>;
  return typeof candidate.saveCopy === 'function' && typeof candidate.restoreCopy === 'function' && typeof candidate.clearAll === 'function';
}
