/**
 * On-demand backups: taking one (a consistent snapshot, see snapshotCopy.ts), finding,
 * listing and deleting them, and restoring one into a new table. A backup lives in its
 * own key range and outlives its table.
 */
import { randomBytes } from 'node:crypto';
import type { ReadOps, WriteOps } from '../../storage/kv.js';
import { dynamoError } from '../../errors.js';
import type { EngineCore } from '../engineCore.js';
import type { Table, TableSpec } from '../table.js';
import { counterKey } from '../keyspace.js';
import { transact } from '../transact.js';
import { applyItemWrites, blindMutation, type ItemWrite } from '../itemWrite.js';
import { decodeStoredItem, storedItemSize } from '../storedItem.js';
import type { TableMeta } from '../tableMeta.js';
import { catalogNameOf, type Namespace } from '../namespace.js';
import type { Item } from '../../values/types.js';
import { listBackupRecords, readBackup, writeBackup, type BackupRecord, type BackupType } from './backupRecord.js';
import { backupItems, copyBatch, readCopyPage, snapshotCopyObserver, startCopy, type CopyPage, type CopyState } from './snapshotCopy.js';
import { backupItemsRange, backupRecordKey } from './keys.js';

const KINDS = { copy: 'backup-copy', restore: 'backup-restore', purge: 'backup-purge' } as const;
const RESTORE_BATCH = 200;
const PURGE_BATCH = 2000;

interface CopyJob {
  no: number;
  tableName: string;
  tableId: number;
}

interface RestoreJob {
  no: number;
  tableName: string;
  tableId: number;
}

export function backupNotFound(arn: string): Error {
  return dynamoError('BackupNotFoundException', `Backup not found: ${arn}`);
}

export class Backups {
  constructor(private readonly db: EngineCore) {
    db.jobs.register(KINDS.copy, {
      // A page is read from a snapshot, so the copy's transactions do not conflict with writes.
      prepare: async (params: CopyJob, state: CopyState | undefined) => this.db.store.snapshot((ops) => readCopyPage(ops, params.tableId, params.no, state)),
      batch: (txn, params: CopyJob, state: CopyState | undefined, page: CopyPage | undefined) => {
        const step = copyBatch(txn, params.no, state, page);
        if (step.done) this.markAvailable(txn, params.no, step.state!);
        return step;
      },
      finish: (params: CopyJob) => this.detachCopy(params),
    });
    db.jobs.register(KINDS.restore, {
      batch: (txn, params: RestoreJob, after: string | undefined) => this.restoreBatch(txn, params, after),
      finish: (params: RestoreJob) => this.finishRestore(params),
    });
    db.jobs.register(KINDS.purge, {
      batch: (txn, params: { no: number }) => {
        const keys = [...txn.range({ ...backupItemsRange(params.no), limit: PURGE_BATCH })].map((e) => e.key);
        for (const key of keys) txn.delete(key);
        return { state: undefined, processed: keys.length, done: keys.length < PURGE_BATCH };
      },
    });
  }

  /** The observer a table needs while backups of it are being taken. */
  static observerFor(meta: TableMeta) {
    return meta.snapshotCopies !== undefined && meta.snapshotCopies.length > 0 ? snapshotCopyObserver(meta.snapshotCopies) : undefined;
  }

  /**
   * Starts a backup of the table: its moment is now. The table's writes save what they
   * overwrite from the moment the first catalog change commits; the copy walk starts
   * (and the moment is fixed) with the second transaction.
   */
  async create(
    tableName: string,
    backupName: string,
    type: BackupType = 'USER',
    alsoChange = (meta: TableMeta) => meta,
    atMoment: (txn: WriteOps, tableId: number) => Partial<BackupRecord> = () => ({}),
  ): Promise<BackupRecord> {
    const no = await transact(this.db.store, (txn) => nextNumber(txn));
    const table = await this.db.updateTable(tableName, (meta) => alsoChange({ ...meta, snapshotCopies: [...(meta.snapshotCopies ?? []), no] }));
    const source: TableMeta = { ...table, snapshotCopies: undefined, pitr: undefined };
    const suffix = randomBytes(4).toString('hex');
    const record = await transact(this.db.store, (txn) => {
      // The moment is this commit: its time is read inside the transaction.
      const now = this.db.clock.now();
      const record: BackupRecord = {
        no,
        arn: `${table.arn}/backup/${String(now).padStart(14, '0')}-${suffix}`,
        name: backupName,
        status: 'CREATING',
        type,
        createdAt: now,
        table: source,
        ...atMoment(txn, table.id),
      };
      writeBackup(txn, record);
      startCopy(txn, no);
      const params: CopyJob = { no, tableName: catalogNameOf(table), tableId: table.id };
      this.db.jobs.enqueue(txn, { id: `${KINDS.copy}:${no}`, kind: KINDS.copy, tableId: table.id, params });
      return record;
    });
    this.db.jobs.wake();
    return record;
  }

  /**
   * The backup an ARN names (not one being deleted), or BackupNotFoundException. Seen from
   * a namespace, only its own backups, unless it reaches across accounts.
   */
  async find(arn: string, namespace?: Namespace): Promise<BackupRecord> {
    const visible = (r: BackupRecord) => namespace === undefined || namespace.crossAccount === true || (r.table.namespace ?? '') === namespace.key;
    const record = (await this.list()).find((r) => r.arn === arn && r.type !== 'CONTINUOUS' && visible(r));
    if (record === undefined) throw backupNotFound(arn);
    return record;
  }

