/** The operation table (name -> module), with model-driven input validation in front; typed results or wire JSON out. */
import { DynamoError, serviceError } from '../errors.js';
import { CatalogStale } from '../engine/catalogCache.js';
import { ForeignTableDenied } from '../engine/tableArn.js';
import type { Namespace } from '../engine/namespace.js';
import { validateInput } from './shapeValidation.js';
import type { ApiContext, Operation } from './context.js';
import { renderResult, type RenderedItems } from './render.js';
import type { PageResult } from './results.js';
import { createTable } from './tables/createTable.js';
import { describeTable } from './tables/describeTable.js';
import { listTables } from './tables/listTables.js';
import { deleteTable } from './tables/deleteTable.js';
import { updateTable } from './tables/updateTable.js';
import { tagResource } from './tables/tagResource.js';
import { untagResource } from './tables/untagResource.js';
import { listTagsOfResource } from './tables/listTagsOfResource.js';
import { describeEndpoints } from './tables/describeEndpoints.js';
import { describeLimits } from './tables/describeLimits.js';
import { putItem } from './items/putItem.js';
import { getItem } from './items/getItem.js';
import { deleteItem } from './items/deleteItem.js';
import { updateItem } from './items/updateItem.js';
import { query } from './queries/query.js';
import { scan } from './queries/scan.js';
import { batchGetItem } from './batch/batchGetItem.js';
import { batchWriteItem } from './batch/batchWriteItem.js';
import { transactGetItems } from './transactions/transactGetItems.js';
import { transactWriteItems } from './transactions/transactWriteItems.js';
import { streamsOperations } from './streams/operations.js';
import { describeTimeToLive, updateTimeToLive } from './ttl/timeToLive.js';
import { executeStatement } from './partiql/executeStatement.js';
import { batchExecuteStatement } from './partiql/batchExecuteStatement.js';
import { executeTransaction } from './partiql/executeTransaction.js';
import { putResourcePolicy } from './policies/putResourcePolicy.js';
import { getResourcePolicy } from './policies/getResourcePolicy.js';
import { deleteResourcePolicy } from './policies/deleteResourcePolicy.js';
import { checkAccess } from './authorization/authorize.js';
import type { Caller } from './authorization/caller.js';
import { backupOperations } from './backups/operations.js';

const operations: Record<string, Operation> = {
  CreateTable: createTable,
  DescribeTable: describeTable,
  ListTables: listTables,
  DeleteTable: deleteTable,
  UpdateTable: updateTable,
  TagResource: tagResource,
  UntagResource: untagResource,
  ListTagsOfResource: listTagsOfResource,
  DescribeEndpoints: describeEndpoints,
  DescribeLimits: describeLimits,
  PutItem: putItem,
  GetItem: getItem,
  DeleteItem: deleteItem,
  UpdateItem: updateItem,
  Query: query,
  Scan: scan,
  BatchGetItem: batchGetItem,
  BatchWriteItem: batchWriteItem,
  TransactGetItems: transactGetItems,
  TransactWriteItems: transactWriteItems,
  UpdateTimeToLive: updateTimeToLive,
  DescribeTimeToLive: describeTimeToLive,
  ...streamsOperations,
  ExecuteStatement: executeStatement,
  BatchExecuteStatement: batchExecuteStatement,
  ExecuteTransaction: executeTransaction,
  PutResourcePolicy: putResourcePolicy,
  GetResourcePolicy: getResourcePolicy,
  DeleteResourcePolicy: deleteResourcePolicy,
  ...backupOperations,
};

/**
 * Validates and runs an operation, returning its typed result (results.ts): for callers
 * inside the process that want values, not wire text. Stored items in it are references
 * to their stored bytes; `itemOf` decodes one.
 */
export function callOperation(ctx: ApiContext, name: string, input: Record<string, unknown>, text?: Buffer, caller?: Caller, namespace?: Namespace): Promise<object> | object {
  const answer = start(ctx, name, input, text, caller, namespace);
  return answer instanceof Promise ? answer.then(undefined, (error) => Promise.reject(named(error, name))) : answer;
}

/** Runs an operation for the wire: its result rendered as JSON text, or as UTF-8 bytes. */
export function runOperation(ctx: ApiContext, name: string, input: Record<string, unknown>, text?: Buffer, caller?: Caller, namespace?: Namespace): Promise<string | Buffer> | string | Buffer {
  const answer = start(ctx, name, input, text, caller, namespace);
  const render = name === 'Query' || name === 'Scan' ? (page: object) => renderCountedPage(ctx, name, input, page as PageResult) : renderResult;
  // One promise step renders the result and names a denial, as few as the hot path can have.
  return answer instanceof Promise ? answer.then(render, (error) => Promise.reject(named(error, name))) : render(answer);
}

