/**
 * What each operation asks IAM, as DynamoDB asks it: the actions, on which resources,
 * with which DynamoDB condition keys. One table for every operation family, including
 * those served by other modules (PartiQL, Streams, backups, resource policies).
 */
import type { KeySchemaElement, TableMeta } from '../../engine/tableMeta.js';
import { partiqlLeadingKeys } from './partiqlKeys.js';

type ConditionKeys = Map<string, string | string[]>;

/** One action on one resource, with the condition values that belong to it. */
export interface AccessCheck {
  action: string;
  resource: string;
  /**
   * DynamoDB condition keys (lower-case names) for this check. Worked out when a policy
   * condition first asks for one: most statements name none, and reading them from the
   * request (leading keys, projected attributes) would cost more than the check.
   */
  keys: () => ConditionKeys;
}

/** A check's condition keys, worked out at most once. */
function once(work: () => ConditionKeys): () => ConditionKeys {
  let keys: ConditionKeys | undefined;
  return () => (keys ??= work());
}

const noKeys = (): ConditionKeys => new Map();

/** The same check, asked on behalf of an enclosing operation (a transaction or a batch). */
function enclosedIn(check: AccessCheck, operation: string): AccessCheck {
  return { ...check, keys: once(() => new Map(check.keys()).set('dynamodb:enclosingoperation', operation)) };
}

/** Where resources live: the caller's namespace. */
export interface ResourceScope {
  region: string;
  account: string;
  /** The catalog entry of the table a name or ARN names (key schema for dynamodb:LeadingKeys), if it exists. */
  tableMeta(reference: string): TableMeta | undefined;
}

type Input = Record<string, any>;
type CheckBuilder = (input: Input, scope: ResourceScope) => AccessCheck[];

const TRANSACT_WRITE_ACTIONS: Record<string, string> = { Put: 'PutItem', Update: 'UpdateItem', Delete: 'DeleteItem', ConditionCheck: 'ConditionCheckItem' };

/** Operations whose action is their name, on the table named by TableName. */
const TABLE_OPERATIONS = ['CreateTable', 'DescribeTable', 'DeleteTable', 'UpdateTable', 'DescribeTimeToLive', 'UpdateTimeToLive',
  'DescribeContinuousBackups', 'UpdateContinuousBackups', 'CreateBackup', 'DescribeContributorInsights', 'UpdateContributorInsights',
  'DescribeKinesisStreamingDestination', 'EnableKinesisStreamingDestination', 'DisableKinesisStreamingDestination',
  'UpdateKinesisStreamingDestination', 'DescribeTableReplicaAutoScaling', 'UpdateTableReplicaAutoScaling', 'ExportTableToPointInTime'];

/** Operations on the resource their request names by ARN. */
const ARN_OPERATIONS: Record<string, string> = {
  TagResource: 'ResourceArn', UntagResource: 'ResourceArn', ListTagsOfResource: 'ResourceArn',
  PutResourcePolicy: 'ResourceArn', GetResourcePolicy: 'ResourceArn', DeleteResourcePolicy: 'ResourceArn',
  DescribeBackup: 'BackupArn', DeleteBackup: 'BackupArn', DescribeExport: 'ExportArn',
  DescribeStream: 'StreamArn', GetShardIterator: 'StreamArn',
};

