/**
 * The legacy (pre-expression) parameters, translated into the same resolved trees the
 * expression parser produces: Expected / QueryFilter / ScanFilter with ConditionalOperator,
 * AttributeUpdates, AttributesToGet.
 */
import { invalidParameter, validationError } from '../errors.js';
import { compareScalars } from '../values/compare.js';
import { typeOf, type AttributeValue } from '../values/types.js';
import { validateAttributeValue } from '../values/validate.js';
import type { Comparator, ConditionNode, Path, UpdateAction, UpdateValue } from './ast.js';

export const LEGACY_OPERATORS = [
  'EQ', 'NE', 'LE', 'LT', 'GE', 'GT', 'NOT_NULL', 'NULL', 'CONTAINS', 'NOT_CONTAINS', 'BEGINS_WITH', 'IN', 'BETWEEN',
] as const;
export type LegacyOperator = (typeof LEGACY_OPERATORS)[number];

const ARGUMENTS: Record<LegacyOperator, [number, number]> = {
  EQ: [1, 1], NE: [1, 1], LE: [1, 1], LT: [1, 1], GE: [1, 1], GT: [1, 1], NOT_NULL: [0, 0], NULL: [0, 0],
  CONTAINS: [1, 1], NOT_CONTAINS: [1, 1], BEGINS_WITH: [1, 1], IN: [1, Infinity], BETWEEN: [2, 2],
};

/** Operand types each operator accepts; EQ, NE (and the nullary ones) accept any. */
const SCALAR = new Set(['S', 'N', 'B']);
const ALLOWED_TYPES: Partial<Record<LegacyOperator, ReadonlySet<string>>> = {
  LE: SCALAR, LT: SCALAR, GE: SCALAR, GT: SCALAR, BETWEEN: SCALAR, CONTAINS: SCALAR, NOT_CONTAINS: SCALAR,
  IN: SCALAR, BEGINS_WITH: new Set(['S', 'B']),
};

const COMPARATOR: Partial<Record<LegacyOperator, Comparator>> = {
  EQ: '=', NE: '<>', LE: '<=', LT: '<', GE: '>=', GT: '>',
};

function isOperator(op: unknown): op is LegacyOperator {
  return typeof op === 'string' && Object.hasOwn(ARGUMENTS, op);
}

/** Checks an operator and its AttributeValueList; returns the validated values. */
export function checkLegacyOperands(op: unknown, list: unknown): AttributeValue[] {
  if (!isOperator(op)) {
    throw validationError(
      `1 validation error detected: Value '${String(op)}' at 'comparisonOperator' failed to satisfy constraint: Member must satisfy enum value set: [${[...LEGACY_OPERATORS].sort().join(', ')}]`,
    );
  }
  const values = Array.isArray(list) ? list.map(validateAttributeValue) : [];
  const [min, max] = ARGUMENTS[op];
  if (values.length < min || values.length > max) {
    throw invalidParameter(`Invalid number of argument(s) for the ${op} ComparisonOperator`);
  }
  const allowed = ALLOWED_TYPES[op];
  if (allowed !== undefined) {
    for (const value of values) {
      const type = typeOf(value);
      if (!allowed.has(type)) throw invalidParameter(`ComparisonOperator ${op} is not valid for ${type} AttributeValue type`);
    }
  }
  // IN's values, like BETWEEN's bounds, must all be of one type.
  if (op === 'IN' && values.some((v) => typeOf(v) !== typeOf(values[0]!))) {
    throw invalidParameter('AttributeValues inside AttributeValueList must be of same type');
  }
  if (op === 'BETWEEN') {
    const order = compareScalars(values[0], values[1]);
    if (order === undefined) throw invalidParameter('AttributeValues inside AttributeValueList must be of same type');
    if (order > 0) throw validationError('The BETWEEN condition was provided a range where the lower bound is greater than the upper bound');
  }
  return values;
}

/** One legacy comparison on a top-level attribute, as a condition node. */
function legacyComparison(name: string, op: LegacyOperator, values: AttributeValue[]): ConditionNode {
  const path: Path = [name];
  const subject = { kind: 'path', path } as const;
  const constant = (value: AttributeValue) => ({ kind: 'value', value }) as const;
  const comparator = COMPARATOR[op];
  if (comparator !== undefined) return { kind: 'compare', op: comparator, left: subject, right: constant(values[0]) };
  switch (op) {
    case 'NOT_NULL':
      return { kind: 'exists', path };
    case 'NULL':
      return { kind: 'notExists', path };
    case 'CONTAINS':
      return { kind: 'contains', left: subject, right: constant(values[0]) };
    case 'NOT_CONTAINS':
      // Like the expression `attribute_exists(a) AND NOT contains(a, v)`: a missing attribute does not pass.
      return {
        kind: 'and',
        left: { kind: 'exists', path },
        right: { kind: 'not', operand: { kind: 'contains', left: subject, right: constant(values[0]) } },
      };
    case 'BEGINS_WITH':
      return { kind: 'beginsWith', left: subject, right: constant(values[0]) };
    case 'IN':
      return { kind: 'in', subject, list: values.map(constant) };
    default:
      return { kind: 'between', subject, low: constant(values[0]), high: constant(values[1]) };
  }
}

