/**
 * Secondary-index definitions: DynamoDB's checks on the GlobalSecondaryIndexes and
 * LocalSecondaryIndexes of CreateTable and the GlobalSecondaryIndexUpdates of
 * UpdateTable, and the catalog entries they become.
 */
import { dynamoError, invalidParameter, resourceNotFound, validationError } from '../../errors.js';
import { allocateIndexNo, usedDefinitions } from '../../engine/indexes/catalog.js';
import type { AttributeDefinition, BillingMode, IndexKind, IndexMeta, IndexProjection, KeySchemaElement, TableMeta } from '../../engine/tableMeta.js';
import { changeProvisioned, validateCapacityLimits } from '../../engine/capacity/billing.js';

export const MAX_GSIS = 20;
export const MAX_LSIS = 5;
/** NonKeyAttributes summed over every index of a table. */
export const MAX_PROJECTED_ATTRIBUTES = 100;
/** A GSI key may have up to four partition-key and four sort-key attributes (multi-attribute keys). */
export const MAX_GSI_KEY_PARTS = 4;

/** A table or LSI key schema of more than two elements (wording as DynamoDB Local gives it). */

interface Throughput {
  ReadCapacityUnits: number;
  WriteCapacityUnits: number;
}

export interface IndexInput {
  IndexName: string;
  KeySchema: KeySchemaElement[];
  Projection: { ProjectionType?: string; NonKeyAttributes?: string[] };
  ProvisionedThroughput?: Throughput;
  OnDemandThroughput?: { MaxReadRequestUnits?: number; MaxWriteRequestUnits?: number };
}

const ONE_ONLINE_INDEX = 'Subscriber limit exceeded: Only 1 online index can be created or deleted simultaneously per table';

/**
 * CreateTable's indexes: checks every rule (including that each AttributeDefinition
 * is used by some key) and returns the indexes' catalog entries, numbered from 1.
 */
export function createTableIndexes(input: Record<string, any>, billingMode: BillingMode): IndexMeta[] {
  const keySchema = input.KeySchema as KeySchemaElement[];
  const definitions = input.AttributeDefinitions as AttributeDefinition[];
  const lsis = (input.LocalSecondaryIndexes ?? []) as IndexInput[];
  const gsis = (input.GlobalSecondaryIndexes ?? []) as IndexInput[];
  const tableHash = keySchema[0]!.AttributeName;
  if (lsis.length > 0 && keySchema.length < 2) {
    throw invalidParameter('Table KeySchema does not have a range key, which is required when specifying a LocalSecondaryIndex');
  }
  const names = new Set<string>();
  const out: IndexMeta[] = [];
  const specs: [IndexKind, IndexInput][] = [...lsis.map((i) => ['LSI', i] as [IndexKind, IndexInput]), ...gsis.map((i) => ['GSI', i] as [IndexKind, IndexInput])];
  for (const [kind, spec] of specs) {
    if (names.has(spec.IndexName)) throw invalidParameter(`Duplicate index name: ${spec.IndexName}`);
    names.add(spec.IndexName);
    checkIndexKeySchema(kind, spec, definitions);
    if (kind === 'LSI') checkLocalKeySchema(spec, tableHash);
    const projection = checkProjection(spec);
    if (kind === 'GSI') checkIndexThroughput(spec, billingMode);
    out.push(indexMeta(kind, spec, projection, out.length + 1, billingMode, 'ACTIVE'));
  }
  if (lsis.length > MAX_LSIS) throw invalidParameter(`Number of LocalSecondaryIndexes exceeds per-table limit of ${MAX_LSIS}`);
  if (gsis.length > MAX_GSIS) throw gsiLimit();
  checkProjectedTotal(out);
  const used = new Set<string>(keySchema.map((k) => k.AttributeName));
  for (const index of out) for (const k of index.keySchema) used.add(k.AttributeName);
  if (definitions.some((d) => !used.has(d.AttributeName))) {
    throw invalidParameter(
      `Some AttributeDefinitions are not used. AttributeDefinitions: [${definitions.map((d) => d.AttributeName).sort().join(', ')}], keys used: [${[...used].sort().join(', ')}]`,
    );
  }
  return out;
}

/** Applies UpdateTable's GlobalSecondaryIndexUpdates (and the AttributeDefinitions a new index needs) to a catalog entry. */
export function applyIndexUpdates(meta: TableMeta, input: Record<string, any>, now: number): void {
  const updates = input.GlobalSecondaryIndexUpdates as Record<string, any>[];
  if (updates.filter((u) => u.Create != null || u.Delete != null).length > 1) throw dynamoError('LimitExceededException', ONE_ONLINE_INDEX);
  for (const update of updates) {
    const actions = [update.Create, update.Update, update.Delete].filter((a) => a != null).length;
    if (actions !== 1) {
      throw invalidParameter('One of GlobalSecondaryIndexUpdate.Update, GlobalSecondaryIndexUpdate.Create, GlobalSecondaryIndexUpdate.Delete must not be null');
    }
    if (update.Create != null) createIndex(meta, update.Create as IndexInput, (input.AttributeDefinitions ?? []) as AttributeDefinition[]);
    else if (update.Update != null) updateIndexThroughput(meta, update.Update, now);
    else deleteIndex(meta, update.Delete.IndexName as string);
  }
}

