/**
 * TransactGetItems: up to 100 Gets across tables, read from ONE consistent snapshot of
 * the key space, so the answer reflects a single serializable point in time.
 */
import { mapMaybe } from '../../engine/maybePromise.js';
import { DynamoError, validationError } from '../../errors.js';
import { applyProjection, compileRequest, type CompiledRequest } from '../../expressions/index.js';
import { readUnits } from '../../engine/capacity/units.js';
import type { Table } from '../../engine/table.js';
import { decodeStoredItem, storedItemSize } from '../../engine/storedItem.js';
import { validateKey } from '../../values/keys.js';
import { validateItem } from '../../values/validate.js';
import type { Item } from '../../values/types.js';
import type { Operation } from '../context.js';
import type { ResultItem, TransactGetItemsResult } from '../results.js';
import { CapacityTally } from '../../engine/capacity/tally.js';
import { DuplicateGuard } from '../common/itemIdentity.js';
import { actionCheck, MAX_TRANSACTION_BYTES, sameItemError, throttledCancellation, throwActionFailures } from './transactActions.js';

interface PreparedGet {
  table: Table;
  key: Item;
  compiled: CompiledRequest;
  /** From the duplicate check: the read reuses it. */
  address?: Buffer;
  failure?: DynamoError;
}

export const transactGetItems: Operation<TransactGetItemsResult> = (ctx, input) => {
  const guard = new DuplicateGuard(sameItemError);
  const gets: PreparedGet[] = (input.TransactItems as Record<string, any>[]).map(({ Get: get }) => {
    const compiled = compileRequest('TransactGetItems', get);
    const table = ctx.db.table(get.TableName, ctx.namespace);
    const wellFormed = validateItem(get.Key);
    const key = actionCheck(() => validateKey(wellFormed, table.schema));
    // A key that does not fit its table cancels the transaction (ValidationError in its slot).
    if (key instanceof DynamoError) return { table, key: {}, compiled, failure: key };
    return { table, key, compiled, address: guard.add(table, key) };
  });
  throwActionFailures(gets);
  const throttled = throttledCancellation(gets.map((g) => ctx.throttle.refuseRead(g.table, 'TransactGetItems', undefined, g.key[g.table.schema.hashKey])));
  if (throttled !== undefined) throw throttled;

  return mapMaybe(ctx.db.getStoredItemsAtOnce(gets), (found) => {

  const tally = new CapacityTally(ctx, 'TransactGetItems', input.ReturnConsumedCapacity, true);
  const responses: { Item?: ResultItem }[] = new Array(gets.length);
  let totalBytes = 0;
  for (let i = 0; i < gets.length; i++) {
    const { table, key, compiled } = gets[i]!;
    const stored = found[i];
    const size = stored === undefined ? 0 : storedItemSize(stored);
    totalBytes += size;
    tally.read(table, 2 * readUnits(size, true), undefined, key[table.schema.hashKey]);
    responses[i] = stored === undefined ? {} : response(stored, compiled);
  }
  if (totalBytes > MAX_TRANSACTION_BYTES) {
    throw validationError('Transaction size has exceeded the maximum allowed size of 4 MB');
  }
  const result: TransactGetItemsResult = { Responses: responses };
  const consumed = tally.list();
  if (consumed !== undefined) result.ConsumedCapacity = consumed;
  return result;
  });
};

function response(stored: Buffer, compiled: CompiledRequest): { Item?: ResultItem } {
  // Without a projection the stored bytes are answered as they are, spliced in unparsed.
  if (compiled.projection === undefined) return { Item: stored };
  const projected = applyProjection(compiled.projection, decodeStoredItem(stored));
  return Object.keys(projected).length === 0 ? {} : { Item: projected };
}
