/** UpdateContinuousBackups and DescribeContinuousBackups: point-in-time recovery settings and window. */
import { dynamoError, validationError } from '../../errors.js';
import type { Table } from '../../engine/table.js';
import type { TableMeta } from '../../engine/tableMeta.js';
import type { ApiContext, Operation } from '../context.js';
import { catalogNameOf } from '../../engine/namespace.js';

const MIN_DAYS = 1;
const MAX_DAYS = 35;

export function requireSourceTable(ctx: ApiContext, name: string): Table {
  const table = ctx.db.findTable(name, ctx.namespace);
  if (table === undefined || table.meta.status === 'DELETING') throw dynamoError('TableNotFoundException', `Table not found: ${name}`);
  return table;
}

export const updateContinuousBackups: Operation = async (ctx, input) => {
  const table = requireSourceTable(ctx, input.TableName);
  const spec = input.PointInTimeRecoverySpecification as { PointInTimeRecoveryEnabled: boolean; RecoveryPeriodInDays?: number };
  const days = spec.RecoveryPeriodInDays;
  if (days !== undefined) {
    if (!spec.PointInTimeRecoveryEnabled) throw validationError('RecoveryPeriodInDays can only be set when PointInTimeRecoveryEnabled is true');
    if (!Number.isInteger(days) || days < MIN_DAYS || days > MAX_DAYS) {
      throw validationError(`RecoveryPeriodInDays must be between ${MIN_DAYS} and ${MAX_DAYS}`);
    }
  }
  const meta = await ctx.db.pitr.update(catalogNameOf(table.meta), spec.PointInTimeRecoveryEnabled, days);
  return { ContinuousBackupsDescription: await continuousBackupsDescription(ctx, meta) };
};

export const describeContinuousBackups: Operation = async (ctx, input) => {
  const table = requireSourceTable(ctx, input.TableName);
  return { ContinuousBackupsDescription: await continuousBackupsDescription(ctx, table.meta) };
};

async function continuousBackupsDescription(ctx: ApiContext, meta: TableMeta): Promise<Record<string, unknown>> {
  const window = await ctx.db.pitr.window(meta);
  const recovery: Record<string, unknown> = window === undefined
    ? { PointInTimeRecoveryStatus: 'DISABLED' }
    : {
        PointInTimeRecoveryStatus: 'ENABLED',
        RecoveryPeriodInDays: meta.pitr!.recoveryPeriodDays,
        EarliestRestorableDateTime: window.earliest / 1000,
        LatestRestorableDateTime: window.latest / 1000,
      };
  return { ContinuousBackupsStatus: 'ENABLED', PointInTimeRecoveryDescription: recovery };
}
