/** Shapes a catalog entry into DynamoDB's TableDescription. */
import type { IndexMeta, ProvisionedState, TableMeta } from '../../engine/tableMeta.js';
import type { TableStats } from '../../engine/stats.js';
import { streamDescriptionFields } from '../streams/streamSpecification.js';
import { restoreSummary } from '../backups/backupDescription.js';

const seconds = (ms: number) => ms / 1000;

export function tableDescription(meta: TableMeta, stats: TableStats & { indexes?: Record<string, TableStats> }): Record<string, unknown> {
  const p = meta.provisioned;
  const onDemand = meta.billingMode === 'PAY_PER_REQUEST';
  const description: Record<string, unknown> = {
    AttributeDefinitions: meta.attributeDefinitions,
    TableName: meta.name,
    KeySchema: meta.keySchema,
    TableStatus: meta.status,
    CreationDateTime: seconds(meta.createdAt),
    ProvisionedThroughput: {
      ...(p.lastIncrease ? { LastIncreaseDateTime: seconds(p.lastIncrease) } : {}),
      ...(p.lastDecrease ? { LastDecreaseDateTime: seconds(p.lastDecrease) } : {}),
      NumberOfDecreasesToday: p.decreasesToday,
      ReadCapacityUnits: onDemand ? 0 : p.read,
      WriteCapacityUnits: onDemand ? 0 : p.write,
    },
    TableSizeBytes: stats.sizeBytes,
    ItemCount: stats.itemCount,
    TableArn: meta.arn,
    TableId: meta.tableId,
    BillingModeSummary: {
      BillingMode: meta.billingMode,
      ...(meta.billingModeChangedAt ? { LastUpdateToPayPerRequestDateTime: seconds(meta.billingModeChangedAt) } : {}),
    },
    TableClassSummary: { TableClass: meta.tableClass },
    DeletionProtectionEnabled: meta.deletionProtection,
  };
  const lsis = meta.indexes?.filter((i) => i.kind === 'LSI') ?? [];
  const gsis = meta.indexes?.filter((i) => i.kind === 'GSI') ?? [];
  if (lsis.length > 0) description.LocalSecondaryIndexes = lsis.map((i) => localIndexDescription(meta, i, stats.indexes?.[i.name]));
  if (gsis.length > 0) description.GlobalSecondaryIndexes = gsis.map((i) => globalIndexDescription(meta, i, stats.indexes?.[i.name]));
  if (onDemand) {
    description.OnDemandThroughput = {
      MaxReadRequestUnits: meta.onDemand?.MaxReadRequestUnits ?? -1,
      MaxWriteRequestUnits: meta.onDemand?.MaxWriteRequestUnits ?? -1,
    };
  }
  Object.assign(description, streamDescriptionFields(meta));
  if (meta.restore !== undefined) description.RestoreSummary = restoreSummary(meta.restore);
  if (meta.sse?.enabled) {
    description.SSEDescription = {
      Status: 'ENABLED',
      SSEType: 'KMS',
      KMSMasterKeyArn: meta.sse.kmsKeyArn ?? `arn:aws:kms:${meta.arn.split(':')[3]}:${meta.arn.split(':')[4]}:key/openddb-managed`,
    };
  }
  return description;
}

function localIndexDescription(meta: TableMeta, index: IndexMeta, stats: TableStats | undefined): Record<string, unknown> {
  return {
    IndexName: index.name,
    KeySchema: index.keySchema,
    Projection: index.projection,
    IndexSizeBytes: stats?.sizeBytes ?? 0,
    ItemCount: stats?.itemCount ?? 0,
    IndexArn: `${meta.arn}/index/${index.name}`,
  };
}

function globalIndexDescription(meta: TableMeta, index: IndexMeta, stats: TableStats | undefined): Record<string, unknown> {
  // Indexes created with their table are CREATING as long as the table is.
  const status = meta.status === 'CREATING' ? 'CREATING' : index.status;
  const p: ProvisionedState = meta.billingMode === 'PAY_PER_REQUEST' || index.provisioned === undefined
    ? { read: 0, write: 0, decreasesToday: 0 }
    : index.provisioned;
  const description: Record<string, unknown> = {
    IndexName: index.name,
    KeySchema: index.keySchema,
    Projection: index.projection,
    IndexStatus: status,
  };
  if (index.backfilling) description.Backfilling = true;
  description.ProvisionedThroughput = {
    ...(p.lastIncrease ? { LastIncreaseDateTime: seconds(p.lastIncrease) } : {}),
    ...(p.lastDecrease ? { LastDecreaseDateTime: seconds(p.lastDecrease) } : {}),
    NumberOfDecreasesToday: p.decreasesToday,
    ReadCapacityUnits: p.read,
    WriteCapacityUnits: p.write,
  };
  description.IndexSizeBytes = stats?.sizeBytes ?? 0;
  description.ItemCount = stats?.itemCount ?? 0;
  description.IndexArn = `${meta.arn}/index/${index.name}`;
  if (index.onDemand !== undefined) {
    description.OnDemandThroughput = {
      MaxReadRequestUnits: index.onDemand.MaxReadRequestUnits ?? -1,
      MaxWriteRequestUnits: index.onDemand.MaxWriteRequestUnits ?? -1,
    };
  }
  return description;
}
