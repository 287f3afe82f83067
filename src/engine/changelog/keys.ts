/**
 * Key layout of the change log (one per table, tag 0x06; see docs/architecture.md):
 *   0x06 | table id | 0x00 | hash range (u8)              -> open shard of that range: shard no (u32) | next counter (u48)
 *   0x06 | table id | 0x01 | shard no (u32)                -> shard description (JSON ShardMeta)
 *   0x06 | table id | 0x02 | shard no (u32) | counter (u48) -> one change record (JSON, see record.ts)
 *   0x06 | table id | 0x03                                 -> the next shard number (u32)
 *   0x06 | table id | 0x04 | consumer name                 -> a consumer's checkpoints (JSON)
 * Each shard hands out its own counters, so no counter is shared by all writers.
 */
import { prefixEnd } from '../../values/keycodec.js';

const LOG = 0x06;
const HEAD = 0x00;
const SHARD = 0x01;
const RECORD = 0x02;
const NEXT_SHARD = 0x03;
const CHECKPOINT = 0x04;

/** Open shards per table: the partition-hash space is split into this many ranges. */
export const HASH_RANGES = 4;
const RANGE_SHIFT = 30; // 32 - log2(HASH_RANGES)

export function hashRangeOf(partitionHash: number): number {
  return partitionHash >>> RANGE_SHIFT;
}

/** The [start, end] partition hashes of range `i`. */
export function hashRangeBounds(i: number): [number, number] {
  const start = i * 2 ** RANGE_SHIFT;
  return [start, start + 2 ** RANGE_SHIFT - 1];
}

function logKey(tableId: number, kind: number, tailBytes: number): Buffer {
  const key = Buffer.allocUnsafe(6 + tailBytes);
  key[0] = LOG;
  key.writeUInt32BE(tableId, 1);
  key[5] = kind;
  return key;
}

export function headKey(tableId: number, range: number): Buffer {
  const key = logKey(tableId, HEAD, 1);
  key[6] = range;
  return key;
}

export function headsRange(tableId: number): { gte: Buffer; lt: Buffer } {
  const prefix = logKey(tableId, HEAD, 0);
  return { gte: prefix, lt: prefixEnd(prefix)! };
}

export function shardKey(tableId: number, shardNo: number): Buffer {
  const key = logKey(tableId, SHARD, 4);
  key.writeUInt32BE(shardNo, 6);
  return key;
}

export function shardsRange(tableId: number): { gte: Buffer; lt: Buffer } {
  const prefix = logKey(tableId, SHARD, 0);
  return { gte: prefix, lt: prefixEnd(prefix)! };
}

export function recordKey(tableId: number, shardNo: number, counter: number): Buffer {
  const key = logKey(tableId, RECORD, 10);
  key.writeUInt32BE(shardNo, 6);
  key.writeUIntBE(counter, 10, 6);
  return key;
}

/** The counter a record key ends with. */
export function counterOfRecordKey(key: Buffer): number {
  return key.readUIntBE(10, 6);
}

/** A shard's records from `fromCounter` on. */
export function recordsRange(tableId: number, shardNo: number, fromCounter = 0): { gte: Buffer; lt: Buffer } {
  return { gte: recordKey(tableId, shardNo, fromCounter), lt: prefixEnd(recordKey(tableId, shardNo, 0).subarray(0, 10))! };
}

export function nextShardKey(tableId: number): Buffer {
  return logKey(tableId, NEXT_SHARD, 0);
}

export function checkpointKey(tableId: number, consumer: string): Buffer {
  const name = Buffer.from(consumer, 'utf8');
  const key = logKey(tableId, CHECKPOINT, name.length);
  name.copy(key, 6);
  return key;
}

/** Every change-log key of a table (dropped with it). */
export function logRange(tableId: number): { gte: Buffer; lt: Buffer } {
  const prefix = Buffer.allocUnsafe(5);
  prefix[0] = LOG;
  prefix.writeUInt32BE(tableId, 1);
  return { gte: prefix, lt: prefixEnd(prefix)! };
}

/** A head value: the open shard and the counter its next record gets. */
export function encodeHead(shardNo: number, nextCounter: number): Buffer {
  const value = Buffer.allocUnsafe(10);
  value.writeUInt32BE(shardNo, 0);
  value.writeUIntBE(nextCounter, 4, 6);
  return value;
}

export function decodeHead(value: Buffer): { shardNo: number; nextCounter: number } {
  return { shardNo: value.readUInt32BE(0), nextCounter: value.readUIntBE(4, 6) };
}
