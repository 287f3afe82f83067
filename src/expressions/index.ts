/**
 * The expression language, shared by every item operation: compile a request's
 * expressions (or legacy parameters) once, then evaluate them against items.
 */
import type { KeySchemaInfo } from '../values/keys.js';
import type { Item } from '../values/types.js';
import type { Condition, Update } from './compileRequest.js';
import { projectItem, type Projection } from './projection.js';
import { applyActions, checkKeyNotUpdated } from './updateApply.js';

export { compileRequest, makeCondition } from './compileRequest.js';
export type { CompiledRequest, Condition, Operation, Update } from './compileRequest.js';
export type { KeyCondition, RangeOp } from './keyCondition.js';
export type { Projection } from './projection.js';
export type { ConditionNode, Path, UpdateAction } from './ast.js';
export { getPath } from './documentPath.js';

/** True when the item (undefined: no item) satisfies the condition. */
export function evaluateCondition(condition: Condition, item: Item | undefined): boolean {
  return condition.test(item);
}

/**
 * Applies an update to the stored item (undefined when there is none: the new item starts
 * from `key`). Returns the new item and the touched paths before and after, which are
 * what ReturnValues UPDATED_OLD / UPDATED_NEW return. The input item is not modified.
 */
export function applyUpdate(
  update: Update,
  item: Item | undefined,
  keySchema: KeySchemaInfo,
  key: Item,
): { item: Item; updatedOld: Item; updatedNew: Item } {
  checkKeyNotUpdated(update.actions, keySchema);
  const next = applyActions(update.actions, item ?? key);
  return {
    item: next,
    updatedOld: item === undefined ? {} : projectItem(update.touched, item),
    updatedNew: projectItem(update.touched, next),
  };
}

export function applyProjection(projection: Projection, item: Item): Item {
  return projectItem(projection, item);
}

/** The top-level attribute names a projection reads (for index projections). */
export function projectionTopLevelNames(projection: Projection): string[] {
  return [...projection.top.keys()];
}
