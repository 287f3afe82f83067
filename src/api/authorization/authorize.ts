/**
 * The authorization check, one call per operation: every (action, resource) the
 * operation needs is evaluated against the caller's identity policies and the
 * resource's policy, as IAM does: an explicit deny wins; within an account either
 * policy may allow; across accounts both must.
 */
import { serviceError, type DynamoError } from '../../errors.js';
import type { ApiContext } from '../context.js';
import type { TableMeta } from '../../engine/tableMeta.js';
import type { ConditionValues } from './conditions.js';
import { evaluate, type CompiledPolicy, type Verdict } from './policy.js';
import type { Caller } from './caller.js';
import { accessChecks, type AccessCheck, type ResourceScope } from './requestChecks.js';
import { resourcePolicyOf } from './resourcePolicies.js';

const STREAMS_TARGET_PREFIX = 'DynamoDBStreams_20120810.';

/** The resource policy governing a table or stream ARN, if any. */
export type ResourcePolicyLookup = (arn: string) => CompiledPolicy | undefined;

/** Authorizes one operation of a caller in the API's context; throws AccessDeniedException. */
export function checkAccess(ctx: ApiContext, caller: Caller, operation: string, input: Record<string, unknown>): void {
  // The checks ask for the same table by name, then by its ARN: one catalog lookup serves them.
  let lastReference: string | undefined;
  let lastMeta: TableMeta | undefined;
  const tableMeta = (reference: string): TableMeta | undefined => {
    if (reference !== lastReference && (lastMeta === undefined || reference !== lastMeta.arn)) {
      lastMeta = tableIfAny(ctx, reference);
      lastReference = reference;
    }
    return lastMeta;
  };
  const scope: ResourceScope = { region: caller.region, account: caller.account, tableMeta };
  authorize(caller, operation, input, scope, ctx.db.clock.now(), (arn) => resourcePolicyOf(arn, tableMeta));
}

/** A malformed ARN is the operation's to refuse, after authorization. */
function tableIfAny(ctx: ApiContext, reference: string): TableMeta | undefined {
  try {
    return ctx.db.findTable(reference, ctx.namespace)?.meta;
  } catch {
    return undefined;
  }
}

export function authorize(caller: Caller, operation: string, input: Record<string, unknown>, scope: ResourceScope,
  nowMs: number, resourcePolicyOf?: ResourcePolicyLookup): void {
  // The Streams API's operations arrive by their full target; their actions carry the plain name.
  const name = operation.startsWith(STREAMS_TARGET_PREFIX) ? operation.slice(STREAMS_TARGET_PREFIX.length) : operation;
  for (const check of accessChecks(name, input, scope)) {
    const problem = denial(caller, check, nowMs, resourcePolicyOf);
    if (problem !== undefined) throw problem;
  }
}

/** Authorizes an action outside DynamoDB's API (the test controls' `openddb:*`) on resource `*`; throws AccessDeniedException. */
export function authorizeAction(caller: Caller, action: string, nowMs: number): void {
  const problem = denial(caller, { action, resource: '*', keys: () => new Map() }, nowMs);
  if (problem !== undefined) throw problem;
}

function denial(caller: Caller, check: AccessCheck, nowMs: number, resourcePolicyOf?: ResourcePolicyLookup): DynamoError | undefined {
  const values = new RequestValues(caller, check, nowMs);
  const request = { action: check.action, resource: check.resource, principalArn: caller.arn, principalAccount: caller.account, values };
  const resourceAccount = check.resource === '*' ? caller.account : accountOfArn(check.resource);
  const sameAccount = resourceAccount === caller.account;
  const identity: Verdict = caller.policy === undefined ? (sameAccount ? 'allow' : 'none') : evaluate(caller.policy, request);
  const resourcePolicy = check.resource === '*' ? undefined : resourcePolicyOf?.(governingArn(check.resource));
  const resource: Verdict = resourcePolicy === undefined ? 'none' : evaluate(resourcePolicy, request);
  if (identity === 'deny') return accessDenied(caller, check, 'with an explicit deny in an identity-based policy');
  if (resource === 'deny') return accessDenied(caller, check, 'with an explicit deny in a resource-based policy');
  if (sameAccount ? identity === 'allow' || resource === 'allow' : identity === 'allow' && resource === 'allow') return undefined;
  const missing = identity === 'allow' ? 'resource-based' : 'identity-based';
  return accessDenied(caller, check, `because no ${missing} policy allows the ${check.action} action`);
}

function accessDenied(caller: Caller, check: AccessCheck, reason: string): DynamoError {
  return serviceError('AccessDeniedException', `User: ${caller.arn} is not authorized to perform: ${check.action} on resource: ${check.resource} ${reason}`);
}

/** The fifth colon-separated field of an ARN (its account), or '' when it has none. */
function accountOfArn(arn: string): string {
  let at = 0;
  for (let field = 0; field < 4; field++) {
    at = arn.indexOf(':', at) + 1;
    if (at === 0) return '';
  }
  const end = arn.indexOf(':', at);
  return end < 0 ? arn.slice(at) : arn.slice(at, end);
}

/** An index's table governs it; a stream's policy is its own. */
function governingArn(arn: string): string {
  const index = arn.indexOf('/index/');
  return index < 0 ? arn : arn.slice(0, index);
}

/** The condition values of one check: its DynamoDB keys, or the request-wide aws: keys (each computed when asked). */
class RequestValues implements ConditionValues {
  constructor(private readonly caller: Caller, private readonly check: AccessCheck, private readonly nowMs: number) {}

  get(key: string): string | readonly string[] | undefined {
    if (key.startsWith('dynamodb:')) return this.check.keys().get(key);
    switch (key) {
      case 'aws:sourceip': return this.caller.sourceIp;
      case 'aws:username': return this.caller.name;
      case 'aws:userid': return this.caller.userId;
      case 'aws:principalaccount': return this.caller.account;
      case 'aws:principalarn': return this.caller.arn;
      case 'aws:principaltype': return 'User';
      case 'aws:requestedregion': return this.caller.region;
      case 'aws:securetransport': return String(this.caller.secureTransport);
      case 'aws:currenttime': return new Date(this.nowMs).toISOString().replace(/\.\d{3}Z$/, 'Z');
      case 'aws:epochtime': return String(Math.floor(this.nowMs / 1000));
      default: return undefined;
    }
  }
}
