/** CreateTable: key schema and billing validation, then a new catalog entry. */
import { invalidParameter, validationError } from '../../errors.js';
import type { AttributeDefinition, KeySchemaElement, TableMeta } from '../../engine/tableMeta.js';
import { tableDescription } from './tableDescription.js';
import { validateTags } from './tagRules.js';
import type { Operation } from '../context.js';
import type { TableChangeResult } from '../results.js';
import { provisionedFrom, validateBillingAndThroughput } from '../../engine/capacity/billing.js';
import { createTableIndexes } from './indexValidation.js';
import { createTableStreams } from '../streams/streamSpecification.js';

export const createTable: Operation<TableChangeResult> = async (ctx, input) => {
  const keySchema = input.KeySchema as KeySchemaElement[];
  const definitions = input.AttributeDefinitions as AttributeDefinition[];
  validateKeySchema(keySchema, definitions);
  const billingMode = input.BillingMode ?? 'PROVISIONED';
  const withIndexes = input.GlobalSecondaryIndexes != null || input.LocalSecondaryIndexes != null;
  const indexes = withIndexes ? createTableIndexes(input, billingMode) : [];
  if (!withIndexes && definitions.length !== keySchema.length) {
    throw invalidParameter('Number of attributes in KeySchema does not exactly match number of attributes defined in AttributeDefinitions');
  }
  const streams = createTableStreams(input.StreamSpecification, ctx.db.clock.now());
  validateBillingAndThroughput(billingMode, input.ProvisionedThroughput);
  const tags = input.Tags ? validateTags(input.Tags) : [];

  const meta = await ctx.db.createTable({
    name: input.TableName,
    keySchema: keySchema.map((k) => ({ AttributeName: k.AttributeName, KeyType: k.KeyType })),
    attributeDefinitions: definitions.map((d) => ({ AttributeName: d.AttributeName, AttributeType: d.AttributeType })),
    billingMode,
    billingModeChangedAt: billingMode === 'PAY_PER_REQUEST' ? ctx.db.clock.now() : undefined,
    provisioned: provisionedFrom(billingMode, input.ProvisionedThroughput),
    onDemand: input.OnDemandThroughput,
    tableClass: input.TableClass ?? 'STANDARD',
    deletionProtection: input.DeletionProtectionEnabled === true,
    sse: input.SSESpecification?.Enabled ? { enabled: true, type: input.SSESpecification.SSEType, kmsKeyArn: input.SSESpecification.KMSMasterKeyId } : undefined,
    tags,
    ...(indexes.length > 0 ? { indexes, nextIndexNo: indexes.length + 1 } : {}),
    ...(streams !== undefined ? { streams } : {}),
  } satisfies Omit<TableMeta, 'id' | 'tableId' | 'arn' | 'createdAt' | 'status' | 'settlesAt'>,
  // The request's namespace: under authentication, its creator's account and region.
  { namespace: ctx.namespace });
  return { TableDescription: tableDescription(meta, { itemCount: 0, sizeBytes: 0, indexes: {} }) };
};

function validateKeySchema(keySchema: KeySchemaElement[], definitions: AttributeDefinition[]): void {
  const seen = new Set<string>();
  for (const d of definitions) {
    if (seen.has(d.AttributeName)) throw invalidParameter(`Duplicate AttributeName in AttributeDefinitions: ${d.AttributeName}`);
    seen.add(d.AttributeName);
  }
  const [first, second] = keySchema;
  if (first!.KeyType !== 'HASH') throw validationError('Invalid KeySchema: The first KeySchemaElement is not a HASH key type');
  if (second !== undefined) {
    if (second.KeyType !== 'RANGE') throw validationError('Invalid KeySchema: The second KeySchemaElement is not a RANGE key type');
    // DynamoDB words one attribute named twice as a missing definition.
    if (second.AttributeName === first!.AttributeName) throw validationError('Invalid KeySchema: Some index key attribute have no definition');
  }
  for (const k of keySchema) {
    if (!seen.has(k.AttributeName)) throw validationError('Invalid KeySchema: Some index key attribute have no definition');
  }
}
