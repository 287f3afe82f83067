/**
 * IAM policy documents, compiled once per user (or per resource policy): Effect,
 * Action / NotAction, Resource / NotResource, Principal / NotPrincipal and Condition,
 * with wildcards and policy variables (`${aws:username}`, `${aws:userid}`,
 * `${aws:PrincipalAccount}`, and the escapes `${*}`, `${?}`, `${$}`).
 */
import { compileCondition, PolicyError, type CompiledCondition, type ConditionValues } from './conditions.js';
import { globToRegExp, LITERAL_QUESTION, LITERAL_STAR } from './glob.js';

export { PolicyError } from './conditions.js';

/** Values the policy variables of one user's policies take. */
export interface PolicyVariables {
  username: string;
  userid: string;
  account: string;
}

interface Matcher {
  negated: boolean;
  patterns: RegExp[];
  /** Answers already worked out: requests repeat the same few actions and resources. */
  memo: Map<string, boolean>;
}

/** A bound on each matcher's memo (resources are open-ended); past it the memo starts over. */
const MEMO_LIMIT = 1024;

interface CompiledStatement {
  allow: boolean;
  actions: Matcher;
  resources: Matcher | undefined;
  /** Resource policies: whom the statement is about (account ids and principal ARNs). */
  principals: Matcher | undefined;
  conditions: CompiledCondition[];
}

export interface CompiledPolicy {
  statements: CompiledStatement[];
}

/** What one statement set says about a request: explicit deny, allow, or nothing. */
export type Verdict = 'deny' | 'allow' | 'none';

/** One check: an action on a resource, by a principal, with the request's condition values. */
export interface AccessRequest {
  action: string;
  resource: string;
  principalArn: string;
  principalAccount: string;
  values: ConditionValues;
}

/** Compiles identity-policy documents (`Resource` required, no `Principal`). */
export function compileIdentityPolicies(documents: unknown[], variables: PolicyVariables): CompiledPolicy {
  return { statements: documents.flatMap((doc) => statementsOf(doc).map((s) => compileStatement(s, variables, false))) };
}

/** Compiles a resource policy document (`Principal` required; `Resource` optional). */
export function compileResourcePolicy(document: unknown): CompiledPolicy {
  return { statements: statementsOf(document).map((s) => compileStatement(s, undefined, true)) };
}

export function evaluate(policy: CompiledPolicy, request: AccessRequest): Verdict {
  let verdict: Verdict = 'none';
  for (const statement of policy.statements) {
    if (verdict === 'allow' && statement.allow) continue;
    if (!matches(statement.actions, request.action)) continue;
    if (statement.resources !== undefined && !matches(statement.resources, request.resource)) continue;
    if (statement.principals !== undefined && !principalMatches(statement.principals, request)) continue;
    if (!statement.conditions.every((condition) => condition(request.values))) continue;
    if (!statement.allow) return 'deny';
    verdict = 'allow';
  }
  return verdict;
}

function matches(matcher: Matcher, value: string): boolean {
  let hit = matcher.memo.get(value);
  if (hit === undefined) {
    hit = matcher.patterns.some((re) => re.test(value)) !== matcher.negated;
    if (matcher.memo.size >= MEMO_LIMIT) matcher.memo.clear();
    matcher.memo.set(value, hit);
  }
  return hit;
}

function principalMatches(matcher: Matcher, request: AccessRequest): boolean {
  const hit = matcher.patterns.some((re) => re.test(request.principalArn) || re.test(request.principalAccount));
  return hit !== matcher.negated;
}

function statementsOf(document: unknown): Record<string, unknown>[] {
  const doc = typeof document === 'string' ? parseJson(document) : document;
  if (!isObject(doc)) throw new PolicyError('A policy document must be a JSON object');
  const statements = doc.Statement;
  const list = Array.isArray(statements) ? statements : statements === undefined ? [] : [statements];
  if (list.length === 0) throw new PolicyError('A policy document needs at least one Statement');
  return list.map((s) => {
    if (!isObject(s)) throw new PolicyError('Each Statement must be a JSON object');
    return s;
  });
}

