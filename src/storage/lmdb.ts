/**
 * On-disk KVStore over LMDB (the `lmdb` package).
 *
 * Writes: see `transact` — queued transactions are group-committed, each in a
 * child transaction.
 *
 * Durability `full` (the default): a single server process runs LMDB with
 * `overlappingSync` off, so LMDB syncs as part of every commit, on either thread, and
 * promises resolve only after that. Worker processes (`shared`) run with
 * `overlappingSync` on: a commit releases LMDB's write lock before its sync, so one
 * worker's sync no longer holds up the others' commits (~15 % more writes/s with 2
 * workers; a single process is faster without it, committing on its main thread), and
 * writers are answered once their commit is flushed. Either way an acknowledged write
 * survives a process kill or power loss.
 *
 * Durability `relaxed`: `overlappingSync` on, and writers are answered once their
 * commit is in the operating system's hands, before its sync. LMDB syncs right after
 * every commit in the background, and with overlapping sync it keeps two kinds of meta
 * page: after a process crash it reopens at the last commit (the kernel still holds
 * it), after a reboot at the last *synced* commit, whose pages later commits never
 * overwrite until they are synced in turn. So the store is never torn; a machine crash
 * loses at most the writes of the last flush interval. That bound is enforced: once
 * the oldest unsynced commit is older than `flushIntervalMs`, writers wait for the
 * sync again, as in `full`. (LMDB's own `noSync` gives no such guarantee: it is
 * consistent after a power loss only on file systems that keep write order.)
 *
 * Reads: synchronous, memory-mapped. Values are copied out of LMDB's reusable read
 * buffer by VALUE_CODEC, so callers may keep them.
 *
 * Address space for the map is reserved up front where that is free (see
 * `reservedMapSize`). 8 KiB pages raise the key limit from 1978 to 4026 bytes (`maxKeyBytes`).
 */
import type { Database, RootDatabase, Transaction } from 'lmdb';
import { existsSync, mkdirSync, rmSync } from 'node:fs';
import { lmdb } from './lmdbModule.js';
import type { CopyableStore, KVEntry, LocalKVStore, RangeOptions, ReadOps, WriteOps } from './kv.js';
import { reservedMapSize } from './mapSize.js';

type BinaryDb = Database<Buffer, Buffer>;

/** When a write is acknowledged: `full` after its commit is synced, `relaxed` once the OS has it. */
export type Durability = 'full' | 'relaxed';

export const DEFAULT_FLUSH_INTERVAL_MS = 100;

export interface LmdbStoreOptions {
  /** Runs after the database has been closed. */
  onClose?: () => void;
  /** One of several worker processes writing the file. */
  shared?: boolean;
  durability?: Durability;
  /** Relaxed durability: the most time an acknowledged write may stay unsynced. */
  flushIntervalMs?: number;
}

/** lmdb-js's commit promise with `separateFlushed`. */
type CommitPromise = Promise<unknown> & { flushed: PromiseLike<unknown> };

/**
 * Values are stored as given and read back through `decode`. lmdb-js's own binary
 * read path gives every value a fresh ArrayBuffer; copying into Node's pooled
 * `allocUnsafe` memory instead halves the cost of a get or of a range entry.
 */
const VALUE_CODEC = {
  encode: (value: Buffer): Buffer => value,
  // lmdb-js passes its reusable read buffer with `length` overridden to the value's
  // size (Buffer#copy would read the whole buffer, so go through subarray).
  decode: (bytes: Buffer): Buffer => {
    const copy = Buffer.allocUnsafe(bytes.length);
    copy.set(bytes.subarray(0, bytes.length));
    return copy;
  },
};

interface QueuedTransaction {
  fn: (txn: WriteOps) => unknown;
  resolve: (value: unknown) => void;
  reject: (error: unknown) => void;
}

type Outcome = { ok: true; value: unknown } | { ok: false; error: unknown };

function settle(batch: QueuedTransaction[], outcomes: Outcome[]): void {
  batch.forEach(({ resolve, reject }, i) => {
    const outcome = outcomes[i]!;
    if (outcome.ok) resolve(outcome.value);
    else reject(outcome.error);
  });
}

export class LmdbStore implements LocalKVStore, CopyableStore {
  /** LMDB's limit with 8 KiB pages (`pageSize` below). */
  readonly maxKeyBytes = 4026;
  /** LMDB serialises writers, across processes too. */
  readonly neverConflicts = true;
  private readonly db: RootDatabase<Buffer, Buffer>;
  private readonly onClose: (() => void) | undefined;
  private readonly shared: boolean;
  private readonly relaxed: boolean;
  private readonly flushIntervalMs: number;
  /** Relaxed durability: the commits answered but not yet synced, oldest first, with when they were answered. */
  private readonly unsynced: { at: number }[] = [];

