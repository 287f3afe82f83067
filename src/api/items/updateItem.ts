/** UpdateItem: applies an update expression (or AttributeUpdates) to one item, creating it if absent. */
import { compileRequest } from '../../expressions/index.js';
import { validateKey } from '../../values/keys.js';
import type { Operation } from '../context.js';
import type { WriteItemResult } from '../results.js';
import { updateMutation, type UpdatedPaths } from '../common/itemActions.js';
import { itemCollectionMetrics } from '../common/itemCollectionMetrics.js';
import { allowOnly, commitWrite, withCapacity } from './writeItem.js';

const UPDATE_RETURN_VALUES = ['NONE', 'ALL_OLD', 'UPDATED_OLD', 'ALL_NEW', 'UPDATED_NEW'];

export const updateItem: Operation<WriteItemResult> = async (ctx, input) => {
  const rv = allowOnly(input.ReturnValues, UPDATE_RETURN_VALUES, 'ReturnValues is invalid');
  const compiled = compileRequest('UpdateItem', input);
  const table = ctx.db.table(input.TableName, ctx.namespace);
  const key = validateKey(input.Key, table.schema);
  const touched: UpdatedPaths = { updatedOld: {}, updatedNew: {} };
  const mutate = updateMutation(compiled, table, key, input.ReturnValuesOnConditionCheckFailure, touched);
  const { result, tally } = await commitWrite(ctx, 'UpdateItem', input, table, key, mutate, 0);
  const { updatedOld, updatedNew } = touched;
  const out: WriteItemResult = {};
  const attributes =
    rv === 'ALL_OLD' ? result.old : rv === 'ALL_NEW' ? result.new : rv === 'UPDATED_OLD' ? updatedOld : rv === 'UPDATED_NEW' ? updatedNew : undefined;
  if (attributes !== undefined && Object.keys(attributes).length > 0) out.Attributes = attributes;
  const metrics = itemCollectionMetrics(input.ReturnItemCollectionMetrics, table, key, result);
  if (metrics) out.ItemCollectionMetrics = metrics;
  return withCapacity(out, tally, table);
};
