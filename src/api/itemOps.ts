/** PutItem, GetItem, DeleteItem, UpdateItem. */
import { DynamoError, validationError } from '../errors.js';
import { applyProjection, compileRequest } from '../expressions/index.js';
import { readUnits, writeUnits } from '../engine/capacity.js';
import type { Table } from '../engine/database.js';
import type { Mutation, WriteResult } from '../engine/itemWrite.js';
import { decodeStoredItem, storedItemSize } from '../engine/storedItem.js';
import { validateItem } from '../values/validate.js';
import { validateItemKey, validateKey } from '../values/keys.js';
import { checkItemSize, itemSize } from '../values/size.js';
import type { Item } from '../values/types.js';
import type { ApiContext, Operation } from './context.js';
import { CapacityTally } from './capacityTally.js';
import { deleteMutation, putMutation, updateMutation, type UpdatedPaths } from './itemActions.js';
import { itemCollectionMetrics } from './itemCollectionMetrics.js';
import { itemResponse } from './responseBody.js';
import { JsonText } from '../values/jsonText.js';
import { sentItemJson } from './wireItem.js';

/** PutItem's Item as sent, when it can be stored as it is (no scan when validation changed it). */
function putItemJson(body: Buffer, sent: unknown, item: Item): Buffer | undefined {
  if (sent !== item) return undefined;
  const text = new JsonText(body);
  return sentItemJson(text, text.find(['Item'])[0], sent, item);
}

function withCapacity(out: Record<string, unknown>, tally: CapacityTally, table: Table): string {
  const cc = tally.single(table);
  if (cc) out.ConsumedCapacity = cc;
  return JSON.stringify(out);
}

/**
 * One item write, admitted by the throttle and accounted in a tally. A write refused by
 * its condition still consumes capacity (the larger of the current item and `newBytes`),
 * as in DynamoDB; it is recorded although the error carries no ConsumedCapacity.
 */
async function commitWrite(
  ctx: ApiContext,
  operation: string,
  input: Record<string, any>,
  table: Table,
  key: Item,
  mutate: Mutation,
  newBytes: number,
): Promise<{ result: WriteResult; tally: CapacityTally }> {
  const pk = key[table.schema.hashKey];
  const refused = ctx.throttle.refuseWrite(table, operation, pk);
  if (refused !== undefined) throw refused;
  const tally = new CapacityTally(ctx, operation, input.ReturnConsumedCapacity);
  let current: Item | undefined;
  try {
    // A blind mutation has no condition to fail, so nothing to observe: pass it as it is.
    const observed: Mutation = mutate.blind === true ? mutate : (old) => {
      const next = mutate((current = old));
      observed.nextSize = mutate.nextSize;
      return next;
    };
    const result = await ctx.db.writeItem(table, key, observed);
    tally.written(table, key, result);
    return { result, tally };
  } catch (err) {
    if (err instanceof DynamoError && err.code === 'ConditionalCheckFailedException') {
      tally.write(table, writeUnits(current === undefined ? 0 : itemSize(current), newBytes), undefined, pk);
    }
    throw err;
  }
}

function allowOnly(returnValues: string | undefined, allowed: string[], message: string): string {
  const rv = returnValues ?? 'NONE';
  if (!allowed.includes(rv)) throw validationError(message);
  return rv;
}

export const putItem: Operation = async (ctx, input, text) => {
  const rv = allowOnly(input.ReturnValues, ['NONE', 'ALL_OLD'], 'ReturnValues can only be ALL_OLD or NONE');
  const item = validateItem(input.Item);
  const compiled = compileRequest('PutItem', input);
  const table = ctx.db.table(input.TableName);
  validateItemKey(item, table.schema);
  const bytes = checkItemSize(item);
  const json = text === undefined ? undefined : putItemJson(text, input.Item, item);
  const mutate = putMutation(compiled, item, input.ReturnValuesOnConditionCheckFailure, bytes, json);
  const { result, tally } = await commitWrite(ctx, 'PutItem', input, table, item, mutate, bytes);
  const out: Record<string, unknown> = {};
  if (rv === 'ALL_OLD' && result.old) out.Attributes = result.old;
  const metrics = itemCollectionMetrics(input.ReturnItemCollectionMetrics, table, item, result);
  if (metrics) out.ItemCollectionMetrics = metrics;
  return withCapacity(out, tally, table);
};