const BUILDERS: Record<string, CheckBuilder> = {
  GetItem: (input, scope) => [itemCheck('GetItem', input.TableName, input.Key, scope, () => readKeys(input))],
  PutItem: (input, scope) => [itemCheck('PutItem', input.TableName, input.Item, scope, () => writeKeys(input, Object.keys(input.Item ?? {})))],
  DeleteItem: (input, scope) => [itemCheck('DeleteItem', input.TableName, input.Key, scope, () => writeKeys(input, undefined))],
  UpdateItem: (input, scope) => [itemCheck('UpdateItem', input.TableName, input.Key, scope, () => writeKeys(input, updatedAttributes(input)))],
  Query: (input, scope) => [queryCheck(input, scope)],
  Scan: (input, scope) => [{ action: 'dynamodb:Scan', resource: tableOrIndexArn(input, scope), keys: once(() => readKeys(input)) }],
  BatchGetItem: (input, scope) => Object.entries(input.RequestItems ?? {}).map(([table, request]: [string, any]) => ({
    action: 'dynamodb:BatchGetItem',
    resource: tableArn(table, scope),
    keys: once(() => {
      const keys = readKeys(request);
      setLeadingKeys(keys, table, request.Keys ?? [], scope);
      return keys;
    }),
  })),
  BatchWriteItem: (input, scope) => batchWriteChecks(input, scope),
  TransactGetItems: (input, scope) => (input.TransactItems ?? []).map((entry: any) => {
    const get = entry.Get ?? {};
    return enclosedIn(itemCheck('GetItem', get.TableName, get.Key, scope, () => readKeys(get)), 'TransactGetItems');
  }),
  TransactWriteItems: (input, scope) => (input.TransactItems ?? []).map((entry: any) => {
    const kind = Object.keys(entry).find((k) => k in TRANSACT_WRITE_ACTIONS) ?? 'ConditionCheck';
    const action = entry[kind] ?? {};
    const attributes = () => (kind === 'Put' ? Object.keys(action.Item ?? {}) : kind === 'Update' ? updatedAttributes(action) : undefined);
    const check = itemCheck(TRANSACT_WRITE_ACTIONS[kind]!, action.TableName, action.Item ?? action.Key, scope, () => writeKeys(action, attributes()));
    return enclosedIn(check, 'TransactWriteItems');
  }),
  ExecuteStatement: (input, scope) => [partiqlCheck(input.Statement, input.Parameters, scope)],
  BatchExecuteStatement: (input, scope) => (input.Statements ?? []).map((s: any) => partiqlCheck(s.Statement, s.Parameters, scope)),
  ExecuteTransaction: (input, scope) => (input.TransactStatements ?? []).map((s: any) => partiqlCheck(s.Statement, s.Parameters, scope)),
  GetRecords: (input) => [{ action: 'dynamodb:GetRecords', resource: streamArnOfIterator(input.ShardIterator), keys: noKeys }],
  RestoreTableFromBackup: (input, scope) => [
    { action: 'dynamodb:RestoreTableFromBackup', resource: String(input.BackupArn ?? '*'), keys: noKeys },
    { action: 'dynamodb:RestoreTableFromBackup', resource: tableArn(input.TargetTableName, scope), keys: noKeys },
  ],
  RestoreTableToPointInTime: (input, scope) => [
    { action: 'dynamodb:RestoreTableToPointInTime', resource: input.SourceTableArn ?? tableArn(input.SourceTableName, scope), keys: noKeys },
    { action: 'dynamodb:RestoreTableToPointInTime', resource: tableArn(input.TargetTableName, scope), keys: noKeys },
  ],
};

/**
 * BatchWriteItem: `dynamodb:BatchWriteItem` on each table, as AWS checks it; then, as this
 * server also asks, `dynamodb:PutItem` on each table the batch puts to and
 * `dynamodb:DeleteItem` on each it deletes from (with `dynamodb:EnclosingOperation` =
 * BatchWriteItem), so a policy that refuses a table's PutItem or DeleteItem cannot be
 * bypassed through a batch.
 */
function batchWriteChecks(input: Input, scope: ResourceScope): AccessCheck[] {
  const batchChecks: AccessCheck[] = [];
  const itemChecks: AccessCheck[] = [];
  for (const [table, requests] of Object.entries(input.RequestItems ?? {}) as [string, any[]][]) {
    const resource = tableArn(table, scope);
    const puts = requests.filter((r) => r?.PutRequest != null).map((r) => r.PutRequest.Item ?? {});
    const deletes = requests.filter((r) => r?.DeleteRequest != null).map((r) => r.DeleteRequest.Key ?? {});
    batchChecks.push({ action: 'dynamodb:BatchWriteItem', resource, keys: once(() => batchKeys(table, [...puts, ...deletes], scope)) });
    for (const [action, targets] of [['dynamodb:PutItem', puts], ['dynamodb:DeleteItem', deletes]] as const) {
      if (targets.length === 0) continue;
      itemChecks.push(enclosedIn({ action, resource, keys: () => batchKeys(table, targets, scope) }, 'BatchWriteItem'));
    }
  }
  return [...batchChecks, ...itemChecks];
}

/** dynamodb:LeadingKeys and dynamodb:Attributes of a batch's items or keys. */
function batchKeys(table: string, targets: Input[], scope: ResourceScope): ConditionKeys {
  const keys: ConditionKeys = new Map();
  setLeadingKeys(keys, table, targets, scope);
  const attributes = new Set<string>();
  for (const target of targets) for (const name of Object.keys(target)) attributes.add(name);
  keys.set('dynamodb:attributes', [...attributes]);
  return keys;
}

