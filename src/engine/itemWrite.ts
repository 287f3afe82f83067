/**
 * One item write inside a storage transaction: the item, its secondary index
 * entries and the table's statistics change together.
 */
import type { WriteOps } from '../storage/kv.js';
import type { Item } from '../values/types.js';
import { itemSize } from '../values/size.js';
import type { ItemChange, Table } from './table.js';
import { itemKey } from './keyspace.js';
import { adjustStats } from './stats.js';
import { decodeStoredItem, encodeStoredItem, storedItemSize } from './storedItem.js';
import { maintainIndexes } from './indexes/maintain.js';
import type { ChangeOrigin } from './changelog/record.js';

export interface WriteResult {
  old: Item | undefined;
  new: Item | undefined;
  oldSize: number;
  newSize: number;
  /** For tables with LSIs: the bytes of the item's collection after the write. */
  collectionBytes?: number;
  /** For tables with indexes: the write units the write cost on each of `table.indexing.indexes` (0: untouched). */
  indexWriteUnits?: number[];
}

/** What `transactItems` hands its callback: the raw key space, and item reads and writes. */
export interface ItemTransaction {
  kv: WriteOps;
  read(table: Table, key: Item): { item: Item; size: number } | undefined;
  write(write: ItemWrite): WriteResult;
}

/** Decides an item's next state from its current one: an item to store, or undefined to delete. */
export interface Mutation {
  (old: Item | undefined): Item | undefined;
  /**
   * Set on a mutation that never looks at the current item (a put or delete without a
   * condition): it is then called with undefined and the current item is not decoded
   * unless index maintenance or `WriteResult.old` asks for it.
   */
  blind?: boolean;
  /**
   * The DynamoDB size of the item the mutation returns, when it knows it: set beforehand
   * (a put) or by the call itself (an update measuring its result); read after the call.
   */
  nextSize?: number | undefined;
  /**
   * The JSON text (UTF-8) of the item the mutation returns, when known beforehand (a put
   * whose item arrived as text that can be stored as it is): spares serialising it.
   */
  nextJson?: Buffer | undefined;
}

/** A mutation that ignores the current item; `nextSize` / `nextJson` describe the stored item if known. */
export function blindMutation(fn: (old: Item | undefined) => Item | undefined, nextSize?: number, nextJson?: Buffer): Mutation {
  const mutation: Mutation = fn;
  mutation.blind = true;
  if (nextSize !== undefined) mutation.nextSize = nextSize;
  if (nextJson !== undefined) mutation.nextJson = nextJson;
  return mutation;
}

export interface ItemWrite {
  table: Table;
  key: Item;
  mutate: Mutation;
  /** The item's storage key, when the caller has already built it (`itemKey` of table and key). */
  storageKey?: Buffer;
  /** Set when the write is not a client's (the TTL sweeper's deletions). */
  origin?: ChangeOrigin;
}

/**
 * Table statistics changes gathered over the item writes of one transaction and
 * written once at its end: a batch of writes to one table then costs one read and
 * one write of its statistics instead of one per item.
 */
export class StatsDeltas {
  private readonly deltas = new Map<number, { count: number; size: number; spread: Buffer }>();

  add(tableId: number, count: number, size: number, spread: Buffer): void {
    const delta = this.deltas.get(tableId);
    if (delta === undefined) this.deltas.set(tableId, { count, size, spread });
    else {
      delta.count += count;
      delta.size += size;
    }
  }

  /** Writes the gathered changes; call inside the same transaction, after its last item write. */
  flush(txn: WriteOps): void {
    for (const [tableId, { count, size, spread }] of this.deltas) adjustStats(txn, tableId, count, size, spread);
    this.deltas.clear();
  }
}

/** Several item writes in one storage transaction, their statistics adjusted once per table. */
export function applyItemWrites(txn: WriteOps, writes: ItemWrite[]): WriteResult[] {
  if (writes.length === 1) return [applyItemWrite(txn, writes[0]!)];
  const stats = new StatsDeltas();
  const results = writes.map((w) => applyItemWrite(txn, w, stats));
  stats.flush(txn);
  return results;
}

/**
 * One item write inside a storage transaction: the item, and the table's statistics
 * (adjusted at once, or gathered into `stats` for the caller to flush).
 */
export function applyItemWrite(txn: WriteOps, { table, key, mutate, storageKey: knownKey, origin }: ItemWrite, stats?: StatsDeltas): WriteResult {
  const storageKey = knownKey ?? itemKey(table.meta.id, table.schema, key);
  const stored = txn.get(storageKey);
  const indexed = table.indexing.indexes.length > 0;
  // Parsing the current item is most of a plain put's cost; only decode it when read.
  const old = stored === undefined || (mutate.blind === true && !indexed) ? undefined : decodeStoredItem(stored);
  const next = mutate(old);
  const oldSize = stored === undefined ? 0 : storedItemSize(stored);
  const newSize = next === undefined ? 0 : mutate.nextSize ?? itemSize(next);
  const nextStored = next === undefined ? undefined : encodeStoredItem(next, newSize, mutate.nextJson);
  const result = new ItemWriteResult(stored, old, next, oldSize, newSize);
  if (indexed) {
    const indexWriteUnits = new Array<number>(table.indexing.indexes.length);
    const collectionBytes = maintainIndexes(txn, table.indexing, key, old, next, nextStored, newSize - oldSize, indexWriteUnits);
    result.indexWriteUnits = indexWriteUnits;
    if (collectionBytes !== undefined) result.collectionBytes = collectionBytes;
  }
  if (nextStored !== undefined) txn.put(storageKey, nextStored);
  else if (stored !== undefined) txn.delete(storageKey);
  if (table.observers.length > 0) {
    const change: ItemChange = { table, key, storageKey, stored, nextStored, old: () => result.old, next };
    if (origin !== undefined) change.origin = origin;
    for (const observe of table.observers) observe(txn, change);
  }
  const countDelta = (next ? 1 : 0) - (stored ? 1 : 0);
  if (stats === undefined) adjustStats(txn, table.meta.id, countDelta, newSize - oldSize, storageKey);
  else stats.add(table.meta.id, countDelta, newSize - oldSize, storageKey);
  return result;
}

/** A WriteResult whose `old` item is decoded from the stored bytes on first access. */
class ItemWriteResult implements WriteResult {
  readonly new: Item | undefined;
  collectionBytes?: number;
  indexWriteUnits?: number[];
  private decodedOld: Item | undefined;

  constructor(
    private readonly stored: Buffer | undefined,
    old: Item | undefined,
    next: Item | undefined,
    readonly oldSize: number,
    readonly newSize: number,
  ) {
    this.decodedOld = old;
    this.new = next;
  }

  get old(): Item | undefined {
    if (this.decodedOld === undefined && this.stored !== undefined) this.decodedOld = decodeStoredItem(this.stored);
    return this.decodedOld;
  }
}