/** Validation and the operation; a denial it rejects with is named by the caller (`named`). */
function start(ctx: ApiContext, name: string, input: Record<string, unknown>, text: Buffer | undefined, caller: Caller | undefined, namespace: Namespace | undefined): Promise<object> | object {
  const operation = operations[name];
  // Operations of DynamoDB's API that this server does not serve yet are refused as unknown.
  if (operation === undefined) throw serviceError('UnknownOperationException', `Operation ${name} is not supported by this server yet`);
  validateInput(name, input);
  // The request's namespace and caller join the context (no copy for the shared namespace without --auth).
  const scoped = caller === undefined && namespace === undefined ? ctx : scopedContext(ctx, caller, namespace ?? ctx.namespace);
  if (name === 'GetItem' && ctx.db.catalogCheckedInReads) return getItemCheckingCatalog(operation, scoped, input, text);
  // Over a store other nodes share, the catalog is brought up to date first.
  const catalogRead = ctx.db.refreshCatalog();
  if (catalogRead instanceof Promise) return catalogRead.then(() => run(operation, scoped, name, input, text));
  try {
    return run(operation, scoped, name, input, text);
  } catch (error) {
    throw named(error, name);
  }
}

/**
 * The context of a request with its caller and namespace. Both are reused across requests
 * (authenticate and the namespace selector cache them), so the scoped copy is made once
 * per pair rather than per request.
 */
const scopedContexts = new WeakMap<ApiContext, WeakMap<object, ApiContext>>();

function scopedContext(ctx: ApiContext, caller: Caller | undefined, namespace: Namespace): ApiContext {
  let mine = scopedContexts.get(ctx);
  if (mine === undefined) scopedContexts.set(ctx, (mine = new WeakMap()));
  // Under --auth the caller decides the namespace; without it the namespace is the key.
  const key = caller ?? namespace;
  let scoped = mine.get(key);
  if (scoped === undefined || scoped.namespace !== namespace) {
    scoped = { ...ctx, caller, namespace };
    mine.set(key, scoped);
  }
  return scoped;
}

/** Refusals a stale cached catalog can cause: no such table, a key of another schema. */
const STALE_CATALOG_REFUSALS = /#(ResourceNotFoundException|ValidationException)$/;

/**
 * GetItem over a store other nodes share: its read checks the catalog version in the
 * item's own statement (one round trip, not two). Without --auth the catalog refresh
 * before it is skipped; a refusal the cached catalog may have caused (a table this node
 * has not cached yet, a key of a schema since replaced) or a catalog another node changed
 * refreshes the catalog and runs the request again. Under --auth the refresh stays first,
 * as authorization reads the tables' policies.
 */
async function getItemCheckingCatalog(operation: Operation, ctx: ApiContext, input: Record<string, unknown>, text: Buffer | undefined): Promise<object> {
  const optimistic = ctx.caller === undefined;
  if (!optimistic) await ctx.db.refreshCatalog();
  try {
    return await run(operation, ctx, 'GetItem', input, text);
  } catch (error) {
    // Without the refresh, a missing table or a key refused by the cached schema may come
    // from a stale cache: only such a refusal made with the current catalog is answered.
    // (Throttling is not rerun: that would count the refused request twice. The caller
    // names a denial: runOperation, callOperation.)
    const mayBeStale = error instanceof CatalogStale || (optimistic && error instanceof DynamoError && STALE_CATALOG_REFUSALS.test(error.type));
    if (!mayBeStale) throw error;
    await ctx.db.refreshCatalog();
    return run(operation, ctx, 'GetItem', input, text);
  }
}

function run(operation: Operation, ctx: ApiContext, name: string, input: Record<string, unknown>, text: Buffer | undefined): Promise<object> | object {
  if (ctx.caller !== undefined) checkAccess(ctx, ctx.caller, name, input);
  return operation(ctx, input, text);
}

/** A denial for another account's table names the action it refused. */
function named(error: unknown, action: string): unknown {
  return error instanceof ForeignTableDenied ? error.forAction(action) : error;
}

/** A Query or Scan page, rendered and counted in ReturnedItemCount / ReturnedBytes as it leaves. */
function renderCountedPage(ctx: ApiContext, name: string, input: Record<string, unknown>, page: PageResult): string | Buffer {
  const rendered: RenderedItems = { itemBytes: 0 };
  const body = renderResult(page, rendered);
  ctx.metrics.returned(input.TableName as string, name, page.Count, rendered.itemBytes);
  return body;
}
