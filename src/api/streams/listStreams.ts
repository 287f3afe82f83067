/** ListStreams: every readable stream (of one table with TableName), paged by ExclusiveStartStreamArn. */
import { resourceNotFound } from '../../errors.js';
import type { Operation } from '../context.js';
import { readableStreams } from '../../engine/changelog/streams.js';
import { streamArn } from './streamArn.js';

const MAX_LIMIT = 100;

export const listStreams: Operation = (ctx, input) => {
  const tableName = input.TableName as string | undefined;
  if (tableName !== undefined && ctx.db.findTable(tableName, ctx.namespace) === undefined) {
    throw resourceNotFound(`Requested resource not found: Table: ${tableName} not found`);
  }
  const all = readableStreams(ctx.db, tableName, ctx.namespace).map(({ table, stream }) => ({
    StreamArn: streamArn(table.arn, stream.label),
    TableName: table.name,
    StreamLabel: stream.label,
  }));
  const start = input.ExclusiveStartStreamArn === undefined ? 0 : all.findIndex((s) => s.StreamArn === input.ExclusiveStartStreamArn) + 1;
  const limit = Math.min(input.Limit ?? MAX_LIMIT, MAX_LIMIT);
  const page = all.slice(start, start + limit);
  const output: Record<string, unknown> = { Streams: page };
  if (start + limit < all.length) output.LastEvaluatedStreamArn = page.at(-1)!.StreamArn;
  return output;
};
