/**
 * Query and Scan as range reads over a KeyView, with DynamoDB's paging: a page ends
 * at Limit items read or once 1 MB (DynamoDB item sizes, before any filter) has been
 * read, and then carries the key of its last item for the next page.
 */
import type { KVEntry, ReadOps } from '../storage/kv.js';
import { encodeKeyValue, prefixEnd } from '../values/keycodec.js';
import type { AttributeValue, Item } from '../values/types.js';
import { indexPrefix, partitionPrefix } from './keyspace.js';
import type { KeyView } from './keyView.js';
import { decodeStoredItem, storedItemSize } from './storedItem.js';

export const PAGE_BYTES = 1024 * 1024;

export type SortKeyCondition =
  | { op: 'EQ' | 'LT' | 'LE' | 'GT' | 'GE' | 'BEGINS_WITH'; values: [AttributeValue] }
  | { op: 'BETWEEN'; values: [AttributeValue, AttributeValue] };

export interface PageRequest {
  /** Items to read at most (DynamoDB's Limit). */
  limit?: number;
  /** The previous page's LastEvaluatedKey, validated to hold the view's key attributes. */
  exclusiveStart?: Item;
}

export interface Page {
  items: Item[];
  /** Bytes read (sum of item sizes), for capacity. */
  bytesRead: number;
  lastEvaluatedKey?: Item;
}

interface Bounds {
  gte: Buffer;
  lt: Buffer | undefined;
}

/** The key range of one partition narrowed by a sort-key condition. */
export function queryBounds(view: KeyView, pk: AttributeValue, sk: SortKeyCondition | undefined): Bounds {
  const p = partitionPrefix(view.tableId, view.indexNo, pk);
  const all: Bounds = { gte: p, lt: prefixEnd(p) };
  if (sk === undefined) return all;
  const at = (v: AttributeValue) => Buffer.concat([p, encodeKeyValue(v as never)]);
  switch (sk.op) {
    case 'EQ':
      return { gte: at(sk.values[0]), lt: prefixEnd(at(sk.values[0])) };
    case 'LT':
      return { gte: p, lt: at(sk.values[0]) };
    case 'LE':
      return { gte: p, lt: prefixEnd(at(sk.values[0])) };
    case 'GT':
      return { gte: prefixEnd(at(sk.values[0]))!, lt: all.lt };
    case 'GE':
      return { gte: at(sk.values[0]), lt: all.lt };
    case 'BETWEEN':
      return { gte: at(sk.values[0]), lt: prefixEnd(at(sk.values[1])) };
    case 'BEGINS_WITH': {
      // An S/B encoding is its escaped bytes plus a 2-byte terminator; without the
      // terminator it is a prefix of the encoding of every value that begins with it.
      const full = encodeKeyValue(sk.values[0] as never);
      const start = Buffer.concat([p, full.subarray(0, full.length - 2)]);
      return { gte: start, lt: prefixEnd(start) };
    }
  }
}

/** The key range of one parallel-scan segment: a slice of the partition-hash space. */
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

/** Whether a storage key lies inside bounds (used to check an ExclusiveStartKey belongs to a segment). */
export function withinBounds(key: Buffer, bounds: Bounds): boolean {
  return Buffer.compare(key, bounds.gte) >= 0 && (bounds.lt === undefined || Buffer.compare(key, bounds.lt) < 0);
}

/** Reads one page of a range, forward or backward. */
export function readPage(ops: ReadOps, view: KeyView, bounds: Bounds, forward: boolean, request: PageRequest): Page {
  let { gte, lt } = bounds;
  if (request.exclusiveStart !== undefined) {
    const start = view.storageKey(request.exclusiveStart);
    if (forward) {
      const after = Buffer.concat([start, ZERO]);
      if (Buffer.compare(after, gte) > 0) gte = after;
    } else if (lt === undefined || Buffer.compare(start, lt) < 0) {
      lt = start;
    }
  }
  const limit = request.limit ?? Infinity;
  const items: Item[] = [];
  let bytesRead = 0;
  let cut = false;
  if (lt !== undefined && Buffer.compare(gte, lt) >= 0) return { items, bytesRead };
  const range: Iterable<KVEntry> = ops.range({ gte, lt, reverse: !forward });
  for (const { value } of range) {
    if (items.length >= limit || bytesRead >= PAGE_BYTES) {
      cut = true;
      break;
    }
    items.push(decodeStoredItem(value));
    bytesRead += storedItemSize(value);
  }
  // A page cut exactly at the end of the data still reports its last key, as DynamoDB does.
  if (!cut && (items.length >= limit || bytesRead >= PAGE_BYTES)) cut = true;
  const page: Page = { items, bytesRead };
  if (cut && items.length > 0) page.lastEvaluatedKey = pickKey(items[items.length - 1]!, view.lastKeyAttributes);
  return page;
}

const ZERO = Buffer.from([0]);

export function pickKey(item: Item, names: string[]): Item {
  const key: Item = {};
  for (const name of names) key[name] = item[name]!;
  return key;
}