export const deleteItem: Operation = async (ctx, input) => {
  const rv = allowOnly(input.ReturnValues, ['NONE', 'ALL_OLD'], 'ReturnValues can only be ALL_OLD or NONE');
  const compiled = compileRequest('DeleteItem', input);
  const table = ctx.db.table(input.TableName);
  const key = validateKey(input.Key, table.schema);
  const mutate = deleteMutation(compiled, input.ReturnValuesOnConditionCheckFailure);
  const { result, tally } = await commitWrite(ctx, 'DeleteItem', input, table, key, mutate, 0);
  const out: Record<string, unknown> = {};
  if (rv === 'ALL_OLD' && result.old) out.Attributes = result.old;
  const metrics = itemCollectionMetrics(input.ReturnItemCollectionMetrics, table, key, result);
  if (metrics) out.ItemCollectionMetrics = metrics;
  return withCapacity(out, tally, table);
};

export const getItem: Operation = (ctx, input) => {
  const compiled = compileRequest('GetItem', input);
  const table = ctx.db.table(input.TableName);
  const key = validateKey(input.Key, table.schema);
  const pk = key[table.schema.hashKey];
  const refused = ctx.throttle.refuseRead(table, 'GetItem', undefined, pk);
  if (refused !== undefined) throw refused;
  const stored = ctx.db.getStoredItem(table, key);
  const tally = new CapacityTally(ctx, 'GetItem', input.ReturnConsumedCapacity);
  tally.read(table, readUnits(stored === undefined ? 0 : storedItemSize(stored), input.ConsistentRead === true), undefined, pk);
  if (stored === undefined) return withCapacity({}, tally, table);
  if (compiled.projection === undefined && !tally.wanted) {
    // Fast path: the stored encoding is the wire form, so it is spliced in unparsed.
    return itemResponse(stored);
  }
  const item = decodeStoredItem(stored);
  const projected = compiled.projection === undefined ? item : applyProjection(compiled.projection, item);
  // An existing item is answered even when the projection matches none of its attributes: `Item: {}`.
  return withCapacity({ Item: projected }, tally, table);
};

const UPDATE_RETURN_VALUES = ['NONE', 'ALL_OLD', 'UPDATED_OLD', 'ALL_NEW', 'UPDATED_NEW'];

export const updateItem: Operation = async (ctx, input) => {
  const rv = allowOnly(input.ReturnValues, UPDATE_RETURN_VALUES, 'ReturnValues is invalid');
  const compiled = compileRequest('UpdateItem', input);
  const table = ctx.db.table(input.TableName);
  const key = validateKey(input.Key, table.schema);
  const touched: UpdatedPaths = { updatedOld: {}, updatedNew: {} };
  const mutate = updateMutation(compiled, table, key, input.ReturnValuesOnConditionCheckFailure, touched);
  const { result, tally } = await commitWrite(ctx, 'UpdateItem', input, table, key, mutate, 0);
  const { updatedOld, updatedNew } = touched;
  const out: Record<string, unknown> = {};
  const attributes =
    rv === 'ALL_OLD' ? result.old : rv === 'ALL_NEW' ? result.new : rv === 'UPDATED_OLD' ? updatedOld : rv === 'UPDATED_NEW' ? updatedNew : undefined;
  if (attributes !== undefined && Object.keys(attributes).length > 0) out.Attributes = attributes;
  const metrics = itemCollectionMetrics(input.ReturnItemCollectionMetrics, table, key, result);
  if (metrics) out.ItemCollectionMetrics = metrics;
  return withCapacity(out, tally, table);
};
