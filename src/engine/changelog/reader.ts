/** Reading a table's change log: its shards, and a shard's records from a position on. */
import type { ReadOps } from '../../storage/kv.js';
import { counterOfRecordKey, decodeHead, hashRangeOf, headKey, recordsRange } from './keys.js';
import { listShards, readShard, type ShardMeta } from './shards.js';
import { decodeRecord, type ChangeRecord } from './record.js';

/** The shards of one stream (by label), oldest first. */
export function streamShards(ops: ReadOps, tableId: number, label: string): ShardMeta[] {
  return listShards(ops, tableId).filter((s) => s.label === label);
}

/** The counter the shard's next record will get (past the last one of a closed shard). */
export function shardEnd(ops: ReadOps, tableId: number, shard: ShardMeta): number {
  if (shard.closedAt !== undefined) return shard.lastCounter! + 1;
  const head = ops.get(headKey(tableId, hashRangeOf(shard.hashStart)));
  if (head !== undefined && decodeHead(head).shardNo === shard.no) return decodeHead(head).nextCounter;
  // Closed since its description was read.
  const closed = readShard(ops, tableId, shard.no);
  return closed?.lastCounter === undefined ? 1 : closed.lastCounter + 1;
}

export interface RecordPage {
  records: ChangeRecord[];
  /** Where the next read starts. */
  next: number;
}

/** Up to `limit` records (and about `maxBytes`) of a shard, from counter `from` on. */
export function readShardRecords(ops: ReadOps, tableId: number, shardNo: number, from: number, limit: number, maxBytes: number): RecordPage {
  const records: ChangeRecord[] = [];
  let bytes = 0;
  let next = from;
  for (const { key, value } of ops.range({ ...recordsRange(tableId, shardNo, from), limit })) {
    if (records.length > 0 && bytes + value.length > maxBytes) break;
    const counter = counterOfRecordKey(key);
    records.push(decodeRecord(counter, value));
    bytes += value.length;
    next = counter + 1;
  }
  return { records, next };
}
