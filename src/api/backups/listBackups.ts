/**
 * ListBackups: by creation time, filtered by table, creation-time range and type,
 * paged by LastEvaluatedBackupArn.
 */
import { validationError } from '../../errors.js';
import type { BackupRecord } from '../../engine/backups/backupRecord.js';
import type { Operation } from '../context.js';
import { backupSummary } from './backupDescription.js';

const DEFAULT_LIMIT = 100;

export const listBackups: Operation = async (ctx, input) => {
  const tableName = input.TableName === undefined ? undefined : ctx.db.findTable(input.TableName, ctx.namespace)?.meta.name ?? input.TableName;
  const namespace = ctx.namespace.key;
  const lower = toMs(input.TimeRangeLowerBound);
  const upper = toMs(input.TimeRangeUpperBound);
  if (lower !== undefined && upper !== undefined && lower > upper) {
    throw validationError('TimeRangeUpperBound must be greater than or equal to TimeRangeLowerBound');
  }
  const type = input.BackupType ?? 'USER';
  const matching = (await ctx.db.backups.list()).filter((r: BackupRecord) =>
    (r.table.namespace ?? '') === namespace &&
    (tableName === undefined || r.table.name === tableName) &&
    (lower === undefined || r.createdAt >= lower) &&
    (upper === undefined || r.createdAt <= upper) &&
    (type === 'ALL' || r.type === type));
  matching.sort((a, b) => a.createdAt - b.createdAt || a.no - b.no);
  let start = 0;
  if (input.ExclusiveStartBackupArn !== undefined) {
    const at = matching.findIndex((r) => r.arn === input.ExclusiveStartBackupArn);
    start = at < 0 ? matching.length : at + 1;
  }
  const limit = input.Limit ?? DEFAULT_LIMIT;
  const page = matching.slice(start, start + limit);
  const more = start + limit < matching.length;
  return {
    BackupSummaries: page.map(backupSummary),
    ...(more ? { LastEvaluatedBackupArn: page.at(-1)!.arn } : {}),
  };
};

/** The SDK sends timestamps as epoch seconds. */
function toMs(value: unknown): number | undefined {
  return typeof value === 'number' ? value * 1000 : undefined;
}
