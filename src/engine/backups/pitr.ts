/**
 * Point-in-time recovery: a base snapshot (a CONTINUOUS backup taken when recovery is
 * enabled) plus a history of every item change since, kept by a write observer in the
 * write's own transaction. Restoring to a time writes the base into the new table and
 * replays the history up to that time. Upkeep folds history older than the recovery
 * window into the base, so what is kept is bounded by the window.
 */
import type { WriteOps } from '../../storage/kv.js';
import { dynamoError } from '../../errors.js';
import type { Database, TableSpec } from '../database.js';
import type { ItemChange, WriteObserver } from '../itemWrite.js';
import type { TableMeta } from '../tableMeta.js';
import type { Item } from '../../values/types.js';
import { transact } from '../transact.js';
import { readBackup, writeBackup, type BackupRecord } from './backupRecord.js';
import { backupItems } from './snapshotCopy.js';
import { backupItemKey, backupRecordKey, historyKey, historyRange, historySuffix, historyTime, itemSuffix } from './keys.js';
import { writeRestoredItems, type Backups, type RestoredChange } from './backups.js';

const KINDS = { restore: 'pitr-restore', purge: 'pitr-purge' } as const;
const BATCH = 200;
const PURGE_BATCH = 2000;
const DAY_MS = 24 * 60 * 60 * 1000;
/** How far behind now the latest restorable time is. */
export const LATEST_LAG_MS = 5000;

const PUT = 0x01;
const DELETE = 0x00;

interface RestoreJob {
  baseNo: number;
  sourceTableId: number;
  time: number;
  tableName: string;
  tableId: number;
}

interface RestoreState {
  phase: 'base' | 'history';
  after?: string;
}

export interface RecoveryWindow {
  earliest: number;
  latest: number;
}

/** The observer that records every change of a table with recovery enabled. */
export function historyObserver(now: () => number): WriteObserver {
  return function recordChange(txn: WriteOps, change: ItemChange): void {
    if (change.stored === undefined && change.nextStored === undefined) return;
    const key = historyKey(change.table.meta.id, now(), itemSuffix(change.storageKey));
    const value = change.nextStored !== undefined
      ? Buffer.concat([Buffer.from([PUT]), change.nextStored])
      : Buffer.concat([Buffer.from([DELETE]), Buffer.from(JSON.stringify(change.key), 'utf8')]);
    txn.put(key, value);
  };
}

function decodeChange(value: Buffer): RestoredChange {
  return value[0] === PUT ? { put: value.subarray(1) } : { delete: JSON.parse(value.toString('utf8', 1)) as Item };
}

export class PointInTimeRecovery {
  private readonly recordChange: WriteObserver;

  constructor(private readonly db: Database, private readonly backups: Backups) {
    this.recordChange = historyObserver(() => db.clock.now());
    db.jobs.register(KINDS.restore, {
      batch: (txn, params: RestoreJob, state: RestoreState | undefined) => this.restoreBatch(txn, params, state),
      finish: (params: RestoreJob) => backups.finishRestore(params),
    });
    db.jobs.register(KINDS.purge, {
      batch: (txn, params: { tableId: number; baseNo: number }) => {
        let deleted = 0;
        for (const range of [historyRange(params.tableId), { gte: backupItemKey(params.baseNo, Buffer.alloc(0)), lt: backupItemKey(params.baseNo + 1, Buffer.alloc(0)) }]) {
          for (const { key } of txn.range({ ...range, limit: PURGE_BATCH - deleted })) {
            txn.delete(key);
            deleted++;
          }
          if (deleted >= PURGE_BATCH) break;
        }
        return { state: undefined, processed: deleted, done: deleted < PURGE_BATCH };
      },
    });
  }

  observerFor(meta: TableMeta): WriteObserver | undefined {
    return meta.pitr !== undefined ? this.recordChange : undefined;
  }

  /** Turns recovery on (a new window starting now) or changes its period, or turns it off. */
  async update(tableName: string, enabled: boolean, days: number | undefined): Promise<TableMeta> {
    const current = this.db.table(tableName).meta;
    if (!enabled) {
      if (current.pitr === undefined) return current;
      const { baseNo } = current.pitr;
      const meta = await this.db.updateTable(tableName, (meta) => ({ ...meta, pitr: undefined }));
      await this.dropHistory(meta.id, baseNo);
      return meta;
    }
    if (current.pitr !== undefined) {
      const recoveryPeriodDays = days ?? current.pitr.recoveryPeriodDays;
      return this.db.updateTable(tableName, (meta) => ({ ...meta, pitr: { ...meta.pitr!, recoveryPeriodDays } }));
    }
    await this.backups.create(tableName, 'point-in-time-recovery', 'CONTINUOUS', (meta) => ({
      ...meta,
      pitr: { recoveryPeriodDays: days ?? 35, baseNo: meta.snapshotCopies!.at(-1)! },
    }));
    return this.db.table(tableName).meta;
  }