/** The checks an operation needs. Operations not in the table: their own name, on TableName's table or else `*`. */
export function accessChecks(operation: string, input: Input, scope: ResourceScope): AccessCheck[] {
  const builder = BUILDERS[operation];
  if (builder !== undefined) return builder(input, scope);
  const arnMember = ARN_OPERATIONS[operation];
  const resource = arnMember !== undefined ? String(input[arnMember] ?? '*')
    : TABLE_OPERATIONS.includes(operation) || typeof input.TableName === 'string' ? tableArn(input.TableName, scope)
    : '*';
  return [{ action: `dynamodb:${operation}`, resource, keys: noKeys }];
}

export function tableArn(name: unknown, scope: ResourceScope): string {
  const text = String(name ?? '');
  // DynamoDB takes a table's ARN wherever it takes a table name. A table that exists has
  // its own ARN (its creator's account); a new name is in the caller's namespace.
  if (text.startsWith('arn:')) return text;
  return scope.tableMeta(text)?.arn ?? `arn:aws:dynamodb:${scope.region}:${scope.account}:table/${text}`;
}

function tableOrIndexArn(input: Input, scope: ResourceScope): string {
  const table = tableArn(input.TableName, scope);
  return typeof input.IndexName === 'string' ? `${table}/index/${input.IndexName}` : table;
}

function itemCheck(action: string, table: unknown, keyOrItem: Input | undefined, scope: ResourceScope, requestKeys: () => ConditionKeys): AccessCheck {
  return {
    action: `dynamodb:${action}`,
    resource: tableArn(table, scope),
    keys: once(() => {
      const keys = requestKeys();
      setLeadingKeys(keys, String(table ?? ''), keyOrItem ? [keyOrItem] : [], scope);
      return keys;
    }),
  };
}

function queryCheck(input: Input, scope: ResourceScope): AccessCheck {
  return {
    action: 'dynamodb:Query',
    resource: tableOrIndexArn(input, scope),
    keys: once(() => {
      const keys = readKeys(input);
      const hashName = partitionKeyOf(String(input.TableName ?? ''), input.IndexName, scope);
      if (hashName !== undefined) {
        const value = queriedPartition(input, hashName);
        if (value !== undefined) keys.set('dynamodb:leadingkeys', [value]);
      }
      return keys;
    }),
  };
}

