/**
 * UpdateTimeToLive and DescribeTimeToLive. Enabling or disabling takes effect at once
 * (ENABLING / DISABLING only while transient statuses are delayed); a second change
 * within an hour is refused, as DynamoDB does.
 */
import { validationError } from '../../errors.js';
import type { TableMeta } from '../../engine/tableMeta.js';
import type { Operation } from '../context.js';
import { requireTable } from '../tables/requireTable.js';
import { catalogNameOf } from '../../engine/namespace.js';

const CHANGE_INTERVAL_MS = 60 * 60 * 1000;
/** How long ENABLING / DISABLING show with delayed transient statuses. */
const TRANSIENT_MS = 500;

export const updateTimeToLive: Operation = async (ctx, input) => {
  const { Enabled: enabled, AttributeName: attributeName } = input.TimeToLiveSpecification as { Enabled: boolean; AttributeName: string };
  const table = requireTable(ctx, input.TableName);
  const now = ctx.db.clock.now();
  await ctx.db.updateTable(catalogNameOf(table.meta), (meta) => {
    checkChange(meta, enabled, attributeName, now);
    meta.ttl = { attributeName, enabled, changedAt: now };
    return meta;
  });
  return { TimeToLiveSpecification: { Enabled: enabled, AttributeName: attributeName } };
};

function checkChange(meta: TableMeta, enabled: boolean, attributeName: string, now: number): void {
  const current = meta.ttl;
  if (current?.enabled === true && current.attributeName !== attributeName) {
    throw validationError(`TimeToLive is active on a different AttributeName: current AttributeName is ${current.attributeName}`);
  }
  if (enabled && current?.enabled === true) throw validationError('TimeToLive is already enabled');
  if (!enabled && current?.enabled !== true) throw validationError('TimeToLive is already disabled');
  if (current !== undefined && now - current.changedAt < CHANGE_INTERVAL_MS) {
    throw validationError('Time to live has been modified multiple times within a fixed interval');
  }
}

export const describeTimeToLive: Operation = (ctx, input) => {
  const ttl = requireTable(ctx, input.TableName).meta.ttl;
  const transient = ctx.db.options.delayTransientStatuses && ttl !== undefined && ctx.db.clock.now() - ttl.changedAt < TRANSIENT_MS;
  let description: Record<string, unknown>;
  if (ttl === undefined) description = { TimeToLiveStatus: 'DISABLED' };
  else if (ttl.enabled) description = { TimeToLiveStatus: transient ? 'ENABLING' : 'ENABLED', AttributeName: ttl.attributeName };
  else description = transient ? { TimeToLiveStatus: 'DISABLING', AttributeName: ttl.attributeName } : { TimeToLiveStatus: 'DISABLED' };
  return { TimeToLiveDescription: description };
};
