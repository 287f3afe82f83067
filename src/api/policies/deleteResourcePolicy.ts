/** DeleteResourcePolicy: removes a table's or stream's resource-based policy; answers the removed revision id. */
import type { Operation } from '../context.js';
import { attachedPolicy, attachPolicy, checkExpectedRevision, policyNotFound, policyTarget } from './policyTarget.js';
import type { RevisionResult } from './putResourcePolicy.js';
import { catalogNameOf } from '../../engine/namespace.js';

export const deleteResourcePolicy: Operation<RevisionResult> = async (ctx, input) => {
  const { table, streamLabel } = policyTarget(ctx, input.ResourceArn);
  let revisionId = '';
  await ctx.db.updateTable(catalogNameOf(table), (meta) => {
    const current = attachedPolicy(meta, streamLabel);
    if (current === undefined) throw policyNotFound(input.ResourceArn);
    checkExpectedRevision(meta, current, input.ExpectedRevisionId);
    revisionId = current.revisionId;
    attachPolicy(meta, streamLabel, undefined);
    return meta;
  });
  return { RevisionId: revisionId };
};
