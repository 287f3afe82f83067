/** GetResourcePolicy: a table's or stream's resource-based policy and its revision id. */
import type { Operation } from '../context.js';
import { attachedPolicy, policyNotFound, policyTarget } from './policyTarget.js';

export interface PolicyResult {
  Policy: string;
  RevisionId: string;
}

export const getResourcePolicy: Operation<PolicyResult> = (ctx, input) => {
  const { table, streamLabel } = policyTarget(ctx, input.ResourceArn);
  const policy = attachedPolicy(table, streamLabel);
  if (policy === undefined) throw policyNotFound(input.ResourceArn);
  return { Policy: policy.document, RevisionId: policy.revisionId };
};
