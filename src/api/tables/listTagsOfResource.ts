/** ListTagsOfResource: a table's tags. */
import type { Operation } from '../context.js';
import type { ListTagsOfResourceResult } from '../results.js';
import { tableNameFromArn } from './tagRules.js';

export const listTagsOfResource: Operation<ListTagsOfResourceResult> = (ctx, input) => {
  const name = tableNameFromArn(ctx, input.ResourceArn);
  const tags = ctx.db.table(name).meta.tags;
  return { Tags: tags };
};
