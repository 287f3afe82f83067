/** GetResourcePolicy: a table's resource-based policy and its revision id. */
import type { Operation } from '../context.js';
import { policyNotFound, policyTable } from './policyTarget.js';

export interface PolicyResult {
  Policy: string;
  RevisionId: string;
}

export const getResourcePolicy: Operation<PolicyResult> = (ctx, input) => {
  const policy = policyTable(ctx, input.ResourceArn).resourcePolicy;
  if (policy === undefined) throw policyNotFound(input.ResourceArn);
  return { Policy: policy.document, RevisionId: policy.revisionId };
};
