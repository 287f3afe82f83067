/** Query: one partition, read as a single forward or reverse range. */
import { isPromise, type MaybePromise } from '../../engine/maybePromise.js';
import type { Page } from '../../engine/reads.js';
import { DynamoError, validationError } from '../../errors.js';
import { compileRequest, type CompiledRequest, type ConditionNode, type KeyCondition } from '../../expressions/index.js';
import type { KeyView } from '../../engine/keyView.js';
import { queryBounds, sortKeyPrefix } from '../../engine/reads.js';
import { valuesEqual } from '../../values/compare.js';
import { encodeKeyValue, type KeyValue } from '../../values/keycodec.js';
import { partitionKeyParts, sortKeyParts } from '../../values/keys.js';
import type { AttributeValue, Item } from '../../values/types.js';
import type { ApiContext, Operation } from '../context.js';
import type { Table } from '../../engine/table.js';
import type { PageResult } from '../results.js';
import { admitRead, checkExclusiveStartKey, checkSelect, indexPage, pageResult, resolveView, type Select } from './readCommon.js';

/** Options only other front ends set: under a symbol key, so no client can send them. */
export const QUERY_OPTIONS = Symbol('query options');

export interface QueryOptions {
  /** A PartiQL WHERE clause may test key attributes beyond the key condition. */
  keyAttributesInFilter?: boolean;
  /** Bytes this page may read, below 1 MB: a PartiQL page made of several Queries. */
  maxBytes?: number;
}

export const query: Operation<PageResult> = (ctx, input) => {
  const select = checkSelect(input);
  if (input.KeyConditionExpression == null && input.KeyConditions == null) {
    throw validationError('Either the KeyConditions or KeyConditionExpression parameter must be specified in the request.');
  }
  const table = ctx.db.table(input.TableName, ctx.namespace);
  const view = resolveView(table, input.IndexName);
  const compiled = compileRequest('Query', input, view.schema);
  const keyCondition = compiled.keyCondition!;
  const options = (input as Record<symbol, QueryOptions | undefined>)[QUERY_OPTIONS];
  if (options?.keyAttributesInFilter !== true) checkFilterAvoidsKey(input, compiled.filter?.node, view.schema);
  const forward = input.ScanIndexForward !== false;
  const exclusiveStart = queryStartKey(input, view, keyCondition, forward);
  const pk = keyCondition.hash.value;
  admitRead(ctx, 'Query', table, view, pk);
  const bounds = queryBounds(view, keyCondition.partition ?? [pk], keyCondition.sortPrefix ?? [], keyCondition.range);
  const page = ctx.db.readPage(view, bounds, forward, { limit: input.Limit, exclusiveStart, maxBytes: options?.maxBytes }, input.ConsistentRead === true);
  // Over an embedded store the page is already here: no closures on that path.
  return isPromise(page)
    ? page.then((read) => finish(ctx, table, view, pk, input, compiled, select, read))
    : finish(ctx, table, view, pk, input, compiled, select, page);
};

function finish(ctx: ApiContext, table: Table, view: KeyView, pk: AttributeValue, input: Record<string, any>, compiled: CompiledRequest, select: Select, read: Page): MaybePromise<PageResult> {
  const indexed = indexPage(ctx.db, table, view, input, compiled, read);
  return isPromise(indexed)
    ? indexed.then((full) => pageResult(ctx, 'Query', table, view, pk, input, compiled, select, full))
    : pageResult(ctx, 'Query', table, view, pk, input, compiled, select, indexed);
}

/** A Query filter may not test the key attributes: those belong in the key condition. */
function checkFilterAvoidsKey(input: Record<string, any>, filter: ConditionNode | undefined, schema: KeyView['schema']): void {
  if (filter === undefined) return;
  const keys = [...partitionKeyParts(schema), ...sortKeyParts(schema)].map((p) => p.name);
  const legacy = input.QueryFilter != null;
  const used = legacy ? new Set(Object.keys(input.QueryFilter)) : topLevelNames(filter, new Set());
  const key = keys.find((name) => used.has(name));
  if (key === undefined) return;
  throw validationError(
    legacy
      ? `QueryFilter can only contain non-key attributes: Primary key attribute: ${key}`
      : `Filter Expression can only contain non-primary key attributes: Primary key attribute: ${key}`,
  );
}

