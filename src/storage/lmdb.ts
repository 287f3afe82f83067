/**
 * On-disk KVStore over LMDB (the `lmdb` package).
 *
 * Writes: each `transact` is an lmdb-js asynchronous *child* transaction. lmdb-js
 * runs all callbacks queued in one event turn inside a single LMDB write
 * transaction, one after another, and commits them with one sync; the child
 * transaction is what lets a throwing `fn` roll back alone (a plain `transaction`
 * callback that throws keeps the writes it already made).
 *
 * Durability: `overlappingSync` is off, so LMDB syncs before the commit is
 * reported and an acknowledged write survives a process kill or power loss. With
 * it on, the promise would resolve before the sync; since batching already
 * amortises the sync, turning it off cost no measurable throughput.
 *
 * Reads: synchronous, memory-mapped. With `encoding: 'binary'`, `get` and range
 * values are copied out of LMDB's reusable buffers, so callers may keep them.
 *
 * The map grows on demand (lmdb-js remaps as the file grows), so no size is set.
 * 8 KiB pages raise the key limit from 1978 to 4026 bytes (MAX_KEY_BYTES).
 */
import { open, type Database, type RootDatabase, type Transaction } from 'lmdb';
import type { KVEntry, KVStore, RangeOptions, ReadOps, WriteOps } from './kv.js';

type BinaryDb = Database<Buffer, Buffer>;

const GATHER_MS = 1;

export class LmdbStore implements KVStore {
  private readonly db: RootDatabase<Buffer, Buffer>;

  /**
   * Opens (creating if needed) the LMDB file at `path`; `onClose` runs after the
   * database has been closed.
   */
  constructor(path: string, private readonly onClose?: () => void) {
    this.db = open<Buffer, Buffer>({
      path,
      noSubdir: true,
      keyEncoding: 'binary',
      encoding: 'binary',
      pageSize: 8192,
      overlappingSync: false,
    });
  }

  get(key: Buffer): Buffer | undefined {
    return this.db.get(key);
  }

  range(options: RangeOptions): Iterable<KVEntry> {
    return lmdbRange(this.db, options, undefined);
  }

  /**
   * Group commit: while one batch of transactions is committing (and syncing), new
   * ones wait, then all go together into the next batch — one sync for the lot.
   * Left to itself lmdb-js starts a new commit for whatever trickles in, so under
   * concurrent load most syncs carried only a few writes; a lone writer still
   * commits at once.
   */
  transact<T>(fn: (txn: WriteOps) => T): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      const start = () => {
        this.inFlight++;
        this.run(fn).then(resolve, reject).finally(() => {
          if (--this.inFlight === 0) this.startWaiting();
        });
      };
      if (this.inFlight === 0 && this.waiting.length === 0 && !this.concurrent) start();
      else {
        this.waiting.push(start);
        // Under concurrent load, gather arrivals for a moment so the next sync carries them all.
        if (this.inFlight === 0 && this.waiting.length === 1) setTimeout(() => this.startWaiting(), GATHER_MS);
      }
    });
  }

  private inFlight = 0;
  private waiting: (() => void)[] = [];
  /** Whether the last batch had company: a lone writer is never delayed. */
  private concurrent = false;

  private startWaiting(): void {
    const starts = this.waiting;
    if (starts.length === 0) return;
    this.waiting = [];
    this.concurrent = starts.length > 1;
    for (const start of starts) start();
  }

  private run<T>(fn: (txn: WriteOps) => T): Promise<T> {
    const db = this.db;
    return db.childTransaction(() => {
      const txn = new LmdbTransaction(db);
      try {
        return fn(txn);
      } finally {
        txn.active = false;
      }
    });
  }

  snapshot<T>(fn: (txn: ReadOps) => T): T {
    const transaction = this.db.useReadTransaction();
    try {
      return fn(new LmdbSnapshot(this.db, transaction));
    } finally {
      transaction.done();
    }
  }

  async close(): Promise<void> {
    await this.db.close();
    this.onClose?.();
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
