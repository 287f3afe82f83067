/**
 * Bookkeeping kept next to the table statistics and updated in the same write
 * transactions:
 *   0x03 | table id (u32) | index no (u8)   -> entry count and bytes of one index
 *   0x05 | table id (u32) | enc(pk)         -> item-collection bytes of one partition key
 *                                              value (tables with LSIs only)
 */
import type { ReadOps, WriteOps } from '../../storage/kv.js';
import { encodeKeyValue, prefixEnd } from '../../values/keycodec.js';
import type { AttributeValue } from '../../values/types.js';
import type { TableStats } from '../stats.js';

const STATS = 0x03;
const COLLECTION = 0x05;

export function indexStatsKey(tableId: number, indexNo: number): Buffer {
  const key = Buffer.allocUnsafe(6);
  key[0] = STATS;
  key.writeUInt32BE(tableId, 1);
  key[5] = indexNo;
  return key;
}

export function readIndexStats(ops: ReadOps, tableId: number, indexNo: number): TableStats {
  const raw = ops.get(indexStatsKey(tableId, indexNo));
  if (!raw) return { itemCount: 0, sizeBytes: 0 };
  return { itemCount: raw.readDoubleBE(0), sizeBytes: raw.readDoubleBE(8) };
}

export function adjustIndexStats(txn: WriteOps, tableId: number, indexNo: number, countDelta: number, sizeDelta: number): void {
  if (countDelta === 0 && sizeDelta === 0) return;
  const current = readIndexStats(txn, tableId, indexNo);
  const raw = Buffer.allocUnsafe(16);
  raw.writeDoubleBE(current.itemCount + countDelta, 0);
  raw.writeDoubleBE(current.sizeBytes + sizeDelta, 8);
  txn.put(indexStatsKey(tableId, indexNo), raw);
}

function collectionKey(tableId: number, pk: AttributeValue): Buffer {
  const encoded = encodeKeyValue(pk as never);
  const key = Buffer.allocUnsafe(5 + encoded.length);
  key[0] = COLLECTION;
  key.writeUInt32BE(tableId, 1);
  encoded.copy(key, 5);
  return key;
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

/** Every bookkeeping key of a table's indexes and item collections (dropped with the table). */
export function indexBookkeepingRanges(tableId: number): { gte: Buffer; lt: Buffer }[] {
  return [STATS, COLLECTION].map((tag) => {
    const start = Buffer.allocUnsafe(5);
    start[0] = tag;
    start.writeUInt32BE(tableId, 1);
    // Index stats keys are the table stats key plus one byte: start after it.
    const gte = tag === STATS ? Buffer.concat([start, Buffer.from([0])]) : start;
    return { gte, lt: prefixEnd(start)! };
  });
}
