/** TagResource, UntagResource, ListTagsOfResource, and tag validation for CreateTable. */
import { dynamoError, resourceNotFound, validationError } from '../errors.js';
import { invalidTableArn, isArn, tableNameOf } from '../engine/tableArn.js';
import type { Tag } from '../engine/tableMeta.js';
import type { ApiContext, Operation } from './context.js';

const MAX_TAGS = 50;
const TAG_CHARS = /^[\p{L}\p{Z}\p{N}_.:/=+\-@]*$/u;

export function validateTags(tags: Tag[]): Tag[] {
  // A new table's tags count against the same 50 a TagResource may reach.
  if (new Set(tags.map((t) => t.Key)).size > MAX_TAGS) throw tagLimitExceeded();
  for (const t of tags) {
    if (!TAG_CHARS.test(t.Key) || !TAG_CHARS.test(t.Value)) throw validationError('Invalid tag value or key');
    if (t.Key.startsWith('aws:')) throw validationError('Tags that start with aws: are reserved for AWS use');
  }
  return tags.map((t) => ({ Key: t.Key, Value: t.Value }));
}

function tagLimitExceeded(): Error {
  return dynamoError('LimitExceededException', 'Tag limit exceeded: a resource can have at most 50 tags');
}

/**
 * ResourceArn -> table name. Malformed (or not a table's) -> ValidationException; another
 * account's -> AccessDeniedException; a table of ours that does not exist ->
 * ResourceNotFoundException, in DynamoDB's words (its "ResourcArn" typo included).
 */
function tableNameFromArn(ctx: ApiContext, arn: string): string {
  if (!isArn(arn)) throw invalidTableArn(arn);
  const name = tableNameOf(arn, ctx.db.options);
  if (!ctx.db.findTable(name)) throw resourceNotFound(`Requested resource not found: ResourcArn: ${arn} not found`);
  return name;
}

export const tagResource: Operation = async (ctx, input) => {
  const name = tableNameFromArn(ctx, input.ResourceArn);
  const additions = validateTags(input.Tags);
  await ctx.db.updateTable(name, (meta) => {
    const byKey = new Map(meta.tags.map((t) => [t.Key, t.Value]));
    for (const t of additions) byKey.set(t.Key, t.Value);
    if (byKey.size > MAX_TAGS) throw tagLimitExceeded();
    meta.tags = [...byKey].map(([Key, Value]) => ({ Key, Value }));
    return meta;
  });
  return '{}';
};

export const untagResource: Operation = async (ctx, input) => {
  const name = tableNameFromArn(ctx, input.ResourceArn);
  const removed = new Set<string>(input.TagKeys);
  await ctx.db.updateTable(name, (meta) => {
    meta.tags = meta.tags.filter((t) => !removed.has(t.Key));
    return meta;
  });
  return '{}';
};

export const listTagsOfResource: Operation = (ctx, input) => {
  const name = tableNameFromArn(ctx, input.ResourceArn);
  const tags = ctx.db.table(name).meta.tags;
  return JSON.stringify({ Tags: tags });
};