  async list(): Promise<BackupRecord[]> {
    return this.db.read(listBackupRecords);
  }

  /** Deletes a backup (not one still being taken); its items are purged in the background. */
  async delete(arn: string, namespace?: Namespace): Promise<BackupRecord> {
    const record = await this.find(arn, namespace);
    if (record.status === 'CREATING') throw dynamoError('BackupInUseException', `Backup is being created: ${arn}`);
    await transact(this.db.store, (txn) => {
      if (readBackup(txn, record.no) === undefined) throw backupNotFound(arn);
      txn.delete(backupRecordKey(record.no));
      this.db.jobs.enqueue(txn, { id: `${KINDS.purge}:${record.no}`, kind: KINDS.purge, params: { no: record.no } });
    });
    this.db.jobs.wake();
    return { ...record, status: 'DELETED' };
  }

  /**
   * Restores an AVAILABLE backup into a new table (held CREATING until every item is
   * written, with its indexes, by a background job). `spec` is the new table's entry.
   */
  async restore(record: BackupRecord, spec: TableSpec, namespace?: Namespace): Promise<TableMeta> {
    if (record.status !== 'AVAILABLE') throw dynamoError('BackupInUseException', `Backup is being created: ${record.arn}`);
    const meta = await this.db.createTable(spec, {
      namespace,
      holdCreating: true,
      jobs: (created) => {
        const params: RestoreJob = { no: record.no, tableName: catalogNameOf(created), tableId: created.id };
        return [{ id: `${KINDS.restore}:${created.id}`, kind: KINDS.restore, tableId: created.id, params }];
      },
    });
    this.db.jobs.wake();
    return meta;
  }

  private markAvailable(txn: WriteOps, no: number, state: CopyState): void {
    const record = readBackup(txn, no);
    if (record === undefined) return;
    writeBackup(txn, { ...record, status: 'AVAILABLE', itemCount: state.itemCount, sizeBytes: state.sizeBytes });
  }

  /** The walk is over: the table's writes stop looking at the backup. */
  private async detachCopy({ no, tableName, tableId }: CopyJob): Promise<void> {
    const table = this.db.findTable(tableName);
    if (table?.meta.id !== tableId || !table.meta.snapshotCopies?.includes(no)) return;
    await this.db.updateTable(tableName, (meta) => ({ ...meta, snapshotCopies: meta.snapshotCopies!.filter((n) => n !== no) }));
  }

  private restoreBatch(txn: WriteOps, { no, tableName, tableId }: RestoreJob, after: string | undefined) {
    const table = this.restoreTarget(txn, tableName, tableId);
    if (table === undefined) return { state: after, processed: 0, done: true };
    const batch = backupItems(txn, no, after === undefined ? undefined : Buffer.from(after, 'hex'), RESTORE_BATCH);
    writeRestoredItems(txn, table, batch.map((b) => ({ put: b.stored })));
    const last = batch.at(-1)?.suffix.toString('hex') ?? after;
    return { state: last, processed: batch.length, done: batch.length < RESTORE_BATCH };
  }

  /** The table a restore job fills, while it is still that table. */
  restoreTarget(txn: ReadOps, tableName: string, tableId: number): Table | undefined {
    const table = this.db.tableInCatalog(txn, tableName);
    return table?.meta.id === tableId ? table : undefined;
  }

  /** A restored table is complete: ACTIVE, its RestoreSummary no longer in progress. */
  async finishRestore({ tableName, tableId }: { tableName: string; tableId: number }): Promise<void> {
    const table = this.db.findTable(tableName);
    if (table?.meta.id !== tableId || table.meta.status !== 'CREATING') return;
    await this.db.updateTable(tableName, (meta) => ({
      ...meta,
      status: 'ACTIVE',
      settlesAt: 0,
      ...(meta.restore ? { restore: { ...meta.restore, inProgress: false } } : {}),
    }));
  }
}

export type RestoredChange = { put: Buffer } | { delete: Item };

/** Writes items into a table being restored, in order, with their index entries and statistics. */
export function writeRestoredItems(txn: WriteOps, table: Table, changes: RestoredChange[]): void {
  const writes: ItemWrite[] = changes.map((change) => {
    if ('delete' in change) return { table, key: change.delete, mutate: blindMutation(() => undefined) };
    const item = decodeStoredItem(change.put);
    const key = keyOf(item, table.schema.hashKey, table.schema.rangeKey);
    return { table, key, mutate: blindMutation(() => item, storedItemSize(change.put), change.put.subarray(4)) };
  });
  if (writes.length > 0) applyItemWrites(txn, writes);
}

function keyOf(item: Item, hashKey: string, rangeKey: string | undefined): Item {
  const key: Item = { [hashKey]: item[hashKey]! };
  if (rangeKey !== undefined) key[rangeKey] = item[rangeKey]!;
  return key;
}

function nextNumber(txn: WriteOps): number {
  const counter = counterKey('backup-no');
  const no = (txn.get(counter)?.readUInt32BE(0) ?? 0) + 1;
  const buf = Buffer.allocUnsafe(4);
  buf.writeUInt32BE(no, 0);
  txn.put(counter, buf);
  return no;
}
