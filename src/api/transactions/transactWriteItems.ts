/**
 * TransactWriteItems: up to 100 Put / Update / Delete / ConditionCheck actions across
 * tables, all-or-nothing, in ONE storage transaction — serializable with every other
 * write because all writes go through the storage engine's serialized transactions.
 * See docs/transactions.md for the isolation model and idempotency.
 */
import { DynamoError, dynamoError } from '../../errors.js';
import { readUnits } from '../../engine/capacity/units.js';
import type { Database } from '../../engine/database.js';
import type { Mutation, WriteResult } from '../../engine/itemWrite.js';
import { storedItemSize } from '../../engine/storedItem.js';
import { recordTokenIn, requestFingerprint, tokenRecordIn } from '../../engine/idempotency.js';
import type { Operation } from '../context.js';
import type { TransactWriteItemsResult } from '../results.js';
import { CapacityTally } from '../../engine/capacity/tally.js';
import { collectionMetricsPerTable, type WrittenItem } from '../common/collectionMetricsPerTable.js';
import { prepareTransactActions, throttledCancellation, transactionCanceled, type TransactAction } from './transactActions.js';

/** Tokens whose transaction is still committing, per database (token -> request fingerprint). */
const inFlight = new WeakMap<Database, Map<string, string>>();

export const transactWriteItems: Operation<TransactWriteItemsResult> = async (ctx, input, text) => {
  const actions = prepareTransactActions(ctx.db, input.TransactItems, text, ctx.namespace);
  const throttled = throttledCancellation(
    actions.map((a) =>
      a.kind === 'ConditionCheck'
        ? ctx.throttle.refuseRead(a.table, 'TransactWriteItems', undefined, a.key[a.table.schema.hashKey])
        : ctx.throttle.refuseWrite(a.table, 'TransactWriteItems', a.key[a.table.schema.hashKey]),
    ),
  );
  if (throttled !== undefined) throw throttled;
  const tally = new CapacityTally(ctx, 'TransactWriteItems', input.ReturnConsumedCapacity, true);
  const token = input.ClientRequestToken as string | undefined;
  const written: WrittenItem[] = [];
  if (token === undefined) {
    await commit(ctx.db, actions, tally, written);
    return respond(tally, collectionMetricsPerTable(input.ReturnItemCollectionMetrics, written));
  }

  const { ClientRequestToken: _, ...request } = input;
  const fingerprint = requestFingerprint(request);
  let pending = inFlight.get(ctx.db);
  if (pending === undefined) inFlight.set(ctx.db, (pending = new Map()));
  const running = pending.get(token);
  if (running !== undefined) throw running === fingerprint ? inProgress() : mismatch();
  const earlier = await ctx.db.tokenRecord(token, ctx.db.clock.now());
  if (earlier !== undefined) return replay(ctx.db, earlier.fingerprint, fingerprint, actions, tally);

  pending.set(token, fingerprint);
  try {
    const replayed = await commit(ctx.db, actions, tally, written, { token, fingerprint });
    if (replayed) return replay(ctx.db, fingerprint, fingerprint, actions, tally);
    return respond(tally, collectionMetricsPerTable(input.ReturnItemCollectionMetrics, written));
  } finally {
    pending.delete(token);
  }
};

/**
 * Runs every action inside one storage transaction. Each action's mutation is wrapped so a
 * failure is recorded as its cancellation reason (the item is left as it was) and the
 * remaining actions are still evaluated; if any failed, one TransactionCanceledException
 * aborts the transaction, so none of the writes made so far is committed.
 * Resolves true when the token turned out to be committed already (by another process).
 */
