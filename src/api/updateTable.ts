/** UpdateTable: billing mode, provisioned throughput, table class, deletion protection, global secondary indexes. */
import { dynamoError, invalidParameter, validationError } from '../errors.js';
import type { BillingMode, TableMeta } from '../engine/tableMeta.js';
import type { Operation } from './context.js';
import { tableDescription } from './tableDescription.js';
import { requireTable } from './tableOps.js';
import { validateCapacityLimits } from './billing.js';
import { applyIndexUpdates } from './indexValidation.js';

const DAY_MS = 24 * 60 * 60 * 1000;

export const updateTable: Operation = async (ctx, input) => {
  const table = requireTable(ctx, input.TableName);
  if (input.StreamSpecification !== undefined) throw validationError('DynamoDB Streams are not supported by this server yet');
  if (input.ReplicaUpdates !== undefined) throw validationError('Global tables are not supported by this server yet');
  const recognised = ['GlobalSecondaryIndexUpdates', 'ProvisionedThroughput', 'BillingMode', 'TableClass', 'DeletionProtectionEnabled', 'SSESpecification', 'OnDemandThroughput'];
  if (!recognised.some((k) => input[k] !== undefined)) {
    throw validationError('At least one of ProvisionedThroughput, BillingMode, UpdateStreamEnabled, GlobalSecondaryIndexUpdates or SSESpecification or ReplicaUpdates is required');
  }
  if (table.meta.status !== 'ACTIVE') {
    throw dynamoError('ResourceInUseException', `Attempt to change a resource which is still in use: Table is being updated: ${table.meta.name}`);
  }
  const changesIndexes = input.GlobalSecondaryIndexUpdates != null;
  const transient = input.BillingMode !== undefined || input.ProvisionedThroughput !== undefined || changesIndexes;
  const meta = await ctx.db.updateTable(
    table.meta.name,
    (meta) => {
      if (changesIndexes) applyIndexUpdates(meta, input);
      return applyUpdate(meta, input);
    },
    transient,
  );
  return JSON.stringify({ TableDescription: tableDescription(meta, ctx.db.stats(meta)) });
};

function applyUpdate(meta: TableMeta, input: Record<string, any>): TableMeta {
  const now = Date.now();
  const mode: BillingMode = input.BillingMode ?? meta.billingMode;
  const throughput = input.ProvisionedThroughput as { ReadCapacityUnits: number; WriteCapacityUnits: number } | undefined;
  if (mode === 'PAY_PER_REQUEST') {
    if (throughput !== undefined) {
      throw invalidParameter('Neither ReadCapacityUnits nor WriteCapacityUnits can be specified when BillingMode is PAY_PER_REQUEST');
    }
    if (meta.billingMode !== 'PAY_PER_REQUEST') {
      meta.billingMode = 'PAY_PER_REQUEST';
      meta.billingModeChangedAt = now;
    }
  } else {
    if (meta.billingMode === 'PAY_PER_REQUEST') {
      if (throughput === undefined) {
        throw validationError('One or more parameter values were invalid: ProvisionedThroughput must be specified when BillingMode is PROVISIONED');
      }
      meta.billingMode = 'PROVISIONED';
      meta.provisioned.read = throughput.ReadCapacityUnits;
      meta.provisioned.write = throughput.WriteCapacityUnits;
    } else if (throughput !== undefined) {
      changeThroughput(meta, throughput, now);
    }
  }
  if (input.OnDemandThroughput !== undefined) meta.onDemand = input.OnDemandThroughput;
  if (input.TableClass !== undefined) meta.tableClass = input.TableClass;
  if (input.DeletionProtectionEnabled !== undefined) meta.deletionProtection = input.DeletionProtectionEnabled;
  if (input.SSESpecification !== undefined) {
    meta.sse = { enabled: input.SSESpecification.Enabled !== false, type: input.SSESpecification.SSEType, kmsKeyArn: input.SSESpecification.KMSMasterKeyId };
  }
  return meta;
}

function changeThroughput(meta: TableMeta, t: { ReadCapacityUnits: number; WriteCapacityUnits: number }, now: number): void {
  const p = meta.provisioned;
  if (t.ReadCapacityUnits === p.read && t.WriteCapacityUnits === p.write) {
    throw validationError(
      `The provisioned throughput for the table will not change. The requested value equals the current value. ` +
        `Current ReadCapacityUnits provisioned for the table: ${p.read}. Requested ReadCapacityUnits: ${t.ReadCapacityUnits}. ` +
        `Current WriteCapacityUnits provisioned for the table: ${p.write}. Requested WriteCapacityUnits: ${t.WriteCapacityUnits}. ` +
        `Refer to the Amazon DynamoDB Developer Guide for current limits and how to request higher limits.`,
    );
  }
  validateCapacityLimits(t);
  if (p.lastDecrease !== undefined && now - p.lastDecrease > DAY_MS) p.decreasesToday = 0;
  if (t.ReadCapacityUnits > p.read || t.WriteCapacityUnits > p.write) p.lastIncrease = now;
  if (t.ReadCapacityUnits < p.read || t.WriteCapacityUnits < p.write) {
    p.lastDecrease = now;
    p.decreasesToday += 1;
  }
  p.read = t.ReadCapacityUnits;
  p.write = t.WriteCapacityUnits;
}
