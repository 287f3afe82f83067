/**
 * Item size as DynamoDB measures it (Developer Guide, "Item sizes and formats"):
 * attribute name UTF-8 bytes + value size, where
 * - S: UTF-8 bytes; B: raw bytes (not base64 characters); N: see numberSize;
 * - BOOL, NULL: 1 byte;
 * - SS/NS/BS: the sum of the members' sizes;
 * - L, M: 3 bytes, plus per element 1 byte + its size (+ its name's bytes for M).
 * The limit is 400 KB = 409,600 bytes.
 */

import { validationError } from '../errors.js';
import { base64ByteLength } from './base64.js';
import { numberSize } from './numbers.js';
import type { AttributeValue, Item } from './types.js';

export const MAX_ITEM_SIZE = 400 * 1024;

const ITEM_TOO_LARGE = 'Item size has exceeded the maximum allowed size';

/** UTF-8 length; ASCII strings are counted without calling into the runtime. */
export function utf8Length(s: string): number {
  const n = s.length;
  if (n > 64) return Buffer.byteLength(s, 'utf8');
  for (let i = 0; i < n; i++) {
    if (s.charCodeAt(i) > 0x7f) return Buffer.byteLength(s, 'utf8');
  }
  return n;
}

export function attributeValueSize(value: AttributeValue): number {
  // The single own key is the type tag; switching on it beats probing each member.
  for (const tag in value) {
    const member = (value as Record<string, unknown>)[tag];
    switch (tag) {
      case 'S':
        return utf8Length(member as string);
      case 'N':
        return numberSize(member as string);
      case 'B':
        return base64ByteLength(member as string);
      case 'BOOL':
      case 'NULL':
        return 1;
      case 'M': {
        const map = member as Record<string, AttributeValue>;
        let size = 3;
        for (const name in map) size += 1 + utf8Length(name) + attributeValueSize(map[name]);
        return size;
      }
      case 'L': {
        const list = member as AttributeValue[];
        let size = 3;
        for (let i = 0; i < list.length; i++) size += 1 + attributeValueSize(list[i]);
        return size;
      }
      case 'SS':
        return sumOf(member as string[], utf8Length);
      case 'NS':
        return sumOf(member as string[], numberSize);
      case 'BS':
        return sumOf(member as string[], base64ByteLength);
    }
  }
  throw new Error('not an AttributeValue');
}

function sumOf(members: string[], sizeOf: (s: string) => number): number {
  let size = 0;
  for (let i = 0; i < members.length; i++) size += sizeOf(members[i]);
  return size;
}

export function itemSize(item: Item): number {
  let size = 0;
  for (const name in item) size += utf8Length(name) + attributeValueSize(item[name]);
  return size;
}

/** Throws DynamoDB's error when the item exceeds 400 KB; returns its size otherwise. */
export function checkItemSize(item: Item): number {
  const size = itemSize(item);
  if (size > MAX_ITEM_SIZE) throw validationError(ITEM_TOO_LARGE);
  return size;
}
