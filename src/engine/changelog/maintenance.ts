/**
 * Upkeep of the change logs, run by the recurring `shard-rollover` and `log-trim` jobs
 * (jobs/upkeepJobs.ts) inside their transactions: rolling shards over on schedule, and
 * trimming what no consumer needs any more, one bounded batch at a time.
 */
import type { WriteOps } from '../../storage/kv.js';
import type { EngineCore } from '../engineCore.js';
import { recordsRange, shardKey } from './keys.js';
import { closeOpenShards, listShards, type ShardMeta } from './shards.js';
import { logLabel, RECOVERY_LOG_LABEL } from './lifecycle.js';
import { STREAM_RETENTION_MS } from './streams.js';

/** Records deleted per trimming transaction. */
const TRIM_BATCH = 1000;

/** Closes a table's open shards and opens their children now (test control); false if its log is not recording. */
export async function rollShards(db: EngineCore, tableName: string): Promise<boolean> {
  const table = db.findTable(tableName);
  if (table === undefined || logLabel(table.meta) === undefined) return false;
  const now = db.clock.now();
  await db.store.transact((txn) => closeOpenShards(txn, table.meta.id, now, true));
  return true;
}

/** Whether a closed shard is still needed by a consumer other than the stream (point-in-time recovery). */
export type ShardNeeded = (shard: ShardMeta) => boolean;

export interface TrimBatch {
  /** Records and shard descriptions deleted. */
  deleted: number;
  /** Nothing more is due for trimming now. */
  finished: boolean;
}

/**
 * Inside `txn`: deletes up to one batch of records of closed shards no consumer needs any
 * more, then their descriptions. Retention is the longest need: a stream's shard is kept
 * 24 hours after it closes, and any shard as long as `neededElsewhere` says so.
 */
export function trimLogBatch(txn: WriteOps, tableId: number, now: number, neededElsewhere: ShardNeeded = () => false): TrimBatch {
  const cutoff = now - STREAM_RETENTION_MS;
  const streamDone = (shard: ShardMeta) => shard.label === RECOVERY_LOG_LABEL || shard.closedAt! <= cutoff;
  const expired = (shard: ShardMeta) => shard.closedAt !== undefined && streamDone(shard) && !neededElsewhere(shard);
  let budget = TRIM_BATCH;
  let deleted = 0;
  for (const shard of listShards(txn, tableId).filter(expired)) {
    const keys = [...txn.range({ ...recordsRange(tableId, shard.no), limit: budget })].map(({ key }) => Buffer.from(key));
    for (const key of keys) txn.delete(key);
    budget -= keys.length;
    deleted += keys.length;
    if (budget === 0) return { deleted, finished: false };
    txn.delete(shardKey(tableId, shard.no));
    deleted++;
  }
  return { deleted, finished: true };
}
