/** PutResourcePolicy: attaches (or replaces) a table's or stream's resource-based policy; answers its new revision id. */
import { validationError } from '../../errors.js';
import { compileResourcePolicy, PolicyError } from '../authorization/policy.js';
import type { Operation } from '../context.js';
import { attachedPolicy, attachPolicy, checkExpectedRevision, MAX_POLICY_BYTES, policyTarget } from './policyTarget.js';
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
  const { table, streamLabel } = policyTarget(ctx, input.ResourceArn);
  checkResourcesNamed(document, input.ResourceArn, streamLabel === undefined);
  let revisionId = '';
  await ctx.db.updateTable(catalogNameOf(table), (meta) => {
    const current = attachedPolicy(meta, streamLabel);
    checkExpectedRevision(meta, current, input.ExpectedRevisionId);
    // The same document again keeps its revision id (PutResourcePolicy is idempotent).
    if (current?.document === document) {
      revisionId = current.revisionId;
      return meta;
    }
    revisionId = nextRevision(ctx.db.clock.now(), current?.revisionId);
    attachPolicy(meta, streamLabel, { document, revisionId });
    return meta;
  });
  return { RevisionId: revisionId };
};

/**
 * A table's policy governs that table (and its indexes), a stream's that stream: each
 * statement's Resource must name it. (The document parsed above; a statement without
 * Resource governs the resource.)
 */
function checkResourcesNamed(document: string, arn: string, withIndexes: boolean): void {
  const parsed = JSON.parse(document) as { Statement: unknown };
  const statements = (Array.isArray(parsed.Statement) ? parsed.Statement : [parsed.Statement]) as Record<string, unknown>[];
  for (const statement of statements) {
    const resources = statement.Resource === undefined ? [] : ([] as unknown[]).concat(statement.Resource);
    for (const resource of resources) {
      if (resource !== arn && !(withIndexes && typeof resource === 'string' && resource.startsWith(`${arn}/index/`))) {
        throw validationError(`Invalid policy document: A statement's Resource must be the ARN of the resource the policy is attached to (${arn})${withIndexes ? ', or of one of its indexes' : ''}, got ${JSON.stringify(resource)}`);
      }
    }
  }
}

/** Revision ids are epoch milliseconds as text, as DynamoDB's are, and always move forward. */
function nextRevision(now: number, previous: string | undefined): string {
  return String(Math.max(now, previous === undefined ? 0 : Number(previous) + 1));
}
