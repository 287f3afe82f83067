/** Resource-based policies as the authorizer reads them: compiled once per document. */
import type { TableMeta } from '../../engine/tableMeta.js';
import { compileResourcePolicy, type CompiledPolicy } from './policy.js';

const MAX_CACHED = 1000;
const compiled = new Map<string, CompiledPolicy>();

/** The compiled policy of the table an ARN names (the ARN must be the table's own), if it has one. */
export function resourcePolicyOf(arn: string, tableMeta: (reference: string) => TableMeta | undefined): CompiledPolicy | undefined {
  if (arn.indexOf(':table/') < 0) return undefined;
  const meta = tableMeta(arn);
  if (meta === undefined || meta.arn !== arn || meta.resourcePolicy === undefined) return undefined;
  const document = meta.resourcePolicy.document;
  let policy = compiled.get(document);
  if (policy === undefined) {
    // Stored documents were validated by PutResourcePolicy.
    policy = compileResourcePolicy(document);
    if (compiled.size >= MAX_CACHED) compiled.delete(compiled.keys().next().value!);
    compiled.set(document, policy);
  }
  return policy;
}
