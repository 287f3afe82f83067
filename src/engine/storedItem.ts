/**
 * How an item is stored: a 4-byte DynamoDB item size, then the item's JSON in wire
 * form. The size makes capacity and 1 MB page accounting free on reads, and the
 * JSON can be spliced into responses without parsing.
 */
import { isAscii } from '../values/ascii.js';
import type { Item } from '../values/types.js';

/** `json`: the item's JSON as UTF-8 when already at hand (see Mutation.nextJson). */
export function encodeStoredItem(item: Item, size: number, json?: Buffer): Buffer {
  if (json !== undefined) {
    const buf = Buffer.allocUnsafe(4 + json.length);
    buf.writeUInt32BE(size, 0);
    json.copy(buf, 4);
    return buf;
  }
  const text = JSON.stringify(item);
  const buf = Buffer.allocUnsafe(4 + Buffer.byteLength(text, 'utf8'));
  buf.writeUInt32BE(size, 0);
  buf.write(text, 4, 'utf8');
  return buf;
}

/**
 * A stored item as a store hands it back: its bytes, or the same bytes as latin1 text
 * (one char per byte; see KVEntry.text), which the renderer copies without unpacking.
 */
export type StoredBytes = Buffer | string;

export function storedItemSize(stored: StoredBytes): number {
  if (typeof stored !== 'string') return stored.readUInt32BE(0);
  return ((stored.charCodeAt(0) << 24) | (stored.charCodeAt(1) << 16) | (stored.charCodeAt(2) << 8) | stored.charCodeAt(3)) >>> 0;
}

export function decodeStoredItem(stored: StoredBytes): Item {
  if (typeof stored !== 'string') return JSON.parse(stored.toString('utf8', 4)) as Item;
  // ASCII JSON (the usual case) reads the same as latin1 text and as UTF-8.
  const json = stored.slice(4);
  return JSON.parse(isAscii(json) ? json : Buffer.from(json, 'latin1').toString('utf8')) as Item;
}
