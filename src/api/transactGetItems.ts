/**
 * TransactGetItems: up to 100 Gets across tables, read from ONE consistent snapshot of
 * the key space, so the answer reflects a single serializable point in time.
 */
import { DynamoError, validationError } from '../errors.js';
import { applyProjection, compileRequest, type CompiledRequest } from '../expressions/index.js';
import { readUnits } from '../engine/capacity.js';
import type { Table } from '../engine/database.js';
import { itemKey } from '../engine/keyspace.js';
import { decodeStoredItem, storedItemJson, storedItemSize } from '../engine/storedItem.js';
import { validateKey } from '../values/keys.js';
import { validateItem } from '../values/validate.js';
import type { Item } from '../values/types.js';
import type { Operation } from './context.js';
import { CapacityTally } from './capacityTally.js';
import { DuplicateGuard } from './itemIdentity.js';
import { actionCheck, MAX_TRANSACTION_BYTES, sameItemError, throttledCancellation, throwActionFailures } from './transactActions.js';

interface PreparedGet {
  table: Table;
  key: Item;
  storageKey: Buffer;
  compiled: CompiledRequest;
  failure?: DynamoError;
}

export const transactGetItems: Operation = (ctx, input) => {
  const guard = new DuplicateGuard(sameItemError);
  const gets: PreparedGet[] = (input.TransactItems as Record<string, any>[]).map(({ Get: get }) => {
    const compiled = compileRequest('TransactGetItems', get);
    const table = ctx.db.table(get.TableName);
    const wellFormed = validateItem(get.Key);
    const key = actionCheck(() => validateKey(wellFormed, table.schema));
    // A key that does not fit its table cancels the transaction (ValidationError in its slot).
    if (key instanceof DynamoError) return { table, key: {}, storageKey: Buffer.alloc(0), compiled, failure: key };
    guard.add(table, key);
    return { table, key, storageKey: itemKey(table.meta.id, table.schema, key), compiled };
  });
  throwActionFailures(gets);
  const throttled = throttledCancellation(gets.map((g) => ctx.throttle.refuseRead(g.table, 'TransactGetItems', undefined, g.key[g.table.schema.hashKey])));
  if (throttled !== undefined) throw throttled;

  const found = ctx.db.store.snapshot((snap) => gets.map((g) => snap.get(g.storageKey)));

  const tally = new CapacityTally(ctx, 'TransactGetItems', input.ReturnConsumedCapacity, true);
  const responses: string[] = new Array(gets.length);
  let totalBytes = 0;
  for (let i = 0; i < gets.length; i++) {
    const { table, key, compiled } = gets[i]!;
    const stored = found[i];
    const size = stored === undefined ? 0 : storedItemSize(stored);
    totalBytes += size;
    tally.read(table, 2 * readUnits(size, true), undefined, key[table.schema.hashKey]);
    responses[i] = stored === undefined ? '{}' : itemResponse(stored, compiled);
  }
  if (totalBytes > MAX_TRANSACTION_BYTES) {
    throw validationError('Transaction size has exceeded the maximum allowed size of 4 MB');
  }
  const consumed = tally.list();
  const tail = consumed === undefined ? '' : `,"ConsumedCapacity":${JSON.stringify(consumed)}`;
  return `{"Responses":[${responses.join(',')}]${tail}}`;
};

function itemResponse(stored: Buffer, compiled: CompiledRequest): string {
  // Without a projection the stored encoding is the wire form, spliced in unparsed.
  if (compiled.projection === undefined) return `{"Item":${storedItemJson(stored)}}`;
  const projected = applyProjection(compiled.projection, decodeStoredItem(stored));
  return Object.keys(projected).length === 0 ? '{}' : JSON.stringify({ Item: projected });
}
