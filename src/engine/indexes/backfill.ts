/**
 * Online index building and dropping, one bounded batch per storage transaction so
 * that API traffic keeps flowing between batches.
 *
 * Backfill is safe against concurrent writes because writes maintain a new index
 * from the moment it is in the catalog; a batch only (re)writes the entries of
 * the items it reads inside its own transaction, which is idempotent.
 */
import type { WriteOps } from '../../storage/kv.js';
import { prefixEnd } from '../../values/keycodec.js';
import { indexPrefix } from '../keyspace.js';
import { decodeStoredItem, storedItemSize } from '../storedItem.js';
import { entryKey, type IndexInfo } from './indexInfo.js';
import { adjustIndexStats } from './indexStats.js';
import { entryValue } from './maintain.js';

/** Items (or index entries) handled per transaction. */
export const INDEX_BATCH = 500;

const ZERO = Buffer.from([0]);

/**
 * Writes the entries of up to `limit` base items at or after `from` (undefined: the
 * start). Returns how many items it saw and the key to continue from (undefined once
 * every item was seen).
 */
export function backfillBatch(txn: WriteOps, tableId: number, index: IndexInfo, from: Buffer | undefined, limit = INDEX_BATCH): { seen: number; next: Buffer | undefined } {
  const base = indexPrefix(tableId, 0);
  let seen = 0;
  let last: Buffer | undefined;
  for (const { key, value } of txn.range({ gte: from ?? base, lt: prefixEnd(base)!, limit })) {
    seen++;
    last = key;
    const item = decodeStoredItem(value);
    const at = entryKey(tableId, index, item);
    if (at === undefined) continue; // sparse, or a key value of the wrong type
    const entry = entryValue(index, item, value);
    const prev = txn.get(at);
    if (prev !== undefined && prev.equals(entry)) continue;
    txn.put(at, entry);
    adjustIndexStats(txn, tableId, index.no, prev === undefined ? 1 : 0, storedItemSize(entry) - (prev === undefined ? 0 : storedItemSize(prev)), at);
  }
  return { seen, next: seen < limit ? undefined : Buffer.concat([last!, ZERO]) };
}

/** Deletes up to `limit` entries of a dropped index; returns how many (fewer than `limit`: none are left). */
export function purgeIndexBatch(txn: WriteOps, tableId: number, indexNo: number, limit = INDEX_BATCH): number {
  const prefix = indexPrefix(tableId, indexNo);
  let n = 0;
  for (const { key } of txn.range({ gte: prefix, lt: prefixEnd(prefix)!, limit })) {
    txn.delete(key);
    n++;
  }
  return n;
}
