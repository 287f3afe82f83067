/**
 * Compiles a resolved condition tree into closures once per request, so evaluating it
 * against many items (Scan/Query filters) does no tree walking or string work.
 */
import { base64ByteLength } from '../values/base64.js';
import { compareScalars, valuesEqual } from '../values/compare.js';
import { typeOf, type AttributeValue, type Item } from '../values/types.js';
import type { ConditionNode, Operand, Path } from './ast.js';
import { getPath, ownValue } from './documentPath.js';

export type ItemTest = (item: Item | undefined) => boolean;
type OperandFn = (item: Item | undefined) => AttributeValue | undefined;

export function compileCondition(node: ConditionNode): ItemTest {
  switch (node.kind) {
    case 'and': {
      const left = compileCondition(node.left);
      const right = compileCondition(node.right);
      return (item) => left(item) && right(item);
    }
    case 'or': {
      const left = compileCondition(node.left);
      const right = compileCondition(node.right);
      return (item) => left(item) || right(item);
    }
    case 'not': {
      const operand = compileCondition(node.operand);
      return (item) => !operand(item);
    }
    case 'compare':
      return compileComparison(node.op, compileOperand(node.left), compileOperand(node.right));
    case 'between': {
      const subject = compileOperand(node.subject);
      const low = compileOperand(node.low);
      const high = compileOperand(node.high);
      return (item) => {
        const v = subject(item);
        const lo = low(item);
        const hi = high(item);
        if (v === undefined || lo === undefined || hi === undefined) return false;
        const a = compareScalars(v, lo);
        if (a === undefined || a < 0) return false;
        const b = compareScalars(v, hi);
        return b !== undefined && b <= 0;
      };
    }
    case 'in': {
      const subject = compileOperand(node.subject);
      const list = node.list.map(compileOperand);
      return (item) => {
        const v = subject(item);
        if (v === undefined) return false;
        for (const candidate of list) {
          const c = candidate(item);
          if (c !== undefined && valuesEqual(v, c)) return true;
        }
        return false;
      };
    }
    case 'exists': {
      const get = pathGetter(node.path);
      return (item) => get(item) !== undefined;
    }
    case 'notExists': {
      const get = pathGetter(node.path);
      return (item) => get(item) === undefined;
    }
    case 'attributeType': {
      const get = pathGetter(node.path);
      const type = compileOperand(node.type);
      return (item) => {
        const v = get(item);
        const t = type(item);
        return v !== undefined && t !== undefined && 'S' in t && typeOf(v) === t.S;
      };
    }
    case 'beginsWith': {
      const left = compileOperand(node.left);
      const right = compileOperand(node.right);
      return (item) => beginsWith(left(item), right(item));
    }
    case 'contains': {
      const left = compileOperand(node.left);
      const right = compileOperand(node.right);
      return (item) => contains(left(item), right(item));
    }
  }
}

function compileComparison(op: string, left: OperandFn, right: OperandFn): ItemTest {
  switch (op) {
    case '=':
      return (item) => {
        const a = left(item);
        const b = right(item);
        return a !== undefined && b !== undefined && valuesEqual(a, b);
      };
    case '<>':
      return (item) => {
        const a = left(item);
        const b = right(item);
        return !(a !== undefined && b !== undefined && valuesEqual(a, b));
      };
    default: {
      const accept: (order: number) => boolean =
        op === '<' ? (o) => o < 0 : op === '<=' ? (o) => o <= 0 : op === '>' ? (o) => o > 0 : (o) => o >= 0;
      return (item) => {
        const a = left(item);
        const b = right(item);
        if (a === undefined || b === undefined) return false;
        const order = compareScalars(a, b);
        return order !== undefined && accept(order);
      };
    }
  }
}

function pathGetter(path: Path): OperandFn {
  if (path.length === 1) {
    const name = path[0] as string;
    return (item) => (item === undefined ? undefined : ownValue(item, name));
  }
  return (item) => getPath(item, path);
}

function compileOperand(operand: Operand): OperandFn {
  if (operand.kind === 'value') {
    const value = operand.value;
    return () => value;
  }
  const get = pathGetter(operand.path);
  if (operand.kind === 'path') return get;
  return (item) => {
    const size = sizeOf(get(item));
    return size === undefined ? undefined : { N: String(size) };
  };
}

/** size(): string length in UTF-16 code units (as DynamoDB counts), bytes of a binary, elements otherwise. */
export function sizeOf(value: AttributeValue | undefined): number | undefined {
  if (value === undefined) return undefined;
  if ('S' in value) return value.S.length;
  if ('B' in value) return base64ByteLength(value.B);
  if ('SS' in value) return value.SS.length;
  if ('NS' in value) return value.NS.length;
  if ('BS' in value) return value.BS.length;
  if ('L' in value) return value.L.length;
  if ('M' in value) return Object.keys(value.M).length;
  return undefined;
}

export function beginsWith(value: AttributeValue | undefined, prefix: AttributeValue | undefined): boolean {
  if (value === undefined || prefix === undefined) return false;
  if ('S' in value && 'S' in prefix) return value.S.startsWith(prefix.S);
  if ('B' in value && 'B' in prefix) {
    const bytes = Buffer.from(value.B, 'base64');
    const start = Buffer.from(prefix.B, 'base64');
    return start.length <= bytes.length && bytes.subarray(0, start.length).equals(start);
  }
  return false;
}

export function contains(value: AttributeValue | undefined, element: AttributeValue | undefined): boolean {
  if (value === undefined || element === undefined) return false;
  if ('S' in value) return 'S' in element && value.S.includes(element.S);
  if ('B' in value) return 'B' in element && Buffer.from(value.B, 'base64').includes(Buffer.from(element.B, 'base64'));
  if ('SS' in value) return 'S' in element && value.SS.includes(element.S);
  if ('NS' in value) return 'N' in element && value.NS.some((n) => valuesEqual({ N: n }, element));
  if ('BS' in value) return 'B' in element && value.BS.some((b) => valuesEqual({ B: b }, element));
  if ('L' in value) return value.L.some((e) => valuesEqual(e, element));
  return false;
}
