/**
 * In-memory KVStore on a copy-on-write B+ tree: for tests and `--in-memory`.
 *
 * `transact` runs `fn` at once, to completion, against an overlay of pending
 * writes; being synchronous on a single thread, that is serializable. The overlay
 * is applied only if `fn` returns. Nothing is durable.
 *
 * Keys and values are held as latin1 strings (one char per byte, see packedBytes.ts),
 * not Buffers: a stored value then costs its bytes and a small header inside V8's
 * heap, where a Buffer costs an object, a backing store and, for small ones, pins a
 * shared 8 KiB pool slab that other allocations left half garbage.
 */
import { keyString, mergeRanges, newKeyTree, sortedPending, treeRange, type BTree } from './btreeRange.js';
import { checkKey, type CopyableStore, type KVEntry, type LocalKVStore, type RangeOptions, type ReadOps, type WriteOps } from './kv.js';
import { packBytes, packedEntries, unpackBytes } from './packedBytes.js';

/** LMDB's key limit (with the 8 KiB pages lmdb.ts uses): code tested in memory then also runs on disk. */
const DEFAULT_MAX_KEY_BYTES = 4026;

/** A Map holds at most 2^24 entries: past this many, point reads of other keys go to the tree. */
const MAX_INDEXED_KEYS = 8_000_000;

export class MemoryStore implements LocalKVStore, CopyableStore {
  private tree = newKeyTree<string>();
  /**
   * Committed entries by key, for point reads: every key written, and every key read,
   * since the tree was last replaced (a restored copy or a clear starts it empty instead
   * of copying the tree into it). Finding a key in the tree compares it with some twenty
   * stored keys spread over the heap, each a likely cache miss once the values outgrow the
   * caches (GetItem's lookup took ~10 % of an in-memory server's time); the map touches a
   * few places. Its entries always equal the tree's; ranges and absent keys go to the tree.
   */
  private index = new Map<string, string>();
  /** Saved copies (test snapshots): O(1) copy-on-write clones sharing nodes until either side changes. */
  private readonly copies = new Map<string, BTree<string, string>>();
  /**
   * An O(1) copy-on-write clone that lazy range iterators walk, so a commit that
   * lands while one is being consumed neither breaks nor changes it (the same
   * snapshot behaviour LMDB cursors have). Shared until the next commit.
   */
  private frozen: BTree<string, string> | undefined;
  private closed = false;

  readonly neverConflicts = true;

  constructor(readonly maxKeyBytes = DEFAULT_MAX_KEY_BYTES, private readonly maxIndexedKeys = MAX_INDEXED_KEYS) {}

  get(key: Buffer): Buffer | undefined {
    const packed = this.getPacked(keyString(key));
    return packed === undefined ? undefined : unpackBytes(packed);
  }

  range(options: RangeOptions): Iterable<KVEntry> {
    return packedEntries(treeRange(this.view(), options));
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
    this.copies.clear();
    return Promise.resolve();
  }

  saveCopy(id: string): Promise<void> {
    this.copies.set(id, this.tree.clone());
    return Promise.resolve();
  }

  restoreCopy(id: string): Promise<boolean> {
    const copy = this.copies.get(id);
    if (copy !== undefined) this.replaceTree(copy.clone());
    return Promise.resolve(copy !== undefined);
  }

  clearAll(): Promise<void> {
    this.replaceTree(newKeyTree<string>());
    return Promise.resolve();
  }

  private replaceTree(tree: BTree<string, string>): void {
    this.tree = tree;
    this.index = new Map();
    this.frozen = undefined;
  }

  /** The committed value of a key, still packed. */
  getPacked(key: string): string | undefined {
    let packed = this.index.get(key);
    if (packed === undefined) {
      packed = this.tree.get(key);
      if (packed !== undefined && this.index.size < this.maxIndexedKeys) this.index.set(key, packed);
    }
    return packed;
  }

  /** The committed tree as of now, safe to iterate across later commits. */
  view(): BTree<string, string> {
    return (this.frozen ??= this.tree.clone());
  }

  private apply(pending: Map<string, string | null> | undefined): void {
    if (pending === undefined) return;
    const { tree, index } = this;
    for (const [key, value] of pending) {
      if (value === null) {
        tree.delete(key);
        index.delete(key);
      } else {
        tree.set(key, value);
        // A full map keeps no entry for the key (it may have held one), so reads ask the tree.
        if (index.size < this.maxIndexedKeys) index.set(key, value);
        else index.delete(key);
      }
    }
    this.frozen = undefined;
  }
}

class MemoryTransaction implements WriteOps {
  active = true;
  /**
   * Writes made so far, packed (`null` = deleted), created on the first write. A Map,
   * not a tree: most transactions write a key or two and never range over their own writes.
   */
  pending: Map<string, string | null> | undefined;

  constructor(private readonly store: MemoryStore) {}

  get(key: Buffer): Buffer | undefined {
    this.assertActive();
    const text = keyString(key);
    const written = this.pending?.get(text);
    if (written !== undefined) return written === null ? undefined : unpackBytes(written);
    const packed = this.store.getPacked(text);
    return packed === undefined ? undefined : unpackBytes(packed);
  }

  range(options: RangeOptions): Iterable<KVEntry> {
    this.assertActive();
    const committed = this.store.view();
    if (this.pending === undefined) return packedEntries(treeRange(committed, options));
    const unlimited: RangeOptions = { gte: options.gte, lt: options.lt, reverse: options.reverse };
    const pending = sortedPending(this.pending, unlimited);
    return packedEntries(mergeRanges(treeRange(committed, unlimited), pending, options.reverse === true, options.limit ?? Infinity));
  }

  put(key: Buffer, value: Buffer): void {
    this.assertActive();
    checkKey(key, this.store.maxKeyBytes);
    // Packing copies, so the caller may reuse its buffer (kv.ts).
    this.writes().set(keyString(key), packBytes(value));
  }

  delete(key: Buffer): void {
    this.assertActive();
    checkKey(key, this.store.maxKeyBytes);
    this.writes().set(keyString(key), null);
  }

  putIfAbsent(key: Buffer, value: Buffer): void {
    if (this.get(key) === undefined) this.put(key, value);
  }

  private writes(): Map<string, string | null> {
    return (this.pending ??= new Map());
  }

  private assertActive(): void {
    if (!this.active) throw new Error('The transaction has already finished');
  }
}
