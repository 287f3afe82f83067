/**
 * Lazy, bounded iteration over an in-memory B+ tree, and the ordered merge of a
 * transaction's pending writes over the committed data.
 *
 * Keys are held as latin1 strings: one char per byte, so JavaScript's string order
 * is exactly unsigned byte order, and comparing strings is far cheaper than
 * Buffer.compare (which showed at the top of in-memory profiles).
 */
import { createRequire } from 'node:module';
import type BTreeModule from 'sorted-btree';
import type { KVEntry, RangeOptions } from './kv.js';

// sorted-btree is CommonJS with `exports.default`. Required, not imported: the first
// CommonJS module an ES module imports makes Node.js start its CommonJS export
// analyser, about 70 ms of CPU at start-up (measured on Node.js 20).
const BTree = (createRequire(import.meta.url)('sorted-btree') as typeof BTreeModule).default;
export type BTree<K, V> = InstanceType<typeof BTreeModule.default<K, V>>;

const compareKeys = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/** An empty tree ordered by unsigned bytes of its (latin1 string) keys. */
export function newKeyTree<V>(): BTree<string, V> {
  return new BTree<string, V>(undefined, compareKeys);
}

export const keyString = (key: Buffer): string => key.toString('latin1');
export const keyBuffer = (key: string): Buffer => Buffer.from(key, 'latin1');

/** `value: null` marks a key deleted by the transaction. */
export interface PendingEntry<V = Buffer> {
  key: string;
  value: V | null;
}

export interface TreeEntry<V> {
  key: string;
  value: V;
}

/** Entries of `tree` with gte <= key < lt, in the requested direction, at most `limit`. */
export function* treeRange<V>(tree: BTree<string, V>, options: RangeOptions): Generator<TreeEntry<V>> {
  const limit = options.limit ?? Infinity;
  if (limit <= 0) return;
  const gte = options.gte === undefined ? undefined : keyString(options.gte);
  const lt = options.lt === undefined ? undefined : keyString(options.lt);
  let count = 0;
  const pair: (string | V)[] = [];
  if (options.reverse) {
    // Starts at the greatest key <= lt; skipHighest drops lt itself.
    for (const [key, value] of tree.entriesReversed(lt, pair, true)) {
      if (gte !== undefined && key < gte) return;
      yield { key, value };
      if (++count >= limit) return;
    }
  } else {
    for (const [key, value] of tree.entries(gte, pair)) {
      if (lt !== undefined && key >= lt) return;
      yield { key, value };
      if (++count >= limit) return;
    }
  }
}

/** Tree entries as KV entries (keys back to Buffers). */
export function* asKVEntries(entries: Iterable<TreeEntry<Buffer>>): Generator<KVEntry> {
  for (const { key, value } of entries) yield new TreeKVEntry(key, value);
}

/** Turns its key back into a Buffer only when asked: Query and Scan read values alone. */
class TreeKVEntry implements KVEntry {
  private keyBytes: Buffer | undefined;

  constructor(private readonly keyText: string, readonly value: Buffer) {}

  get key(): Buffer {
    return (this.keyBytes ??= keyBuffer(this.keyText));
  }
}

/**
 * Merges committed entries with pending writes walking the same direction; a
 * pending write shadows the committed entry with the same key, a pending delete
 * hides it. Both inputs must be unlimited; `limit` applies to the output.
 */
export function* mergeRanges<V>(
  committed: Iterator<TreeEntry<V>>,
  pending: Iterator<PendingEntry<V>>,
  reverse: boolean,
  limit: number,
): Generator<TreeEntry<V>> {
  const direction = reverse ? -1 : 1;
  let base = committed.next();
  let write = pending.next();
  let count = 0;
  while (count < limit) {
    let next: TreeEntry<V>;
    if (write.done) {
      if (base.done) return;
      next = base.value;
      base = committed.next();
    } else {
      const order = base.done ? 1 : compareKeys(base.value.key, write.value.key) * direction;
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

/**
 * The pending writes inside a range, sorted in its direction. A copy, so fn may keep
 * writing while iterating.
 */
export function sortedPending<V>(pending: Map<string, V | null>, { gte, lt, reverse }: RangeOptions): Iterator<PendingEntry<V>> {
  const low = gte === undefined ? undefined : keyString(gte);
  const high = lt === undefined ? undefined : keyString(lt);
  const entries: PendingEntry<V>[] = [];
  for (const [key, value] of pending) {
    if ((low === undefined || key >= low) && (high === undefined || key < high)) entries.push({ key, value });
  }
  const direction = reverse === true ? -1 : 1;
  entries.sort((a, b) => (a.key < b.key ? -direction : a.key > b.key ? direction : 0));
  return entries[Symbol.iterator]();
}
