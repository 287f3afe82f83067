/**
 * Validating the actions of a TransactWriteItems request up front. Errors in the request
 * itself (unknown table, malformed values, bad expression, two actions on one item)
 * reject it with a ValidationException. An action whose own item is at fault (a key
 * that does not match the schema, an item over 400 KB) cancels the transaction with a
 * ValidationError reason in that action's slot, as DynamoDB does. What is left for
 * inside the transaction — conditions and data-dependent update errors — is each
 * action's Mutation.
 */
import { DynamoError, dynamoError, validationError } from '../../errors.js';
import { compileRequest } from '../../expressions/index.js';
import type { Database } from '../../engine/database.js';
import type { Table } from '../../engine/table.js';
import type { Mutation } from '../../engine/itemWrite.js';
import { extractKey, validateItemKey, validateKey } from '../../values/keys.js';
import { checkItemSize } from '../../values/size.js';
import type { Item } from '../../values/types.js';
import { validateItem } from '../../values/validate.js';
import { EVERY_ELEMENT, JsonText, type JsonSpan } from '../../values/jsonText.js';
import { sentItemJson } from '../common/wireItem.js';
import { DuplicateGuard } from '../common/itemIdentity.js';
import { checkMutation, deleteMutation, putMutation, updateMutation } from '../common/itemActions.js';
import type { Namespace } from '../../engine/namespace.js';

export type ActionKind = 'ConditionCheck' | 'Put' | 'Delete' | 'Update';
const KINDS: readonly ActionKind[] = ['ConditionCheck', 'Put', 'Delete', 'Update'];

export interface TransactAction {
  kind: ActionKind;
  table: Table;
  key: Item;
  mutate: Mutation;
  /** Why this action cannot run (its slot's ValidationError reason). */
  failure?: DynamoError;
}

/** DynamoDB's limit on the aggregate size of the items in one transaction. */
export const MAX_TRANSACTION_BYTES = 4 * 1024 * 1024;

const ONE_KIND = 'TransactItems can only contain one of Check, Put, Update or Delete';
const SAME_ITEM = 'Transaction request cannot include multiple operations on one item';

export function sameItemError(): Error {
  return validationError(SAME_ITEM);
}

/** `text`: the request as sent, to store Put items from (see wireItem.ts). */
export function prepareTransactActions(db: Database, entries: Record<string, any>[], text?: Buffer, namespace?: Namespace): TransactAction[] {
  const guard = new DuplicateGuard(sameItemError);
  let totalBytes = 0;
  // The request text is scanned only when some action puts an item.
  const json = text === undefined || !entries.some((entry) => entry.Put != null) ? undefined : new JsonText(text);
  const putItems = json?.find(['TransactItems', EVERY_ELEMENT, 'Put', 'Item']);
  const aligned = putItems !== undefined && putItems.length === entries.length;
  const actions = entries.map((entry, i) => {
    const action = prepareAction(db, namespace, entry, aligned ? json : undefined, aligned ? putItems[i] : undefined);
    if (action.failure === undefined) guard.add(action.table, action.key);
    if (action.kind === 'Put') totalBytes += action.itemBytes;
    return action;
  });
  if (totalBytes > MAX_TRANSACTION_BYTES) {
    throw validationError('Transaction size has exceeded the maximum allowed size of 4 MB');
  }
  throwActionFailures(actions);
  return actions;
}

/** Runs an action's checks of its own item; a ValidationException becomes the action's failure. */
export function actionCheck<T>(check: () => T): T | DynamoError {
  try {
    return check();
  } catch (error) {
    if (error instanceof DynamoError && error.code === 'ValidationException') return error;
    throw error;
  }
}

/** Cancels the transaction when some action failed its own checks: ValidationError in its slot. */
export function throwActionFailures(actions: readonly { failure?: DynamoError }[]): void {
  if (!actions.some((a) => a.failure !== undefined)) return;
  throw transactionCanceled(actions.map((a) => (a.failure === undefined ? { Code: 'None' } : { Code: 'ValidationError', Message: a.failure.message })));
}

