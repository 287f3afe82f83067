/** Resource-based policies as the authorizer reads them: compiled once per document. */
import type { TableMeta } from '../../engine/tableMeta.js';
import { compileResourcePolicy, type CompiledPolicy } from './policy.js';

const MAX_CACHED = 1000;
const compiled = new Map<string, CompiledPolicy>();
const STREAM_PART = '/stream/';

/**
 * The compiled policy of the table or stream an ARN names (the table part must be the
 * table's own ARN), if it has one.
 */
export function resourcePolicyOf(arn: string, tableMeta: (reference: string) => TableMeta | undefined): CompiledPolicy | undefined {
  if (arn.indexOf(':table/') < 0) return undefined;
  const streamAt = arn.indexOf(STREAM_PART);
  const tableArn = streamAt < 0 ? arn : arn.slice(0, streamAt);
  const meta = tableMeta(tableArn);
  if (meta === undefined || meta.arn !== tableArn) return undefined;
  const label = streamAt < 0 ? undefined : arn.slice(streamAt + STREAM_PART.length);
  const document = (label === undefined ? meta.resourcePolicy : meta.streams?.find((s) => s.label === label)?.resourcePolicy)?.document;
  if (document === undefined) return undefined;
  let policy = compiled.get(document);
  if (policy === undefined) {
    // Stored documents were validated by PutResourcePolicy.
    policy = compileResourcePolicy(document);
    if (compiled.size >= MAX_CACHED) compiled.delete(compiled.keys().next().value!);
    compiled.set(document, policy);
  }
  return policy;
}
