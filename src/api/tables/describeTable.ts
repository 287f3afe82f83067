/** DescribeTable: a table's description, with its statistics. */
import { mapMaybe } from '../../engine/maybePromise.js';
import type { Operation } from '../context.js';
import type { DescribeTableResult } from '../results.js';
import { requireTable } from './requireTable.js';
import { tableDescription } from './tableDescription.js';

export const describeTable: Operation<DescribeTableResult> = (ctx, input) => {
  const { meta } = requireTable(ctx, input.TableName);
  return mapMaybe(ctx.db.stats(meta), (stats) => ({ Table: tableDescription(meta, stats) }));
};
