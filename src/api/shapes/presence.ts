/**
 * Presence checks DynamoDB makes before it validates the rest of a request, each with
 * its own wording rather than the model's "Member must not be null":
 * - the member naming the resource (TableName, ResourceArn, ...): "The parameter
 *   'TableName' is required but was not present in the request";
 * - BatchGetItem / BatchWriteItem without tables: "The requestItems parameter is
 *   required for BatchGetItem";
 * - BatchGetItem over 100 keys in all: reported at the table whose keys pass 100.
 */
import { validationError } from '../../errors.js';
import { resourceMembers } from './model.js';

const BATCH_OPERATIONS = new Set(['BatchGetItem', 'BatchWriteItem']);
const MAX_BATCH_GET_KEYS = 100;

function absent(value: unknown): boolean {
  return value === undefined || value === null;
}

export function checkPresence(operation: string, body: Record<string, unknown>): void {
  const resource = resourceMembers.get(operation);
  if (resource !== undefined && absent(body[resource])) {
    throw validationError(`The parameter '${resource}' is required but was not present in the request`);
  }
  if (BATCH_OPERATIONS.has(operation)) {
    const items = body.RequestItems;
    const empty = absent(items) || (typeof items === 'object' && !Array.isArray(items) && Object.keys(items as object).length === 0);
    if (empty) throw validationError(`The requestItems parameter is required for ${operation}`);
    if (operation === 'BatchGetItem') checkBatchGetKeyCount(items as Record<string, unknown>);
  }
}

function checkBatchGetKeyCount(items: Record<string, unknown>): void {
  let keys = 0;
  for (const table in items) {
    const entry = items[table];
    const list = typeof entry === 'object' && entry !== null ? (entry as { Keys?: unknown }).Keys : undefined;
    if (Array.isArray(list)) keys += list.length;
    if (keys > MAX_BATCH_GET_KEYS) {
      throw validationError(
        `1 validation error detected: Value at 'RequestItems.${table}.member.Keys' failed to satisfy constraint: ` +
          `Member must have length less than or equal to ${MAX_BATCH_GET_KEYS}`,
      );
    }
  }
}
