/** What the key space keeps about one on-demand backup (keys.ts `backupRecordKey`). */
import type { ReadOps, WriteOps } from '../../storage/kv.js';
import type { TableMeta } from '../tableMeta.js';
import { BACKUP_RECORDS_RANGE, backupRecordKey } from './keys.js';

export type BackupStatus = 'CREATING' | 'AVAILABLE' | 'DELETED';
/** CONTINUOUS: the base snapshot point-in-time recovery replays its history onto (never listed). */
export type BackupType = 'USER' | 'SYSTEM' | 'CONTINUOUS';

export interface BackupRecord {
  /** Internal number: the backup's key prefix. Never reused. */
  no: number;
  arn: string;
  name: string;
  status: BackupStatus;
  type: BackupType;
  createdAt: number;
  /** Known once the backup is AVAILABLE. */
  itemCount?: number;
  sizeBytes?: number;
  /** CONTINUOUS: the time the base now stands for, once older history was folded into it. */
  foldedTo?: number;
  /**
   * CONTINUOUS: per change-log shard, the last record the base already holds (taken at
   * the base's moment, then advanced by folding); replay starts after it.
   */
  logFolded?: Record<string, number>;
  /** The source table's catalog entry at the backup's moment (key schema, indexes, billing, ...). */
  table: TableMeta;
}

export function readBackup(ops: ReadOps, backupNo: number): BackupRecord | undefined {
  const raw = ops.get(backupRecordKey(backupNo));
  return raw === undefined ? undefined : (JSON.parse(raw.toString('utf8')) as BackupRecord);
}

export function writeBackup(txn: WriteOps, record: BackupRecord): void {
  txn.put(backupRecordKey(record.no), Buffer.from(JSON.stringify(record), 'utf8'));
}

/** Every backup record, oldest first. */
export function listBackupRecords(ops: ReadOps): BackupRecord[] {
  return [...ops.range(BACKUP_RECORDS_RANGE)].map(({ value }) => JSON.parse(value.toString('utf8')) as BackupRecord);
}
