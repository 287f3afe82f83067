/**
 * In-memory KVStore on a copy-on-write B+ tree: for tests and `--in-memory`.
 *
 * `transact` runs `fn` at once, to completion, against an overlay of pending
 * writes; being synchronous on a single thread, that is serializable. The overlay
 * is applied only if `fn` returns. Nothing is durable.
 */
import { asKVEntries, keyString, mergeRanges, newKeyTree, sortedPending, treeRange, type BTree } from './btreeRange.js';
import { checkKey, type KVEntry, type LocalKVStore, type RangeOptions, type ReadOps, type WriteOps } from './kv.js';

/** LMDB's key limit (with the 8 KiB pages lmdb.ts uses): code tested in memory then also runs on disk. */
const DEFAULT_MAX_KEY_BYTES = 4026;

export class MemoryStore implements LocalKVStore {
  private readonly tree = newKeyTree<Buffer>();
  /**
   * An O(1) copy-on-write clone that lazy range iterators walk, so a commit that
   * lands while one is being consumed neither breaks nor changes it (the same
   * snapshot behaviour LMDB cursors have). Shared until the next commit.
   */
  private frozen: BTree<string, Buffer> | undefined;
  private closed = false;

  constructor(readonly maxKeyBytes = DEFAULT_MAX_KEY_BYTES) {}

  get(key: Buffer): Buffer | undefined {
    return this.tree.get(keyString(key));
  }

  range(options: RangeOptions): Iterable<KVEntry> {
    return asKVEntries(treeRange(this.view(), options));
  }

  transact<T>(fn: (txn: WriteOps) => T): Promise<T> {
    if (this.closed) return Promise.reject(new Error('The store is closed'));
    const txn = new MemoryTransaction(this);
    let result: T;
    try {
      result = fn(txn);
    } catch (error) {
      return Promise.reject(error);
    } finally {
      txn.active = false;
    }
    this.apply(txn.pending);
    return Promise.resolve(result);
  }

  snapshot<T>(fn: (txn: ReadOps) => T): T {
    // No commit can interleave with a synchronous fn, and ranges walk a frozen view.
    return fn(this);
  }

  close(): Promise<void> {
    this.closed = true;
    return Promise.resolve();
  }

  /** The committed tree as of now, safe to iterate across later commits. */
  view(): BTree<string, Buffer> {
    return (this.frozen ??= this.tree.clone());
  }

  private apply(pending: Map<string, Buffer | null> | undefined): void {
    if (pending === undefined) return;
    const tree = this.tree;
    for (const [key, value] of pending) {
      if (value === null) tree.delete(key);
      else tree.set(key, value);
    }
    this.frozen = undefined;
  }
}

class MemoryTransaction implements WriteOps {
  active = true;
  /**
   * Writes made so far (`null` = deleted), created on the first write. A Map, not a
   * tree: most transactions write a key or two and never range over their own writes.
   */
  pending: Map<string, Buffer | null> | undefined;

  constructor(private readonly store: MemoryStore) {}

  get(key: Buffer): Buffer | undefined {
    this.assertActive();
    const written = this.pending?.get(keyString(key));
    if (written !== undefined) return written ?? undefined;
    return this.store.get(key);
  }

  range(options: RangeOptions): Iterable<KVEntry> {
    this.assertActive();
    const committed = this.store.view();
    if (this.pending === undefined) return asKVEntries(treeRange(committed, options));
    const unlimited: RangeOptions = { gte: options.gte, lt: options.lt, reverse: options.reverse };
    const pending = sortedPending(this.pending, unlimited);
    return asKVEntries(mergeRanges(treeRange(committed, unlimited), pending, options.reverse === true, options.limit ?? Infinity));
  }

  put(key: Buffer, value: Buffer): void {
    this.assertActive();
    checkKey(key, this.store.maxKeyBytes);
    this.writes().set(keyString(key), Buffer.from(value));
  }

  delete(key: Buffer): void {
    this.assertActive();
    checkKey(key, this.store.maxKeyBytes);
    this.writes().set(keyString(key), null);
  }

  private writes(): Map<string, Buffer | null> {
    return (this.pending ??= new Map());
  }

  private assertActive(): void {
    if (!this.active) throw new Error('The transaction has already finished');
  }
}
