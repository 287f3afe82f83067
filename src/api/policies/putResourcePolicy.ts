/** PutResourcePolicy: attaches (or replaces) a table's resource-based policy; answers its new revision id. */
import { validationError } from '../../errors.js';
import { compileResourcePolicy, PolicyError } from '../authorization/policy.js';
import type { Operation } from '../context.js';
import { checkExpectedRevision, MAX_POLICY_BYTES, policyTable } from './policyTarget.js';
import { catalogNameOf } from '../../engine/namespace.js';

export interface RevisionResult {
  RevisionId: string;
}

export const putResourcePolicy: Operation<RevisionResult> = async (ctx, input) => {
  const document = input.Policy as string;
  if (Buffer.byteLength(document) > MAX_POLICY_BYTES) {
    throw validationError(`Resource-based policy document exceeds the maximum allowed size of ${MAX_POLICY_BYTES} bytes`);
  }
  try {
    compileResourcePolicy(document);
  } catch (err) {
    if (err instanceof PolicyError) throw validationError(`Invalid policy document: ${err.message}`);
    throw err;
  }
  const name = catalogNameOf(policyTable(ctx, input.ResourceArn));
  let revisionId = '';
  await ctx.db.updateTable(name, (meta) => {
    checkExpectedRevision(meta, input.ExpectedRevisionId);
    revisionId = nextRevision(ctx.db.clock.now(), meta.resourcePolicy?.revisionId);
    meta.resourcePolicy = { document, revisionId };
    return meta;
  });
  return { RevisionId: revisionId };
};

/** Revision ids are epoch milliseconds as text, as DynamoDB's are, and always move forward. */
function nextRevision(now: number, previous: string | undefined): string {
  return String(Math.max(now, previous === undefined ? 0 : Number(previous) + 1));
}
