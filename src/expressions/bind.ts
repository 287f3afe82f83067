/**
 * Binding: resolves a parsed tree's placeholders against one request's
 * ExpressionAttributeNames / ExpressionAttributeValues, records which were used, and runs
 * the checks that depend on the values (operand types, BETWEEN bounds).
 */
import { compareScalars } from '../values/compare.js';
import { typeOf, type AttributeValue } from '../values/types.js';
import type {
  ConditionNode, Operand, Path, RawCondition, RawOperand, RawPath, RawSetValue, RawUpdate, UpdateAction, UpdateValue,
} from './ast.js';
import { formatPath } from './documentPath.js';
import { expressionError, operandType, type ExpressionKind } from './errors.js';

export const ATTRIBUTE_TYPES = new Set(['S', 'N', 'B', 'BOOL', 'NULL', 'SS', 'NS', 'BS', 'L', 'M']);

/** One request's placeholder maps and what its expressions used of them. */
export class Bindings {
  readonly usedNames = new Set<string>();
  readonly usedValues = new Set<string>();

  constructor(
    readonly names: Record<string, string> | undefined,
    readonly values: Record<string, AttributeValue> | undefined,
  ) {}

  name(kind: ExpressionKind, ref: string): string {
    const name = this.names !== undefined && Object.hasOwn(this.names, ref) ? this.names[ref] : undefined;
    if (name === undefined) {
      throw expressionError(kind, `An expression attribute name used in the document path is not defined; attribute name: ${ref}`);
    }
    this.usedNames.add(ref);
    return name;
  }

  value(kind: ExpressionKind, ref: string): AttributeValue {
    const value = this.values !== undefined && Object.hasOwn(this.values, ref) ? this.values[ref] : undefined;
    if (value === undefined) {
      throw expressionError(kind, `An expression attribute value used in expression is not defined; attribute value: ${ref}`);
    }
    this.usedValues.add(ref);
    return value;
  }

  path(kind: ExpressionKind, raw: RawPath): Path {
    const path: (string | number)[] = new Array(raw.segments.length);
    for (let i = 0; i < raw.segments.length; i++) {
      const s = raw.segments[i];
      path[i] = s.kind === 'attr' ? s.name : s.kind === 'index' ? s.index : this.name(kind, s.ref);
    }
    return path;
  }
}

/** `AttributeValue: {N:5}` — how DynamoDB prints a constant in BETWEEN messages. */
function describeValue(value: AttributeValue): string {
  const type = typeOf(value);
  return `AttributeValue: {${type}:${JSON.stringify((value as Record<string, unknown>)[type]).replace(/^"|"$/g, '')}}`;
}

function isScalar(value: AttributeValue): boolean {
  const t = typeOf(value);
  return t === 'S' || t === 'N' || t === 'B';
}

function samePath(a: Path, b: Path): boolean {
  return a.length === b.length && a.every((s, i) => s === b[i]);
}

export function bindCondition(kind: ExpressionKind, raw: RawCondition, b: Bindings): ConditionNode {
  switch (raw.kind) {
    case 'and':
    case 'or':
      return { kind: raw.kind, left: bindCondition(kind, raw.left, b), right: bindCondition(kind, raw.right, b) };
    case 'not':
      return { kind: 'not', operand: bindCondition(kind, raw.operand, b) };
    case 'compare': {
      const left = bindOperand(kind, raw.left, b);
      const right = bindOperand(kind, raw.right, b);
      checkDistinct(kind, raw.op, left, [right]);
      if (raw.op !== '=' && raw.op !== '<>') {
        checkScalarConstant(kind, raw.op, left);
        checkScalarConstant(kind, raw.op, right);
      }
      return { kind: 'compare', op: raw.op, left, right };
    }
    case 'between': {
      const subject = bindOperand(kind, raw.subject, b);
      const low = bindOperand(kind, raw.low, b);
      const high = bindOperand(kind, raw.high, b);
      checkDistinct(kind, 'BETWEEN', subject, [low, high]);
      for (const operand of [subject, low, high]) checkScalarConstant(kind, 'BETWEEN', operand);
      if (low.kind === 'value' && high.kind === 'value') checkBounds(kind, low.value, high.value);
      return { kind: 'between', subject, low, high };
    }
    case 'in': {
      const subject = bindOperand(kind, raw.subject, b);
      const list = raw.list.map((o) => bindOperand(kind, o, b));
      checkDistinct(kind, 'IN', subject, list);
      return { kind: 'in', subject, list };
    }
    case 'function':
      return bindFunction(kind, raw.call.name, raw.call.args, b);
  }
}

function bindFunction(kind: ExpressionKind, name: string, args: RawOperand[], b: Bindings): ConditionNode {
  switch (name) {
    case 'attribute_exists':
    case 'attribute_not_exists':
      return { kind: name === 'attribute_exists' ? 'exists' : 'notExists', path: b.path(kind, args[0] as RawPath) };
    case 'attribute_type': {
      const path = b.path(kind, args[0] as RawPath);
      const type = bindOperand(kind, args[1], b);
      if (type.kind === 'value') {
        const t = typeOf(type.value);
        if (t !== 'S') throw operandType(kind, name, t);
        const typeName = (type.value as { S: string }).S;
        if (!ATTRIBUTE_TYPES.has(typeName)) {
          throw expressionError(
            kind,
            `Invalid attribute type name found; type: ${typeName}, valid types: { B; NULL; SS; BOOL; L; BS; N; NS; S; M }`,
          );
        }
      }
      return { kind: 'attributeType', path, type };
    }
    default: {
      // begins_with, contains
      const left = bindOperand(kind, args[0], b);
      const right = bindOperand(kind, args[1], b);
      if (name === 'begins_with') {
        for (const operand of [left, right]) {
          if (operand.kind === 'value') {
            const t = typeOf(operand.value);
            if (t !== 'S' && t !== 'B') throw operandType(kind, name, t);
          }
        }
      }
      checkDistinct(kind, name, left, [right]);
      return { kind: name === 'begins_with' ? 'beginsWith' : 'contains', left, right };
    }
  }
}

