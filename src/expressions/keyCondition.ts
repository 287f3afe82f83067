/**
 * Query key conditions (KeyConditionExpression or legacy KeyConditions), reduced to the
 * partition-key value and an optional sort-key range the engine can scan.
 */
import { invalidParameter, validationError } from '../errors.js';
import type { KeySchemaInfo } from '../values/keys.js';
import { typeOf, type AttributeValue } from '../values/types.js';
import type { Comparator, ConditionNode, Operand } from './ast.js';
import { expressionError } from './errors.js';
import { checkLegacyOperands } from './legacy.js';

export type RangeOp = 'EQ' | 'LT' | 'LE' | 'GT' | 'GE' | 'BETWEEN' | 'BEGINS_WITH';

export interface KeyCondition {
  hash: { name: string; value: AttributeValue };
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
  let hash: KeyTerm | undefined;
  let range: KeyTerm | undefined;
  for (const term of terms) {
    const isHash = term.name === schema.hashKey;
    const isRange = term.name === schema.rangeKey;
    if ((isHash && hash !== undefined) || (isRange && range !== undefined)) {
      throw expression
        ? expressionError('KeyConditionExpression', 'KeyConditionExpressions must only contain one condition per key')
        : validationError(NOT_SUPPORTED);
    }
    if (isHash) hash = term;
    else if (isRange) range = term;
  }
  if (hash === undefined) throw validationError(`Query condition missed key schema element: ${schema.hashKey}`);
  if (terms.length > (range === undefined ? 1 : 2)) {
    // A condition on an attribute outside the key schema.
    throw validationError(
      schema.rangeKey !== undefined && range === undefined
        ? `Query condition missed key schema element: ${schema.rangeKey}`
        : NOT_SUPPORTED,
    );
  }
  if (hash.op !== 'EQ') throw validationError(NOT_SUPPORTED);
  checkType(hash.values, schema.hashType);
  const result: KeyCondition = { hash: { name: hash.name, value: hash.values[0] } };
  if (range !== undefined) {
    checkType(range.values, schema.rangeType!);
    result.range = { name: range.name, op: range.op, values: range.values };
  }
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
  if (names.length > 2) throw validationError('Conditions can be of length 1 or 2 only');
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
