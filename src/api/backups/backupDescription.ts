/** Shapes backup records into DynamoDB's BackupDetails, BackupDescription and BackupSummary. */
import type { BackupRecord } from '../../engine/backups/backupRecord.js';
import type { IndexMeta, RestoreMeta, TableMeta } from '../../engine/tableMeta.js';
import { streamDescriptionFields } from '../streams/streamSpecification.js';

const seconds = (ms: number) => ms / 1000;

export function backupDetails(record: BackupRecord): Record<string, unknown> {
  return {
    BackupArn: record.arn,
    BackupName: record.name,
    ...(record.sizeBytes !== undefined ? { BackupSizeBytes: record.sizeBytes } : {}),
    BackupStatus: record.status,
    BackupType: record.type,
    BackupCreationDateTime: seconds(record.createdAt),
  };
}

export function backupDescription(record: BackupRecord): Record<string, unknown> {
  const table = record.table;
  return {
    BackupDetails: backupDetails(record),
    SourceTableDetails: {
      TableName: table.name,
      TableId: table.tableId,
      TableArn: table.arn,
      TableSizeBytes: record.sizeBytes ?? 0,
      KeySchema: table.keySchema,
      TableCreationDateTime: seconds(table.createdAt),
      ProvisionedThroughput: throughput(table, table.provisioned),
      ...(table.onDemand ? { OnDemandThroughput: table.onDemand } : {}),
      ItemCount: record.itemCount ?? 0,
      BillingMode: table.billingMode,
    },
    SourceTableFeatureDetails: featureDetails(table),
  };
}

export function backupSummary(record: BackupRecord): Record<string, unknown> {
  return {
    TableName: record.table.name,
    TableId: record.table.tableId,
    TableArn: record.table.arn,
    ...backupDetails(record),
  };
}

export function restoreSummary(restore: RestoreMeta): Record<string, unknown> {
  return {
    ...(restore.sourceBackupArn !== undefined ? { SourceBackupArn: restore.sourceBackupArn } : {}),
    SourceTableArn: restore.sourceTableArn,
    RestoreDateTime: seconds(restore.restoreDateTime),
    RestoreInProgress: restore.inProgress,
  };
}

function throughput(table: TableMeta, p: { read: number; write: number } | undefined) {
  const onDemand = table.billingMode === 'PAY_PER_REQUEST';
  return { ReadCapacityUnits: onDemand ? 0 : p?.read ?? 0, WriteCapacityUnits: onDemand ? 0 : p?.write ?? 0 };
}

function featureDetails(table: TableMeta): Record<string, unknown> {
  const details: Record<string, unknown> = {};
  const indexes = table.indexes?.filter((i) => i.status !== 'DELETING') ?? [];
  const lsis = indexes.filter((i) => i.kind === 'LSI');
  const gsis = indexes.filter((i) => i.kind === 'GSI');
  const shape = (i: IndexMeta) => ({ IndexName: i.name, KeySchema: i.keySchema, Projection: i.projection });
  if (lsis.length > 0) details.LocalSecondaryIndexes = lsis.map(shape);
  if (gsis.length > 0) details.GlobalSecondaryIndexes = gsis.map((i) => ({ ...shape(i), ProvisionedThroughput: throughput(table, i.provisioned) }));
  const stream = streamDescriptionFields(table) as { StreamSpecification?: unknown };
  if (stream.StreamSpecification !== undefined) details.StreamDescription = stream.StreamSpecification;
  if (table.ttl !== undefined) {
    details.TimeToLiveDescription = table.ttl.enabled
      ? { TimeToLiveStatus: 'ENABLED', AttributeName: table.ttl.attributeName }
      : { TimeToLiveStatus: 'DISABLED' };
  }
  if (table.sse?.enabled) details.SSEDescription = { Status: 'ENABLED', SSEType: 'KMS' };
  return details;
}