/** The partition key value a Query names: `#pk = :v` / `pk = :v` in KeyConditionExpression, or KeyConditions. */
function queriedPartition(input: Input, hashName: string): string | undefined {
  if (typeof input.KeyConditionExpression === 'string') {
    const names: Record<string, string> = input.ExpressionAttributeNames ?? {};
    for (const clause of input.KeyConditionExpression.split(/\band\b/i)) {
      const match = /^\s*\(?\s*(#?\w+|:\w+)\s*=\s*(#?\w+|:\w+)\s*\)?\s*$/.exec(clause);
      if (!match) continue;
      const [path, placeholder] = match[1]!.startsWith(':') ? [match[2]!, match[1]!] : [match[1]!, match[2]!];
      if (path.startsWith(':') || !placeholder.startsWith(':')) continue;
      const name = path.startsWith('#') ? names[path] : path;
      if (name === hashName) return keyText(input.ExpressionAttributeValues?.[placeholder]);
    }
    return undefined;
  }
  return keyText(input.KeyConditions?.[hashName]?.AttributeValueList?.[0]);
}

function setLeadingKeys(keys: ConditionKeys, table: string, keyOrItems: Input[], scope: ResourceScope): void {
  const hashName = hashKeyOf(scope.tableMeta(table)?.keySchema);
  if (hashName === undefined) return;
  const values = keyOrItems.map((k) => keyText(k?.[hashName])).filter((v): v is string => v !== undefined);
  if (values.length > 0) keys.set('dynamodb:leadingkeys', values);
}

/** The partition key attribute of a table, or of one of its indexes. */
function partitionKeyOf(table: string, index: unknown, scope: ResourceScope): string | undefined {
  const meta = scope.tableMeta(table);
  return hashKeyOf(index === undefined ? meta?.keySchema : meta?.indexes?.find((i) => i.name === index)?.keySchema);
}

function hashKeyOf(schema: KeySchemaElement[] | undefined): string | undefined {
  return schema?.find((k) => k.KeyType === 'HASH')?.AttributeName;
}

/** A key attribute value as IAM sees it: the string of an S, N or B. */
function keyText(value: unknown): string | undefined {
  if (value === null || typeof value !== 'object') return undefined;
  const v = value as Record<string, unknown>;
  const text = v.S ?? v.N ?? v.B;
  return typeof text === 'string' ? text : undefined;
}

/** dynamodb:Attributes, dynamodb:Select, dynamodb:ReturnConsumedCapacity of a read. */
function readKeys(input: Input): ConditionKeys {
  const keys: ConditionKeys = new Map();
  const projected = projectedAttributes(input);
  if (projected !== undefined) keys.set('dynamodb:attributes', projected);
  const select = input.Select ?? (projected !== undefined ? 'SPECIFIC_ATTRIBUTES' : 'ALL_ATTRIBUTES');
  keys.set('dynamodb:select', select);
  if (typeof input.ReturnConsumedCapacity === 'string') keys.set('dynamodb:returnconsumedcapacity', input.ReturnConsumedCapacity);
  return keys;
}

/** dynamodb:Attributes, dynamodb:ReturnValues, dynamodb:ReturnConsumedCapacity of a write. */
function writeKeys(input: Input, attributes: string[] | undefined): ConditionKeys {
  const keys: ConditionKeys = new Map();
  if (attributes !== undefined) keys.set('dynamodb:attributes', attributes);
  if (typeof input.ReturnValues === 'string') keys.set('dynamodb:returnvalues', input.ReturnValues);
  if (typeof input.ReturnConsumedCapacity === 'string') keys.set('dynamodb:returnconsumedcapacity', input.ReturnConsumedCapacity);
  return keys;
}

function projectedAttributes(input: Input): string[] | undefined {
  if (Array.isArray(input.AttributesToGet)) return input.AttributesToGet;
  if (typeof input.ProjectionExpression !== 'string') return undefined;
  const names: Record<string, string> = input.ExpressionAttributeNames ?? {};
  return input.ProjectionExpression.split(',').map((path: string) => {
    const top = path.trim().split(/[.[]/)[0]!.trim();
    return top.startsWith('#') ? (names[top] ?? top) : top;
  });
}

const UPDATE_WORDS = new Set(['set', 'remove', 'add', 'delete', 'if_not_exists', 'list_append']);

/** The key attributes and the top-level attributes an update names (UpdateExpression or AttributeUpdates). */
function updatedAttributes(input: Input): string[] {
  const attributes = new Set(Object.keys(input.Key ?? {}));
  for (const name of Object.keys(input.AttributeUpdates ?? {})) attributes.add(name);
  if (typeof input.UpdateExpression === 'string') {
    const names: Record<string, string> = input.ExpressionAttributeNames ?? {};
    // Top-level path names: identifiers not after '.', ':' or '#' that are not clause words or functions.
    for (const match of input.UpdateExpression.matchAll(/(^|[^.:#\w])(#?[A-Za-z_][\w]*)/g)) {
      const token = match[2]!;
      if (token.startsWith('#')) attributes.add(names[token] ?? token);
      else if (!UPDATE_WORDS.has(token.toLowerCase())) attributes.add(token);
    }
  }
  return [...attributes];
}

/** PartiQL: PartiQLSelect / PartiQLInsert / PartiQLUpdate / PartiQLDelete on the statement's table. */
function partiqlCheck(statement: unknown, parameters: Input[] | undefined, scope: ResourceScope): AccessCheck {
  const text = String(statement ?? '').trim();
  const verb = /^(\w+)/.exec(text)?.[1]?.toUpperCase() ?? '';
  const action = verb === 'INSERT' ? 'PartiQLInsert' : verb === 'UPDATE' ? 'PartiQLUpdate' : verb === 'DELETE' ? 'PartiQLDelete' : 'PartiQLSelect';
  const name = '("(?:[^"]|"")+"|[\\w-]+)';
  const target = new RegExp(`(?:\\bFROM|\\bINTO|^UPDATE)\\s+${name}(?:\\.${name})?`, 'i').exec(text);
  const unquote = (part: string | undefined) => (part?.startsWith('"') ? part.slice(1, -1).replace(/""/g, '"') : part);
  const tableName = unquote(target?.[1]) ?? '';
  const index = unquote(target?.[2]);
  const resource = tableArn(tableName, scope);
  const keys = once(() => {
    const found: ConditionKeys = new Map();
    const hashName = partitionKeyOf(tableName, index, scope);
    const leading = hashName === undefined ? undefined : partiqlLeadingKeys(text, hashName, parameters);
    if (leading !== undefined) found.set('dynamodb:leadingkeys', leading);
    return found;
  });
  return { action: `dynamodb:${action}`, resource: index !== undefined && action === 'PartiQLSelect' ? `${resource}/index/${index}` : resource, keys };
}

/** A shard iterator names its stream's ARN; this server's iterators start with it. */
function streamArnOfIterator(iterator: unknown): string {
  const text = String(iterator ?? '');
  const match = /^(arn:aws[\w-]*:dynamodb:[^:]*:\d*:table\/[^/]+\/stream\/[^|/]+)/.exec(text);
  return match ? match[1]! : '*';
}
