/**
 * The one door from PartiQL to the item API: a compiled statement runs as the very
 * operation a JSON client would call (same validation, capacity, conditions, indexes),
 * and its response comes back as an object.
 */
import type { ApiContext, Operation } from '../context.js';
import { deleteItem, getItem, putItem, updateItem } from '../itemOps.js';
import { QUERY_OPTIONS, query, type QueryOptions } from '../query.js';
import { scan } from '../scan.js';
import { validateInput } from '../shapeValidation.js';
import { transactGetItems } from '../transactGetItems.js';
import { transactWriteItems } from '../transactWriteItems.js';

const itemApi = {
  GetItem: getItem,
  PutItem: putItem,
  UpdateItem: updateItem,
  DeleteItem: deleteItem,
  Query: query,
  Scan: scan,
  TransactGetItems: transactGetItems,
  TransactWriteItems: transactWriteItems,
} satisfies Record<string, Operation>;

export type ItemOperation = keyof typeof itemApi;

export async function callItemApi(
  ctx: ApiContext,
  operation: ItemOperation,
  input: Record<string, any>,
  queryOptions?: QueryOptions,
): Promise<Record<string, any>> {
  validateInput(operation, input);
  if (queryOptions !== undefined) (input as Record<symbol, unknown>)[QUERY_OPTIONS] = queryOptions;
  const body = await itemApi[operation](ctx, input);
  return JSON.parse(typeof body === 'string' ? body : body.toString('utf8')) as Record<string, any>;
}
