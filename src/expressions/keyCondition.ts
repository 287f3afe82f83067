/**
 * Query key conditions (KeyConditionExpression or legacy KeyConditions), reduced to the
 * partition-key value and an optional sort-key range the engine can scan.
 *
 * A GSI with a multi-attribute key needs equality on every partition-key attribute; its
 * sort-key attributes may be conditioned left to right without gaps, equality on all
 * but the last one given, which may use any sort-key operator.
 */
import { invalidParameter, validationError } from '../errors.js';
import { isMultiAttribute, partitionKeyParts, sortKeyParts, type KeySchemaInfo } from '../values/keys.js';
import { typeOf, type AttributeValue } from '../values/types.js';
import type { Comparator, ConditionNode, Operand } from './ast.js';
import { expressionError } from './errors.js';
import { checkLegacyOperands } from './legacy.js';

export type RangeOp = 'EQ' | 'LT' | 'LE' | 'GT' | 'GE' | 'BETWEEN' | 'BEGINS_WITH';

export interface KeyCondition {
  /** The (first) partition-key attribute and its value. */
  hash: { name: string; value: AttributeValue };
  /** Multi-attribute keys only: every partition-key value, in key-schema order. */
  partition?: AttributeValue[];
  /** Multi-attribute keys only: values of the leading sort-key attributes fixed by equality before `range`. */
  sortPrefix?: AttributeValue[];
  /** The condition on the last sort-key attribute given. */
  range?: { name: string; op: RangeOp; values: AttributeValue[] };
}

const OPS: Record<Comparator, RangeOp | undefined> = { '=': 'EQ', '<': 'LT', '<=': 'LE', '>': 'GT', '>=': 'GE', '<>': undefined };
/** `:v < k` is `k > :v`. */
const FLIPPED: Record<string, Comparator> = { '=': '=', '<': '>', '<=': '>=', '>': '<', '>=': '<=' };

const NOT_SUPPORTED = 'Query key condition not supported';

interface KeyTerm {
  name: string;
  op: RangeOp;
  values: AttributeValue[];
}

function unsupportedOperator(op: string) {
  return expressionError('KeyConditionExpression', `Invalid operator used in KeyConditionExpression: ${op}`);
}

/** A top-level (non-nested) attribute name, or undefined. */
function keyName(operand: Operand): string | undefined {
  if (operand.kind === 'size') throw unsupportedOperator('size');
  return operand.kind === 'path' && operand.path.length === 1 && typeof operand.path[0] === 'string' ? operand.path[0] : undefined;
}

function constant(operand: Operand): AttributeValue {
  if (operand.kind !== 'value') throw validationError(NOT_SUPPORTED);
  return operand.value;
}

function termOf(node: ConditionNode): KeyTerm {
  switch (node.kind) {
    case 'or':
      throw unsupportedOperator('OR');
    case 'not':
      throw unsupportedOperator('NOT');
    case 'in':
      throw unsupportedOperator('IN');
    case 'exists':
      throw unsupportedOperator('attribute_exists');
    case 'notExists':
      throw unsupportedOperator('attribute_not_exists');
    case 'attributeType':
      throw unsupportedOperator('attribute_type');
    case 'contains':
      throw unsupportedOperator('contains');
    case 'compare': {
      let { op, left, right } = node;
      if (op === '<>') throw unsupportedOperator('<>');
      if (left.kind === 'value' && right.kind !== 'value') {
        [left, right] = [right, left];
        op = FLIPPED[op];
      }
      const name = keyName(left);
      keyName(right);
      if (name === undefined) throw validationError(NOT_SUPPORTED);
      return { name, op: OPS[op]!, values: [constant(right)] };
    }
    case 'between': {
      const name = keyName(node.subject);
      if (name === undefined) throw validationError(NOT_SUPPORTED);
      return { name, op: 'BETWEEN', values: [constant(node.low), constant(node.high)] };
    }
    case 'beginsWith': {
      const name = keyName(node.left);
      if (name === undefined) throw validationError(NOT_SUPPORTED);
      return { name, op: 'BEGINS_WITH', values: [constant(node.right)] };
    }
    case 'and':
      throw new Error('unreachable: AND is flattened');
  }
}

function flattenAnd(node: ConditionNode, out: ConditionNode[]): void {
  if (node.kind === 'and') {
    flattenAnd(node.left, out);
    flattenAnd(node.right, out);
  } else {
    out.push(node);
  }
}

