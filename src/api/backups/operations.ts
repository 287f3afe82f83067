/** The backup, point-in-time recovery, restore, export and import operations, by name. */
import type { Operation } from '../context.js';
import { createBackup } from './createBackup.js';
import { describeBackup } from './describeBackup.js';
import { listBackups } from './listBackups.js';
import { deleteBackup } from './deleteBackup.js';
import { restoreTableFromBackup } from './restoreTableFromBackup.js';
import { describeContinuousBackups, updateContinuousBackups } from './continuousBackups.js';
import { restoreTableToPointInTime } from './restoreTableToPointInTime.js';
import { describeExport, exportTableToPointInTime, listExports } from '../transfers/exports.js';
import { describeImport, importTable, listImports } from '../transfers/imports.js';

export const backupOperations: Record<string, Operation> = {
  CreateBackup: createBackup,
  DescribeBackup: describeBackup,
  ListBackups: listBackups,
  DeleteBackup: deleteBackup,
  RestoreTableFromBackup: restoreTableFromBackup,
  UpdateContinuousBackups: updateContinuousBackups,
  DescribeContinuousBackups: describeContinuousBackups,
  RestoreTableToPointInTime: restoreTableToPointInTime,
  ExportTableToPointInTime: exportTableToPointInTime,
  DescribeExport: describeExport,
  ListExports: listExports,
  ImportTable: importTable,
  DescribeImport: describeImport,
  ListImports: listImports,
};
