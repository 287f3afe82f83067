/**
 * Point-in-time recovery: a base snapshot (a CONTINUOUS backup taken when recovery is
 * enabled) plus the table's change log, which records every change while recovery is on
 * (with or without a stream; changelog/lifecycle.ts). The base remembers, per log shard,
 * the last record it already holds. Restoring to a time writes the base into the new
 * table and replays the log after that point, up to that time. Upkeep folds records older
 * than the recovery window into the base and advances its positions, after which log
 * trimming may drop them: what is kept is bounded by the window.
 */
import type { ReadOps, WriteOps } from '../../storage/kv.js';
import { dynamoError } from '../../errors.js';
import type { EngineCore } from '../engineCore.js';
import type { TableSpec } from '../table.js';
import { keySchemaInfo, type TableMeta } from '../tableMeta.js';
import { transact } from '../transact.js';
import { catalogNameOf, type Namespace } from '../namespace.js';
import { listShards, type ShardMeta } from '../changelog/shards.js';
import { logPositions, readLog, shardRecords, type LogCursor, type LogPositions } from '../changelog/replay.js';
import { readBackup, writeBackup, type BackupRecord } from './backupRecord.js';
import { backupItems } from './snapshotCopy.js';
import { backupItemKey, backupItemsRange, backupRecordKey } from './keys.js';
import { recordSuffix, restoredChange, storedAfter } from './logImages.js';
import { writeRestoredItems, type Backups } from './backups.js';

const KINDS = { restore: 'pitr-restore', purge: 'pitr-purge' } as const;
const BATCH = 200;
const PURGE_BATCH = 2000;
const DAY_MS = 24 * 60 * 60 * 1000;
/** How far behind now the latest restorable time is. */
export const LATEST_LAG_MS = 5000;

interface RestoreJob {
  baseNo: number;
  sourceTableId: number;
  time: number;
  tableName: string;
  tableId: number;
}

type RestoreState =
  | { phase: 'base'; after?: string; taken: LogPositions }
  | { phase: 'log'; cursor?: LogCursor; taken: LogPositions };

export interface RecoveryWindow {
  earliest: number;
  latest: number;
}

export class PointInTimeRecovery {
  constructor(private readonly db: EngineCore, private readonly backups: Backups) {
    db.jobs.register(KINDS.restore, {
      batch: (txn, params: RestoreJob, state: RestoreState | undefined) => this.restoreBatch(txn, params, state),
      finish: (params: RestoreJob) => backups.finishRestore(params),
    });
    db.jobs.register(KINDS.purge, {
      batch: (txn, params: { tableId: number; baseNo: number }) => {
        const keys = [...txn.range({ ...backupItemsRange(params.baseNo), limit: PURGE_BATCH })].map((e) => e.key);
        for (const key of keys) txn.delete(key);
        return { state: undefined, processed: keys.length, done: keys.length < PURGE_BATCH };
      },
    });
  }

  /** Turns recovery on (a new window starting now) or changes its period, or turns it off. */
  async update(tableName: string, enabled: boolean, days: number | undefined): Promise<TableMeta> {
    const current = this.db.table(tableName).meta;
    if (!enabled) {
      if (current.pitr === undefined) return current;
      const { baseNo } = current.pitr;
      const meta = await this.db.updateTable(tableName, (meta) => ({ ...meta, pitr: undefined }));
      await this.dropBase(meta.id, baseNo);
      return meta;
    }
    if (current.pitr !== undefined) {
      const recoveryPeriodDays = days ?? current.pitr.recoveryPeriodDays;
      return this.db.updateTable(tableName, (meta) => ({ ...meta, pitr: { ...meta.pitr!, recoveryPeriodDays } }));
    }
    await this.backups.create(
      tableName,
      'point-in-time-recovery',
      'CONTINUOUS',
      (meta) => ({ ...meta, pitr: { recoveryPeriodDays: days ?? 35, baseNo: meta.snapshotCopies!.at(-1)! } }),
      // What the log holds at the base's moment is in the base; replay starts after it.
      (txn, tableId) => ({ logFolded: logPositions(txn, tableId) }),
    );
    return this.db.table(tableName).meta;
  }

  /** Called in the transaction that drops a table: its base goes with it (the log is purged with the table). */
  dropWithTable(txn: WriteOps, meta: TableMeta): void {
    if (meta.pitr === undefined) return;
    txn.delete(backupRecordKey(meta.pitr.baseNo));
    this.db.jobs.enqueue(txn, purgeJob(meta.id, meta.pitr.baseNo));
  }

  private async dropBase(tableId: number, baseNo: number): Promise<void> {
    await transact(this.db.store, (txn) => {
      txn.delete(backupRecordKey(baseNo));
      this.db.jobs.enqueue(txn, purgeJob(tableId, baseNo));
    });
    this.db.jobs.wake();
  }

  /** The times a restore may choose between, or undefined while recovery is off. */
  async window(meta: TableMeta): Promise<RecoveryWindow | undefined> {
    const pitr = meta.pitr;
    if (pitr === undefined) return undefined;
    const base = await this.db.read((ops) => readBackup(ops, pitr.baseNo));
    if (base === undefined) return undefined;
    const now = this.db.clock.now();
    const earliest = Math.max(base.foldedTo ?? base.createdAt, now - pitr.recoveryPeriodDays * DAY_MS);
    return { earliest, latest: Math.max(earliest, now - LATEST_LAG_MS) };
  }

