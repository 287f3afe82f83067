/**
 * Lazy, bounded iteration over an in-memory B+ tree keyed by Buffers, and the
 * ordered merge of a transaction's pending writes over the committed data.
 */
import BTreeModule from 'sorted-btree';
import type { KVEntry, RangeOptions } from './kv.js';

// sorted-btree is CommonJS with `exports.default`.
const BTree = BTreeModule.default;
export type BTree<K, V> = InstanceType<typeof BTreeModule.default<K, V>>;

const compareKeys: (a: Buffer, b: Buffer) => number = Buffer.compare;

/** An empty tree ordered by unsigned bytes. */
export function newKeyTree<V>(): BTree<Buffer, V> {
  return new BTree<Buffer, V>(undefined, compareKeys);
}

/** `value: null` marks a key deleted by the transaction. */
export interface PendingEntry {
  key: Buffer;
  value: Buffer | null;
}

/** Entries of `tree` with gte <= key < lt, in the requested direction, at most `limit`. */
export function* treeRange<V>(
  tree: BTree<Buffer, V>,
  { gte, lt, reverse, limit = Infinity }: RangeOptions,
): Generator<{ key: Buffer; value: V }> {
  if (limit <= 0) return;
  let count = 0;
  const pair: (Buffer | V)[] = [];
  if (reverse) {
    // Starts at the greatest key <= lt; skipHighest drops lt itself.
    for (const [key, value] of tree.entriesReversed(lt, pair, true)) {
      if (gte !== undefined && Buffer.compare(key, gte) < 0) return;
      yield { key, value };
      if (++count >= limit) return;
    }
  } else {
    for (const [key, value] of tree.entries(gte, pair)) {
      if (lt !== undefined && Buffer.compare(key, lt) >= 0) return;
      yield { key, value };
      if (++count >= limit) return;
    }
  }
}

/**
 * Merges committed entries with pending writes walking the same direction; a
 * pending write shadows the committed entry with the same key, a pending delete
 * hides it. Both inputs must be unlimited; `limit` applies to the output.
 */
export function* mergeRanges(
  committed: Iterator<KVEntry>,
  pending: Iterator<PendingEntry>,
  reverse: boolean,
  limit: number,
): Generator<KVEntry> {
  const direction = reverse ? -1 : 1;
  let base = committed.next();
  let write = pending.next();
  let count = 0;
  while (count < limit) {
    let next: KVEntry;
    if (write.done) {
      if (base.done) return;
      next = base.value;
      base = committed.next();
    } else {
      const order = base.done ? 1 : Buffer.compare(base.value.key, write.value.key) * direction;
      if (order < 0) {
        next = base.value;
        base = committed.next();
      } else {
        const { key, value } = write.value;
        if (order === 0) base = committed.next();
        write = pending.next();
        if (value === null) continue;
        next = { key, value };
      }
    }
    yield next;
    count++;
  }
}
