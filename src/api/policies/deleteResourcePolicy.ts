/**
 * DeleteResourcePolicy: removes a table's or stream's resource-based policy; answers the
 * removed revision id. Idempotent, as DynamoDB's: with no policy attached it answers
 * nothing — unless ExpectedRevisionId was given, which then cannot match.
 */
import type { Operation } from '../context.js';
import { attachedPolicy, attachPolicy, checkExpectedRevision, policyNotFound, policyTarget } from './policyTarget.js';
import { catalogNameOf } from '../../engine/namespace.js';

export interface RemovedRevision {
  RevisionId?: string;
}

export const deleteResourcePolicy: Operation<RemovedRevision> = async (ctx, input) => {
  const { table, streamLabel } = policyTarget(ctx, input.ResourceArn);
  if (attachedPolicy(table, streamLabel) === undefined && input.ExpectedRevisionId === undefined) return {};
  let revisionId = '';
  await ctx.db.updateTable(catalogNameOf(table), (meta) => {
    const current = attachedPolicy(meta, streamLabel);
    if (current === undefined && input.ExpectedRevisionId === undefined) return meta;
    if (current === undefined) throw policyNotFound(input.ResourceArn);
    checkExpectedRevision(meta, current, input.ExpectedRevisionId);
    revisionId = current.revisionId;
    attachPolicy(meta, streamLabel, undefined);
    return meta;
  });
  return revisionId === '' ? {} : { RevisionId: revisionId };
};
