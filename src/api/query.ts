/** Query: one partition, read as a single forward or reverse range. */
import { validationError } from '../errors.js';
import { compileRequest } from '../expressions/index.js';
import { queryBounds, readPage } from '../engine/reads.js';
import { valuesEqual } from '../values/compare.js';
import type { Operation } from './context.js';
import { checkExclusiveStartKey, checkSelect, pageResponse, resolveView } from './readCommon.js';

export const query: Operation = (ctx, input) => {
  const select = checkSelect(input);
  if (input.KeyConditionExpression === undefined && input.KeyConditions === undefined) {
    throw validationError('Either the KeyConditions or KeyConditionExpression parameter must be specified in the request.');
  }
  const table = ctx.db.table(input.TableName);
  const view = resolveView(table, input.IndexName);
  const compiled = compileRequest('Query', input, view.schema);
  const keyCondition = compiled.keyCondition!;
  const exclusiveStart = checkExclusiveStartKey(input, view);
  if (exclusiveStart !== undefined && !valuesEqual(exclusiveStart[view.schema.hashKey]!, keyCondition.hash.value)) {
    throw validationError('The provided starting key is outside query boundaries based on provided conditions');
  }
  const bounds = queryBounds(view, keyCondition.hash.value, keyCondition.range as never);
  const page = readPage(ctx.db.store, view, bounds, input.ScanIndexForward !== false, { limit: input.Limit, exclusiveStart });
  return pageResponse(input, compiled, select, page);
};