function createIndex(meta: TableMeta, spec: IndexInput, newDefinitions: AttributeDefinition[]): void {
  const indexes = (meta.indexes ??= []);
  if (indexes.some((i) => i.name === spec.IndexName)) throw validationError('Attempting to create an index which already exists');
  const definitions = mergeDefinitions(meta.attributeDefinitions, newDefinitions);
  checkIndexKeySchema('GSI', spec, definitions);
  const projection = checkProjection(spec);
  checkIndexThroughput(spec, meta.billingMode);
  if (indexes.filter((i) => i.kind === 'GSI' && i.status !== 'DELETING').length >= MAX_GSIS) throw gsiLimit();
  const index = indexMeta('GSI', spec, projection, allocateIndexNo(meta), meta.billingMode, 'CREATING');
  index.backfilling = true;
  checkProjectedTotal([...indexes, index]);
  indexes.push(index);
  meta.attributeDefinitions = usedDefinitions(meta, definitions);
}

/** New definitions join the table's; redefining a key attribute's type is refused. */
function mergeDefinitions(current: AttributeDefinition[], added: AttributeDefinition[]): AttributeDefinition[] {
  const merged = [...current];
  for (const d of added) {
    const existing = merged.find((c) => c.AttributeName === d.AttributeName);
    if (existing === undefined) merged.push({ AttributeName: d.AttributeName, AttributeType: d.AttributeType });
    else if (existing.AttributeType !== d.AttributeType) {
      throw invalidParameter(`Cannot change the type of an existing key attribute: ${d.AttributeName}`);
    }
  }
  return merged;
}

function updateIndexThroughput(meta: TableMeta, update: { IndexName: string; ProvisionedThroughput?: Throughput; OnDemandThroughput?: IndexInput['OnDemandThroughput'] }, now: number): void {
  const index = findGlobalIndex(meta, update.IndexName);
  if (update.OnDemandThroughput != null) index.onDemand = update.OnDemandThroughput;
  const t = update.ProvisionedThroughput;
  if (t == null) return;
  if (meta.billingMode === 'PAY_PER_REQUEST') {
    throw invalidParameter(`ProvisionedThroughput should not be specified for index: ${index.name} when BillingMode is PAY_PER_REQUEST`);
  }
  const p = (index.provisioned ??= { read: 0, write: 0, decreasesToday: 0 });
  if (t.ReadCapacityUnits === p.read && t.WriteCapacityUnits === p.write) {
    throw validationError(
      `The provisioned throughput for the index ${index.name} will not change. The requested value equals the current value. ` +
        `Current ReadCapacityUnits provisioned for the index: ${p.read}. Requested ReadCapacityUnits: ${t.ReadCapacityUnits}. ` +
        `Current WriteCapacityUnits provisioned for the index: ${p.write}. Requested WriteCapacityUnits: ${t.WriteCapacityUnits}. ` +
        `Refer to the Amazon DynamoDB Developer Guide for current limits and how to request higher limits.`,
    );
  }
  changeProvisioned(p, t, now);
}

function deleteIndex(meta: TableMeta, name: string): void {
  const index = findGlobalIndex(meta, name);
  if (index.status === 'DELETING') {
    throw dynamoError('ResourceInUseException', `Attempt to change a resource which is still in use: Index is being deleted: ${name}`);
  }
  index.status = 'DELETING';
  delete index.backfilling;
}

function findGlobalIndex(meta: TableMeta, name: string): IndexMeta {
  const index = meta.indexes?.find((i) => i.name === name && i.kind === 'GSI');
  if (index === undefined) throw resourceNotFound(`Requested resource not found: Index: ${name} not found`);
  return index;
}

function checkIndexKeySchema(kind: IndexKind, spec: IndexInput, definitions: AttributeDefinition[]): void {
  if (kind === 'GSI' && spec.KeySchema.length > 2) checkMultiAttributeKeySchema(spec.KeySchema);
  else {
    const [first, second] = spec.KeySchema;
    if (first!.KeyType !== 'HASH') throw validationError('Invalid KeySchema: The first KeySchemaElement is not a HASH key type');
    if (second !== undefined && second.AttributeName === first!.AttributeName) {
      throw validationError('Both the Hash Key and the Range Key element in the KeySchema have the same name');
    }
    // A GSI may name two HASH attributes (a multi-attribute partition key); an LSI may not.
    if (second !== undefined && second.KeyType !== 'RANGE' && kind === 'LSI') {
      throw validationError('Invalid KeySchema: The second KeySchemaElement is not a RANGE key type');
    }
  }
  const defined = new Set(definitions.map((d) => d.AttributeName));
  const missing = spec.KeySchema.filter((k) => !defined.has(k.AttributeName));
  if (missing.length > 0) {
    throw invalidParameter(
      `Some index key attributes are not defined in AttributeDefinitions. Keys: [${missing.map((k) => k.AttributeName).join(', ')}], AttributeDefinitions: [${definitions.map((d) => d.AttributeName).join(', ')}]`,
    );
  }
}

