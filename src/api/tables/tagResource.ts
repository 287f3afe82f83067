/** TagResource: adds or replaces tags on a table. */
import { dynamoError } from '../../errors.js';
import type { Operation } from '../context.js';
import type { EmptyResult } from '../results.js';
import { MAX_TAGS, tableNameFromArn, validateTags } from './tagRules.js';

export const tagResource: Operation<EmptyResult> = async (ctx, input) => {
  const name = tableNameFromArn(ctx, input.ResourceArn);
  const additions = validateTags(input.Tags);
  await ctx.db.updateTable(name, (meta) => {
    const byKey = new Map(meta.tags.map((t) => [t.Key, t.Value]));
    for (const t of additions) byKey.set(t.Key, t.Value);
    if (byKey.size > MAX_TAGS) throw dynamoError('LimitExceededException', 'Tag limit exceeded: a resource can have at most 50 tags');
    meta.tags = [...byKey].map(([Key, Value]) => ({ Key, Value }));
    return meta;
  });
  return {};
};
