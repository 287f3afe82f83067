/**
 * Reading a table's log in replay order, for consumers that rebuild item state
 * (point-in-time recovery, exports): shard by shard in shard-number order, each shard's
 * records in counter order. All changes of one item land in the shards of one hash
 * range, a parent always numbered below its child, so this order keeps every item's
 * changes in the order they were made.
 */
import type { ReadOps } from '../../storage/kv.js';
import { counterOfRecordKey, recordsRange } from './keys.js';
import { decodeRecord, type ChangeRecord } from './record.js';
import { listShards, openHeads } from './shards.js';

/** Per shard number: the counter of the last record a consumer has taken in. */
export type LogPositions = Record<string, number>;

/** Where a walk of the log stands: the next record is the first after this one. */
export interface LogCursor {
  shardNo: number;
  counter: number;
}

export interface LoggedChange {
  shardNo: number;
  record: ChangeRecord;
}

/** The last record of every shard kept now (0: none yet). */
export function logPositions(ops: ReadOps, tableId: number): LogPositions {
  const positions: LogPositions = {};
  for (const shard of listShards(ops, tableId)) positions[shard.no] = shard.lastCounter ?? 0;
  for (const head of openHeads(ops, tableId)) positions[head.shardNo] = head.nextCounter - 1;
  return positions;
}

/**
 * Up to `limit` records after `cursor` (or from the start), skipping in each shard what
 * `taken` says was already taken in.
 */
export function readLog(ops: ReadOps, tableId: number, taken: LogPositions, cursor: LogCursor | undefined, limit: number): LoggedChange[] {
  const changes: LoggedChange[] = [];
  for (const shard of listShards(ops, tableId)) {
    if (cursor !== undefined && shard.no < cursor.shardNo) continue;
    const from = Math.max(taken[shard.no] ?? 0, cursor?.shardNo === shard.no ? cursor.counter : 0) + 1;
    const range = recordsRange(tableId, shard.no, from);
    for (const { key, value } of ops.range({ ...range, limit: limit - changes.length })) {
      changes.push({ shardNo: shard.no, record: decodeRecord(counterOfRecordKey(key), value) });
    }
    if (changes.length >= limit) break;
  }
  return changes;
}

/** Every record kept, in replay order (for whole-log reads inside one snapshot). */
export function* allRecords(ops: ReadOps, tableId: number): Generator<LoggedChange> {
  for (const shard of listShards(ops, tableId)) {
    for (const { key, value } of ops.range(recordsRange(tableId, shard.no))) {
      yield { shardNo: shard.no, record: decodeRecord(counterOfRecordKey(key), value) };
    }
  }
}

/** Up to `limit` records of one shard after counter `after`. */
export function shardRecords(ops: ReadOps, tableId: number, shardNo: number, after: number, limit: number): ChangeRecord[] {
  const records: ChangeRecord[] = [];
  for (const { key, value } of ops.range({ ...recordsRange(tableId, shardNo, after + 1), limit })) {
    records.push(decodeRecord(counterOfRecordKey(key), value));
  }
  return records;
}
