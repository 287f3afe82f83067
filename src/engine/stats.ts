/**
 * Per-table item count and size, kept in the key space and updated in every write
 * transaction: on shards of the statistics key (see statsShardPrefix), so that on a
 * shared store concurrent writes do not all conflict on one key.
 */
import type { ReadOps, WriteOps } from '../storage/kv.js';
import { prefixEnd } from '../values/keycodec.js';
import { statsKey, statsShardKey, statsShardPrefix } from './keyspace.js';

const STATS_SHARDS = 32;

export interface TableStats {
  itemCount: number;
  sizeBytes: number;
}

export function readStats(ops: ReadOps, tableId: number): TableStats {
  return readStatsAt(ops, statsKey(tableId));
}

/** `spread`: a key of the write (the item's), picking the shard; the same on every run of a transaction. */
export function adjustStats(txn: WriteOps, tableId: number, countDelta: number, sizeDelta: number, spread?: Buffer): void {
  if (countDelta === 0 && sizeDelta === 0) return;
  adjustStatsAt(txn, statsKey(tableId), countDelta, sizeDelta, spread);
}

/** The counts stored under a statistics key (a table's, or an index's): its own value plus its shards. */
export function readStatsAt(ops: ReadOps, key: Buffer): TableStats {
  const total = decode(ops.get(key));
  const shards = statsShardPrefix(key);
  for (const { value } of ops.range({ gte: shards, lt: prefixEnd(shards)! })) {
    const shard = decode(value);
    total.itemCount += shard.itemCount;
    total.sizeBytes += shard.sizeBytes;
  }
  return total;
}

export function adjustStatsAt(txn: WriteOps, key: Buffer, countDelta: number, sizeDelta: number, spread?: Buffer): void {
  // Not random: a transaction may run again (see storage/kv.ts) and must touch the same keys.
  const shard = statsShardKey(key, spread === undefined ? 0 : shardOf(spread));
  const current = decode(txn.get(shard));
  const raw = Buffer.allocUnsafe(16);
  raw.writeDoubleBE(current.itemCount + countDelta, 0);
  raw.writeDoubleBE(current.sizeBytes + sizeDelta, 8);
  txn.put(shard, raw);
}

/** FNV-1a of the key, folded onto the shards. */
function shardOf(spread: Buffer): number {
  let hash = 0x811c9dc5;
  // An indexed loop: a Buffer's iterator costs more than the hashing on this per-write path.
  for (let i = 0; i < spread.length; i++) hash = Math.imul(hash ^ spread[i]!, 0x01000193);
  return (hash >>> 0) % STATS_SHARDS;
}

function decode(raw: Buffer | undefined): TableStats {
  if (!raw) return { itemCount: 0, sizeBytes: 0 };
  return { itemCount: raw.readDoubleBE(0), sizeBytes: raw.readDoubleBE(8) };
}
