/** UntagResource: removes tags from a table by key. */
import type { Operation } from '../context.js';
import type { EmptyResult } from '../results.js';
import { tableNameFromArn } from './tagRules.js';

export const untagResource: Operation<EmptyResult> = async (ctx, input) => {
  const name = tableNameFromArn(ctx, input.ResourceArn);
  const removed = new Set<string>(input.TagKeys);
  await ctx.db.updateTable(name, (meta) => {
    meta.tags = meta.tags.filter((t) => !removed.has(t.Key));
    return meta;
  });
  return {};
};
