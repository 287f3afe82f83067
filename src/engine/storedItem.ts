/**
 * How an item is stored: a 4-byte DynamoDB item size, then the item's JSON in wire
 * form. The size makes capacity and 1 MB page accounting free on reads, and the
 * JSON can be spliced into responses without parsing.
 */
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

export function storedItemSize(stored: Buffer): number {
  return stored.readUInt32BE(0);
}

export function decodeStoredItem(stored: Buffer): Item {
  return JSON.parse(stored.toString('utf8', 4)) as Item;
}