  /** Opens (creating if needed) the LMDB file at `path`. */
  constructor(private readonly path: string, options: LmdbStoreOptions = {}) {
    this.onClose = options.onClose;
    this.shared = options.shared === true;
    this.relaxed = options.durability === 'relaxed';
    this.flushIntervalMs = options.flushIntervalMs ?? DEFAULT_FLUSH_INTERVAL_MS;
    const overlappingSync = this.shared || this.relaxed;
    this.db = lmdb.open<Buffer, Buffer>({
      path,
      noSubdir: true,
      keyEncoding: 'binary',
      encoding: 'binary',
      pageSize: 8192,
      overlappingSync,
      separateFlushed: overlappingSync,
      mapSize: reservedMapSize(),
      encoder: VALUE_CODEC,
    });
  }

  get(key: Buffer): Buffer | undefined {
    this.readsSinceCommit++;
    return this.db.get(key);
  }

  range(options: RangeOptions): Iterable<KVEntry> {
    this.readsSinceCommit++;
    return lmdbRange(this.db, options, undefined);
  }

  /**
   * Group commit: the transactions queued during one turn of the event loop run as
   * one LMDB write transaction — each `fn` in a child transaction, so a throwing one
   * rolls back alone — committed and synced once for all of them. One batch is in
   * flight at a time; whatever arrives meanwhile forms the next batch, so under load
   * a sync covers every request that came in while the previous one ran, and a lone
   * writer is never delayed.
   */
  transact<T>(fn: (txn: WriteOps) => T): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      const first = this.queue.push({ fn, resolve: resolve as (value: unknown) => void, reject }) === 1;
      if (first && !this.committing) setImmediate(this.commitQueue);
    });
  }

  private queue: QueuedTransaction[] = [];
  /** Whether a batch is committing on lmdb-js's writer thread. */
  private committing = false;
  /** Reads outside transactions since the last batch began: the read share of the load. */
  private readsSinceCommit = 0;

  /**
   * Where a batch commits depends on what else the event loop is doing. Under a
   * write-heavy load, committing right on the main thread (the sync blocks it for
   * about a millisecond) beats the round trips to lmdb-js's writer thread and back,
   * which leave the event loop idle in between: ~35% more writes/s with 32 clients.
   * When reads outnumber the batch's writes, the writer thread syncs instead and the
   * event loop keeps serving them: ~25% more operations/s in an 80/20 read/write mix.
   */
  private readonly commitQueue = (): void => {
    const batch = this.queue;
    if (batch.length === 0) return;
    this.queue = [];
    const readsWaiting = this.readsSinceCommit;
    this.readsSinceCommit = 0;
    // A worker would block its event loop on the lock another worker holds, and a relaxed
    // commit would block it on the sync that follows: never inline.
    if (!this.shared && !this.relaxed && readsWaiting < batch.length) this.commitOnMainThread(batch);
    else this.commitOnWriterThread(batch);
  };

  private commitOnMainThread(batch: QueuedTransaction[]): void {
    const outcomes: Outcome[] = [];
    try {
      this.db.transactionSync(() => {
        for (const { fn } of batch) outcomes.push(this.runChild(fn));
      });
    } catch (error) {
      // The commit itself failed (disk full, closed store): nothing was written.
      for (const { reject } of batch) reject(error);
      return;
    }
    settle(batch, outcomes);
  }

  private commitOnWriterThread(batch: QueuedTransaction[]): void {
    this.committing = true;
    const outcomes: Outcome[] = [];
    const committed = this.db.transaction(() => {
      for (const { fn } of batch) outcomes.push(this.runChild(fn));
    });
    (this.relaxed ? this.acknowledgeRelaxed(committed as CommitPromise) : this.acknowledgeSynced(committed))
      .then(
        () => settle(batch, outcomes),
        (error: unknown) => {
          for (const { reject } of batch) reject(error);
        },
      )
      .finally(() => {
        this.committing = false;
        this.commitQueue();
      });
  }

  /** With overlapping sync (workers) a commit is visible before it is on disk; its writers are answered once it is. */
  private acknowledgeSynced(committed: Promise<unknown>): Promise<unknown> {
    return this.shared ? committed.then(() => (committed as CommitPromise).flushed) : committed;
  }

  /** Answered at the commit, unless the syncs have fallen more than the flush interval behind. */
  private async acknowledgeRelaxed(committed: CommitPromise): Promise<void> {
    await committed;
    const now = Date.now();
    const oldest = this.unsynced[0];
    const behind = oldest !== undefined && now - oldest.at > this.flushIntervalMs;
    const commit = { at: now };
    this.unsynced.push(commit);
    // Syncs complete in commit order. A failed one leaves its commit listed: later
    // writers then wait for (and see) the syncs.
    const synced = Promise.resolve(committed.flushed).then(
      () => {
        const index = this.unsynced.indexOf(commit);
        if (index >= 0) this.unsynced.splice(0, index + 1);
      },
      () => undefined,
    );
    if (behind) await synced;
  }

  private runChild(fn: (txn: WriteOps) => unknown): Outcome {
    const txn = new LmdbTransaction(this.db);
    try {
      // Inside a write transaction's callback, childTransaction runs synchronously and returns fn's value.
      return { ok: true, value: this.db.childTransaction(() => fn(txn)) as unknown };
    } catch (error) {
      return { ok: false, error };
    } finally {
      txn.active = false;
    }
  }

  snapshot<T>(fn: (txn: ReadOps) => T): T {
    this.readsSinceCommit++;
    const transaction = this.db.useReadTransaction();
    try {
      return fn(new LmdbSnapshot(this.db, transaction));
    } finally {
      transaction.done();
    }
  }

  async close(): Promise<void> {
    if (this.relaxed) await this.db.flushed;
    await this.db.close();
    rmSync(this.copiesDir, { recursive: true, force: true });
    this.onClose?.();
  }

  /** Saved copies (test snapshots) live beside the database file while the store is open. */
  private get copiesDir(): string {
    return `${this.path}-copies`;
  }

  /** Where copy `id` lives; undefined for an id that is no plain file name (never saved). */
  private copyFile(id: string): string | undefined {
    return /^[A-Za-z0-9_-]{1,100}$/.test(id) ? `${this.copiesDir}/${id}.mdb` : undefined;
  }

  /** LMDB's own backup: a consistent copy of the file as of one read transaction. */
  async saveCopy(id: string): Promise<void> {
    const file = this.copyFile(id);
    if (file === undefined) throw new Error(`invalid copy id: ${id}`);
    mkdirSync(this.copiesDir, { recursive: true });
    rmSync(file, { force: true });
    await this.db.backup(file, false);
  }

  /** One write transaction replaces every key with the copy's. */
  async restoreCopy(id: string): Promise<boolean> {
    const file = this.copyFile(id);
    if (file === undefined || !existsSync(file)) return false;
    const copy = lmdb.open<Buffer, Buffer>({ path: file, noSubdir: true, readOnly: true, keyEncoding: 'binary', encoding: 'binary', pageSize: 8192, encoder: VALUE_CODEC });
    try {
      await this.transact((txn) => {
        for (const { key } of [...txn.range({})]) txn.delete(key);
        for (const { key, value } of lmdbRange(copy, {}, undefined)) txn.put(key, value);
      });
    } finally {
      await copy.close();
    }
    return true;
  }

  async clearAll(): Promise<void> {
    await this.transact((txn) => {
      for (const { key } of [...txn.range({})]) txn.delete(key);
    });
  }
}

