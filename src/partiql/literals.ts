/**
 * PartiQL literals and `?` parameters as AttributeValues: 'text' -> S, numbers -> N,
 * true/false -> BOOL, null -> NULL, [..] -> L, {'k': ..} -> M, <<..>> -> SS/NS/BS.
 */
import { validationError } from '../errors.js';
import type { AttributeValue } from '../values/types.js';
import type { Expr } from './ast.js';
import { unsupported } from './errors.js';

export type Parameters = readonly AttributeValue[];

/** True for the expressions that denote a value (no attribute paths, calls or operators). */
export function isValue(expr: Expr): boolean {
  switch (expr.kind) {
    case 'string':
    case 'number':
    case 'bool':
    case 'null':
    case 'param':
      return true;
    case 'list':
    case 'set':
      return expr.items.every(isValue);
    case 'map':
      return expr.entries.every(([, v]) => isValue(v));
    default:
      return false;
  }
}

/** The value of a value expression (see isValue). */
export function bindValue(expr: Expr, params: Parameters): AttributeValue {
  switch (expr.kind) {
    case 'string':
      return { S: expr.value };
    case 'number':
      return { N: expr.text };
    case 'bool':
      return { BOOL: expr.value };
    case 'null':
      return { NULL: true };
    case 'param':
      return params[expr.index]!;
    case 'list':
      return { L: expr.items.map((item) => bindValue(item, params)) };
    case 'map': {
      const map: Record<string, AttributeValue> = {};
      for (const [key, value] of expr.entries) {
        if (Object.prototype.hasOwnProperty.call(map, key)) throw validationError(`Duplicate attribute name in map: ${key}`);
        Object.defineProperty(map, key, { value: bindValue(value, params), enumerable: true, writable: true, configurable: true });
      }
      return { M: map };
    }
    case 'set':
      return bindSet(expr.items.map((item) => bindValue(item, params)));
    default:
      throw unsupported(`${expr.kind} is not a value`);
  }
}

/** A set literal: all members scalars of one type. */
function bindSet(members: AttributeValue[]): AttributeValue {
  if (members.length === 0) throw validationError('One or more parameter values were invalid: Sets may not be empty');
  const type = Object.keys(members[0]!)[0];
  if ((type !== 'S' && type !== 'N' && type !== 'B') || members.some((m) => Object.keys(m)[0] !== type)) {
    throw validationError('Set members must all be strings, all numbers or all binary values');
  }
  const values = members.map((m) => (m as Record<string, string>)[type]!);
  if (type === 'S') return { SS: values };
  if (type === 'N') return { NS: values };
  return { BS: values };
}
