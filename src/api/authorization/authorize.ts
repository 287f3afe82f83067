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
import { accessChecks, tableArn, type AccessCheck, type ResourceScope } from './requestChecks.js';
import { resourcePolicyOf } from './resourcePolicies.js';
import { decisionKey, rememberAllow, rememberedAllow, type DecisionBasis } from './decisionCache.js';

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
  const policyOf = (arn: string) => resourcePolicyOf(arn, tableMeta);
  const key = decisionKey(operation, input);
  let basis: DecisionBasis | undefined;
  if (key !== undefined) {
    const arn = tableArn(input.TableName, scope);
    basis = { tableArn: arn, resourcePolicy: policyOf(arn) };
    if (rememberedAllow(caller, key, basis)) return;
  }
  const byCallerAlone = authorize(caller, operation, input, scope, ctx.db.clock.now(), policyOf);
  if (key !== undefined && byCallerAlone) rememberAllow(caller, key, basis!);
}

/** A malformed ARN is the operation's to refuse, after authorization. */
function tableIfAny(ctx: ApiContext, reference: string): TableMeta | undefined {
  try {
    return ctx.db.findTable(reference, ctx.namespace)?.meta;
  } catch {
    return undefined;
  }
}

/**
 * Throws AccessDeniedException unless every check is allowed; returns whether the policies
 * decided by the caller alone (no request or time condition key was consulted).
 */
export function authorize(caller: Caller, operation: string, input: Record<string, unknown>, scope: ResourceScope,
  nowMs: number, resourcePolicyOf?: ResourcePolicyLookup): boolean {
  // The Streams API's operations arrive by their full target; their actions carry the plain name.
  const name = operation.startsWith(STREAMS_TARGET_PREFIX) ? operation.slice(STREAMS_TARGET_PREFIX.length) : operation;
  const consulted: Consulted = { requestValues: false };
  for (const check of accessChecks(name, input, scope)) {
    const problem = denial(caller, check, nowMs, consulted, resourcePolicyOf);
    if (problem !== undefined) throw problem;
  }
  return !consulted.requestValues;
}

/** Whether an evaluation read a condition value that is not the caller's (the request's or the clock's). */
interface Consulted {
  requestValues: boolean;
}

/** Authorizes an action outside DynamoDB's API (the test controls' `openddb:*`) on resource `*`; throws AccessDeniedException. */
export function authorizeAction(caller: Caller, action: string, nowMs: number): void {
  const problem = denial(caller, { action, resource: '*', keys: () => new Map() }, nowMs, { requestValues: false });
  if (problem !== undefined) throw problem;
}

function denial(caller: Caller, check: AccessCheck, nowMs: number, consulted: Consulted, resourcePolicyOf?: ResourcePolicyLookup): DynamoError | undefined {
  const values = new RequestValues(caller, check, nowMs, consulted);
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
  constructor(private readonly caller: Caller, private readonly check: AccessCheck, private readonly nowMs: number,
    private readonly consulted: Consulted) {}

  get(key: string): string | readonly string[] | undefined {
    if (key.startsWith('dynamodb:')) {
      this.consulted.requestValues = true;
      return this.check.keys().get(key);
    }
    switch (key) {
      case 'aws:sourceip': return this.caller.sourceIp;
      case 'aws:username': return this.caller.name;
      case 'aws:userid': return this.caller.userId;
      case 'aws:principalaccount': return this.caller.account;
      case 'aws:principalarn': return this.caller.arn;
      case 'aws:principaltype': return 'User';
      case 'aws:requestedregion': return this.caller.region;
      case 'aws:securetransport': return String(this.caller.secureTransport);
      case 'aws:currenttime':
        this.consulted.requestValues = true;
        return new Date(this.nowMs).toISOString().replace(/\.\d{3}Z$/, 'Z');
      case 'aws:epochtime':
        this.consulted.requestValues = true;
        return String(Math.floor(this.nowMs / 1000));
      default: return undefined;
    }
  }
}
