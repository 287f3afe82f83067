/**
 * Bookkeeping kept next to the table statistics and updated in the same write
 * transactions: entry count and bytes of each index, and the item-collection size
 * of each partition key value (tables with LSIs only). Keys: see ../keyspace.ts.
 */
import type { ReadOps, WriteOps } from '../../storage/kv.js';
import type { AttributeValue } from '../../values/types.js';
import { collectionKey, indexStatsKey } from '../keyspace.js';
import { adjustStatsAt, readStatsAt, type TableStats } from '../stats.js';

export function readIndexStats(ops: ReadOps, tableId: number, indexNo: number): TableStats {
  return readStatsAt(ops, indexStatsKey(tableId, indexNo));
}

/** `spread`: the entry's key, picking the statistics shard (see stats.ts). */
export function adjustIndexStats(txn: WriteOps, tableId: number, indexNo: number, countDelta: number, sizeDelta: number, spread?: Buffer): void {
  if (countDelta === 0 && sizeDelta === 0) return;
  adjustStatsAt(txn, indexStatsKey(tableId, indexNo), countDelta, sizeDelta, spread);
}

/** Adds `delta` bytes to a partition key value's item collection; returns its new size. */
export function adjustCollection(txn: WriteOps, tableId: number, pk: AttributeValue, delta: number): number {
  const key = collectionKey(tableId, pk);
  const size = (txn.get(key)?.readDoubleBE(0) ?? 0) + delta;
  if (delta === 0) return size;
  if (size <= 0) {
    txn.delete(key);
    return 0;
  }
  const raw = Buffer.allocUnsafe(8);
  raw.writeDoubleBE(size, 0);
  txn.put(key, raw);
  return size;
}
