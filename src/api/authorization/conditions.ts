/**
 * IAM condition operators, compiled once: String*, Numeric*, Date*, Bool, IpAddress,
 * Arn*, Null, each with the ForAllValues: / ForAnyValue: qualifiers and the IfExists suffix.
 */
import { BlockList, isIPv4 } from 'node:net';
import { globToRegExp, literalText } from './glob.js';

/** Condition key values of one request (lower-case key names); absent keys are missing. */
export interface ConditionValues {
  get(key: string): string | readonly string[] | undefined;
}

export type CompiledCondition = (values: ConditionValues) => boolean;

export class PolicyError extends Error {}

/** One value matches the policy's values (the positive form of the operator). */
type ValueTest = (value: string) => boolean;

const NEGATED = new Set(['StringNotEquals', 'StringNotEqualsIgnoreCase', 'StringNotLike', 'NumericNotEquals', 'DateNotEquals', 'NotIpAddress', 'ArnNotEquals', 'ArnNotLike']);

export function compileCondition(operatorText: string, key: string, policyValues: string[]): CompiledCondition {
  let operator = operatorText;
  let qualifier: 'all' | 'any' | undefined;
  if (operator.startsWith('ForAllValues:')) [qualifier, operator] = ['all', operator.slice(13)];
  else if (operator.startsWith('ForAnyValue:')) [qualifier, operator] = ['any', operator.slice(12)];
  const ifExists = operator.endsWith('IfExists');
  if (ifExists) operator = operator.slice(0, -8);
  const keyName = key.toLowerCase();

  if (operator === 'Null') {
    const wantAbsent = policyValues.some((v) => v.toLowerCase() === 'true');
    return (values) => {
      const value = values.get(keyName);
      const absent = value === undefined || (Array.isArray(value) && value.length === 0);
      return absent === wantAbsent;
    };
  }
  const negated = NEGATED.has(operator);
  const like = /Like$/.test(operator);
  const test = positiveTest(operator, operatorText, like ? policyValues : policyValues.map(literalText));
  const matches = (value: string) => test(value) !== negated;
  return (values) => {
    const value = values.get(keyName);
    const list = value === undefined ? [] : typeof value === 'string' ? [value] : value;
    if (qualifier === 'all') return list.every(matches);
    if (qualifier === 'any') return list.some(matches);
    // A missing key: IfExists makes the condition hold, and so does a negated operator.
    if (list.length === 0) return ifExists || negated;
    return negated ? !list.some(test) : list.some(test);
  };
}

function positiveTest(operator: string, operatorText: string, policyValues: string[]): ValueTest {
  switch (operator) {
    case 'StringEquals':
    case 'StringNotEquals':
    case 'ArnEquals':
    case 'ArnNotEquals': {
      const set = new Set(policyValues);
      return (v) => set.has(v);
    }
    case 'StringEqualsIgnoreCase':
    case 'StringNotEqualsIgnoreCase': {
      const set = new Set(policyValues.map((p) => p.toLowerCase()));
      return (v) => set.has(v.toLowerCase());
    }
    case 'StringLike':
    case 'StringNotLike':
    case 'ArnLike':
    case 'ArnNotLike': {
      const patterns = policyValues.map((p) => globToRegExp(p, false));
      return (v) => patterns.some((re) => re.test(v));
    }
    case 'NumericEquals':
    case 'NumericNotEquals':
      return numeric(policyValues, (a, b) => a === b);
    case 'NumericLessThan':
      return numeric(policyValues, (a, b) => a < b);
    case 'NumericLessThanEquals':
      return numeric(policyValues, (a, b) => a <= b);
    case 'NumericGreaterThan':
      return numeric(policyValues, (a, b) => a > b);
    case 'NumericGreaterThanEquals':
      return numeric(policyValues, (a, b) => a >= b);
    case 'DateEquals':
    case 'DateNotEquals':
      return dated(policyValues, (a, b) => a === b);
    case 'DateLessThan':
      return dated(policyValues, (a, b) => a < b);
    case 'DateLessThanEquals':
      return dated(policyValues, (a, b) => a <= b);
    case 'DateGreaterThan':
      return dated(policyValues, (a, b) => a > b);
    case 'DateGreaterThanEquals':
      return dated(policyValues, (a, b) => a >= b);
    case 'Bool': {
      const set = new Set(policyValues.map((p) => p.toLowerCase()));
      return (v) => set.has(v.toLowerCase());
    }
    case 'IpAddress':
    case 'NotIpAddress':
      return ipTest(policyValues);
    default:
      throw new PolicyError(`Unsupported condition operator: ${operatorText}`);
  }
}