function commit(
  db: Database,
  actions: TransactAction[],
  tally: CapacityTally,
  written: WrittenItem[],
  idempotency?: { token: string; fingerprint: string },
): Promise<boolean> {
  // The storage transaction may run more than once (storage/kv.ts): only its last run is accounted.
  let accounting: (() => void)[] = [];
  return db.transactItems((txn) => {
    accounting = [];
    const now = db.clock.now();
    if (idempotency !== undefined) {
      const record = tokenRecordIn(txn, idempotency.token, now);
      if (record !== undefined) {
        if (record.fingerprint !== idempotency.fingerprint) throw mismatch();
        return true;
      }
    }
    const reasons: Record<string, unknown>[] = new Array(actions.length);
    let failed = false;
    for (let i = 0; i < actions.length; i++) {
      const action = actions[i]!;
      reasons[i] = NO_REASON;
      if (action.kind === 'ConditionCheck') {
        const current = txn.read(action.table, action.key);
        try {
          action.mutate(current?.item);
        } catch (err) {
          reasons[i] = cancellationReason(err);
          failed = true;
        }
        accounting.push(() => tally.read(action.table, 2 * readUnits(current?.size ?? 0, true), undefined, action.key[action.table.schema.hashKey]));
        continue;
      }
      const result: WriteResult = txn.write({
        table: action.table,
        key: action.key,
        // A blind mutation (a put or delete without a condition) cannot fail: passed as
        // is, it spares decoding the current item.
        mutate: action.mutate.blind === true ? action.mutate : recordingFailure(action.mutate, (err) => {
          reasons[i] = cancellationReason(err);
          failed = true;
        }),
      });
      accounting.push(() => {
        written.push({ table: action.table, key: action.key, result });
        tally.written(action.table, action.key, result, 2);
      });
    }
    if (failed) throw transactionCanceled(reasons);
    if (idempotency !== undefined) recordTokenIn(txn, idempotency.token, idempotency.fingerprint, now);
    return false;
  }).finally(() => {
    for (const account of accounting) account();
  });
}

/**
 * `mutate`, with a failure handed to `onFailure` instead of thrown: the item is then
 * left as it was (and the transaction is cancelled afterwards). The size the mutation
 * measured for its result is passed on.
 */
function recordingFailure(mutate: Mutation, onFailure: (err: unknown) => void): Mutation {
  const recording: Mutation = (old) => {
    try {
      const next = mutate(old);
      recording.nextSize = mutate.nextSize;
      return next;
    } catch (err) {
      onFailure(err);
      recording.nextSize = undefined;
      return old; // discarded with the whole transaction
    }
  };
  return recording;
}

/**
 * A repeated request with a known token: nothing is written again. As DynamoDB does, the
 * answer reports the read capacity of looking at the items instead of the original writes.
 */
async function replay(db: Database, recorded: string, fingerprint: string, actions: TransactAction[], tally: CapacityTally): Promise<TransactWriteItemsResult> {
  if (recorded !== fingerprint) throw mismatch();
  for (const action of actions) {
    const stored = await db.getStoredItem(action.table, action.key);
    tally.read(action.table, readUnits(stored === undefined ? 0 : storedItemSize(stored), true), undefined, action.key[action.table.schema.hashKey]);
  }
  return respond(tally);
}

function respond(tally: CapacityTally, metrics?: Record<string, Record<string, unknown>[]>): TransactWriteItemsResult {
  const result: TransactWriteItemsResult = {};
  const consumed = tally.list();
  if (consumed !== undefined) result.ConsumedCapacity = consumed;
  if (metrics !== undefined) result.ItemCollectionMetrics = metrics;
  return result;
}

const NO_REASON = Object.freeze({ Code: 'None' });

function cancellationReason(err: unknown): Record<string, unknown> {
  if (!(err instanceof DynamoError)) throw err;
  if (err.code === 'ConditionalCheckFailedException') {
    const reason: Record<string, unknown> = { Code: 'ConditionalCheckFailed', Message: err.message };
    if (err.extra?.Item !== undefined) reason.Item = err.extra.Item;
    return reason;
  }
  if (err.code === 'ValidationException') return { Code: 'ValidationError', Message: err.message };
  throw err;
}

function mismatch(): DynamoError {
  return dynamoError('IdempotentParameterMismatchException', 'The request uses the same client token as a previous, but non-identical request.');
}

function inProgress(): DynamoError {
  return dynamoError('TransactionInProgressException', 'The transaction with the given request token is already in progress.');
}
