/**
 * The key layout of on-demand backups:
 *   0x0A | backup no (u32)            -> backup record (JSON, backupRecord.ts)
 *   0x0B | backup no (u32) | item key -> the stored item as it was at the backup's moment;
 *                                        an empty value marks an item that did not exist then
 *   0x0C | backup no (u32)            -> present while the backup's items are being copied
 *                                        (the walk's position is its job's state)
 * The item key is the base-table storage key without its `tag | table id | index no`
 * head, so a backup keeps the table's order and outlives the table's id.
 */
import { prefixEnd } from '../../values/keycodec.js';

const RECORD = 0x0a;
const DATA = 0x0b;
const COPYING = 0x0c;
/** `tag | table id (u32) | index no` of a base-table storage key. */
const ITEM_HEAD = 6;

function numbered(tag: number, backupNo: number, tail: Buffer = Buffer.alloc(0)): Buffer {
  const key = Buffer.allocUnsafe(5 + tail.length);
  key[0] = tag;
  key.writeUInt32BE(backupNo, 1);
  tail.copy(key, 5);
  return key;
}

export const backupRecordKey = (backupNo: number): Buffer => numbered(RECORD, backupNo);
export const BACKUP_RECORDS_RANGE = { gte: Buffer.from([RECORD]), lt: Buffer.from([RECORD + 1]) };
export const copyingKey = (backupNo: number): Buffer => numbered(COPYING, backupNo);

/** The part of a base-table storage key a backup keeps. */
export const itemSuffix = (storageKey: Buffer): Buffer => storageKey.subarray(ITEM_HEAD);

export function backupItemKey(backupNo: number, suffix: Buffer): Buffer {
  return numbered(DATA, backupNo, suffix);
}

export function backupItemSuffix(key: Buffer): Buffer {
  return key.subarray(5);
}

/** Every item key of one backup: [start, end). */
export function backupItemsRange(backupNo: number): { gte: Buffer; lt: Buffer } {
  const start = numbered(DATA, backupNo);
  return { gte: start, lt: prefixEnd(start)! };
}

/** The first key after `key` in byte order (for resuming a walk after a cursor). */
export function keyAfter(key: Buffer): Buffer {
  return Buffer.concat([key, Buffer.from([0])]);
}
