/**
 * The one door from PartiQL to the item API: a compiled statement runs as the very
 * operation a JSON client would call (same validation, capacity, conditions, indexes),
 * and its response comes back as an object.
 */
import type { ApiContext, Operation } from '../context.js';
import { deleteItem } from '../items/deleteItem.js';
import { getItem } from '../items/getItem.js';
import { putItem } from '../items/putItem.js';
import { updateItem } from '../items/updateItem.js';
import { QUERY_OPTIONS, query, type QueryOptions } from '../queries/query.js';
import { scan } from '../queries/scan.js';
import { renderResult } from '../render.js';
import { validateInput } from '../shapeValidation.js';
import { transactGetItems } from '../transactions/transactGetItems.js';
import { transactWriteItems } from '../transactions/transactWriteItems.js';

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
  // Rendered and parsed back: results carry stored items as their stored bytes, and the
  // wire form is the one shape every statement's answer is built from.
  const body = renderResult(await itemApi[operation](ctx, input));
  return JSON.parse(typeof body === 'string' ? body : body.toString('utf8')) as Record<string, any>;
}
