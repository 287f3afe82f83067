/**
 * Query and Scan as range reads over a KeyView, with DynamoDB's paging: a page ends
 * at Limit items read or once 1 MB (DynamoDB item sizes, before any filter) has been
 * read, and then carries the key of its last item for the next page.
 *
 * A page hands back the stored values themselves (see storedItem.ts), so the API
 * layer can splice item JSON into its response without parsing it.
 */
import type { RangeOp } from '../expressions/index.js';
import type { ReadOps } from '../storage/kv.js';
import { encodeKeyValue, prefixEnd, type KeyValue } from '../values/keycodec.js';
import type { AttributeValue, Item } from '../values/types.js';
import { encodedPartitionPrefix, encodeKeyValues, indexPrefix } from './keyspace.js';
import type { KeyView } from './keyView.js';
import { decodeStoredItem, storedItemSize, type StoredBytes } from './storedItem.js';

export const PAGE_BYTES = 1024 * 1024;

export interface SortKeyCondition {
  op: RangeOp;
  values: AttributeValue[];
}

export interface PageRequest {
  /** Items to read at most (DynamoDB's Limit). */
  limit?: number;
  /** The previous page's LastEvaluatedKey, validated to hold the view's key attributes. */
  exclusiveStart?: Item;
  /** Bytes a page may read, when less than 1 MB (a page made of several reads). */
  maxBytes?: number;
}

export interface Page {
  /** The stored values read, in order: what ScannedCount counts. */
  values: StoredBytes[];
  /** Bytes read (sum of DynamoDB item sizes), for capacity. */
  bytesRead: number;
  lastEvaluatedKey?: Item;
}

/** A key range: gte <= key < lt (lt undefined: unbounded above). */
export interface Bounds {
  gte: Buffer;
  lt: Buffer | undefined;
}

/**
 * The key range of one partition narrowed by a sort-key condition. `partition` holds the
 * partition-key values in key-schema order; `sortPrefix` the values of leading sort-key
 * attributes fixed by equality (multi-attribute keys), which narrow the range to a prefix
 * before `sk` applies to the next attribute.
 */
export function queryBounds(view: KeyView, partition: AttributeValue[], sortPrefix: AttributeValue[], sk: SortKeyCondition | undefined): Bounds {
  let p = encodedPartitionPrefix(view.tableId, view.indexNo, encodeKeyValues(partition));
  if (sortPrefix.length > 0) p = Buffer.concat([p, encodeKeyValues(sortPrefix)]);
  const end = prefixEnd(p);
  if (sk === undefined) return { gte: p, lt: end };
  const at = (v: AttributeValue) => Buffer.concat([p, encodeKeyValue(v as KeyValue)]);
  const [first, second] = sk.values as [AttributeValue, AttributeValue];
  switch (sk.op) {
    case 'EQ':
      return { gte: at(first), lt: prefixEnd(at(first)) };
    case 'LT':
      return { gte: p, lt: at(first) };
    case 'LE':
      return { gte: p, lt: prefixEnd(at(first)) };
    case 'GT':
      return { gte: prefixEnd(at(first))!, lt: end };
    case 'GE':
      return { gte: at(first), lt: end };
    case 'BETWEEN':
      return { gte: at(first), lt: prefixEnd(at(second)) };
    case 'BEGINS_WITH': {
      const start = Buffer.concat([p, sortKeyPrefix(first)]);
      return { gte: start, lt: prefixEnd(start) };
    }
  }
}

/**
 * The encoding of an S or B value without its 2-byte terminator: a byte prefix of
 * the encoding of every value that begins with it.
 */
export function sortKeyPrefix(value: AttributeValue): Buffer {
  const full = encodeKeyValue(value as KeyValue);
  return full.subarray(0, full.length - 2);
}

/**
 * The key range of one parallel-scan segment: a contiguous slice of the partition-hash
 * space. Slices of 0..total-1 tile the whole space, so segments are disjoint and
 * together complete.
 */
export function scanBounds(view: KeyView, segment: number, totalSegments: number): Bounds {
  const prefix = indexPrefix(view.tableId, view.indexNo);
  const at = (hash: number) => {
    const key = Buffer.allocUnsafe(prefix.length + 4);
    prefix.copy(key, 0);
    key.writeUInt32BE(hash, prefix.length);
    return key;
  };
  const span = 2 ** 32;
  const lo = Math.floor((segment * span) / totalSegments);
  const hi = Math.floor(((segment + 1) * span) / totalSegments);
  return { gte: segment === 0 ? prefix : at(lo), lt: hi >= span ? prefixEnd(prefix) : at(hi) };
}

/** Whether an item's position in `view` lies inside bounds (an ExclusiveStartKey inside its scan segment). */
export function withinBounds(view: KeyView, item: Item, bounds: Bounds): boolean {
  const key = view.storageKey(item);
  return Buffer.compare(key, bounds.gte) >= 0 && (bounds.lt === undefined || Buffer.compare(key, bounds.lt) < 0);
}

/** Reads one page of a range, forward or backward, without parsing what it reads. */
export function readPage(ops: ReadOps, view: KeyView, bounds: Bounds, forward: boolean, request: PageRequest): Page {
  let { gte, lt } = bounds;
  if (request.exclusiveStart !== undefined) {
    const start = view.storageKey(request.exclusiveStart);
    if (forward) {
      // The smallest key after `start`.
      const after = Buffer.concat([start, ZERO]);
      if (Buffer.compare(after, gte) > 0) gte = after;
    } else if (lt === undefined || Buffer.compare(start, lt) < 0) {
      lt = start;
    }
  }
  const limit = request.limit ?? Infinity;
  const maxBytes = Math.min(request.maxBytes ?? PAGE_BYTES, PAGE_BYTES);
  const values: StoredBytes[] = [];
  let bytesRead = 0;
  if (lt !== undefined && Buffer.compare(gte, lt) >= 0) return { values, bytesRead };
  // Stop as soon as the page is full: the item that crosses 1 MB is the page's last.
  // A page that fills up exactly at the end of the data still reports its last key,
  // as DynamoDB does, so no look-ahead is needed.
  for (const entry of ops.range({ gte, lt, reverse: !forward, limit })) {
    const value = entry.text ?? entry.value;
    values.push(value);
    bytesRead += storedItemSize(value);
    if (bytesRead >= maxBytes) break;
  }
  const page: Page = { values, bytesRead };
  if (values.length > 0 && (values.length >= limit || bytesRead >= maxBytes)) {
    page.lastEvaluatedKey = pickKey(decodeStoredItem(values[values.length - 1]!), view.lastKeyAttributes);
  }
  return page;
}

const ZERO = Buffer.from([0]);

function pickKey(item: Item, names: string[]): Item {
  const key: Item = {};
  for (const name of names) key[name] = item[name]!;
  return key;
}