  /** Restores the table as it was at `time` into a new table (CREATING until done). */
  async restore(source: TableMeta, time: number, spec: TableSpec, namespace?: Namespace): Promise<TableMeta> {
    const baseNo = source.pitr!.baseNo;
    const meta = await this.db.createTable(spec, {
      namespace,
      holdCreating: true,
      jobs: (created) => {
        const params: RestoreJob = { baseNo, sourceTableId: source.id, time, tableName: catalogNameOf(created), tableId: created.id };
        return [{ id: `${KINDS.restore}:${created.id}`, kind: KINDS.restore, tableId: created.id, params }];
      },
    });
    this.db.jobs.wake();
    return meta;
  }

  private restoreBatch(txn: WriteOps, params: RestoreJob, state: RestoreState | undefined) {
    const table = this.backups.restoreTarget(txn, params.tableName, params.tableId);
    if (table === undefined) return { state, processed: 0, done: true };
    const base = readBackup(txn, params.baseNo);
    if (base === undefined) throw new Error('The source table\'s recovery base was dropped during the restore');
    // The base is still being copied: this batch fails and the job tries again shortly.
    if (base.status !== 'AVAILABLE') throw new Error('The base snapshot is not complete yet');
    // The log positions the base stands for are fixed when the restore starts reading it.
    const current: RestoreState = state ?? { phase: 'base', taken: base.logFolded ?? {} };
    if (current.phase === 'base') {
      const after = current.after === undefined ? undefined : Buffer.from(current.after, 'hex');
      const batch = backupItems(txn, params.baseNo, after, BATCH);
      writeRestoredItems(txn, table, batch.map((b) => ({ put: b.stored })));
      const next: RestoreState = batch.length < BATCH
        ? { phase: 'log', taken: current.taken }
        : { phase: 'base', after: batch.at(-1)!.suffix.toString('hex'), taken: current.taken };
      return { state: next, processed: batch.length, done: false };
    }
    const changes = readLog(txn, params.sourceTableId, current.taken, current.cursor, BATCH);
    writeRestoredItems(txn, table, changes.filter((c) => c.record.time <= params.time).map((c) => restoredChange(c.record)));
    const last = changes.at(-1);
    const cursor = last === undefined ? current.cursor : { shardNo: last.shardNo, counter: last.record.counter };
    const next: RestoreState = { phase: 'log', taken: current.taken, ...(cursor ? { cursor } : {}) };
    return { state: next, processed: changes.length, done: changes.length < BATCH };
  }
}

function purgeJob(tableId: number, baseNo: number) {
  return { id: `${KINDS.purge}:${tableId}:${baseNo}`, kind: KINDS.purge, params: { tableId, baseNo } };
}

export function pointInTimeUnavailable(tableName: string): Error {
  return dynamoError('PointInTimeRecoveryUnavailableException', `Point in time recovery is not enabled for table '${tableName}'`);
}

/** Whether a closed log shard still holds records recovery has not folded into its base. */
export function recoveryNeeds(ops: ReadOps, meta: TableMeta): (shard: ShardMeta) => boolean {
  if (meta.pitr === undefined) return () => false;
  const base = readBackup(ops, meta.pitr.baseNo);
  // Until the base's moment is recorded, every record may be needed.
  if (base?.logFolded === undefined) return () => true;
  const taken = base.logFolded;
  return (shard) => (taken[shard.no] ?? 0) < (shard.lastCounter ?? Number.POSITIVE_INFINITY);
}

/**
 * One bounded batch of folding the table's log records older than its recovery window
 * into the base snapshot; true when nothing older is left. Run by the job runner (pitr-fold).
 * Shards are folded in replay order; within a shard, folding stops at the first record
 * inside the window.
 */
export function foldPitrBatch(txn: WriteOps, meta: TableMeta, now: number): boolean {
  const pitr = meta.pitr;
  if (pitr === undefined) return true;
  const base = readBackup(txn, pitr.baseNo);
  if (base?.status !== 'AVAILABLE' || base.logFolded === undefined) return true;
  const cutoff = now - pitr.recoveryPeriodDays * DAY_MS;
  const schema = keySchemaInfo(base.table);
  const taken = { ...base.logFolded };
  let budget = BATCH;
  let foldedTo = base.foldedTo ?? 0;
  for (const shard of listShards(txn, meta.id)) {
    const records = shardRecords(txn, meta.id, shard.no, taken[shard.no] ?? 0, budget);
    for (const record of records) {
      if (record.time >= cutoff) break;
      const target = backupItemKey(pitr.baseNo, recordSuffix(schema, record));
      const stored = storedAfter(record);
      if (stored !== undefined) txn.put(target, stored);
      else txn.delete(target);
      taken[shard.no] = record.counter;
      foldedTo = Math.max(foldedTo, record.time);
      budget--;
    }
    if (budget === 0) break;
  }
  if (budget < BATCH) writeBackup(txn, { ...base, logFolded: taken, foldedTo } satisfies BackupRecord);
  return budget > 0;
}
