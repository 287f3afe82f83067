/**
 * What the resource-policy operations share: the resource a ResourceArn names — a table,
 * or one of its streams (current or disabled) — where its policy is kept, and their errors.
 */
import { dynamoError, resourceNotFound, validationError, type DynamoError } from '../../errors.js';
import type { StoredPolicy, TableMeta } from '../../engine/tableMeta.js';
import type { ApiContext } from '../context.js';

/** DynamoDB's limit on a resource-based policy document. */
export const MAX_POLICY_BYTES = 20 * 1024;

/** A table, or one of its streams by label. */
export interface PolicyTarget {
  table: TableMeta;
  streamLabel?: string;
}

/** The resource a ResourceArn names; it must be the table's (or the stream's) own ARN. */
export function policyTarget(ctx: ApiContext, arn: string): PolicyTarget {
  const match = /^(arn:aws[\w-]*:dynamodb:[^:]*:[^:]*:table\/[a-zA-Z0-9_.-]{3,255})(?:\/stream\/(.+))?$/.exec(arn);
  if (!match) throw validationError(`Invalid ResourceArn provided as input ${arn}`);
  const [, tableArn, streamLabel] = match as unknown as [string, string, string | undefined];
  const table = ctx.db.findTable(tableArn, ctx.namespace)?.meta;
  if (table === undefined || table.arn !== tableArn || (streamLabel !== undefined && !table.streams?.some((s) => s.label === streamLabel))) {
    throw resourceNotFound(`Requested resource not found: ResourcArn: ${arn} not found`);
  }
  return { table, streamLabel };
}

/** The policy attached to the target within (a copy of) its table's meta. */
export function attachedPolicy(table: TableMeta, streamLabel: string | undefined): StoredPolicy | undefined {
  return streamLabel === undefined ? table.resourcePolicy : table.streams?.find((s) => s.label === streamLabel)?.resourcePolicy;
}

/** Attaches (or with undefined, removes) the target's policy in (a copy of) its table's meta. */
export function attachPolicy(table: TableMeta, streamLabel: string | undefined, policy: StoredPolicy | undefined): void {
  const holder: { resourcePolicy?: StoredPolicy } | undefined = streamLabel === undefined ? table : table.streams?.find((s) => s.label === streamLabel);
  if (holder === undefined) return;
  if (policy === undefined) delete holder.resourcePolicy;
  else holder.resourcePolicy = policy;
}

export function policyNotFound(arn: string): DynamoError {
  return dynamoError('PolicyNotFoundException', `Resource-based policy not found for the provided ResourceArn: ${arn}`);
}

/** ExpectedRevisionId must name the current policy's revision. */
export function checkExpectedRevision(table: TableMeta, current: StoredPolicy | undefined, expected: string | undefined): void {
  if (expected === undefined) return;
  if (current?.revisionId !== expected) {
    throw dynamoError('PolicyNotFoundException',
      `Resource-based policy not found for the provided ResourceArn: Requested update for policy revision id ${expected}, but the policy associated to target table ${table.name} has revision id ${current?.revisionId ?? 'none'}.`);
  }
}