/**
 * Inside an lmdb-js transaction callback every db call goes to the open write
 * transaction, so reads see its own writes and puts apply immediately.
 */
class LmdbTransaction implements WriteOps {
  active = true;

  constructor(private readonly db: BinaryDb) {}

  get(key: Buffer): Buffer | undefined {
    this.assertActive();
    return this.db.get(key);
  }

  range(options: RangeOptions): Iterable<KVEntry> {
    this.assertActive();
    return lmdbRange(this.db, options, undefined);
  }

  put(key: Buffer, value: Buffer): void {
    this.assertActive();
    this.db.put(key, value);
  }

  delete(key: Buffer): void {
    this.assertActive();
    this.db.remove(key);
  }

  putIfAbsent(key: Buffer, value: Buffer): void {
    if (this.get(key) === undefined) this.put(key, value);
  }

  private assertActive(): void {
    // Past fn, a put would silently become a separate, non-atomic write.
    if (!this.active) throw new Error('The transaction has already finished');
  }
}

class LmdbSnapshot implements ReadOps {
  private readonly options: { transaction: Transaction };

  constructor(private readonly db: BinaryDb, private readonly transaction: Transaction) {
    this.options = { transaction };
  }

  get(key: Buffer): Buffer | undefined {
    return this.db.get(key, this.options);
  }

  range(options: RangeOptions): Iterable<KVEntry> {
    return lmdbRange(this.db, options, this.transaction);
  }
}

const NO_ENTRIES: Iterable<KVEntry> = [];

/**
 * lmdb-js ranges run from `start` (inclusive) towards `end` (exclusive) in the
 * direction of travel, so a reverse walk starts at our exclusive upper bound.
 */
function lmdbRange(db: BinaryDb, { gte, lt, reverse, limit }: RangeOptions, transaction: Transaction | undefined): Iterable<KVEntry> {
  // LMDB has no zero-length keys: nothing sorts below an empty `lt`, and an empty
  // `gte` bounds nothing.
  if (lt !== undefined && lt.length === 0) return NO_ENTRIES;
  const low = gte !== undefined && gte.length > 0 ? gte : undefined;
  return reverse
    ? db.getRange({ start: lt, end: low, exclusiveStart: true, inclusiveEnd: true, reverse: true, limit, transaction })
    : db.getRange({ start: low, end: lt, limit, transaction });
}
