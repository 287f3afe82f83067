/**
 * Keeping index entries in step with base items, inside the base write's own
 * transaction: key-value checks first (so a rejected write changes nothing), then
 * the old entry out and the new one in, per-index statistics, and for tables with
 * LSIs the size of the item collection.
 */
import { checkKeySizes, partitionKeyParts, sortKeyParts } from '../../values/keys.js';
import { dynamoError, invalidParameter, validationError } from '../../errors.js';
import type { WriteOps } from '../../storage/kv.js';
import { attributeValueSize, itemSize } from '../../values/size.js';
import { typeOf, type Item } from '../../values/types.js';
import { writeUnits } from '../capacity/units.js';
import { encodeStoredItem, storedItemSize } from '../storedItem.js';
import { entryKey, own, projectEntry, type IndexInfo } from './indexInfo.js';
import { adjustCollection, adjustIndexStats } from './indexStats.js';

/** DynamoDB's limit on one item collection (items and LSI entries sharing a partition key value). */
export const ITEM_COLLECTION_LIMIT_BYTES = 10 * 1024 ** 3;

export interface IndexedTable {
  tableId: number;
  /** Indexes to maintain, sorted by name. */
  indexes: IndexInfo[];
  hasLsi: boolean;
  collectionLimitBytes: number;
}

/**
 * Rejects an item whose index key attributes have the wrong type or an empty value.
 * The key size limits apply to a multi-attribute key's values summed.
 */
function checkIndexKeyValues(indexes: IndexInfo[], item: Item): void {
  for (const index of indexes) {
    let hashBytes = 0;
    for (const part of partitionKeyParts(index.schema)) hashBytes += checkValue(index, part.name, part.type, item);
    let rangeBytes = 0;
    for (const part of sortKeyParts(index.schema)) rangeBytes += checkValue(index, part.name, part.type, item);
    checkKeySizes(hashBytes, rangeBytes);
  }
}

/** Checks one index key attribute; returns its size in bytes (0 when absent). */
function checkValue(index: IndexInfo, name: string, expected: string, item: Item): number {
  const value = own(item, name);
  if (value === undefined) return 0;
  const actual = typeOf(value);
  if (actual !== expected) {
    throw invalidParameter(`Type mismatch for Index Key ${name} Expected: ${expected} Actual: ${actual} IndexName: ${index.name}`);
  }
  const v = value as { S?: string; B?: string };
  if (v.S === '' || v.B === '') {
    throw validationError(
      'One or more parameter values are not valid. A value specified for a secondary index key is not supported. ' +
        `The AttributeValue for a key attribute cannot contain an empty ${v.S === '' ? 'string' : 'binary'} value. IndexName: ${index.name}, IndexKey: ${name}`,
    );
  }
  return attributeValueSize(value);
}

/**
 * Moves the index entries of one item from `old` to `next` (either may be absent).
 * `nextStored` is the base item's stored form, reused as the entry of ALL indexes.
 * `writeUnits[i]` receives the write capacity the change costs on `table.indexes[i]`.
 * Returns the item collection's size after the write for tables with LSIs.
 */
export function maintainIndexes(
  txn: WriteOps,
  table: IndexedTable,
  key: Item,
  old: Item | undefined,
  next: Item | undefined,
  nextStored: Buffer | undefined,
  baseSizeDelta: number,
  writeUnits: number[],
): number | undefined {
  if (next !== undefined) checkIndexKeyValues(table.indexes, next);
  let lsiDelta = 0;
  for (let i = 0; i < table.indexes.length; i++) {
    const index = table.indexes[i]!;
    const sizeDelta = moveEntry(txn, table.tableId, index, old, next, nextStored, writeUnits, i);
    if (index.meta.kind === 'LSI') lsiDelta += sizeDelta;
  }
  if (!table.hasLsi) return undefined;
  const hashKey = table.indexes.find((i) => i.meta.kind === 'LSI')!.base.hashKey;
  const delta = baseSizeDelta + lsiDelta;
  const size = adjustCollection(txn, table.tableId, key[hashKey]!, delta);
  if (delta > 0 && size > table.collectionLimitBytes) {
    throw dynamoError('ItemCollectionSizeLimitExceededException', 'Item collection size limit exceeded.');
  }
  return size;
}

/**
 * Replaces one index's entry for an item; returns the change in the index's bytes and
 * sets `units[at]` to what DynamoDB charges for it: each entry put or deleted costs its
 * size in 1 KB units (a changed index key is a delete plus a put), a rewrite in place
 * the larger of the old and new entry, and an entry left as it was nothing.
 */
function moveEntry(
  txn: WriteOps,
  tableId: number,
  index: IndexInfo,
  old: Item | undefined,
  next: Item | undefined,
  nextStored: Buffer | undefined,
  units: number[],
  at: number,
): number {
  const oldKey = old === undefined ? undefined : entryKey(tableId, index, old);
  const newKey = next === undefined ? undefined : entryKey(tableId, index, next);
  // The entry may be missing even when `old` has a key: an index still backfilling.
  const prev = oldKey === undefined ? undefined : txn.get(oldKey);
  const sameKey = oldKey !== undefined && newKey !== undefined && oldKey.equals(newKey);
  let count = 0;
  let size = 0;
  let charged = 0;
  if (prev !== undefined && !sameKey) {
    txn.delete(oldKey!);
    count--;
    size -= storedItemSize(prev);
    charged += writeUnits(storedItemSize(prev), 0);
  }
  if (newKey !== undefined) {
    const value = entryValue(index, next!, nextStored);
    if (sameKey && prev !== undefined) {
      if (!prev.equals(value)) {
        txn.put(newKey, value);
        charged += writeUnits(storedItemSize(prev), storedItemSize(value));
      }
      size += storedItemSize(value) - storedItemSize(prev);
    } else {
      txn.put(newKey, value);
      count++;
      size += storedItemSize(value);
      charged += writeUnits(0, storedItemSize(value));
    }
  }
  units[at] = charged;
  adjustIndexStats(txn, tableId, index.no, count, size, newKey ?? oldKey);
  return size;
}

/** The stored form of an item's entry in an index. */
export function entryValue(index: IndexInfo, item: Item, stored: Buffer | undefined): Buffer {
  if (index.projected === undefined && stored !== undefined) return stored;
  const projected = projectEntry(index, item);
  return encodeStoredItem(projected, itemSize(projected));
}
