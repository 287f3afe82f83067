/**
 * Allowed decisions of single-table item operations, reads and queries, remembered per
 * caller. A caller's requests mostly repeat the same operation on the same table; when
 * the policies allowed one by the caller alone (no `dynamodb:*` or time condition key
 * was consulted), the same caller asking again, on the same table ARN under the same
 * resource policy, gets the same answer. Each hit is checked against the table's current
 * ARN and resource policy; a reload of the users file makes new callers, so it starts
 * afresh. Denials are never remembered.
 */
import type { Caller } from './caller.js';
import type { CompiledPolicy } from './policy.js';

/** Operations whose one check follows from the caller, TableName and IndexName alone (requestChecks.ts). */
const CACHEABLE = new Set(['GetItem', 'PutItem', 'UpdateItem', 'DeleteItem', 'Query', 'Scan']);
/** Bound per caller (table names are the client's to make up); past it the map starts over. */
const MAX_PER_CALLER = 1024;

/** What a remembered decision rests on besides the caller and the request's names. */
export interface DecisionBasis {
  /** The table's ARN as resolved now (its own, or the caller's namespace's for a new name). */
  tableArn: string;
  /** The compiled resource policy governing the table, if any. */
  resourcePolicy: CompiledPolicy | undefined;
}

const allowed = new WeakMap<Caller, Map<string, DecisionBasis>>();

/** The key a decision of this request is remembered by, or undefined when its checks depend on more. */
export function decisionKey(operation: string, input: Record<string, unknown>): string | undefined {
  const table = input.TableName;
  const index = input.IndexName;
  if (typeof table !== 'string' || !CACHEABLE.has(operation)) return undefined;
  if (index === undefined) return `${operation}\u0000${table}`;
  return typeof index === 'string' ? `${operation}\u0000${table}\u0000${index}` : undefined;
}

export function rememberedAllow(caller: Caller, key: string, basis: DecisionBasis): boolean {
  const entry = allowed.get(caller)?.get(key);
  return entry !== undefined && entry.tableArn === basis.tableArn && entry.resourcePolicy === basis.resourcePolicy;
}

export function rememberAllow(caller: Caller, key: string, basis: DecisionBasis): void {
  let mine = allowed.get(caller);
  if (mine === undefined) allowed.set(caller, (mine = new Map()));
  if (mine.size >= MAX_PER_CALLER) mine.clear();
  mine.set(key, basis);
}