/** The top-level attribute names a condition reads. */
function topLevelNames(node: ConditionNode, out: Set<string>): Set<string> {
  const path = (p: readonly (string | number)[]) => out.add(p[0] as string);
  const operand = (o: { kind: string; path?: readonly (string | number)[] }) => o.path !== undefined && path(o.path);
  switch (node.kind) {
    case 'and':
    case 'or':
      topLevelNames(node.left, out);
      return topLevelNames(node.right, out);
    case 'not':
      return topLevelNames(node.operand, out);
    case 'compare':
    case 'beginsWith':
    case 'contains':
      operand(node.left);
      operand(node.right);
      return out;
    case 'between':
      [node.subject, node.low, node.high].forEach(operand);
      return out;
    case 'in':
      [node.subject, ...node.list].forEach(operand);
      return out;
    case 'exists':
    case 'notExists':
      path(node.path);
      return out;
    case 'attributeType':
      path(node.path);
      operand(node.type);
      return out;
  }
}

/** The ExclusiveStartKey, checked to be a position inside what the key condition selects. */
function queryStartKey(input: Record<string, any>, view: KeyView, keyCondition: KeyCondition, forward: boolean): Item | undefined {
  let start: Item | undefined;
  try {
    start = checkExclusiveStartKey(input, view);
  } catch (err) {
    // Query answers a malformed start key without Scan's detail.
    if (err instanceof DynamoError && err.code === 'ValidationException') throw validationError('The provided starting key is invalid');
    throw err;
  }
  if (start === undefined) return undefined;
  const partition = partitionKeyParts(view.schema);
  const values = keyCondition.partition ?? [keyCondition.hash.value];
  if (partition.some((part, i) => !valuesEqual(start[part.name]!, values[i]!))) {
    throw validationError('The provided starting key is outside query boundaries based on provided conditions');
  }
  const range = keyCondition.range;
  if (range === undefined) return start;
  const sort = sortKeyParts(view.schema);
  const sortPrefix = keyCondition.sortPrefix ?? [];
  // On a multi-attribute sort key, entries equal to an inclusive bound on an attribute
  // before the last one still differ in later attributes: that bound stays inclusive backward.
  const inclusive = forward || sortPrefix.length < sort.length - 1;
  const inside =
    sortPrefix.every((value, i) => valuesEqual(start[sort[i]!.name]!, value)) &&
    startsInsideRange(start[sort[sortPrefix.length]!.name]!, range, inclusive);
  if (!inside) throw validationError('The provided starting key does not match the range key predicate');
  return start;
}

/**
 * The start key's sort key must satisfy the sort-key condition. Unless `inclusive` (going
 * backward), a start key on an inclusive lower bound (>=, BETWEEN) is refused too, as
 * DynamoDB does even when that key came back as LastEvaluatedKey: nothing of the range
 * lies below it.
 */
function startsInsideRange(sortKey: AttributeValue, range: NonNullable<KeyCondition['range']>, inclusive: boolean): boolean {
  const key = encodeKeyValue(sortKey as KeyValue);
  const [first, second] = range.values as [AttributeValue, AttributeValue];
  const order = (bound: AttributeValue) => Buffer.compare(key, encodeKeyValue(bound as KeyValue));
  switch (range.op) {
    case 'EQ':
      return order(first) === 0;
    case 'LT':
      return order(first) < 0;
    case 'LE':
      return order(first) <= 0;
    case 'GT':
      return order(first) > 0;
    case 'GE':
      return order(first) >= (inclusive ? 0 : 1);
    case 'BETWEEN':
      return order(first) >= (inclusive ? 0 : 1) && order(second) <= 0;
    case 'BEGINS_WITH': {
      const prefix = sortKeyPrefix(first);
      return key.subarray(0, prefix.length).equals(prefix);
    }
  }
}
