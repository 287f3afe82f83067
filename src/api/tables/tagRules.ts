/** Tag validation (TagResource, CreateTable) and ResourceArn resolution (the tag operations). */
import { dynamoError, resourceNotFound, validationError } from '../../errors.js';
import { invalidTableArn, isArn } from '../../engine/tableArn.js';
import type { Tag } from '../../engine/tableMeta.js';
import type { ApiContext } from '../context.js';
import { catalogNameOf } from '../../engine/namespace.js';

export const MAX_TAGS = 50;
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

export function tagLimitExceeded(): Error {
  return dynamoError('LimitExceededException', 'Tag limit exceeded: a resource can have at most 50 tags');
}

/**
 * ResourceArn -> the table's catalog name. Malformed (or not a table's) -> ValidationException; another
 * account's -> AccessDeniedException; a table of ours that does not exist ->
 * ResourceNotFoundException, in DynamoDB's words (its "ResourcArn" typo included).
 */
export function tableNameFromArn(ctx: ApiContext, arn: string): string {
  if (!isArn(arn)) throw invalidTableArn(arn);
  const table = ctx.db.findTable(arn, ctx.namespace);
  if (table?.meta.arn !== arn) throw resourceNotFound(`Requested resource not found: ResourcArn: ${arn} not found`);
  return catalogNameOf(table.meta);
}
