/**
 * The recurring upkeep of a table, one job per table and kind, each recorded (by
 * `upkeepJobs`) in the catalog change that calls for it: sweeping expired items while
 * TTL is enabled, rolling log shards over while a stream or point-in-time recovery
 * records the log, folding old log records into the recovery base, and trimming
 * the change log until its last shard is gone. Each run works in bounded batches and
 * makes the job due again one interval later; a run that finds the job no longer
 * needed (the table dropped, TTL or the stream disabled) removes it.
 */
import type { WriteOps } from '../../storage/kv.js';
import type { EngineCore } from '../engineCore.js';
import { readCatalogEntry } from '../catalogEntries.js';
import { type TableMeta } from '../tableMeta.js';
import { catalogNameOf } from '../namespace.js';
import { logLabel } from '../changelog/lifecycle.js';
import { rollShardsIfDue, listShards } from '../changelog/shards.js';
import { trimLogBatch } from '../changelog/maintenance.js';
import { sweepTtlBatch } from '../ttl/sweep.js';
import { foldPitrBatch, recoveryNeeds } from '../backups/pitr.js';
import type { JobBatch, NewJob } from './runner.js';

export const UPKEEP_KINDS = {
  ttlSweep: 'ttl-sweep',
  shardRollover: 'shard-rollover',
  logTrim: 'log-trim',
  pitrFold: 'pitr-fold',
} as const;

export interface UpkeepOptions {
  /** How often expired items are swept. */
  ttlIntervalMs: number;
  /** How old open stream shards get before they are closed and replaced by children. */
  shardRolloverMs: number;
  /** Told how many items each committed TTL batch of a table deleted. */
  onTtlDeleted(table: string, count: number): void;
}

export const DEFAULT_TTL_INTERVAL_MS = 30_000;
export const DEFAULT_SHARD_ROLLOVER_MS = 4 * 60 * 60 * 1000;

interface TableJob {
  name: string;
  tableId: number;
}

const done = (processed = 0): JobBatch<never> => ({ state: undefined, processed, done: true });
const ended: JobBatch<never> = { state: undefined, processed: 0, done: true, final: true };

/** The upkeep jobs a catalog entry calls for (recorded with the change; already recorded ones are left alone). */
export function upkeepJobs(meta: TableMeta): NewJob[] {
  const kinds: string[] = [];
  if (meta.ttl?.enabled === true) kinds.push(UPKEEP_KINDS.ttlSweep);
  if (logLabel(meta) !== undefined) kinds.push(UPKEEP_KINDS.shardRollover, UPKEEP_KINDS.logTrim);
  if (meta.pitr !== undefined) kinds.push(UPKEEP_KINDS.pitrFold);
  const params: TableJob = { name: catalogNameOf(meta), tableId: meta.id };
  return kinds.map((kind) => ({ id: `${kind}:${meta.id}`, kind, tableId: meta.id, params }));
}

/** Registers the three upkeep kinds with the database's job runner. */
export function registerUpkeepJobs(db: EngineCore, options: UpkeepOptions): void {
  // Rollover is checked a few times per rollover period, and at least every minute; trimming as often.
  const logUpkeepMs = Math.max(50, Math.min(options.shardRolloverMs / 4, 60_000));
  db.jobs.register(UPKEEP_KINDS.ttlSweep, {
    everyMs: options.ttlIntervalMs,
    // The cursor is the hex of the next item key to examine; `processed` counts deleted items.
    batch: (txn, { name, tableId }: TableJob, cursor: string | undefined): JobBatch<string> =>
      db.withItems(txn, (items) => {
        const table = db.findTable(name);
        if (table?.meta.id !== tableId || table.meta.status === 'DELETING' || table.meta.ttl?.enabled !== true) return ended;
        const from = cursor === undefined ? undefined : Buffer.from(cursor, 'hex');
        const { deleted, next } = sweepTtlBatch(items, table, from, db.clock.now());
        return { state: next?.toString('hex'), processed: deleted, done: next === undefined };
      }),
    committed: (step, { name }: TableJob) => options.onTtlDeleted(name, step.processed),
  });

  db.jobs.register(UPKEEP_KINDS.shardRollover, {
    everyMs: logUpkeepMs,
    batch(txn, { name, tableId }: TableJob): JobBatch<never> {
      const meta = liveMeta(txn, name, tableId);
      if (meta === undefined || logLabel(meta) === undefined) return ended;
      return done(rollShardsIfDue(txn, tableId, db.clock.now(), options.shardRolloverMs) ? 1 : 0);
    },
  });

  db.jobs.register(UPKEEP_KINDS.logTrim, {
    everyMs: logUpkeepMs,
    // `processed` counts deleted records and shard descriptions.
    batch(txn, { name, tableId }: TableJob): JobBatch<never> {
      // A dropped table's purge removes its log.
      const meta = liveMeta(txn, name, tableId);
      if (meta === undefined) return ended;
      const { deleted, finished } = trimLogBatch(txn, tableId, db.clock.now(), recoveryNeeds(txn, meta));
      if (!finished) return { state: undefined, processed: deleted, done: false };
      // A disabled stream's log is kept until its last shard is trimmed.
      return listShards(txn, tableId).length === 0 ? { ...ended, processed: deleted } : done(deleted);
    },
  });
  db.jobs.register(UPKEEP_KINDS.pitrFold, {
    everyMs: logUpkeepMs,
    // Log records older than the recovery window fold into the base snapshot.
    batch(txn, { name, tableId }: TableJob): JobBatch<never> {
      const meta = liveMeta(txn, name, tableId);
      if (meta?.pitr === undefined) return ended;
      return foldPitrBatch(txn, meta, db.clock.now()) ? done() : { state: undefined, processed: 0, done: false };
    },
  });
  db.jobs.wake();
}

/** The table's catalog entry as `txn` reads it, if `name` is still the live table `tableId`. */
function liveMeta(txn: WriteOps, name: string, tableId: number): TableMeta | undefined {
  const meta = readCatalogEntry(txn, name);
  return meta?.id === tableId && meta.status !== 'DELETING' ? meta : undefined;
}
