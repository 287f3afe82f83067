/**
 * ExecuteTransaction: up to 100 statements, all reads (single-item SELECTs, run as
 * TransactGetItems) or all writes (INSERT / UPDATE / DELETE / EXISTS, run as ONE
 * TransactWriteItems — one storage transaction, and the same ClientRequestToken
 * idempotency). Cancellation reasons come back in statement order.
 */
import { DynamoError, validationError } from '../../errors.js';
import { duplicateItem, type CompiledWrite } from '../../partiql/index.js';
import type { Operation } from '../context.js';
import { transactionCanceled } from '../transactions/transactActions.js';
import { callItemApi } from './callItemApi.js';
import { compileGetInput, compileInput, parseInput, type StatementInput } from './prepare.js';

interface TransactStatement extends StatementInput {
  ReturnValuesOnConditionCheckFailure?: string;
}

const ACTION_NAMES = { PutItem: 'Put', UpdateItem: 'Update', DeleteItem: 'Delete', ConditionCheck: 'ConditionCheck' } as const;

export const executeTransaction: Operation = async (ctx, input) => {
  const requests = input.TransactStatements as TransactStatement[];
  const statements = requests.map((r) => parseInput(r));
  const reads = statements.filter((s) => s.kind === 'select').length;
  if (reads > 0 && reads < statements.length) {
    throw validationError('Unsupported operation: A transaction must contain either only read statements or only write statements');
  }
  if (reads > 0) {
    const items = requests.map((r, i) => ({ Get: compileGetInput(ctx, r, statements[i]) }));
    const out = await callItemApi(ctx, 'TransactGetItems', { TransactItems: items, ReturnConsumedCapacity: input.ReturnConsumedCapacity });
    return out;
  }
  const writes = requests.map((r, i) => compileInput(ctx, r, statements[i]) as CompiledWrite);
  const items = writes.map((w, i) => ({ [ACTION_NAMES[w.operation]]: transactAction(w, requests[i]!) }));
  const request: Record<string, unknown> = { TransactItems: items, ReturnConsumedCapacity: input.ReturnConsumedCapacity };
  if (input.ClientRequestToken !== undefined) request.ClientRequestToken = input.ClientRequestToken;
  try {
    const out = await callItemApi(ctx, 'TransactWriteItems', request);
    return out.ConsumedCapacity === undefined ? {} : { ConsumedCapacity: out.ConsumedCapacity };
  } catch (err) {
    throw withDuplicateReasons(err, writes);
  }
};

function transactAction(write: CompiledWrite, statement: TransactStatement): Record<string, unknown> {
  const { ReturnValues, ...action } = write.request;
  if (ReturnValues !== undefined) throw validationError('Unsupported operation: RETURNING is not supported in transactions');
  if (statement.ReturnValuesOnConditionCheckFailure !== undefined && !write.insert) {
    action.ReturnValuesOnConditionCheckFailure = statement.ReturnValuesOnConditionCheckFailure;
  }
  return action;
}

/** An INSERT whose key exists is cancelled as DuplicateItem, not as a failed condition. */
function withDuplicateReasons(err: unknown, writes: CompiledWrite[]): unknown {
  if (!(err instanceof DynamoError) || err.code !== 'TransactionCanceledException') return err;
  const reasons = err.extra?.CancellationReasons as Record<string, unknown>[] | undefined;
  if (reasons === undefined || !reasons.some((r, i) => writes[i]?.insert && r.Code === 'ConditionalCheckFailed')) return err;
  const duplicate = duplicateItem();
  return transactionCanceled(
    reasons.map((r, i) => (writes[i]?.insert && r.Code === 'ConditionalCheckFailed' ? { Code: 'DuplicateItem', Message: duplicate.message } : r)),
  );
}