function combine(nodes: ConditionNode[], conditionalOperator: unknown): ConditionNode | undefined {
  if (nodes.length === 0) return undefined;
  const kind = conditionalOperator === 'OR' ? 'or' : 'and';
  return nodes.reduce((left, right) => ({ kind, left, right }));
}

interface ExpectedEntry {
  Value?: unknown;
  Exists?: unknown;
  ComparisonOperator?: unknown;
  AttributeValueList?: unknown;
}

/** `Expected` (PutItem, UpdateItem, DeleteItem). */
export function translateExpected(expected: Record<string, ExpectedEntry>, conditionalOperator: unknown): ConditionNode | undefined {
  const nodes: ConditionNode[] = [];
  if (Object.keys(expected).length === 0) throw validationError('Expected must not be empty');
  for (const name of Object.keys(expected)) {
    const entry = expected[name] ?? {};
    const hasValue = entry.Value !== undefined && entry.Value !== null;
    const hasOperator = entry.ComparisonOperator !== undefined && entry.ComparisonOperator !== null;
    const hasList = entry.AttributeValueList !== undefined && entry.AttributeValueList !== null;
    const exists = entry.Exists ?? undefined;
    if (hasList && !hasOperator) {
      throw invalidParameter(`AttributeValueList can only be used with a ComparisonOperator for Attribute: ${name}`);
    }
    if (hasList && hasValue) {
      throw invalidParameter(`Value and AttributeValueList cannot be used together for Attribute: ${name}`);
    }
    if (hasOperator) {
      if (exists !== undefined) {
        throw validationError(`1 validation error detected: One or more parameter values were invalid: Exists and ComparisonOperator cannot be used together for Attribute: ${name}`);
      }
      const list = hasList ? entry.AttributeValueList : hasValue ? [entry.Value] : [];
      const values = checkLegacyOperands(entry.ComparisonOperator, list);
      nodes.push(legacyComparison(name, entry.ComparisonOperator as LegacyOperator, values));
    } else if (exists === false) {
      if (hasValue) {
        throw validationError(`1 validation error detected: One or more parameter values were invalid: Value cannot be used when Exists is false for Attribute: ${name}`);
      }
      nodes.push({ kind: 'notExists', path: [name] });
    } else {
      if (!hasValue) {
        throw validationError(
          `1 validation error detected: One or more parameter values were invalid: Value must be provided when Exists is ${exists === true ? 'true' : 'null'} for Attribute: ${name}`,
        );
      }
      nodes.push(legacyComparison(name, 'EQ', [validateAttributeValue(entry.Value)]));
    }
  }
  return combine(nodes, conditionalOperator);
}

/** `QueryFilter` / `ScanFilter`. */
export function translateFilter(
  filter: Record<string, { ComparisonOperator?: unknown; AttributeValueList?: unknown }>,
  conditionalOperator: unknown,
): ConditionNode | undefined {
  const nodes: ConditionNode[] = [];
  for (const name of Object.keys(filter)) {
    const entry = filter[name] ?? {};
    const values = checkLegacyOperands(entry.ComparisonOperator, entry.AttributeValueList);
    nodes.push(legacyComparison(name, entry.ComparisonOperator as LegacyOperator, values));
  }
  return combine(nodes, conditionalOperator);
}

/** `AttributeUpdates` (UpdateItem). */
export function translateAttributeUpdates(updates: Record<string, { Action?: unknown; Value?: unknown }>): UpdateAction[] {
  const actions: UpdateAction[] = [];
  for (const name of Object.keys(updates)) {
    const entry = updates[name] ?? {};
    const action = entry.Action ?? 'PUT';
    const path: Path = [name];
    if (entry.Value === undefined || entry.Value === null) {
      if (action !== 'DELETE') throw invalidParameter('Only DELETE action is allowed when no attribute value is specified');
      actions.push({ kind: 'remove', path });
      continue;
    }
    const value = validateAttributeValue(entry.Value);
    const type = typeOf(value);
    if (action === 'PUT') {
      actions.push({ kind: 'set', path, value: { kind: 'value', value } });
    } else if (action === 'ADD') {
      if (type === 'L') {
        // Legacy ADD appends to a list (creating it when missing).
        const current: UpdateValue = { kind: 'ifNotExists', path, fallback: { kind: 'value', value: { L: [] } } };
        actions.push({ kind: 'set', path, value: { kind: 'listAppend', left: current, right: { kind: 'value', value } } });
      } else if (type === 'N' || type === 'SS' || type === 'NS' || type === 'BS') {
        actions.push({ kind: 'add', path, value });
      } else {
        throw invalidParameter(`ADD action is not supported for the type ${type}`);
      }
    } else {
      if (type !== 'SS' && type !== 'NS' && type !== 'BS') {
        throw invalidParameter(`DELETE action with value is not supported for the type ${type}`);
      }
      actions.push({ kind: 'delete', path, value });
    }
  }
  return actions;
}

/** `AttributesToGet`: top-level names, no duplicates. */
export function translateAttributesToGet(names: unknown[]): Path[] {
  const seen = new Set<string>();
  for (const name of names) {
    if (seen.has(name as string)) throw invalidParameter(`Duplicate value in attribute name: ${String(name)}`);
    seen.add(name as string);
  }
  return [...seen].map((name) => [name]);
}
