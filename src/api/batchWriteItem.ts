/**
 * BatchWriteItem: up to 25 PutRequest / DeleteRequest across tables. DynamoDB applies each
 * request atomically but not the batch as a whole; this server applies the whole batch in
 * ONE storage transaction (stronger, and faster than one commit per item). Nothing is
 * throttled here, so UnprocessedItems is always `{}` — present, as DynamoDB returns it.
 * ItemCollectionMetrics come only from tables with local secondary indexes.
 */
import { invalidParameter, validationError } from '../errors.js';
import { writeUnits } from '../engine/capacity.js';
import type { ItemWrite } from '../engine/database.js';
import { extractKey, validateItemKey, validateKey } from '../values/keys.js';
import { checkItemSize } from '../values/size.js';
import type { Item } from '../values/types.js';
import { validateItem } from '../values/validate.js';
import type { Operation } from './context.js';
import { CapacityTally } from './capacityTally.js';
import { collectionMetricsPerTable } from './collectionMetricsPerTable.js';
import { DuplicateGuard } from './itemIdentity.js';

export const MAX_BATCH_WRITE_REQUESTS = 25;

const storeItem = (item: Item) => () => item;
const removeItem = () => undefined;

export const batchWriteItem: Operation = async (ctx, input) => {
  const requestItems = input.RequestItems as Record<string, Record<string, any>[]>;
  let requestCount = 0;
  for (const name in requestItems) requestCount += requestItems[name]!.length;
  if (requestCount > MAX_BATCH_WRITE_REQUESTS) throw validationError('Too many items requested for the BatchWriteItem call');

  const guard = new DuplicateGuard(() => validationError('Provided list of item keys contains duplicates'));
  const writes: ItemWrite[] = [];
  for (const name in requestItems) {
    const table = ctx.db.table(name);
    for (const request of requestItems[name]!) {
      const put = request.PutRequest;
      const del = request.DeleteRequest;
      if ((put == null) === (del == null)) {
        throw invalidParameter('A WriteRequest must contain exactly one of PutRequest or DeleteRequest');
      }
      if (put != null) {
        const item = validateItem(put.Item);
        validateItemKey(item, table.schema);
        checkItemSize(item);
        const key = extractKey(item, table.schema);
        guard.add(table, key);
        writes.push({ table, key, mutate: storeItem(item) });
      } else {
        const key = validateKey(del.Key, table.schema);
        guard.add(table, key);
        writes.push({ table, key, mutate: removeItem });
      }
    }
  }

  const results = await ctx.db.writeItems(writes);
  const tally = new CapacityTally(input.ReturnConsumedCapacity);
  if (tally.wanted) {
    for (let i = 0; i < writes.length; i++) {
      tally.add(writes[i]!.table.meta.name, 0, writeUnits(results[i]!.oldSize, results[i]!.newSize));
    }
  }
  const consumed = tally.toJson();
  const metrics = collectionMetricsPerTable(input.ReturnItemCollectionMetrics, writes.map((w, i) => ({ table: w.table, key: w.key, result: results[i]! })));
  if (consumed === undefined && metrics === undefined) return '{"UnprocessedItems":{}}';
  return JSON.stringify({ UnprocessedItems: {}, ConsumedCapacity: consumed, ItemCollectionMetrics: metrics });
};
