/** GetItem: one item by its key, optionally projected. */
import { applyProjection, compileRequest } from '../../expressions/index.js';
import { readUnits } from '../../engine/capacity/units.js';
import { CapacityTally } from '../../engine/capacity/tally.js';
import { decodeStoredItem, storedItemSize } from '../../engine/storedItem.js';
import { validateKey } from '../../values/keys.js';
import type { Operation } from '../context.js';
import { itemResponse } from '../common/responseBody.js';
import { withCapacity } from './writeItem.js';

export const getItem: Operation = (ctx, input) => {
  const compiled = compileRequest('GetItem', input);
  const table = ctx.db.table(input.TableName);
  const key = validateKey(input.Key, table.schema);
  const pk = key[table.schema.hashKey];
  const refused = ctx.throttle.refuseRead(table, 'GetItem', undefined, pk);
  if (refused !== undefined) throw refused;
  const stored = ctx.db.getStoredItem(table, key);
  const tally = new CapacityTally(ctx, 'GetItem', input.ReturnConsumedCapacity);
  tally.read(table, readUnits(stored === undefined ? 0 : storedItemSize(stored), input.ConsistentRead === true), undefined, pk);
  if (stored === undefined) return withCapacity({}, tally, table);
  if (compiled.projection === undefined && !tally.wanted) {
    // Fast path: the stored encoding is the wire form, so it is spliced in unparsed.
    return itemResponse(stored);
  }
  const item = decodeStoredItem(stored);
  const projected = compiled.projection === undefined ? item : applyProjection(compiled.projection, item);
  const out: Record<string, unknown> = {};
  if (compiled.projection === undefined || Object.keys(projected).length > 0) out.Item = projected;
  return withCapacity(out, tally, table);
};