  /** Called in the transaction that drops a table: its history goes with it. */
  dropWithTable(txn: WriteOps, meta: TableMeta): void {
    if (meta.pitr === undefined) return;
    txn.delete(backupRecordKey(meta.pitr.baseNo));
    this.db.jobs.enqueue(txn, purgeJob(meta.id, meta.pitr.baseNo));
  }

  private async dropHistory(tableId: number, baseNo: number): Promise<void> {
    await transact(this.db.store, (txn) => {
      txn.delete(backupRecordKey(baseNo));
      this.db.jobs.enqueue(txn, purgeJob(tableId, baseNo));
    });
    this.db.jobs.wake();
  }

  /** The times a restore may choose between, or undefined while recovery is off. */
  window(meta: TableMeta): RecoveryWindow | undefined {
    if (meta.pitr === undefined) return undefined;
    const base = readBackup(this.db.embeddedReads(), meta.pitr.baseNo);
    if (base === undefined) return undefined;
    const now = this.db.clock.now();
    const earliest = Math.max(base.foldedTo ?? base.createdAt, now - meta.pitr.recoveryPeriodDays * DAY_MS);
    return { earliest, latest: Math.max(earliest, now - LATEST_LAG_MS) };
  }

  /** Restores the table as it was at `time` into a new table (CREATING until done). */
  async restore(source: TableMeta, time: number, spec: TableSpec): Promise<TableMeta> {
    const baseNo = source.pitr!.baseNo;
    const meta = await this.db.createTable(spec, {
      holdCreating: true,
      jobs: (created) => {
        const params: RestoreJob = { baseNo, sourceTableId: source.id, time, tableName: created.name, tableId: created.id };
        return [{ id: `${KINDS.restore}:${created.id}`, kind: KINDS.restore, tableId: created.id, params }];
      },
    });
    this.db.jobs.wake();
    return meta;
  }

  private restoreBatch(txn: WriteOps, params: RestoreJob, state: RestoreState | undefined) {
    const table = this.backups.restoreTarget(params.tableName, params.tableId);
    if (table === undefined) return { state, processed: 0, done: true };
    const base = readBackup(txn, params.baseNo);
    if (base === undefined) throw new Error('The source table\'s recovery history was dropped during the restore');
    // The base is still being copied: this batch fails and the job tries again shortly.
    if (base.status !== 'AVAILABLE') throw new Error('The base snapshot is not complete yet');
    const after = state?.after === undefined ? undefined : Buffer.from(state.after, 'hex');
    if ((state?.phase ?? 'base') === 'base') {
      const batch = backupItems(txn, params.baseNo, after, BATCH);
      writeRestoredItems(txn, table, batch.map((b) => ({ put: b.stored })));
      const next: RestoreState = batch.length < BATCH ? { phase: 'history' } : { phase: 'base', after: batch.at(-1)!.suffix.toString('hex') };
      return { state: next, processed: batch.length, done: false };
    }
    const range = historyRange(params.sourceTableId, params.time);
    const entries = [...txn.range({ gte: after === undefined ? range.gte : Buffer.concat([after, Buffer.from([0])]), lt: range.lt, limit: BATCH })];
    writeRestoredItems(txn, table, entries.map((e) => decodeChange(e.value)));
    const last = entries.at(-1)?.key.toString('hex') ?? state?.after;
    return { state: { phase: 'history' as const, ...(last ? { after: last } : {}) }, processed: entries.length, done: entries.length < BATCH };
  }


}

function purgeJob(tableId: number, baseNo: number) {
  return { id: `${KINDS.purge}:${tableId}:${baseNo}`, kind: KINDS.purge, params: { tableId, baseNo } };
}

export function pointInTimeUnavailable(tableName: string): Error {
  return dynamoError('PointInTimeRecoveryUnavailableException', `Point in time recovery is not enabled for table '${tableName}'`);
}

/**
 * One bounded batch of folding the table's history older than its recovery window into
 * the base snapshot; true when nothing older is left. Run by the job runner (pitr-fold).
 */
export function foldPitrBatch(txn: WriteOps, meta: TableMeta, now: number): boolean {
  const pitr = meta.pitr;
  if (pitr === undefined) return true;
  const cutoff = now - pitr.recoveryPeriodDays * DAY_MS;
  const base = readBackup(txn, pitr.baseNo);
  if (base?.status !== 'AVAILABLE') return true;
  const entries = [...txn.range({ ...historyRange(meta.id, cutoff), limit: BATCH })];
  for (const { key, value } of entries) {
    const target = backupItemKey(pitr.baseNo, historySuffix(key));
    if (value[0] === PUT) txn.put(target, value.subarray(1));
    else txn.delete(target);
    txn.delete(key);
  }
  const last = entries.at(-1);
  if (last !== undefined) writeBackup(txn, { ...base, foldedTo: Math.max(base.foldedTo ?? 0, historyTime(last.key)) } satisfies BackupRecord);
  return entries.length < BATCH;
}
