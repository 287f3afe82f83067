/** PutItem: stores an item whole, replacing any item with its key. */
import { compileRequest } from '../../expressions/index.js';
import { validateItem } from '../../values/validate.js';
import { validateItemKey } from '../../values/keys.js';
import { checkItemSize } from '../../values/size.js';
import type { Item } from '../../values/types.js';
import { JsonText } from '../../values/jsonText.js';
import type { Operation } from '../context.js';
import type { WriteItemResult } from '../results.js';
import { putMutation } from '../common/itemActions.js';
import { itemCollectionMetrics } from '../common/itemCollectionMetrics.js';
import { sentItemJson } from '../common/wireItem.js';
import { allowOnly, commitWrite, withCapacity } from './writeItem.js';

/** PutItem's Item as sent, when it can be stored as it is (no scan when validation changed it). */
function putItemJson(body: Buffer, sent: unknown, item: Item): Buffer | undefined {
  if (sent !== item) return undefined;
  const text = new JsonText(body);
  return sentItemJson(text, text.find(['Item'])[0], sent, item);
}

export const putItem: Operation<WriteItemResult> = async (ctx, input, text) => {
  const rv = allowOnly(input.ReturnValues, ['NONE', 'ALL_OLD'], 'ReturnValues can only be ALL_OLD or NONE');
  const item = validateItem(input.Item);
  const compiled = compileRequest('PutItem', input);
  const table = ctx.db.table(input.TableName, ctx.namespace);
  validateItemKey(item, table.schema);
  const bytes = checkItemSize(item);
  const json = text === undefined ? undefined : putItemJson(text, input.Item, item);
  const mutate = putMutation(compiled, item, input.ReturnValuesOnConditionCheckFailure, bytes, json);
  const { result, tally } = await commitWrite(ctx, 'PutItem', input, table, item, mutate, bytes);
  const out: WriteItemResult = {};
  if (rv === 'ALL_OLD' && result.old) out.Attributes = result.old;
  const metrics = itemCollectionMetrics(input.ReturnItemCollectionMetrics, table, item, result);
  if (metrics) out.ItemCollectionMetrics = metrics;
  return withCapacity(out, tally, table);
};
