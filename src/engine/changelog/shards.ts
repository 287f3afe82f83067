/**
 * Shards of a table's change log: each covers a range of partition hashes, so all
 * changes to one partition key land in one shard, in order. A stream opens one shard
 * per range; a rollover closes them and opens children (same range, the closed shard
 * as parent); disabling the stream closes them for good. All inside the caller's
 * storage transaction, so a write lands either before or after a rollover, never in between.
 */
import type { ReadOps, WriteOps } from '../../storage/kv.js';
import {
  decodeHead, encodeHead, HASH_RANGES, hashRangeBounds, headKey, headsRange, nextShardKey, shardKey, shardsRange,
} from './keys.js';

export interface ShardMeta {
  /** Internal number: the key prefix of the shard's records; grows with every new shard. */
  no: number;
  /** The public ShardId. */
  id: string;
  /** The stream (by label) the shard belongs to. */
  label: string;
  /** The ShardId of the shard this one took over from (rollover). */
  parentId?: string;
  hashStart: number;
  hashEnd: number;
  createdAt: number;
  closedAt?: number;
  /** The counter of the shard's last record once closed (0: none). */
  lastCounter?: number;
}

/** The shard number a ShardId carries (its last 8 hex digits), or undefined. */
export function shardNoOfId(shardId: string): number | undefined {
  const match = /^shardId-\d{20}-([0-9a-f]{8})$/.exec(shardId);
  return match === null ? undefined : parseInt(match[1]!, 16);
}

export function readShard(ops: ReadOps, tableId: number, shardNo: number): ShardMeta | undefined {
  const value = ops.get(shardKey(tableId, shardNo));
  return value === undefined ? undefined : JSON.parse(value.toString('utf8')) as ShardMeta;
}

/** Every shard still kept for the table, oldest first. */
export function listShards(ops: ReadOps, tableId: number): ShardMeta[] {
  const shards: ShardMeta[] = [];
  for (const { value } of ops.range(shardsRange(tableId))) shards.push(JSON.parse(value.toString('utf8')) as ShardMeta);
  return shards;
}

/** The open shards with the counter of their next record. */
export function openHeads(ops: ReadOps, tableId: number): { range: number; shardNo: number; nextCounter: number }[] {
  const heads = [];
  for (const { key, value } of ops.range(headsRange(tableId))) heads.push({ range: key[6]!, ...decodeHead(value) });
  return heads;
}

function writeShard(txn: WriteOps, tableId: number, shard: ShardMeta): void {
  txn.put(shardKey(tableId, shard.no), Buffer.from(JSON.stringify(shard), 'utf8'));
}

function newShard(txn: WriteOps, tableId: number, label: string, range: number, now: number, parent?: ShardMeta): ShardMeta {
  const counter = nextShardKey(tableId);
  const no = (txn.get(counter)?.readUInt32BE(0) ?? 0) + 1;
  const next = Buffer.allocUnsafe(4);
  next.writeUInt32BE(no, 0);
  txn.put(counter, next);
  const [hashStart, hashEnd] = hashRangeBounds(range);
  const shard: ShardMeta = {
    no,
    id: `shardId-${String(now).padStart(20, '0')}-${no.toString(16).padStart(8, '0')}`,
    label,
    ...(parent !== undefined ? { parentId: parent.id } : {}),
    hashStart,
    hashEnd,
    createdAt: now,
  };
  writeShard(txn, tableId, shard);
  txn.put(headKey(tableId, range), encodeHead(no, 1));
  return shard;
}

/** Opens one shard per hash range for a newly enabled stream. */
export function openStreamShards(txn: WriteOps, tableId: number, label: string, now: number): void {
  for (let range = 0; range < HASH_RANGES; range++) newShard(txn, tableId, label, range, now);
}

/** Closes the open shards; with `rollover`, each gets a child that takes over its range. */
export function closeOpenShards(txn: WriteOps, tableId: number, now: number, rollover: boolean): void {
  for (const head of openHeads(txn, tableId)) {
    const shard = readShard(txn, tableId, head.shardNo)!;
    shard.closedAt = now;
    shard.lastCounter = head.nextCounter - 1;
    writeShard(txn, tableId, shard);
    txn.delete(headKey(tableId, head.range));
    if (rollover) newShard(txn, tableId, shard.label, head.range, now, shard);
  }
}

/** Whether the oldest open shard is `rolloverMs` old. */
export function rolloverDue(ops: ReadOps, tableId: number, now: number, rolloverMs: number): boolean {
  const heads = openHeads(ops, tableId);
  if (heads.length === 0) return false;
  return now - Math.min(...heads.map((h) => readShard(ops, tableId, h.shardNo)!.createdAt)) >= rolloverMs;
}

/** Rolls the open shards over when they are due; returns whether it did. */
export function rollShardsIfDue(txn: WriteOps, tableId: number, now: number, rolloverMs: number): boolean {
  if (!rolloverDue(txn, tableId, now, rolloverMs)) return false;
  closeOpenShards(txn, tableId, now, true);
  return true;
}
