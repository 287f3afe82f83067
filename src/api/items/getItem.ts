/** GetItem: one item by its key, optionally projected. */
import { isPromise } from '../../engine/maybePromise.js';
import { applyProjection, compileRequest, type CompiledRequest } from '../../expressions/index.js';
import { readUnits } from '../../engine/capacity/units.js';
import { CapacityTally } from '../../engine/capacity/tally.js';
import { decodeStoredItem, storedItemSize } from '../../engine/storedItem.js';
import { validateKey } from '../../values/keys.js';
import type { ApiContext, Operation } from '../context.js';
import type { Table } from '../../engine/table.js';
import type { AttributeValue } from '../../values/types.js';
import type { GetItemResult } from '../results.js';
import { withCapacity } from './writeItem.js';

export const getItem: Operation<GetItemResult> = (ctx, input) => {
  const compiled = compileRequest('GetItem', input);
  const table = ctx.db.table(input.TableName, ctx.namespace);
  const key = validateKey(input.Key, table.schema);
  const pk = key[table.schema.hashKey];
  const refused = ctx.throttle.refuseRead(table, 'GetItem', undefined, pk);
  if (refused !== undefined) throw refused;
  // Over a store other nodes share, the read checks the catalog in its own statement (operations.ts).
  const stored = ctx.db.getStoredItem(table, key, input.ConsistentRead === true, true);
  // Over an embedded store the item is already here: answered without a closure.
  return isPromise(stored) ? stored.then((found) => answer(ctx, input, compiled, table, pk, found)) : answer(ctx, input, compiled, table, pk, stored);
};

function answer(ctx: ApiContext, input: Record<string, any>, compiled: CompiledRequest, table: Table, pk: AttributeValue | undefined, stored: Buffer | undefined): GetItemResult {
  const tally = new CapacityTally(ctx, 'GetItem', input.ReturnConsumedCapacity);
  tally.read(table, readUnits(stored === undefined ? 0 : storedItemSize(stored), input.ConsistentRead === true), undefined, pk);
  if (stored === undefined) return withCapacity<GetItemResult>({}, tally, table);
  // Without a projection the item is answered as its stored bytes, spliced in unparsed.
  if (compiled.projection === undefined) return withCapacity<GetItemResult>({ Item: stored }, tally, table);
  const projected = applyProjection(compiled.projection, decodeStoredItem(stored));
  // An existing item is answered even when the projection matches none of its attributes: `Item: {}`.
  return withCapacity<GetItemResult>({ Item: projected }, tally, table);
}
