/**
 * Writes PartiQL conditions, paths and update values as DynamoDB expression text, with
 * every name and value behind a placeholder (#n0, :v0) — so a statement runs through the
 * same expression compiler, and the same item operations, as the JSON API.
 */
import { validationError } from '../errors.js';
import type { AttributeValue } from '../values/types.js';
import type { Expr, PathExpr } from './ast.js';
import { unsupported } from './errors.js';
import { bindValue, isValue, type Parameters } from './literals.js';

const NULL_TYPE: AttributeValue = { S: 'NULL' };

export class ExpressionWriter {
  readonly names: Record<string, string> = {};
  readonly values: Record<string, AttributeValue> = {};
  private readonly nameIds = new Map<string, string>();
  private valueCount = 0;

  constructor(private readonly params: Parameters) {}

  /** The placeholders, for a request (absent when unused, as the item API requires). */
  placeholders(): { ExpressionAttributeNames?: Record<string, string>; ExpressionAttributeValues?: Record<string, AttributeValue> } {
    const out: { ExpressionAttributeNames?: Record<string, string>; ExpressionAttributeValues?: Record<string, AttributeValue> } = {};
    if (this.nameIds.size > 0) out.ExpressionAttributeNames = this.names;
    if (this.valueCount > 0) out.ExpressionAttributeValues = this.values;
    return out;
  }

  name(name: string): string {
    let id = this.nameIds.get(name);
    if (id === undefined) {
      id = `#n${this.nameIds.size}`;
      this.nameIds.set(name, id);
      this.names[id] = name;
    }
    return id;
  }

  value(value: AttributeValue): string {
    const id = `:v${this.valueCount++}`;
    this.values[id] = value;
    return id;
  }

  path(path: PathExpr): string {
    let text = '';
    for (const step of path.steps) {
      if (typeof step === 'number') text += `[${step}]`;
      else text += (text === '' ? '' : '.') + this.name(step);
    }
    return text;
  }

  /** A comparison operand: a path, a value, or size(path). */
  operand(expr: Expr): string {
    if (expr.kind === 'path') return this.path(expr);
    if (isValue(expr)) return this.value(bindValue(expr, this.params));
    if (expr.kind === 'call' && expr.name === 'size') return `size(${this.pathArgument(expr, 0, 1)})`;
    if (expr.kind === 'arith') throw unsupported('Arithmetic is only supported in the SET clause of an UPDATE statement');
    throw unsupported(`Invalid operand in a condition: ${describe(expr)}`);
  }

  condition(expr: Expr): string {
    switch (expr.kind) {
      case 'and':
      case 'or':
        return `(${this.condition(expr.left)}) ${expr.kind.toUpperCase()} (${this.condition(expr.right)})`;
      case 'not':
        return `NOT (${this.condition(expr.operand)})`;
      case 'compare':
        if (expr.right.kind === 'missing' || expr.left.kind === 'missing') return this.missingComparison(expr.op, expr.left, expr.right);
        return `${this.operand(expr.left)} ${expr.op} ${this.operand(expr.right)}`;
      case 'between':
        return `${this.operand(expr.subject)} BETWEEN ${this.operand(expr.low)} AND ${this.operand(expr.high)}`;
      case 'in':
        if (expr.list.length === 0) throw unsupported('IN requires at least one value');
        return `${this.operand(expr.subject)} IN (${expr.list.map((e) => this.operand(e)).join(', ')})`;
      case 'is':
        return this.isCheck(expr.subject, expr.what, expr.negated);
      case 'call':
        return this.conditionCall(expr);
      default:
        throw unsupported(`Not a condition: ${describe(expr)}`);
    }
  }

  /** `a IS [NOT] MISSING`; `a IS NULL` holds for a NULL value or no value, as in PartiQL. */
  private isCheck(subject: Expr, what: 'MISSING' | 'NULL', negated: boolean): string {
    if (subject.kind !== 'path') throw unsupported('IS MISSING and IS NULL apply to attribute paths only');
    const path = this.path(subject);
    if (what === 'MISSING') return negated ? `attribute_exists(${path})` : `attribute_not_exists(${path})`;
    const type = this.value(NULL_TYPE);
    return negated
      ? `(attribute_exists(${path}) AND NOT attribute_type(${path}, ${type}))`
      : `(attribute_not_exists(${path}) OR attribute_type(${path}, ${type}))`;
  }

  private missingComparison(op: string, left: Expr, right: Expr): string {
    const subject = left.kind === 'missing' ? right : left;
    if (op !== '=' && op !== '<>') throw unsupported('MISSING can only be compared with = or <>');
    return this.isCheck(subject, 'MISSING', op === '<>');
  }

  private conditionCall(expr: Extract<Expr, { kind: 'call' }>): string {
    switch (expr.name) {
      case 'begins_with':
      case 'contains':
        return `${expr.name}(${this.pathArgument(expr, 0, 2)}, ${this.operand(expr.args[1]!)})`;
      case 'attribute_type':
        return `attribute_type(${this.pathArgument(expr, 0, 2)}, ${this.operand(expr.args[1]!)})`;
      case 'exists':
        throw unsupported('EXISTS is only supported as a statement of ExecuteTransaction');
      default:
        throw unsupported(`Function ${expr.name} is not supported in a condition`);
    }
  }

  /** The path argument `index` of a call taking `arity` arguments. */
  private pathArgument(expr: Extract<Expr, { kind: 'call' }>, index: number, arity: number): string {
    if (expr.args.length !== arity) throw validationError(`Incorrect number of arguments for function ${expr.name}: expected ${arity}, got ${expr.args.length}`);
    const arg = expr.args[index]!;
    if (arg.kind !== 'path') throw unsupported(`The first argument of ${expr.name} must be an attribute path`);
    return this.path(arg);
  }

  /** The right-hand side of `SET path = value`. */
  setValue(expr: Expr): string {
    if (expr.kind === 'arith') return `${this.setOperand(expr.left)} ${expr.op} ${this.setOperand(expr.right)}`;
    return this.setOperand(expr);
  }

  private setOperand(expr: Expr): string {
    if (expr.kind === 'path') return this.path(expr);
    if (isValue(expr)) return this.value(bindValue(expr, this.params));
    if (expr.kind === 'call' && expr.name === 'list_append' && expr.args.length === 2) {
      return `list_append(${this.setOperand(expr.args[0]!)}, ${this.setOperand(expr.args[1]!)})`;
    }
    if (expr.kind === 'call' && expr.name === 'if_not_exists' && expr.args.length === 2) {
      return `if_not_exists(${this.pathArgument(expr, 0, 2)}, ${this.setOperand(expr.args[1]!)})`;
    }
    throw unsupported(`Invalid value in the SET clause: ${describe(expr)}`);
  }
}

function describe(expr: Expr): string {
  if (expr.kind === 'call') return `${expr.name}()`;
  return expr.kind;
}
