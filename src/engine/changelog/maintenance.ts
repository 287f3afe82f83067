/**
 * Background upkeep of the change logs, one bounded batch per call (a scheduler or a
 * job runner calls these): rolling shards over on schedule, and trimming what no
 * consumer needs any more.
 */
import type { Database } from '../database.js';
import { enabledStream } from '../tableMeta.js';
import { recordsRange, shardKey } from './keys.js';
import { closeOpenShards, listShards, rolloverDue, rollShardsIfDue, type ShardMeta } from './shards.js';
import { STREAM_RETENTION_MS } from './streams.js';

/** Records deleted per trimming transaction. */
const TRIM_BATCH = 1000;

/** Closes a table's open shards and opens their children now; false if it has no open stream. */
export async function rollShards(db: Database, tableName: string): Promise<boolean> {
  const table = db.findTable(tableName);
  if (table === undefined || enabledStream(table.meta) === undefined) return false;
  const now = db.clock.now();
  await db.store.transact((txn) => closeOpenShards(txn, table.meta.id, now, true));
  return true;
}

/** Rolls over the shards of every table whose open shards are `rolloverMs` old. */
export async function rollDueShards(db: Database, rolloverMs: number): Promise<void> {
  for (const name of db.tableNames()) {
    const table = db.findTable(name);
    if (table === undefined || enabledStream(table.meta) === undefined) continue;
    const now = db.clock.now();
    // Checked outside a write transaction first: most rounds have nothing to do.
    if (await db.read((ops) => rolloverDue(ops, table.meta.id, now, rolloverMs))) await db.store.transact((txn) => rollShardsIfDue(txn, table.meta.id, now, rolloverMs));
  }
}

/**
 * How long a table's log is kept: the longest any consumer needs. Streams: 24 hours
 * after a shard closes (point-in-time recovery will extend this when it reads the log).
 */
function retentionMs(): number {
  return STREAM_RETENTION_MS;
}

/**
 * Deletes up to one batch of records of shards closed longer ago than the retention,
 * then their descriptions; returns true when nothing is left to trim.
 */
export async function trimLogBatch(db: Database, tableName: string): Promise<boolean> {
  const table = db.findTable(tableName);
  if (table === undefined) return true;
  const tableId = table.meta.id;
  const cutoff = db.clock.now() - retentionMs();
  const expired = (shard: ShardMeta) => shard.closedAt !== undefined && shard.closedAt <= cutoff;
  // Most rounds find nothing to trim: look before opening a write transaction.
  if (!(await db.read((ops) => listShards(ops, tableId).some(expired)))) return true;
  return db.store.transact((txn) => {
    let budget = TRIM_BATCH;
    for (const shard of listShards(txn, tableId).filter(expired)) {
      const keys = [...txn.range({ ...recordsRange(tableId, shard.no), limit: budget })].map(({ key }) => Buffer.from(key));
      for (const key of keys) txn.delete(key);
      budget -= keys.length;
      if (budget === 0) return false;
      txn.delete(shardKey(tableId, shard.no));
    }
    return true;
  });
}