function compileStatement(s: Record<string, unknown>, variables: PolicyVariables | undefined, resourcePolicy: boolean): CompiledStatement {
  if (s.Effect !== 'Allow' && s.Effect !== 'Deny') throw new PolicyError(`Statement Effect must be "Allow" or "Deny", got ${JSON.stringify(s.Effect)}`);
  const substitute = (text: string) => substituteVariables(text, variables);
  const actions = matcherOf(s, 'Action', 'NotAction', (p) => globToRegExp(p, true));
  if (actions === undefined) throw new PolicyError('A Statement needs an Action or NotAction');
  const resources = matcherOf(s, 'Resource', 'NotResource', (p) => globToRegExp(substitute(p), false));
  if (resources === undefined && !resourcePolicy) throw new PolicyError('A Statement needs a Resource or NotResource');
  let principals: Matcher | undefined;
  if (resourcePolicy) {
    principals = principalMatcher(s);
    if (principals === undefined) throw new PolicyError('A resource policy Statement needs a Principal or NotPrincipal');
  } else if (s.Principal !== undefined || s.NotPrincipal !== undefined) {
    throw new PolicyError('An identity-based policy cannot name a Principal');
  }
  return { allow: s.Effect === 'Allow', actions, resources, principals, conditions: conditionsOf(s.Condition, substitute) };
}

function matcherOf(s: Record<string, unknown>, name: string, notName: string, compile: (p: string) => RegExp): Matcher | undefined {
  if (s[name] !== undefined && s[notName] !== undefined) throw new PolicyError(`A Statement cannot have both ${name} and ${notName}`);
  const negated = s[name] === undefined;
  const value = negated ? s[notName] : s[name];
  if (value === undefined) return undefined;
  return { negated, patterns: stringList(value, name).map(compile), memo: new Map() };
}

/** `"*"`, `{ "AWS": "123456789012" | "arn:aws:iam::123456789012:root" | user ARN | [...] }`. */
function principalMatcher(s: Record<string, unknown>): Matcher | undefined {
  const negated = s.Principal === undefined;
  const value = negated ? s.NotPrincipal : s.Principal;
  if (value === undefined) return undefined;
  if (value === '*') return { negated, patterns: [/^/], memo: new Map() };
  if (!isObject(value) || value.AWS === undefined) throw new PolicyError('Principal must be "*" or { "AWS": ... }');
  const patterns = stringList(value.AWS, 'Principal').map((p) => {
    if (p === '*') return /^/;
    const root = /^arn:aws:iam::(\d{12}):root$/.exec(p);
    // An account (or its root) stands for every principal of that account.
    const account = root ? root[1]! : /^\d{12}$/.test(p) ? p : undefined;
    return account !== undefined ? new RegExp(`^(${account}|arn:aws:iam::${account}:.*)$`) : globToRegExp(p, false);
  });
  return { negated, patterns, memo: new Map() };
}

function conditionsOf(condition: unknown, substitute: (text: string) => string): CompiledCondition[] {
  if (condition === undefined) return [];
  if (!isObject(condition)) throw new PolicyError('Condition must be a JSON object');
  const compiled: CompiledCondition[] = [];
  for (const [operator, block] of Object.entries(condition)) {
    if (!isObject(block)) throw new PolicyError(`Condition ${operator} must map condition keys to values`);
    for (const [key, values] of Object.entries(block)) {
      const list = (Array.isArray(values) ? values : [values]).map((v) => {
        if (typeof v !== 'string' && typeof v !== 'number' && typeof v !== 'boolean') throw new PolicyError(`Condition ${operator} ${key}: values must be strings, numbers or booleans`);
        return substitute(String(v));
      });
      compiled.push(compileCondition(operator, key, list));
    }
  }
  return compiled;
}

const UNRESOLVED = '\u0000unresolved-policy-variable\u0000';

/** Policy variables take the user's values; a variable this server cannot resolve never matches. */
function substituteVariables(text: string, variables: PolicyVariables | undefined): string {
  if (!text.includes('${')) return text;
  return text.replace(/\$\{([^}]*)\}/g, (_, name: string) => {
    switch (name.trim().toLowerCase()) {
      case '*': return LITERAL_STAR;
      case '?': return LITERAL_QUESTION;
      case '$': return '$';
      case 'aws:username': return variables?.username ?? UNRESOLVED;
      case 'aws:userid': return variables?.userid ?? UNRESOLVED;
      case 'aws:principalaccount': return variables?.account ?? UNRESOLVED;
      default: return UNRESOLVED;
    }
  });
}

function stringList(value: unknown, element: string): string[] {
  const list = Array.isArray(value) ? value : [value];
  if (list.length === 0 || !list.every((v) => typeof v === 'string')) throw new PolicyError(`${element} must be a string or a list of strings`);
  return list as string[];
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    throw new PolicyError('A policy document must be valid JSON');
  }
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
