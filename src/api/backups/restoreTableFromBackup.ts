/**
 * RestoreTableFromBackup: a new table with the backup's key schema, indexes and
 * settings (or the overrides given), CREATING with a RestoreSummary until every item
 * is back.
 */
import type { Operation } from '../context.js';
import { tableDescription } from '../tables/tableDescription.js';
import { restoredTableSpec } from './restoredTable.js';

export const restoreTableFromBackup: Operation = async (ctx, input) => {
  const record = await ctx.db.backups.find(input.BackupArn, ctx.namespace);
  const spec = restoredTableSpec(ctx, record.table, input, { sourceBackupArn: record.arn, restoreDateTime: record.createdAt });
  const meta = await ctx.db.backups.restore(record, spec, ctx.namespace);
  return { TableDescription: tableDescription(meta, { itemCount: 0, sizeBytes: 0, indexes: {} }) };
};
