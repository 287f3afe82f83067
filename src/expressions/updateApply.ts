/**
 * Applies a resolved update (SET / REMOVE / ADD / DELETE actions) to an item, copying
 * only the containers it changes. Every right-hand side is evaluated against the item
 * as it was before the update, as DynamoDB does.
 */
import { invalidParameter } from '../errors.js';
import type { KeySchemaInfo } from '../values/keys.js';
import { addNumbers, subtractNumbers } from '../values/numbers.js';
import { setAttribute, typeOf, type AttributeMap, type AttributeValue, type Item } from '../values/types.js';
import type { Path, UpdateAction, UpdateValue } from './ast.js';
import { getPath, ownValue } from './documentPath.js';
import { incorrectOperandType, invalidUpdatePath, missingOperandAttribute } from './errors.js';

export function checkKeyNotUpdated(actions: readonly UpdateAction[], keySchema: KeySchemaInfo): void {
  for (const action of actions) {
    const top = action.path[0];
    if (top === keySchema.hashKey || top === keySchema.rangeKey) {
      throw invalidParameter(`Cannot update attribute ${top}. This attribute is part of the key`);
    }
  }
}

/** Evaluates a SET right-hand side against the original item. */
function evaluate(value: UpdateValue, item: Item): AttributeValue {
  switch (value.kind) {
    case 'value':
      return value.value;
    case 'path': {
      const found = getPath(item, value.path);
      if (found === undefined) throw missingOperandAttribute();
      return found;
    }
    case 'ifNotExists':
      return getPath(item, value.path) ?? evaluate(value.fallback, item);
    case 'listAppend': {
      const left = evaluate(value.left, item);
      const right = evaluate(value.right, item);
      if (!('L' in left) || !('L' in right)) throw incorrectOperandType();
      return { L: left.L.concat(right.L) };
    }
    case 'arith': {
      const left = evaluate(value.left, item);
      const right = evaluate(value.right, item);
      if (!('N' in left) || !('N' in right)) throw incorrectOperandType();
      return { N: value.op === '+' ? addNumbers(left.N, right.N) : subtractNumbers(left.N, right.N) };
    }
  }
}

type SetType = 'SS' | 'NS' | 'BS';

function setMembers(value: AttributeValue): string[] {
  return (value as Record<SetType, string[]>)[typeOf(value) as SetType];
}

/** ADD: numbers are summed, sets unioned; a missing attribute takes the operand as is. */
function added(current: AttributeValue | undefined, operand: AttributeValue): AttributeValue {
  if (current === undefined) return operand;
  const type = typeOf(operand);
  if (typeOf(current) !== type) throw incorrectOperandType();
  if (type === 'N') return { N: addNumbers((current as { N: string }).N, (operand as { N: string }).N) };
  const members = setMembers(current);
  const have = new Set(members);
  const union = members.slice();
  for (const m of setMembers(operand)) if (!have.has(m)) union.push(m);
  return { [type]: union } as AttributeValue;
}

/** DELETE: removes set members; undefined when the set would be empty (the attribute goes). */
function deleted(current: AttributeValue, operand: AttributeValue): AttributeValue | undefined {
  const type = typeOf(operand);
  if (typeOf(current) !== type) throw incorrectOperandType();
  const drop = new Set(setMembers(operand));
  const rest = setMembers(current).filter((m) => !drop.has(m));
  return rest.length === 0 ? undefined : ({ [type]: rest } as AttributeValue);
}

/** Copy-on-write access to the container holding a path's last segment. */
class Writer {
  private readonly copies = new Set<object>();

  constructor(readonly root: Item) {
    this.copies.add(root);
  }

  /** The (copied) map or list that holds `path`'s last segment; undefined when a parent is missing or of the wrong type. */
  parent(path: Path): AttributeMap | AttributeValue[] | undefined {
    let container: AttributeMap | AttributeValue[] = this.root;
    for (let i = 0; i < path.length - 1; i++) {
      const segment = path[i];
      const child: AttributeValue | undefined = Array.isArray(container)
        ? (container[segment as number] as AttributeValue | undefined)
        : ownValue(container, segment as string);
      if (child === undefined) return undefined;
      const wantsList = typeof path[i + 1] === 'number';
      let inner: AttributeMap | AttributeValue[];
      if (wantsList) {
        if (!('L' in child)) return undefined;
        inner = child.L;
      } else {
        if (!('M' in child)) return undefined;
        inner = child.M;
      }
      if (!this.copies.has(inner)) {
        inner = Array.isArray(inner) ? inner.slice() : { ...inner };
        this.copies.add(inner);
        const copy = (wantsList ? { L: inner } : { M: inner }) as AttributeValue;
        if (Array.isArray(container)) container[segment as number] = copy;
        else setAttribute(container, segment as string, copy);
      }
      container = inner;
    }
    return container;
  }

  put(path: Path, value: AttributeValue): void {
    const container = this.parent(path);
    const last = path[path.length - 1];
    if (container === undefined || Array.isArray(container) !== (typeof last === 'number')) throw invalidUpdatePath();
    if (Array.isArray(container)) {
      // Past the end appends, as DynamoDB does.
      const index = last as number;
      if (index >= container.length) container.push(value);
      else container[index] = value;
    } else {
      setAttribute(container, last as string, value);
    }
  }

  remove(path: Path): void {
    const container = this.parent(path);
    const last = path[path.length - 1];
    if (container === undefined || Array.isArray(container) !== (typeof last === 'number')) throw invalidUpdatePath();
    if (Array.isArray(container)) {
      if ((last as number) < container.length) container.splice(last as number, 1);
    } else if (Object.hasOwn(container, last as string)) {
      delete container[last as string];
    }
  }
}

/** The item after the update; `base` (the stored item, or the key for a new one) is not modified. */
export function applyActions(actions: readonly UpdateAction[], base: Item): Item {
  // Evaluate every operand first: all of them see the item before the update.
  const results: (AttributeValue | undefined)[] = new Array(actions.length);
  for (let i = 0; i < actions.length; i++) {
    const action = actions[i];
    if (action.kind === 'set') results[i] = evaluate(action.value, base);
    else if (action.kind === 'add') results[i] = added(getPath(base, action.path), action.value);
    else if (action.kind === 'delete') {
      const current = getPath(base, action.path);
      results[i] = current === undefined ? current : deleted(current, action.value);
    }
  }
  const writer = new Writer({ ...base });
  const removals: Path[] = [];
  for (let i = 0; i < actions.length; i++) {
    const action = actions[i];
    if (action.kind === 'remove') removals.push(action.path);
    else if (action.kind === 'delete') {
      if (results[i] !== undefined) writer.put(action.path, results[i]!);
      else if (getPath(base, action.path) !== undefined) removals.push(action.path);
    } else writer.put(action.path, results[i]!);
  }
  // List indexes in REMOVE name elements of the original list.
  removals.sort(compareForRemoval);
  for (const path of removals) writer.remove(path);
  return writer.root;
}

/**
 * Orders removals so that no removal shifts a list element another one still names:
 * lexicographically, with list indexes descending.
 */
function compareForRemoval(a: Path, b: Path): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a[i];
    const y = b[i];
    if (x === y) continue;
    if (typeof x === 'number' && typeof y === 'number') return y - x;
    return String(x) < String(y) ? -1 : 1;
  }
  return a.length - b.length;
}