function bindOperand(kind: ExpressionKind, raw: RawOperand, b: Bindings): Operand {
  if (raw.kind === 'path') return { kind: 'path', path: b.path(kind, raw) };
  if (raw.kind === 'value') return { kind: 'value', value: b.value(kind, raw.ref) };
  // The parser only lets `size(path)` through as a condition operand.
  return { kind: 'size', path: b.path(kind, raw.args[0] as RawPath) };
}

function checkScalarConstant(kind: ExpressionKind, op: string, operand: Operand): void {
  if (operand.kind === 'value' && !isScalar(operand.value)) throw operandType(kind, op, typeOf(operand.value));
}

function checkDistinct(kind: ExpressionKind, op: string, first: Operand, rest: Operand[]): void {
  if (first.kind !== 'path') return;
  for (const other of rest) {
    if (other.kind === 'path' && samePath(first.path, other.path)) {
      throw expressionError(
        kind,
        `The first operand must be distinct from the remaining operands for this operator or function; operator: ${op}, first operand: ${formatPath(first.path)}`,
      );
    }
  }
}

function checkBounds(kind: ExpressionKind, low: AttributeValue, high: AttributeValue): void {
  const order = compareScalars(low, high);
  if (order === undefined) {
    throw expressionError(
      kind,
      `The BETWEEN operator requires same data type for lower and upper bounds; lower bound operand: ${describeValue(low)}, upper bound operand: ${describeValue(high)}`,
    );
  }
  if (order > 0) {
    throw expressionError(
      kind,
      `The BETWEEN operator requires upper bound to be greater than or equal to lower bound; lower bound operand: ${describeValue(low)}, upper bound operand: ${describeValue(high)}`,
    );
  }
}

// ---- update ----

/** DynamoDB names operand types in ADD/DELETE messages with long names. */
const LONG_TYPE_NAMES: Record<string, string> = {
  S: 'STRING', N: 'NUMBER', B: 'BINARY', BOOL: 'BOOLEAN', NULL: 'NULL', SS: 'STRING_SET', NS: 'NUMBER_SET',
  BS: 'BINARY_SET', L: 'LIST', M: 'MAP',
};

export function bindUpdate(raw: RawUpdate, b: Bindings): UpdateAction[] {
  const kind: ExpressionKind = 'UpdateExpression';
  const actions: UpdateAction[] = [];
  for (const set of raw.set) {
    actions.push({ kind: 'set', path: b.path(kind, set.path), value: bindSetValue(set.value, b) });
  }
  for (const path of raw.remove) actions.push({ kind: 'remove', path: b.path(kind, path) });
  for (const add of raw.add) {
    const path = b.path(kind, add.path);
    const value = b.value(kind, add.value.ref);
    const t = typeOf(value);
    if (t !== 'N' && t !== 'SS' && t !== 'NS' && t !== 'BS') throw addDeleteOperandType('ADD', t);
    actions.push({ kind: 'add', path, value });
  }
  for (const del of raw.delete) {
    const path = b.path(kind, del.path);
    const value = b.value(kind, del.value.ref);
    const t = typeOf(value);
    if (t !== 'SS' && t !== 'NS' && t !== 'BS') throw addDeleteOperandType('DELETE', t);
    actions.push({ kind: 'delete', path, value });
  }
  return actions;
}

function addDeleteOperandType(operator: string, type: string) {
  return expressionError(
    'UpdateExpression',
    `Incorrect operand type for operator or function; operator: ${operator}, operand type: ${LONG_TYPE_NAMES[type]}`,
  );
}

function bindSetValue(raw: RawSetValue, b: Bindings): UpdateValue {
  const kind: ExpressionKind = 'UpdateExpression';
  switch (raw.kind) {
    case 'path':
      return { kind: 'path', path: b.path(kind, raw) };
    case 'value':
      return { kind: 'value', value: b.value(kind, raw.ref) };
    case 'arith': {
      const left = bindSetValue(raw.left, b);
      const right = bindSetValue(raw.right, b);
      for (const operand of [left, right]) {
        if (operand.kind === 'value' && typeOf(operand.value) !== 'N') throw operandType(kind, raw.op, typeOf(operand.value));
      }
      return { kind: 'arith', op: raw.op, left, right };
    }
    case 'call': {
      if (raw.name === 'if_not_exists') {
        return { kind: 'ifNotExists', path: b.path(kind, raw.args[0] as RawPath), fallback: bindSetValue(raw.args[1], b) };
      }
      const left = bindSetValue(raw.args[0], b);
      const right = bindSetValue(raw.args[1], b);
      for (const operand of [left, right]) {
        if (operand.kind === 'value' && typeOf(operand.value) !== 'L') {
          throw operandType(kind, 'list_append', typeOf(operand.value));
        }
      }
      return { kind: 'listAppend', left, right };
    }
  }
}
