/** CreateBackup: starts a consistent backup of a table; it is CREATING until the copy completes. */
import { dynamoError } from '../../errors.js';
import type { Operation } from '../context.js';
import { backupDetails } from './backupDescription.js';
import { catalogNameOf } from '../../engine/namespace.js';

export const createBackup: Operation = async (ctx, input) => {
  const table = ctx.db.findTable(input.TableName, ctx.namespace);
  if (table === undefined || table.meta.status === 'DELETING') throw dynamoError('TableNotFoundException', `Table not found: ${input.TableName}`);
  if (table.meta.status !== 'ACTIVE') throw dynamoError('TableInUseException', `Table is not in ACTIVE state: ${table.meta.name}`);
  const record = await ctx.db.backups.create(catalogNameOf(table.meta), input.BackupName);
  return { BackupDetails: backupDetails(record) };
};
