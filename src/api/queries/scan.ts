/** Scan: the whole table (or one parallel-scan segment) in partition-hash order. */
import { mapMaybe } from '../../engine/maybePromise.js';
import { validationError } from '../../errors.js';
import { compileRequest } from '../../expressions/index.js';
import { scanBounds, withinBounds } from '../../engine/reads.js';
import type { Operation } from '../context.js';
import type { PageResult } from '../results.js';
import { admitRead, checkExclusiveStartKey, checkSelect, indexPage, pageResult, resolveView } from './readCommon.js';

export const scan: Operation<PageResult> = (ctx, input) => {
  const select = checkSelect(input);
  const segment: number | undefined = input.Segment ?? undefined;
  const total: number | undefined = input.TotalSegments ?? undefined;
  if (segment !== undefined && total === undefined) {
    throw validationError('The TotalSegments parameter is required but was not present in the request when Segment parameter is present');
  }
  if (total !== undefined && segment === undefined) {
    throw validationError('The Segment parameter is required but was not present in the request when parameter TotalSegments is present');
  }
  if (segment !== undefined && total !== undefined && segment >= total) {
    throw validationError(`The Segment parameter is zero-based and must be less than parameter TotalSegments: Segment: ${segment} is not less than TotalSegments: ${total}`);
  }
  const compiled = compileRequest('Scan', input);
  const table = ctx.db.table(input.TableName, ctx.namespace);
  const view = resolveView(table, input.IndexName);
  const bounds = scanBounds(view, segment ?? 0, total ?? 1);
  const exclusiveStart = checkExclusiveStartKey(input, view);
  if (exclusiveStart !== undefined && !withinBounds(view, exclusiveStart, bounds)) {
    throw validationError(
      `The provided starting key is invalid: Invalid ExclusiveStartKey. Please use ExclusiveStartKey with correct Segment. TotalSegments: ${total} Segment: ${segment}`,
    );
  }
  admitRead(ctx, 'Scan', table, view, undefined);
  const page = ctx.db.readPage(view, bounds, true, { limit: input.Limit, exclusiveStart }, input.ConsistentRead === true);
  return mapMaybe(
    mapMaybe(page, (page) => indexPage(ctx.db, table, view, input, compiled, page)),
    (page) => pageResult(ctx, 'Scan', table, view, undefined, input, compiled, select, page),
  );
};
