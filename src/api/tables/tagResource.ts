/** TagResource: adds or replaces tags on a table. */
import type { Operation } from '../context.js';
import type { EmptyResult } from '../results.js';
import { MAX_TAGS, tableNameFromArn, tagLimitExceeded, validateTags } from './tagRules.js';

export const tagResource: Operation<EmptyResult> = async (ctx, input) => {
  const name = tableNameFromArn(ctx, input.ResourceArn);
  const additions = validateTags(input.Tags);
  await ctx.db.updateTable(name, (meta) => {
    const byKey = new Map(meta.tags.map((t) => [t.Key, t.Value]));
    for (const t of additions) byKey.set(t.Key, t.Value);
    if (byKey.size > MAX_TAGS) throw tagLimitExceeded();
    meta.tags = [...byKey].map(([Key, Value]) => ({ Key, Value }));
    return meta;
  });
  return {};
};
