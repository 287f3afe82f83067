/** Shapes a catalog entry into DynamoDB's TableDescription. */
import type { TableMeta } from '../engine/tableMeta.js';
import type { TableStats } from '../engine/stats.js';

const seconds = (ms: number) => ms / 1000;

export function tableDescription(meta: TableMeta, stats: TableStats): Record<string, unknown> {
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
  if (onDemand) {
    description.OnDemandThroughput = {
      MaxReadRequestUnits: meta.onDemand?.MaxReadRequestUnits ?? -1,
      MaxWriteRequestUnits: meta.onDemand?.MaxWriteRequestUnits ?? -1,
    };
  }
  if (meta.sse?.enabled) {
    description.SSEDescription = {
      Status: 'ENABLED',
      SSEType: 'KMS',
      KMSMasterKeyArn: meta.sse.kmsKeyArn ?? `arn:aws:kms:${meta.arn.split(':')[3]}:${meta.arn.split(':')[4]}:key/openddb-managed`,
    };
  }
  return description;
}
