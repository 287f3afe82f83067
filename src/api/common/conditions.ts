/** Applying a request's condition to the current item inside a write transaction. */
import { conditionalCheckFailed } from '../../errors.js';
import { evaluateCondition, type CompiledRequest } from '../../expressions/index.js';
import type { Item } from '../../values/types.js';

export function enforceCondition(compiled: CompiledRequest, current: Item | undefined, returnOnFailure: unknown): void {
  if (compiled.condition === undefined || evaluateCondition(compiled.condition, current)) return;
  throw conditionalCheckFailed(returnOnFailure === 'ALL_OLD' ? current : undefined);
}
