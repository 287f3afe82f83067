/** What the resource-policy operations share: the table a ResourceArn names, and their errors. */
import { dynamoError, resourceNotFound, validationError, type DynamoError } from '../../errors.js';
import type { TableMeta } from '../../engine/tableMeta.js';
import type { ApiContext } from '../context.js';

/** DynamoDB's limit on a resource-based policy document. */
export const MAX_POLICY_BYTES = 20 * 1024;

/** The table a ResourceArn names; it must be the table's own ARN. */
export function policyTable(ctx: ApiContext, arn: string): TableMeta {
  const match = /^arn:aws[\w-]*:dynamodb:[^:]*:[^:]*:table\/([a-zA-Z0-9_.-]{3,255})(\/stream\/.*)?$/.exec(arn);
  if (!match) throw validationError(`Invalid ResourceArn provided as input ${arn}`);
  if (match[2] !== undefined) throw validationError('Resource-based policies on streams are not supported by this server yet');
  const meta = ctx.db.findTable(arn, ctx.namespace)?.meta;
  if (meta === undefined || meta.arn !== arn) throw resourceNotFound(`Requested resource not found: ResourcArn: ${arn} not found`);
  return meta;
}

export function policyNotFound(arn: string): DynamoError {
  return dynamoError('PolicyNotFoundException', `Resource-based policy not found for the provided ResourceArn: ${arn}`);
}

/** ExpectedRevisionId must name the current policy's revision. */
export function checkExpectedRevision(meta: TableMeta, expected: string | undefined): void {
  if (expected === undefined) return;
  const current = meta.resourcePolicy?.revisionId;
  if (current !== expected) {
    throw dynamoError('PolicyNotFoundException',
      `Resource-based policy not found for the provided ResourceArn: Requested update for policy revision id ${expected}, but the policy associated to target table ${meta.name} has revision id ${current ?? 'none'}.`);
  }
}
