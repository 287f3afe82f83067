/** Tag validation (TagResource, CreateTable) and ResourceArn resolution (the tag operations). */
import { resourceNotFound, validationError } from '../../errors.js';
import type { Tag } from '../../engine/tableMeta.js';
import type { ApiContext } from '../context.js';

export const MAX_TAGS = 50;
const TAG_CHARS = /^[\p{L}\p{Z}\p{N}_.:/=+\-@]*$/u;

export function validateTags(tags: Tag[]): Tag[] {
  for (const t of tags) {
    if (!TAG_CHARS.test(t.Key) || !TAG_CHARS.test(t.Value)) throw validationError('Invalid tag value or key');
    if (t.Key.startsWith('aws:')) throw validationError('Tags that start with aws: are reserved for AWS use');
  }
  return tags.map((t) => ({ Key: t.Key, Value: t.Value }));
}

/** ResourceArn -> table name, with DynamoDB's errors for malformed or unknown ARNs. */
export function tableNameFromArn(ctx: ApiContext, arn: string): string {
  const match = /^arn:aws[\w-]*:dynamodb:([^:]*):([^:]*):table\/([a-zA-Z0-9_.-]{3,255})$/.exec(arn);
  if (!match) throw validationError(`Invalid TableArn: Invalid ResourceArn provided as input ${arn}`);
  const name = match[3]!;
  if (ctx.db.findTable(name)?.meta.arn !== arn) {
    throw resourceNotFound(`Requested resource not found: ResourcArn: ${arn} not found`);
  }
  return name;
}
