/**
 * What a WHERE clause says about the primary key: which partitions it pins (equality or
 * IN on the partition key, also as an OR of equalities), which sort-key condition can
 * narrow a Query, and what is left over as a filter or condition.
 */
import type { KeySchemaInfo } from '../values/keys.js';
import type { Expr } from './ast.js';
import { isValue } from './literals.js';

export type KeyNames = Pick<KeySchemaInfo, 'hashKey' | 'rangeKey'>;

/** The conjuncts of a condition: `a AND (b AND c)` -> [a, b, c]. */
export function conjuncts(expr: Expr | undefined): Expr[] {
  if (expr === undefined) return [];
  if (expr.kind === 'and') return [...conjuncts(expr.left), ...conjuncts(expr.right)];
  return [expr];
}

export function joinConjuncts(parts: Expr[]): Expr | undefined {
  return parts.reduce<Expr | undefined>((left, right) => (left === undefined ? right : { kind: 'and', left, right }), undefined);
}

function isAttribute(expr: Expr, name: string): boolean {
  return expr.kind === 'path' && expr.steps.length === 1 && expr.steps[0] === name;
}

/** The value `name = value` (either way round) compares with, or undefined. */
export function equalityValue(expr: Expr, name: string): Expr | undefined {
  if (expr.kind !== 'compare' || expr.op !== '=') return undefined;
  if (isAttribute(expr.left, name) && isValue(expr.right)) return expr.right;
  if (isAttribute(expr.right, name) && isValue(expr.left)) return expr.left;
  return undefined;
}

/** The partition key values one conjunct pins, or undefined when it pins none. */
function pinnedPartitions(expr: Expr, hashKey: string): Expr[] | undefined {
  const single = equalityValue(expr, hashKey);
  if (single !== undefined) return [single];
  if (expr.kind === 'in' && isAttribute(expr.subject, hashKey) && expr.list.length > 0 && expr.list.every(isValue)) return expr.list;
  if (expr.kind === 'or') {
    const left = pinnedPartitions(expr.left, hashKey);
    const right = left && pinnedPartitions(expr.right, hashKey);
    return left && right ? [...left, ...right] : undefined;
  }
  return undefined;
}

const FLIPPED = { '=': '=', '<': '>', '<=': '>=', '>': '<', '>=': '<=' } as const;

/** The conjunct as a Query sort-key condition (sort key on the left), or undefined. */
function sortKeyCondition(expr: Expr, rangeKey: string): Expr | undefined {
  if (expr.kind === 'compare' && expr.op !== '<>') {
    if (isAttribute(expr.left, rangeKey) && isValue(expr.right)) return expr;
    if (isAttribute(expr.right, rangeKey) && isValue(expr.left)) return { kind: 'compare', op: FLIPPED[expr.op], left: expr.right, right: expr.left };
  }
  if (expr.kind === 'between' && isAttribute(expr.subject, rangeKey) && isValue(expr.low) && isValue(expr.high)) return expr;
  if (expr.kind === 'call' && expr.name === 'begins_with' && expr.args.length === 2 && isAttribute(expr.args[0]!, rangeKey) && isValue(expr.args[1]!)) {
    return expr;
  }
  return undefined;
}

export interface ReadKeyPlan {
  /** The partition key values to query; undefined: scan. */
  partitions?: Expr[];
  sortCondition?: Expr;
  filter?: Expr;
}

export function planRead(where: Expr | undefined, keys: KeyNames): ReadKeyPlan {
  const parts = conjuncts(where);
  const pinIndex = parts.findIndex((p) => pinnedPartitions(p, keys.hashKey) !== undefined);
  if (pinIndex < 0) return { filter: where };
  const partitions = pinnedPartitions(parts[pinIndex]!, keys.hashKey)!;
  const rest = parts.filter((_, i) => i !== pinIndex);
  let sortCondition: Expr | undefined;
  if (keys.rangeKey !== undefined) {
    const sortIndex = rest.findIndex((p) => sortKeyCondition(p, keys.rangeKey!) !== undefined);
    if (sortIndex >= 0) {
      sortCondition = sortKeyCondition(rest[sortIndex]!, keys.rangeKey);
      rest.splice(sortIndex, 1);
    }
  }
  return { partitions, sortCondition, filter: joinConjuncts(rest) };
}

/** The full primary key a write (or single-item read) names, and the remaining condition. */
export function planKeyLookup(where: Expr | undefined, keys: KeyNames): { key: [string, Expr][]; rest?: Expr } | undefined {
  const parts = conjuncts(where);
  const key: [string, Expr][] = [];
  for (const name of keys.rangeKey === undefined ? [keys.hashKey] : [keys.hashKey, keys.rangeKey]) {
    const index = parts.findIndex((p) => equalityValue(p, name) !== undefined);
    if (index < 0) return undefined;
    key.push([name, equalityValue(parts[index]!, name)!]);
    parts.splice(index, 1);
  }
  return { key, rest: joinConjuncts(parts) };
}
