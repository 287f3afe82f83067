/**
 * RestoreTableToPointInTime: a new table as the source was at a time inside its
 * recovery window (RestoreDateTime, or UseLatestRestorableTime), source by name or ARN.
 */
import { dynamoError, validationError } from '../../errors.js';
import { pointInTimeUnavailable } from '../../engine/backups/pitr.js';
import type { Operation } from '../context.js';
import { tableDescription } from '../tables/tableDescription.js';
import { requireSourceTable } from './continuousBackups.js';
import { restoredTableSpec } from './restoredTable.js';

export const restoreTableToPointInTime: Operation = async (ctx, input) => {
  const reference = input.SourceTableArn ?? input.SourceTableName;
  if (reference === undefined) throw validationError('Either SourceTableArn or SourceTableName must be specified');
  if (input.SourceTableArn !== undefined && input.SourceTableName !== undefined) {
    throw validationError('Only one of SourceTableArn or SourceTableName may be specified');
  }
  const useLatest = input.UseLatestRestorableTime === true;
  if (useLatest && input.RestoreDateTime !== undefined) {
    throw validationError('Only one of RestoreDateTime or UseLatestRestorableTime may be specified');
  }
  const source = requireSourceTable(ctx, reference).meta;
  const window = await ctx.db.pitr.window(source);
  if (window === undefined) throw pointInTimeUnavailable(source.name);
  if (!useLatest && input.RestoreDateTime === undefined) throw validationError('Either RestoreDateTime or UseLatestRestorableTime must be specified');
  const time = useLatest ? window.latest : Math.round(Number(input.RestoreDateTime) * 1000);
  if (time < window.earliest || time > window.latest) {
    throw dynamoError('InvalidRestoreTimeException', 'Restore time must be between the earliest and latest restorable date time');
  }
  const spec = restoredTableSpec(ctx, source, input, { restoreDateTime: time });
  const meta = await ctx.db.pitr.restore(source, time, spec, ctx.namespace);
  return { TableDescription: tableDescription(meta, { itemCount: 0, sizeBytes: 0, indexes: {} }) };
};