/** Assembles hash and range terms, with DynamoDB's checks against the key schema. */
function assemble(terms: KeyTerm[], schema: KeySchemaInfo, expression: boolean): KeyCondition {
  const hashParts = partitionKeyParts(schema);
  const sortParts = sortKeyParts(schema);
  const keyNames = new Set([...hashParts, ...sortParts].map((p) => p.name));
  const byName = new Map<string, KeyTerm>();
  for (const term of terms) {
    if (!keyNames.has(term.name)) continue;
    if (byName.has(term.name)) {
      throw expression
        ? expressionError('KeyConditionExpression', 'KeyConditionExpressions must only contain one condition per key')
        : validationError(NOT_SUPPORTED);
    }
    byName.set(term.name, term);
  }
  const hashTerms: KeyTerm[] = [];
  for (const part of hashParts) {
    const term = byName.get(part.name);
    if (term === undefined) throw validationError(`Query condition missed key schema element: ${part.name}`);
    hashTerms.push(term);
  }
  // Sort-key attributes count from the left, up to the first one without a condition.
  const sortTerms: KeyTerm[] = [];
  for (const part of sortParts) {
    const term = byName.get(part.name);
    if (term === undefined) break;
    sortTerms.push(term);
  }
  if (terms.length > hashTerms.length + sortTerms.length) {
    // A condition on an attribute outside the key schema, or past a skipped sort-key attribute.
    const skipped = sortParts[sortTerms.length];
    throw validationError(skipped !== undefined ? `Query condition missed key schema element: ${skipped.name}` : NOT_SUPPORTED);
  }
  if (hashTerms.some((t) => t.op !== 'EQ')) throw validationError(NOT_SUPPORTED);
  // Only the last sort-key condition may be a range: the ones before it fix a prefix.
  if (sortTerms.slice(0, -1).some((t) => t.op !== 'EQ')) throw validationError(NOT_SUPPORTED);
  hashTerms.forEach((t, i) => checkType(t.values, hashParts[i]!.type));
  sortTerms.forEach((t, i) => checkType(t.values, sortParts[i]!.type));
  const [hash] = hashTerms;
  const result: KeyCondition = { hash: { name: hash!.name, value: hash!.values[0]! } };
  if (isMultiAttribute(schema)) {
    result.partition = hashTerms.map((t) => t.values[0]!);
    result.sortPrefix = sortTerms.slice(0, -1).map((t) => t.values[0]!);
  }
  const range = sortTerms[sortTerms.length - 1];
  if (range !== undefined) result.range = { name: range.name, op: range.op, values: range.values };
  return result;
}

function checkType(values: AttributeValue[], type: string): void {
  for (const value of values) {
    if (typeOf(value) !== type) throw invalidParameter('Condition parameter type does not match schema type');
  }
}

/** From a bound KeyConditionExpression. */
export function keyConditionFromNode(node: ConditionNode, schema: KeySchemaInfo): KeyCondition {
  const leaves: ConditionNode[] = [];
  flattenAnd(node, leaves);
  return assemble(leaves.map(termOf), schema, true);
}

const INDEXABLE = new Set(['EQ', 'LE', 'LT', 'GE', 'GT', 'BEGINS_WITH', 'BETWEEN']);

/** From legacy `KeyConditions`. */
export function keyConditionFromLegacy(
  conditions: Record<string, { ComparisonOperator?: unknown; AttributeValueList?: unknown }>,
  schema: KeySchemaInfo,
): KeyCondition {
  const names = Object.keys(conditions);
  const keyLength = partitionKeyParts(schema).length + sortKeyParts(schema).length;
  if (names.length > Math.max(2, keyLength)) {
    throw validationError(keyLength > 2 ? `Conditions can be of length 1 to ${keyLength} only` : 'Conditions can be of length 1 or 2 only');
  }
  const terms: KeyTerm[] = [];
  for (const name of names) {
    const entry = conditions[name] ?? {};
    const values = checkLegacyOperands(entry.ComparisonOperator, entry.AttributeValueList);
    if (!INDEXABLE.has(entry.ComparisonOperator as string)) {
      throw validationError('Attempted conditional constraint is not an indexable operation');
    }
    terms.push({ name, op: entry.ComparisonOperator as RangeOp, values });
  }
  return assemble(terms, schema, false);
}