/**
 * A GSI key schema of more than two elements: up to four HASH elements, then up to four
 * RANGE elements, each attribute named once. The HASH-before-RANGE and too-many-HASH
 * messages are DynamoDB's as observed on the live service; the RANGE one follows them by
 * analogy, and the repeated-name one is our own.
 */
function checkMultiAttributeKeySchema(keySchema: KeySchemaElement[]): void {
  if (keySchema[0]!.KeyType !== 'HASH') throw validationError('Invalid KeySchema: The first KeySchemaElement is not a HASH key type');
  const firstRange = keySchema.findIndex((k) => k.KeyType === 'RANGE');
  if (firstRange >= 0 && keySchema.slice(firstRange).some((k) => k.KeyType === 'HASH')) {
    throw validationError('Invalid KeySchema: All HASH key attributes must precede RANGE key attributes in the KeySchema');
  }
  const hashes = firstRange < 0 ? keySchema.length : firstRange;
  if (hashes > MAX_GSI_KEY_PARTS) throw validationError('Invalid KeySchema: The KeySchema exceeds the maximum allowed number of HASH key attributes');
  if (keySchema.length - hashes > MAX_GSI_KEY_PARTS) {
    throw validationError('Invalid KeySchema: The KeySchema exceeds the maximum allowed number of RANGE key attributes');
  }
  const seen = new Set<string>();
  for (const k of keySchema) {
    if (seen.has(k.AttributeName)) throw validationError(`Invalid KeySchema: The attribute ${k.AttributeName} appears more than once in the KeySchema`);
    seen.add(k.AttributeName);
  }
}

function checkLocalKeySchema(spec: IndexInput, tableHash: string): void {
  if (spec.KeySchema.length < 2) throw invalidParameter(`Index KeySchema does not have a range key for index: ${spec.IndexName}`);
  const hash = spec.KeySchema[0]!.AttributeName;
  if (hash !== tableHash) {
    throw invalidParameter(
      `Index KeySchema does not have the same leading hash key as table KeySchema for index: ${spec.IndexName}. index hash key: ${hash}, table hash key: ${tableHash}`,
    );
  }
}

function checkProjection(spec: IndexInput): IndexProjection {
  const { ProjectionType: type, NonKeyAttributes: nonKey } = spec.Projection;
  if (type == null) throw invalidParameter('Unknown ProjectionType: null');
  if (type === 'INCLUDE') {
    if (nonKey == null || nonKey.length === 0) throw invalidParameter('ProjectionType is INCLUDE, but NonKeyAttributes is not specified');
    if (new Set(nonKey).size !== nonKey.length) throw invalidParameter(`Some NonKeyAttributes are duplicated in index: ${spec.IndexName}`);
    return { ProjectionType: 'INCLUDE', NonKeyAttributes: [...nonKey] };
  }
  if (nonKey != null) throw invalidParameter(`ProjectionType is ${type}, but NonKeyAttributes is specified`);
  return { ProjectionType: type as 'ALL' | 'KEYS_ONLY' };
}

function checkIndexThroughput(spec: IndexInput, billingMode: BillingMode): void {
  const t = spec.ProvisionedThroughput;
  if (billingMode === 'PAY_PER_REQUEST') {
    if (t != null) {
      throw invalidParameter(`ProvisionedThroughput should not be specified for index: ${spec.IndexName} when BillingMode is PAY_PER_REQUEST`);
    }
    return;
  }
  if (t == null) throw invalidParameter(`ProvisionedThroughput must be specified for index: ${spec.IndexName}`);
  validateCapacityLimits(t);
}

function checkProjectedTotal(indexes: IndexMeta[]): void {
  let total = 0;
  for (const index of indexes) total += index.projection.NonKeyAttributes?.length ?? 0;
  if (total > MAX_PROJECTED_ATTRIBUTES) {
    throw invalidParameter(`Number of projected attributes in all indexes exceeds limit of ${MAX_PROJECTED_ATTRIBUTES}`);
  }
}

function gsiLimit() {
  return dynamoError('LimitExceededException', `Subscriber limit exceeded: Number of global secondary indexes exceeds per-table limit of ${MAX_GSIS}`);
}

function indexMeta(kind: IndexKind, spec: IndexInput, projection: IndexProjection, no: number, billingMode: BillingMode, status: IndexMeta['status']): IndexMeta {
  const index: IndexMeta = {
    name: spec.IndexName,
    no,
    kind,
    keySchema: spec.KeySchema.map((k) => ({ AttributeName: k.AttributeName, KeyType: k.KeyType })),
    projection,
    status,
  };
  if (kind === 'GSI' && billingMode === 'PROVISIONED' && spec.ProvisionedThroughput != null) {
    index.provisioned = { read: spec.ProvisionedThroughput.ReadCapacityUnits, write: spec.ProvisionedThroughput.WriteCapacityUnits, decreasesToday: 0 };
  }
  if (kind === 'GSI' && spec.OnDemandThroughput != null) index.onDemand = spec.OnDemandThroughput;
  return index;
}
