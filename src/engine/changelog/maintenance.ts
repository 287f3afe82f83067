/**
 * Upkeep of the change logs, run by the recurring `shard-rollover` and `log-trim` jobs
 * (jobs/upkeepJobs.ts) inside their transactions: rolling shards over on schedule, and
 * trimming what no consumer needs any more, one bounded batch at a time.
 */
import type { WriteOps } from '../../storage/kv.js';
import type { Database } from '../database.js';
import { enabledStream } from '../tableMeta.js';
import { recordsRange, shardKey } from './keys.js';
import { closeOpenShards, listShards, type ShardMeta } from './shards.js';
import { STREAM_RETENTION_MS } from './streams.js';

/** Records deleted per trimming transaction. */
const TRIM_BATCH = 1000;

/** Closes a table's open shards and opens their children now (test control); false if it has no open stream. */
export async function rollShards(db: Database, tableName: string): Promise<boolean> {
  const table = db.findTable(tableName);
  if (table === undefined || enabledStream(table.meta) === undefined) return false;
  const now = db.clock.now();
  await db.store.transact((txn) => closeOpenShards(txn, table.meta.id, now, true));
  return true;
}

/**
 * How long a table's log is kept: the longest any consumer needs. Streams: 24 hours
 * after a shard closes (point-in-time recovery will extend this when it reads the log).
 */
function retentionMs(): number {
  return STREAM_RETENTION_MS;
}

export interface TrimBatch {
  /** Records and shard descriptions deleted. */
  deleted: number;
  /** Nothing more is due for trimming now. */
  finished: boolean;
}

/**
 * Inside `txn`: deletes up to one batch of records of shards closed longer ago than the
 * retention, then their descriptions.
 */
export function trimLogBatch(txn: WriteOps, tableId: number, now: number): TrimBatch {
  const cutoff = now - retentionMs();
  const expired = (shard: ShardMeta) => shard.closedAt !== undefined && shard.closedAt <= cutoff;
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
