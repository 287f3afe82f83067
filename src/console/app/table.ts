/** What the console reads from DescribeTable. */
import type { KeySchema, KeyType } from './readRequest.js';

interface KeyElement {
  AttributeName: string;
  KeyType: 'HASH' | 'RANGE';
}

export interface Projection {
  ProjectionType?: 'ALL' | 'KEYS_ONLY' | 'INCLUDE';
  NonKeyAttributes?: string[];
}

export interface Throughput {
  ReadCapacityUnits?: number;
  WriteCapacityUnits?: number;
}

export interface IndexDescription {
  IndexName: string;
  KeySchema: KeyElement[];
  Projection?: Projection;
  IndexStatus?: string;
  Backfilling?: boolean;
  ItemCount?: number;
  IndexSizeBytes?: number;
  ProvisionedThroughput?: Throughput;
}

export interface TableDescription {
  TableName: string;
  TableStatus: string;
  TableArn?: string;
  KeySchema: KeyElement[];
  AttributeDefinitions: { AttributeName: string; AttributeType: KeyType }[];
  BillingModeSummary?: { BillingMode?: string };
  ProvisionedThroughput?: Throughput;
  GlobalSecondaryIndexes?: IndexDescription[];
  LocalSecondaryIndexes?: IndexDescription[];
  ItemCount?: number;
  TableSizeBytes?: number;
  StreamSpecification?: { StreamEnabled: boolean; StreamViewType?: string };
  LatestStreamArn?: string;
  DeletionProtectionEnabled?: boolean;
  CreationDateTime?: number;
}

export function billingMode(table: TableDescription): 'PAY_PER_REQUEST' | 'PROVISIONED' {
  return table.BillingModeSummary?.BillingMode === 'PAY_PER_REQUEST' ? 'PAY_PER_REQUEST' : 'PROVISIONED';
}

export function attributeType(table: TableDescription, name: string): KeyType {
  return table.AttributeDefinitions.find((d) => d.AttributeName === name)?.AttributeType ?? 'S';
}

/** The key schema of the table or of one of its indexes ('' = the table). */
export function keySchemaOf(table: TableDescription, indexName = ''): KeySchema {
  const index = [...(table.GlobalSecondaryIndexes ?? []), ...(table.LocalSecondaryIndexes ?? [])].find((i) => i.IndexName === indexName);
  const elements = index?.KeySchema ?? table.KeySchema;
  const hash = elements.find((e) => e.KeyType === 'HASH')!.AttributeName;
  const range = elements.find((e) => e.KeyType === 'RANGE')?.AttributeName;
  return {
    hash: { name: hash, type: attributeType(table, hash) },
    ...(range ? { range: { name: range, type: attributeType(table, range) } } : {}),
  };
}

/** The table's primary-key attribute names, hash first. */
export function tableKeyNames(table: TableDescription): string[] {
  const schema = keySchemaOf(table);
  return schema.range ? [schema.hash.name, schema.range.name] : [schema.hash.name];
}

export function formatBytes(bytes: number | undefined): string {
  if (bytes === undefined) return '';
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}
