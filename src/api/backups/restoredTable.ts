/** The catalog entry of a table restored from a backup or a point in time, with the request's overrides. */
import { dynamoError } from '../../errors.js';
import type { TableSpec } from '../../engine/table.js';
import type { IndexMeta, TableMeta } from '../../engine/tableMeta.js';
import { provisionedFrom, validateBillingAndThroughput } from '../../engine/capacity/billing.js';
import type { ApiContext } from '../context.js';
import { createTableIndexes } from '../tables/indexValidation.js';

export function restoredTableSpec(
  ctx: ApiContext,
  source: TableMeta,
  input: Record<string, any>,
  from: { sourceBackupArn?: string; restoreDateTime: number },
): TableSpec {
  const name = input.TargetTableName as string;
  const existing = ctx.db.findTable(name, ctx.namespace);
  if (existing !== undefined) {
    if (existing.meta.status === 'ACTIVE') throw dynamoError('TableAlreadyExistsException', `Table already exists: ${name}`);
    throw dynamoError('TableInUseException', `Table is being created or deleted: ${name}`);
  }
  const billingMode = input.BillingModeOverride ?? source.billingMode;
  const throughputGiven = input.ProvisionedThroughputOverride !== undefined;
  const throughput = throughputGiven
    ? input.ProvisionedThroughputOverride
    : billingMode === 'PROVISIONED'
      ? { ReadCapacityUnits: source.provisioned.read || 1, WriteCapacityUnits: source.provisioned.write || 1 }
      : undefined;
  validateBillingAndThroughput(billingMode, throughput);
  const indexes = restoredIndexes(source, input, billingMode);
  const used = new Set([...source.keySchema, ...indexes.flatMap((i) => i.keySchema)].map((k) => k.AttributeName));
  const sse = input.SSESpecificationOverride;
  return {
    name,
    keySchema: source.keySchema,
    attributeDefinitions: source.attributeDefinitions.filter((d) => used.has(d.AttributeName)),
    billingMode,
    billingModeChangedAt: billingMode === 'PAY_PER_REQUEST' ? ctx.db.clock.now() : undefined,
    provisioned: provisionedFrom(billingMode, throughput),
    onDemand: input.OnDemandThroughputOverride ?? (billingMode === 'PAY_PER_REQUEST' ? source.onDemand : undefined),
    tableClass: source.tableClass,
    deletionProtection: false,
    sse: sse === undefined ? source.sse : sse.Enabled ? { enabled: true, type: sse.SSEType, kmsKeyArn: sse.KMSMasterKeyId } : undefined,
    tags: [],
    ...(indexes.length > 0 ? { indexes, nextIndexNo: Math.max(...indexes.map((i) => i.no)) + 1 } : {}),
    restore: { ...from, sourceTableArn: source.arn, inProgress: true },
  };
}

/** The source's live indexes, or those the overrides name (then validated as CreateTable's). */
function restoredIndexes(source: TableMeta, input: Record<string, any>, billingMode: TableMeta['billingMode']): IndexMeta[] {
  const gsiOverride = input.GlobalSecondaryIndexOverride;
  const lsiOverride = input.LocalSecondaryIndexOverride;
  if (gsiOverride === undefined && lsiOverride === undefined) {
    return (source.indexes ?? [])
      .filter((i) => i.status !== 'DELETING' && !(i.status === 'CREATING' && i.backfilling))
      .map((i) => ({ ...i, status: 'ACTIVE', backfilling: undefined }));
  }
  const asInput = (i: IndexMeta) => ({ IndexName: i.name, KeySchema: i.keySchema, Projection: i.projection });
  const live = (source.indexes ?? []).filter((i) => i.status !== 'DELETING');
  const definitions = source.attributeDefinitions;
  const candidate = {
    KeySchema: source.keySchema,
    AttributeDefinitions: definitions,
    LocalSecondaryIndexes: lsiOverride ?? live.filter((i) => i.kind === 'LSI').map(asInput),
    GlobalSecondaryIndexes: gsiOverride ?? live.filter((i) => i.kind === 'GSI').map((i) => ({
      ...asInput(i),
      ...(billingMode === 'PROVISIONED' ? { ProvisionedThroughput: { ReadCapacityUnits: i.provisioned?.read || 1, WriteCapacityUnits: i.provisioned?.write || 1 } } : {}),
    })),
  };
  const used = new Set([...source.keySchema, ...candidate.LocalSecondaryIndexes, ...candidate.GlobalSecondaryIndexes].flatMap((k: any) => k.KeySchema ?? [k]).map((k: any) => k.AttributeName));
  return createTableIndexes({ ...candidate, AttributeDefinitions: definitions.filter((d) => used.has(d.AttributeName)) }, billingMode);
}
