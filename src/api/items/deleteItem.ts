/** DeleteItem: removes the item at a key, if its condition holds. */
import { compileRequest } from '../../expressions/index.js';
import { validateKey } from '../../values/keys.js';
import type { Operation } from '../context.js';
import type { WriteItemResult } from '../results.js';
import { deleteMutation } from '../common/itemActions.js';
import { itemCollectionMetrics } from '../common/itemCollectionMetrics.js';
import { allowOnly, commitWrite, withCapacity } from './writeItem.js';

export const deleteItem: Operation<WriteItemResult> = async (ctx, input) => {
  const rv = allowOnly(input.ReturnValues, ['NONE', 'ALL_OLD'], 'ReturnValues can only be ALL_OLD or NONE');
  const compiled = compileRequest('DeleteItem', input);
  const table = ctx.db.table(input.TableName, ctx.namespace);
  const key = validateKey(input.Key, table.schema);
  const mutate = deleteMutation(compiled, input.ReturnValuesOnConditionCheckFailure);
  const { result, tally } = await commitWrite(ctx, 'DeleteItem', input, table, key, mutate, 0);
  const out: WriteItemResult = {};
  if (rv === 'ALL_OLD' && result.old) out.Attributes = result.old;
  const metrics = itemCollectionMetrics(input.ReturnItemCollectionMetrics, table, key, result);
  if (metrics) out.ItemCollectionMetrics = metrics;
  return withCapacity(out, tally, table);
};
