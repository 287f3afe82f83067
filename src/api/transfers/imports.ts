/** ImportTable, DescribeImport and ListImports. */
import { dynamoError, invalidParameter } from '../../errors.js';
import type { ImportRecord } from '../../engine/transfers/transferRecord.js';
import type { AttributeDefinition, KeySchemaElement } from '../../engine/tableMeta.js';
import { provisionedFrom, validateBillingAndThroughput } from '../../engine/capacity/billing.js';
import type { Operation } from '../context.js';
import { createTableIndexes } from '../tables/indexValidation.js';

const seconds = (ms: number) => ms / 1000;
const DEFAULT_PAGE = 25;

export const importTable: Operation = async (ctx, input) => {
  const params = input.TableCreationParameters as Record<string, any>;
  const name = params.TableName as string;
  if (ctx.db.findTable(name, ctx.namespace) !== undefined) throw dynamoError('ResourceInUseException', `Table already exists: ${name}`);
  const keySchema = params.KeySchema as KeySchemaElement[];
  const definitions = params.AttributeDefinitions as AttributeDefinition[];
  for (const k of keySchema) {
    if (!definitions.some((d) => d.AttributeName === k.AttributeName)) throw invalidParameter('Invalid KeySchema: Some index key attribute have no definition');
  }
  const billingMode = params.BillingMode ?? 'PROVISIONED';
  validateBillingAndThroughput(billingMode, params.ProvisionedThroughput);
  const indexes = params.GlobalSecondaryIndexes != null ? createTableIndexes(params, billingMode) : [];
  const source = input.S3BucketSource as { S3Bucket: string; S3KeyPrefix?: string; S3BucketOwner?: string };
  const csv = input.InputFormatOptions?.Csv;
  const record = await ctx.db.transfers.startImport({
    tableName: name,
    bucket: source.S3Bucket,
    ...(source.S3KeyPrefix !== undefined ? { prefix: source.S3KeyPrefix } : {}),
    ...(source.S3BucketOwner !== undefined ? { bucketOwner: source.S3BucketOwner } : {}),
    format: input.InputFormat,
    compression: input.InputCompressionType ?? 'NONE',
    ...(csv ? { csv: { ...(csv.Delimiter ? { delimiter: csv.Delimiter } : {}), ...(csv.HeaderList ? { headerList: csv.HeaderList } : {}) } } : {}),
    creationParameters: params,
    ...(input.ClientToken !== undefined ? { clientToken: input.ClientToken } : {}),
  }, {
    name,
    keySchema: keySchema.map((k) => ({ AttributeName: k.AttributeName, KeyType: k.KeyType })),
    attributeDefinitions: definitions.map((d) => ({ AttributeName: d.AttributeName, AttributeType: d.AttributeType })),
    billingMode,
    billingModeChangedAt: billingMode === 'PAY_PER_REQUEST' ? ctx.db.clock.now() : undefined,
    provisioned: provisionedFrom(billingMode, params.ProvisionedThroughput),
    tableClass: 'STANDARD',
    deletionProtection: false,
    sse: params.SSESpecification?.Enabled ? { enabled: true, type: params.SSESpecification.SSEType, kmsKeyArn: params.SSESpecification.KMSMasterKeyId } : undefined,
    tags: [],
    ...(indexes.length > 0 ? { indexes, nextIndexNo: indexes.length + 1 } : {}),
  }, ctx.namespace);
  return { ImportTableDescription: importDescription(record) };
};

export const describeImport: Operation = async (ctx, input) => ({ ImportTableDescription: importDescription(await ctx.db.transfers.findImport(input.ImportArn, ctx.namespace)) });

export const listImports: Operation = async (ctx, input) => {
  const all = (await ctx.db.transfers.listImports(ctx.namespace))
    .filter((r) => input.TableArn === undefined || r.tableArn === input.TableArn)
    .sort((a, b) => a.startTime - b.startTime || a.arn.localeCompare(b.arn));
  const start = input.NextToken === undefined ? 0 : Math.max(0, all.findIndex((r) => r.arn === input.NextToken));
  const size = input.PageSize ?? DEFAULT_PAGE;
  const page = all.slice(start, start + size);
  const next = all[start + size];
  return {
    ImportSummaryList: page.map((r) => ({
      ImportArn: r.arn,
      ImportStatus: r.status,
      TableArn: r.tableArn,
      S3BucketSource: bucketSource(r),
      InputFormat: r.format,
      StartTime: seconds(r.startTime),
      ...(r.endTime !== undefined ? { EndTime: seconds(r.endTime) } : {}),
    })),
    ...(next ? { NextToken: next.arn } : {}),
  };
};

function bucketSource(r: ImportRecord): Record<string, unknown> {
  return { S3Bucket: r.bucket, ...(r.prefix !== undefined ? { S3KeyPrefix: r.prefix } : {}), ...(r.bucketOwner !== undefined ? { S3BucketOwner: r.bucketOwner } : {}) };
}

function importDescription(r: ImportRecord): Record<string, unknown> {
  return {
    ImportArn: r.arn,
    ImportStatus: r.status,
    TableArn: r.tableArn,
    TableId: r.tableId,
    ...(r.clientToken !== undefined ? { ClientToken: r.clientToken } : {}),
    S3BucketSource: bucketSource(r),
    ErrorCount: r.errorCount,
    InputFormat: r.format,
    ...(r.csv ? { InputFormatOptions: { Csv: { ...(r.csv.delimiter ? { Delimiter: r.csv.delimiter } : {}), ...(r.csv.headerList ? { HeaderList: r.csv.headerList } : {}) } } } : {}),
    InputCompressionType: r.compression,
    TableCreationParameters: r.creationParameters,
    StartTime: seconds(r.startTime),
    ...(r.endTime !== undefined ? { EndTime: seconds(r.endTime) } : {}),
    ProcessedSizeBytes: r.processedSizeBytes,
    ProcessedItemCount: r.processedItemCount,
    ImportedItemCount: r.importedItemCount,
    ...(r.failureCode !== undefined ? { FailureCode: r.failureCode } : {}),
    ...(r.failureMessage !== undefined ? { FailureMessage: r.failureMessage } : {}),
  };
}
