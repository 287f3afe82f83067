/** PutItem, GetItem, DeleteItem, UpdateItem. */
import { validationError } from '../errors.js';
import { applyProjection, compileRequest } from '../expressions/index.js';
import { readUnits, writeUnits } from '../engine/capacity.js';
import { decodeStoredItem, storedItemJson, storedItemSize } from '../engine/storedItem.js';
import { validateItem } from '../values/validate.js';
import { validateItemKey, validateKey } from '../values/keys.js';
import { checkItemSize } from '../values/size.js';
import type { Operation } from './context.js';
import { consumedCapacity } from './consumedCapacity.js';
import { deleteMutation, putMutation, updateMutation, type UpdatedPaths } from './itemActions.js';
import { itemCollectionMetrics } from './itemCollectionMetrics.js';

function withCapacity(out: Record<string, unknown>, input: Record<string, any>, units: number, kind: 'read' | 'write'): string {
  const cc = consumedCapacity(input.ReturnConsumedCapacity, input.TableName, units, kind);
  if (cc) out.ConsumedCapacity = cc;
  return JSON.stringify(out);
}

function allowOnly(returnValues: string | undefined, allowed: string[], message: string): string {
  const rv = returnValues ?? 'NONE';
  if (!allowed.includes(rv)) throw validationError(message);
  return rv;
}

export const putItem: Operation = async (ctx, input) => {
  const rv = allowOnly(input.ReturnValues, ['NONE', 'ALL_OLD'], 'ReturnValues can only be ALL_OLD or NONE');
  const item = validateItem(input.Item);
  const compiled = compileRequest('PutItem', input);
  const table = ctx.db.table(input.TableName);
  validateItemKey(item, table.schema);
  checkItemSize(item);
  const result = await ctx.db.writeItem(table, item, putMutation(compiled, item, input.ReturnValuesOnConditionCheckFailure));
  const out: Record<string, unknown> = {};
  if (rv === 'ALL_OLD' && result.old) out.Attributes = result.old;
  const metrics = itemCollectionMetrics(input.ReturnItemCollectionMetrics, table, item, result);
  if (metrics) out.ItemCollectionMetrics = metrics;
  return withCapacity(out, input, writeUnits(result.oldSize, result.newSize), 'write');
};

export const deleteItem: Operation = async (ctx, input) => {
  const rv = allowOnly(input.ReturnValues, ['NONE', 'ALL_OLD'], 'ReturnValues can only be ALL_OLD or NONE');
  const compiled = compileRequest('DeleteItem', input);
  const table = ctx.db.table(input.TableName);
  const key = validateKey(input.Key, table.schema);
  const result = await ctx.db.writeItem(table, key, deleteMutation(compiled, input.ReturnValuesOnConditionCheckFailure));
  const out: Record<string, unknown> = {};
  if (rv === 'ALL_OLD' && result.old) out.Attributes = result.old;
  const metrics = itemCollectionMetrics(input.ReturnItemCollectionMetrics, table, key, result);
  if (metrics) out.ItemCollectionMetrics = metrics;
  return withCapacity(out, input, writeUnits(result.oldSize, 0), 'write');
};

export const getItem: Operation = (ctx, input) => {
  const compiled = compileRequest('GetItem', input);
  const table = ctx.db.table(input.TableName);
  const key = validateKey(input.Key, table.schema);
  const stored = ctx.db.getStoredItem(table, key);
  const consistent = input.ConsistentRead === true;
  const wantsCapacity = input.ReturnConsumedCapacity === 'TOTAL' || input.ReturnConsumedCapacity === 'INDEXES';
  if (stored === undefined) return withCapacity({}, input, readUnits(0, consistent), 'read');
  if (compiled.projection === undefined && !wantsCapacity) {
    // Fast path: the stored encoding is the wire form, so it is spliced in unparsed.
    return `{"Item":${storedItemJson(stored)}}`;
  }
  const item = decodeStoredItem(stored);
  const units = readUnits(storedItemSize(stored), consistent);
  const projected = compiled.projection === undefined ? item : applyProjection(compiled.projection, item);
  const out: Record<string, unknown> = {};
  if (compiled.projection === undefined || Object.keys(projected).length > 0) out.Item = projected;
  return withCapacity(out, input, units, 'read');
};

const UPDATE_RETURN_VALUES = ['NONE', 'ALL_OLD', 'UPDATED_OLD', 'ALL_NEW', 'UPDATED_NEW'];

export const updateItem: Operation = async (ctx, input) => {
  const rv = allowOnly(input.ReturnValues, UPDATE_RETURN_VALUES, 'ReturnValues is invalid');
  const compiled = compileRequest('UpdateItem', input);
  const table = ctx.db.table(input.TableName);
  const key = validateKey(input.Key, table.schema);
  const touched: UpdatedPaths = { updatedOld: {}, updatedNew: {} };
  const result = await ctx.db.writeItem(table, key, updateMutation(compiled, table, key, input.ReturnValuesOnConditionCheckFailure, touched));
  const { updatedOld, updatedNew } = touched;
  const out: Record<string, unknown> = {};
  const attributes =
    rv === 'ALL_OLD' ? result.old : rv === 'ALL_NEW' ? result.new : rv === 'UPDATED_OLD' ? updatedOld : rv === 'UPDATED_NEW' ? updatedNew : undefined;
  if (attributes !== undefined && Object.keys(attributes).length > 0) out.Attributes = attributes;
  const metrics = itemCollectionMetrics(input.ReturnItemCollectionMetrics, table, key, result);
  if (metrics) out.ItemCollectionMetrics = metrics;
  return withCapacity(out, input, writeUnits(result.oldSize, result.newSize), 'write');
};