function failedAction(kind: ActionKind, table: Table, failure: DynamoError): TransactAction & { itemBytes: number } {
  return { kind, table, key: {}, mutate: () => { throw failure; }, failure, itemBytes: 0 };
}

function prepareAction(db: Database, namespace: Namespace | undefined, entry: Record<string, any>, text: JsonText | undefined, itemSpan: JsonSpan | undefined): TransactAction & { itemBytes: number } {
  let kind: ActionKind | undefined;
  for (const k of KINDS) {
    if (entry[k] === undefined || entry[k] === null) continue;
    if (kind !== undefined) throw validationError(ONE_KIND);
    kind = k;
  }
  if (kind === undefined) throw validationError(ONE_KIND);
  const request = entry[kind] as Record<string, any>;
  const onFailure = request.ReturnValuesOnConditionCheckFailure;
  if (kind === 'Put') {
    const item = validateItem(request.Item);
    const compiled = compileRequest('TransactWriteItems', expressionMembers(request, false));
    const table = db.table(request.TableName, namespace);
    const itemBytes = actionCheck(() => {
      validateItemKey(item, table.schema);
      return checkItemSize(item);
    });
    if (itemBytes instanceof DynamoError) return failedAction(kind, table, itemBytes);
    const itemJson = sentItemJson(text, itemSpan, request.Item, item);
    return { kind, table, key: extractKey(item, table.schema), mutate: putMutation(compiled, item, onFailure, itemBytes, itemJson), itemBytes };
  }
  const table = db.table(request.TableName, namespace);
  // The key schema lets an update of a key attribute fail the whole request, not one action.
  const compiled = compileRequest('TransactWriteItems', expressionMembers(request, kind === 'Update'), table.schema);
  // Malformed values fail the request; a key that does not fit the table fails the action.
  const wellFormed = validateItem(request.Key);
  const key = actionCheck(() => validateKey(wellFormed, table.schema));
  if (key instanceof DynamoError) return failedAction(kind, table, key);
  const mutate =
    kind === 'Delete' ? deleteMutation(compiled, onFailure)
    : kind === 'Update' ? updateMutation(compiled, table, key, onFailure)
    : checkMutation(compiled, onFailure);
  return { kind, table, key, mutate, itemBytes: 0 };
}

/** Only the members an action of this kind has (ConditionCheck, Put and Delete take no update). */
function expressionMembers(request: Record<string, any>, withUpdate: boolean): Record<string, unknown> {
  return {
    ConditionExpression: request.ConditionExpression,
    ExpressionAttributeNames: request.ExpressionAttributeNames,
    ExpressionAttributeValues: request.ExpressionAttributeValues,
    UpdateExpression: withUpdate ? request.UpdateExpression : undefined,
  };
}

export function transactionCanceled(reasons: Record<string, unknown>[]): DynamoError {
  const codes = reasons.map((r) => r.Code).join(', ');
  return dynamoError(
    'TransactionCanceledException',
    `Transaction cancelled, please refer cancellation reasons for specific reasons [${codes}]`,
    { CancellationReasons: reasons },
  );
}

/**
 * A transaction with throttled items is cancelled as a whole: the throttled items' reasons
 * are ProvisionedThroughputExceeded (or ThrottlingError above an on-demand maximum).
 * Undefined when nothing was throttled.
 */
export function throttledCancellation(refusals: (DynamoError | undefined)[]): DynamoError | undefined {
  if (!refusals.some((r) => r !== undefined)) return undefined;
  return transactionCanceled(
    refusals.map((r) => {
      if (r === undefined) return { Code: 'None' };
      const onDemand = (r.extra?.ThrottlingReasons as { reason: string }[] | undefined)?.some((t) => t.reason.endsWith('MaxOnDemandThroughputExceeded'));
      return { Code: onDemand ? 'ThrottlingError' : 'ProvisionedThroughputExceeded', Message: r.message };
    }),
  );
}
