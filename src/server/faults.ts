/**
 * Fault injection for tests (POST /openddb/faults): errors and delays DynamoDB produces
 * under load, on demand, on either front. A rule matches requests by table and
 * operation (either optional) and fires a number of times (`count`) or on a share of
 * them (`probability`); a request meets the first rule that matches and fires.
 */
import { DynamoError, dynamoError, internalError } from '../errors.js';
import { transactionCanceled } from '../api/transactions/transactActions.js';

export const FAULT_ERRORS = ['ProvisionedThroughputExceededException', 'ThrottlingException', 'InternalServerError', 'TransactionConflict'] as const;
export type FaultError = (typeof FAULT_ERRORS)[number];

export interface FaultRule {
  table?: string;
  operation?: string;
  error?: FaultError;
  /** Delay the request this long before answering it (then the error, if any, or the real answer). */
  latencyMs?: number;
  /** Fire this many times, then retire (default: on every matching request). */
  count?: number;
  /** Fire on this share of matching requests (0..1). */
  probability?: number;
}

export interface Fault {
  latencyMs: number;
  error?: DynamoError;
}

/** A fault rule that is not one: answered 400. */
export class FaultRuleError extends Error {}

const MAX_LATENCY_MS = 600_000;

export class FaultInjector {
  private rules: { rule: FaultRule; left: number }[] = [];

  constructor(private readonly random: () => number = Math.random) {}

  /** Adds a rule after checking its members. */
  add(spec: unknown): FaultRule {
    const rule = parseRule(spec);
    this.rules.push({ rule, left: rule.count ?? Infinity });
    return rule;
  }

  clear(): void {
    this.rules = [];
  }

  /** The rules in force, with the count each has left. */
  list(): FaultRule[] {
    return this.rules.map(({ rule, left }) => (left === Infinity ? rule : { ...rule, count: left }));
  }

  /** The fault this request meets, if any (one length check when no rule is set). */
  faultFor(operation: string, input: Record<string, unknown>): Fault | undefined {
    if (this.rules.length === 0) return undefined;
    for (const entry of this.rules) {
      const { rule } = entry;
      if (rule.operation !== undefined && rule.operation !== operation) continue;
      if (rule.table !== undefined && !tablesOf(input).includes(rule.table)) continue;
      if (rule.probability !== undefined && this.random() >= rule.probability) continue;
      if (--entry.left <= 0) this.rules = this.rules.filter((e) => e !== entry);
      return { latencyMs: rule.latencyMs ?? 0, error: rule.error && faultError(rule.error, input) };
    }
    return undefined;
  }
}

function parseRule(spec: unknown): FaultRule {
  if (spec === null || typeof spec !== 'object' || Array.isArray(spec)) throw new FaultRuleError('a fault is a JSON object');
  const { table, operation, error, latencyMs, count, probability, ...rest } = spec as Record<string, unknown>;
  const unknown = Object.keys(rest);
  if (unknown.length > 0) throw new FaultRuleError(`unknown fault member: ${unknown.join(', ')}`);
  if (table !== undefined && (typeof table !== 'string' || table === '')) throw new FaultRuleError('"table" must be a table name');
  if (operation !== undefined && (typeof operation !== 'string' || operation === '')) throw new FaultRuleError('"operation" must be an operation name, e.g. "GetItem"');
  if (error !== undefined && !FAULT_ERRORS.includes(error as FaultError)) throw new FaultRuleError(`"error" must be one of ${FAULT_ERRORS.join(', ')}`);
  if (latencyMs !== undefined && !(typeof latencyMs === 'number' && latencyMs >= 0 && latencyMs <= MAX_LATENCY_MS)) {
    throw new FaultRuleError(`"latencyMs" must be a number of milliseconds from 0 to ${MAX_LATENCY_MS}`);
  }
  if (error === undefined && latencyMs === undefined) throw new FaultRuleError('a fault needs "error" or "latencyMs"');
  if (count !== undefined && !(Number.isInteger(count) && (count as number) > 0)) throw new FaultRuleError('"count" must be a positive integer');
  if (probability !== undefined && !(typeof probability === 'number' && probability >= 0 && probability <= 1)) {
    throw new FaultRuleError('"probability" must be a number from 0 to 1');
  }
  if (count !== undefined && probability !== undefined) throw new FaultRuleError('give "count" or "probability", not both');
  const rule: FaultRule = {};
  if (table !== undefined) rule.table = table as string;
  if (operation !== undefined) rule.operation = operation as string;
  if (error !== undefined) rule.error = error as FaultError;
  if (latencyMs !== undefined) rule.latencyMs = latencyMs as number;
  if (count !== undefined) rule.count = count as number;
  if (probability !== undefined) rule.probability = probability as number;
  return rule;
}

/** Every table a request names: TableName, RequestItems' keys, or its transaction items' tables. */
function tablesOf(input: Record<string, unknown>): string[] {
  if (typeof input.TableName === 'string') return [input.TableName];
  if (input.RequestItems !== null && typeof input.RequestItems === 'object') return Object.keys(input.RequestItems);
  if (Array.isArray(input.TransactItems)) {
    return input.TransactItems.flatMap((item) => Object.values(item ?? {}).map((action) => (action as { TableName?: unknown } | null)?.TableName))
      .filter((name): name is string => typeof name === 'string');
  }
  return [];
}

/** The error DynamoDB answers with, worded as it words it. */
function faultError(kind: FaultError, input: Record<string, unknown>): DynamoError {
  switch (kind) {
    case 'ProvisionedThroughputExceededException':
      return dynamoError('ProvisionedThroughputExceededException',
        'The level of configured provisioned throughput for the table was exceeded. Consider increasing your provisioning level with the UpdateTable API.');
    case 'ThrottlingException':
      return dynamoError('ThrottlingException',
        'Throughput exceeds the current capacity of your table or index. DynamoDB is automatically scaling your table or index so please try again shortly. ' +
        'If exceptions persist, check if you have a hot key: https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/bp-partition-key-design.html');
    case 'InternalServerError':
      return internalError();
    case 'TransactionConflict':
      return conflict(input);
  }
}

/** A transaction is cancelled with TransactionConflict for every item; a single-item operation meets TransactionConflictException. */
function conflict(input: Record<string, unknown>): DynamoError {
  const items = Array.isArray(input.TransactItems) ? input.TransactItems.length : Array.isArray(input.TransactStatements) ? input.TransactStatements.length : undefined;
  if (items !== undefined) {
    return transactionCanceled(Array.from({ length: Math.max(items, 1) }, () => ({ Code: 'TransactionConflict', Message: 'Transaction is ongoing for the item' })));
  }
  return dynamoError('TransactionConflictException', 'Transaction is ongoing for the item');
}
