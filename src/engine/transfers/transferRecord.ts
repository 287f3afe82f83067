/**
 * Export and import records in the key space:
 *   0x0E 0x00 | export arn -> export record (JSON)
 *   0x0E 0x01 | import arn -> import record (JSON)
 */
import type { ReadOps, WriteOps } from '../../storage/kv.js';

const TAG = 0x0e;
const EXPORT = 0x00;
const IMPORT = 0x01;

export type ExportStatus = 'IN_PROGRESS' | 'COMPLETED' | 'FAILED';
export type ImportStatus = 'IN_PROGRESS' | 'COMPLETED' | 'FAILED' | 'CANCELLING' | 'CANCELLED';

export interface ExportRecord {
  arn: string;
  /** The table's namespace key (absent: the shared default namespace). */
  namespace?: string;
  id: string;
  status: ExportStatus;
  tableArn: string;
  tableId: string;
  /** The table's internal id and recovery base, read by the export job. */
  tableNo: number;
  baseNo: number;
  startTime: number;
  endTime?: number;
  exportTime: number;
  type: 'FULL_EXPORT' | 'INCREMENTAL_EXPORT';
  incremental?: { from: number; to: number; viewType: 'NEW_IMAGE' | 'NEW_AND_OLD_IMAGES' };
  /** The table's key attribute names (an incremental export's Keys). */
  keyNames: string[];
  format: 'DYNAMODB_JSON' | 'ION';
  bucket: string;
  prefix?: string;
  bucketOwner?: string;
  clientToken?: string;
  manifestKey?: string;
  itemCount?: number;
  billedSizeBytes?: number;
  failureMessage?: string;
}

export interface ImportRecord {
  arn: string;
  /** The new table's namespace key (absent: the shared default namespace). */
  namespace?: string;
  status: ImportStatus;
  tableArn: string;
  tableId: string;
  tableName: string;
  tableNo: number;
  bucket: string;
  prefix?: string;
  bucketOwner?: string;
  format: 'DYNAMODB_JSON' | 'ION' | 'CSV';
  compression: 'GZIP' | 'ZSTD' | 'NONE';
  csv?: { delimiter?: string; headerList?: string[] };
  creationParameters: Record<string, unknown>;
  clientToken?: string;
  startTime: number;
  endTime?: number;
  processedItemCount: number;
  processedSizeBytes: number;
  importedItemCount: number;
  errorCount: number;
  failureCode?: string;
  failureMessage?: string;
}

function key(kind: number, arn: string): Buffer {
  return Buffer.concat([Buffer.from([TAG, kind]), Buffer.from(arn, 'utf8')]);
}

function range(kind: number) {
  return { gte: Buffer.from([TAG, kind]), lt: Buffer.from([TAG, kind + 1]) };
}

export const writeExport = (txn: WriteOps, r: ExportRecord) => txn.put(key(EXPORT, r.arn), Buffer.from(JSON.stringify(r)));
export const writeImport = (txn: WriteOps, r: ImportRecord) => txn.put(key(IMPORT, r.arn), Buffer.from(JSON.stringify(r)));

export function readExport(ops: ReadOps, arn: string): ExportRecord | undefined {
  const raw = ops.get(key(EXPORT, arn));
  return raw === undefined ? undefined : JSON.parse(raw.toString('utf8'));
}

export function readImport(ops: ReadOps, arn: string): ImportRecord | undefined {
  const raw = ops.get(key(IMPORT, arn));
  return raw === undefined ? undefined : JSON.parse(raw.toString('utf8'));
}

export const listExportRecords = (ops: ReadOps): ExportRecord[] => [...ops.range(range(EXPORT))].map((e) => JSON.parse(e.value.toString('utf8')));
export const listImportRecords = (ops: ReadOps): ImportRecord[] => [...ops.range(range(IMPORT))].map((e) => JSON.parse(e.value.toString('utf8')));