/** IPv4-only ranges as (network, mask) pairs: an integer compare per range, no allocation. */
function ipv4Ranges(policyValues: string[]): ValueTest | undefined {
  const ranges: [number, number][] = [];
  for (const cidr of policyValues) {
    const [address, prefixText] = cidr.split('/') as [string, string | undefined];
    const prefix = prefixText === undefined ? 32 : Number(prefixText);
    if (!Number.isInteger(prefix) || prefix < 0 || prefix > 32) throw new PolicyError(`Invalid IP address or range in an IpAddress condition: ${cidr}`);
    const mask = prefix === 0 ? 0 : (0xffffffff << (32 - prefix)) >>> 0;
    ranges.push([(ipv4ToInt(address)! & mask) >>> 0, mask]);
  }
  // Requests come from few addresses, mostly the same one again: its number is kept.
  let lastText: string | undefined;
  let lastNumber: number | undefined;
  return (v) => {
    if (v !== lastText) {
      lastNumber = ipv4ToInt(v.startsWith('::ffff:') ? v.slice(7) : v);
      lastText = v;
    }
    const n = lastNumber;
    return n !== undefined && ranges.some(([net, mask]) => ((n & mask) >>> 0) === net);
  };
}

function ipv4ToInt(address: string): number | undefined {
  if (!isIPv4(address)) return undefined;
  let n = 0;
  for (const part of address.split('.')) n = n * 256 + Number(part);
  return n;
}

function numeric(policyValues: string[], compare: (a: number, b: number) => boolean): ValueTest {
  const numbers = policyValues.map((p) => {
    const n = Number(p);
    if (p.trim() === '' || Number.isNaN(n)) throw new PolicyError(`Invalid number in a Numeric condition: ${p}`);
    return n;
  });
  return (v) => {
    const n = Number(v);
    return v.trim() !== '' && !Number.isNaN(n) && numbers.some((p) => compare(n, p));
  };
}

/** Dates are ISO 8601 or epoch seconds. */
function toEpochMs(text: string): number {
  if (/^\d+$/.test(text)) return Number(text) * 1000;
  return Date.parse(text);
}

function dated(policyValues: string[], compare: (a: number, b: number) => boolean): ValueTest {
  const times = policyValues.map((p) => {
    const t = toEpochMs(p);
    if (Number.isNaN(t)) throw new PolicyError(`Invalid date in a Date condition: ${p}`);
    return t;
  });
  return (v) => {
    const t = toEpochMs(v);
    return !Number.isNaN(t) && times.some((p) => compare(t, p));
  };
}

function ipTest(policyValues: string[]): ValueTest {
  const v4 = policyValues.every((cidr) => isIPv4(cidr.split('/')[0]!)) ? ipv4Ranges(policyValues) : undefined;
  if (v4 !== undefined) return (v) => v4(v);
  const list = new BlockList();
  for (const cidr of policyValues) {
    const [address, prefixText] = cidr.split('/') as [string, string | undefined];
    const family = isIPv4(address) ? 'ipv4' : 'ipv6';
    const prefix = prefixText === undefined ? (family === 'ipv4' ? 32 : 128) : Number(prefixText);
    try {
      list.addSubnet(address, prefix, family);
    } catch {
      throw new PolicyError(`Invalid IP address or range in an IpAddress condition: ${cidr}`);
    }
  }
  // A BlockList check allocates a SocketAddress; callers come from few addresses, so remember each answer.
  const known = new Map<string, boolean>();
  return (v) => {
    let inside = known.get(v);
    if (inside === undefined) {
      const address = v.startsWith('::ffff:') && isIPv4(v.slice(7)) ? v.slice(7) : v;
      try {
        inside = list.check(address, isIPv4(address) ? 'ipv4' : 'ipv6');
      } catch {
        inside = false;
      }
      if (known.size >= 1024) known.clear();
      known.set(v, inside);
    }
    return inside;
  };
}
