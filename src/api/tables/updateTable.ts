/** UpdateTable: billing mode, provisioned throughput, table class, deletion protection, global secondary indexes. */
import { dynamoError, invalidParameter, validationError } from '../../errors.js';
import type { BillingMode, TableMeta } from '../../engine/tableMeta.js';
import type { Operation } from '../context.js';
import type { TableChangeResult } from '../results.js';
import { tableDescription } from './tableDescription.js';
import { requireTable } from './requireTable.js';
import { changeProvisioned, recordOnDemandSwitch, validateCapacityLimits } from '../../engine/capacity/billing.js';
import { applyIndexUpdates } from './indexValidation.js';
import { applyStreamSpecification } from '../streams/streamSpecification.js';
import { catalogNameOf } from '../../engine/namespace.js';

export const updateTable: Operation<TableChangeResult> = async (ctx, input) => {
  const table = requireTable(ctx, input.TableName);
  if (input.ReplicaUpdates !== undefined) throw validationError('Global tables are not supported by this server yet');
  const recognised = ['StreamSpecification', 'GlobalSecondaryIndexUpdates', 'ProvisionedThroughput', 'BillingMode', 'TableClass', 'DeletionProtectionEnabled', 'SSESpecification', 'OnDemandThroughput'];
  if (!recognised.some((k) => input[k] !== undefined)) {
    throw validationError('At least one of ProvisionedThroughput, BillingMode, UpdateStreamEnabled, GlobalSecondaryIndexUpdates or SSESpecification or ReplicaUpdates is required');
  }
  if (table.meta.status !== 'ACTIVE') {
    throw dynamoError('ResourceInUseException', `Attempt to change a resource which is still in use: Table is being updated: ${table.meta.name}`);
  }
  const changesIndexes = input.GlobalSecondaryIndexUpdates != null;
  const transient = input.BillingMode !== undefined || input.ProvisionedThroughput !== undefined || changesIndexes;
  const meta = await ctx.db.updateTable(
    catalogNameOf(table.meta),
    (meta) => {
      // The billing mode changes first: index updates are checked against the new mode.
      const now = ctx.db.clock.now();
      const switchedToProvisioned = applyBilling(meta, input, now);
      if (changesIndexes) applyIndexUpdates(meta, input, now);
      if (switchedToProvisioned) requireIndexThroughput(meta, input);
      if (input.StreamSpecification !== undefined) applyStreamSpecification(meta, input.StreamSpecification, ctx.db.clock.now());
      return applyUpdate(meta, input);
    },
    transient,
  );
  return { TableDescription: tableDescription(meta, await ctx.db.stats(meta)) };
};

/**
 * Billing mode and table throughput. Switching to PAY_PER_REQUEST is allowed four times
 * in 24 hours; switching to PROVISIONED needs the table's (and each GSI's) throughput.
 * Returns true when the table switched to PROVISIONED.
 */
function applyBilling(meta: TableMeta, input: Record<string, any>, now: number): boolean {
  const mode: BillingMode = input.BillingMode ?? meta.billingMode;
  const throughput = input.ProvisionedThroughput as { ReadCapacityUnits: number; WriteCapacityUnits: number } | undefined;
  if (mode === 'PAY_PER_REQUEST') {
    if (throughput !== undefined) {
      throw invalidParameter('Neither ReadCapacityUnits nor WriteCapacityUnits can be specified when BillingMode is PAY_PER_REQUEST');
    }
    if (meta.billingMode === 'PAY_PER_REQUEST') return false;
    meta.onDemandSwitches = recordOnDemandSwitch(meta.onDemandSwitches, now);
    meta.billingMode = 'PAY_PER_REQUEST';
    meta.billingModeChangedAt = now;
    // On-demand GSIs have no provisioned throughput; switching back must give it again.
    for (const index of meta.indexes ?? []) delete index.provisioned;
    return false;
  }
  if (meta.billingMode === 'PAY_PER_REQUEST') {
    if (throughput === undefined) {
      throw validationError('One or more parameter values were invalid: ProvisionedThroughput must be specified when BillingMode is PROVISIONED');
    }
    validateCapacityLimits(throughput);
    meta.billingMode = 'PROVISIONED';
    meta.provisioned.read = throughput.ReadCapacityUnits;
    meta.provisioned.write = throughput.WriteCapacityUnits;
    delete meta.onDemand;
    for (const index of meta.indexes ?? []) delete index.onDemand;
    return true;
  }
  if (throughput !== undefined) changeThroughput(meta, throughput, now);
  return false;
}

/** Every GSI of a table switched to PROVISIONED needs its throughput in the same request. */
function requireIndexThroughput(meta: TableMeta, input: Record<string, any>): void {
  const given = new Set<string>();
  for (const update of (input.GlobalSecondaryIndexUpdates ?? []) as Record<string, any>[]) {
    const spec = update.Update ?? update.Create;
    if (spec?.ProvisionedThroughput != null) given.add(spec.IndexName);
  }
  for (const index of meta.indexes ?? []) {
    if (index.kind === 'GSI' && index.status !== 'DELETING' && !given.has(index.name)) {
      throw invalidParameter(`ProvisionedThroughput must be specified for index: ${index.name}`);
    }
  }
}

function applyUpdate(meta: TableMeta, input: Record<string, any>): TableMeta {
  if (input.OnDemandThroughput !== undefined) {
    if (meta.billingMode !== 'PAY_PER_REQUEST') {
      throw invalidParameter('OnDemandThroughput can only be specified when BillingMode is PAY_PER_REQUEST');
    }
    meta.onDemand = { ...meta.onDemand, ...input.OnDemandThroughput };
  }
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
  changeProvisioned(p, t, now);
}
