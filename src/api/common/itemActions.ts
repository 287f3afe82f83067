/**
 * How each kind of item write decides an item's next state from its current one — the
 * per-item rules shared by the single-item operations and the transactional ones.
 * Each returns a Mutation for Database.writeItem / writeItems / transactItems; a failed
 * condition throws ConditionalCheckFailedException, a type error in an update a
 * ValidationException.
 */
import { applyUpdate, type CompiledRequest, type UpdateAction } from '../../expressions/index.js';
import type { Table } from '../../engine/table.js';
import { blindMutation, type Mutation } from '../../engine/itemWrite.js';
import { checkItemSize } from '../../values/size.js';
import type { Item } from '../../values/types.js';
import { enforceCondition } from './conditions.js';

/** `itemBytes`: the item's DynamoDB size, when the caller has already measured it. */
/** `itemJson`: the item's JSON text when it may be stored as it is (see wireItem.ts). */
export function putMutation(compiled: CompiledRequest, item: Item, returnOnFailure: unknown, itemBytes?: number, itemJson?: Buffer): Mutation {
  if (compiled.condition === undefined) return blindMutation(() => item, itemBytes, itemJson);
  const mutation: Mutation = (old) => {
    enforceCondition(compiled, old, returnOnFailure);
    return item;
  };
  if (itemBytes !== undefined) mutation.nextSize = itemBytes;
  if (itemJson !== undefined) mutation.nextJson = itemJson;
  return mutation;
}

export function deleteMutation(compiled: CompiledRequest, returnOnFailure: unknown): Mutation {
  if (compiled.condition === undefined) return blindMutation(() => undefined);
  return (old) => {
    enforceCondition(compiled, old, returnOnFailure);
    return undefined;
  };
}

/** A condition check: the item stays as it is (callers must not store the result). */
export function checkMutation(compiled: CompiledRequest, returnOnFailure: unknown): Mutation {
  return (old) => {
    enforceCondition(compiled, old, returnOnFailure);
    return old;
  };
}

/** The update's paths before and after, for ReturnValues UPDATED_OLD / UPDATED_NEW. */
export interface UpdatedPaths {
  updatedOld: Item;
  updatedNew: Item;
}

function removesOnly(actions: readonly UpdateAction[]): boolean {
  return actions.length > 0 && actions.every((a) => a.kind === 'remove' || a.kind === 'delete');
}

export function updateMutation(
  compiled: CompiledRequest,
  table: Table,
  key: Item,
  returnOnFailure: unknown,
  touched?: UpdatedPaths,
): Mutation {
  const mutation: Mutation = (old) => {
    enforceCondition(compiled, old, returnOnFailure);
    mutation.nextSize = undefined;
    if (compiled.update === undefined) return old ?? { ...key };
    // Removing or deleting from an item that does not exist creates none (an empty update does).
    if (old === undefined && removesOnly(compiled.update.actions)) return undefined;
    const applied = applyUpdate(compiled.update, old, table.schema, key);
    // Measured once here for the limit, and handed to the write so it need not measure again.
    mutation.nextSize = checkItemSize(applied.item);
    if (touched !== undefined) {
      touched.updatedOld = applied.updatedOld;
      touched.updatedNew = applied.updatedNew;
    }
    return applied.item;
  };
  return mutation;
}
