/** DeleteResourcePolicy: removes a table's resource-based policy; answers the removed revision id. */
import type { Operation } from '../context.js';
import { checkExpectedRevision, policyNotFound, policyTable } from './policyTarget.js';
import type { RevisionResult } from './putResourcePolicy.js';
import { catalogNameOf } from '../../engine/namespace.js';

export const deleteResourcePolicy: Operation<RevisionResult> = async (ctx, input) => {
  const name = catalogNameOf(policyTable(ctx, input.ResourceArn));
  let revisionId = '';
  await ctx.db.updateTable(name, (meta) => {
    if (meta.resourcePolicy === undefined) throw policyNotFound(input.ResourceArn);
    checkExpectedRevision(meta, input.ExpectedRevisionId);
    revisionId = meta.resourcePolicy.revisionId;
    delete meta.resourcePolicy;
    return meta;
  });
  return { RevisionId: revisionId };
};
