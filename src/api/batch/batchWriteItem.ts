/**
 * BatchWriteItem: up to 25 PutRequest / DeleteRequest across tables. DynamoDB applies each
 * request atomically but not the batch as a whole; this server applies the admitted
 * requests in ONE storage transaction (stronger, and faster than one commit per item).
 * With throttling on, requests over their table's capacity come back in UnprocessedItems
 * (always present, `{}` when empty); only when none could be processed does the call fail
 * with ProvisionedThroughputExceededException, as DynamoDB does.
 * ItemCollectionMetrics come only from tables with local secondary indexes.
 */
import { invalidParameter, validationError, type DynamoError } from '../../errors.js';
import { writeUnits } from '../../engine/capacity/units.js';
import { blindMutation, type ItemWrite } from '../../engine/itemWrite.js';
import { extractKey, validateItemKey, validateKey } from '../../values/keys.js';
import { checkItemSize } from '../../values/size.js';
import type { Item } from '../../values/types.js';
import { validateItem } from '../../values/validate.js';
import { EVERY_ELEMENT, JsonText, type JsonSpan } from '../../values/jsonText.js';
import { sentItemJson } from '../common/wireItem.js';
import type { Operation } from '../context.js';
import type { BatchWriteItemResult } from '../results.js';
import { CapacityTally } from '../../engine/capacity/tally.js';
import { collectionMetricsPerTable } from '../common/collectionMetricsPerTable.js';
import { DuplicateGuard } from '../common/itemIdentity.js';

export const MAX_BATCH_WRITE_REQUESTS = 25;

const storeItem = (item: Item, bytes: number, json: Buffer | undefined) => blindMutation(() => item, bytes, json);
const removeItem = blindMutation(() => undefined);

/** Where the item of each of a table's write requests lies in the request text (empty when unknown). */
function putItemSpans(text: JsonText | undefined, tableName: string, requests: number): (JsonSpan | undefined)[] {
  if (text === undefined) return [];
  const spans = text.find(['RequestItems', tableName, EVERY_ELEMENT, 'PutRequest', 'Item']);
  return spans.length === requests ? spans : [];
}

export const batchWriteItem: Operation<BatchWriteItemResult> = async (ctx, input, body) => {
  const requestItems = input.RequestItems as Record<string, Record<string, any>[]>;
  let requestCount = 0;
  for (const name in requestItems) requestCount += requestItems[name]!.length;
  if (requestCount > MAX_BATCH_WRITE_REQUESTS) throw validationError('Too many items requested for the BatchWriteItem call');

  const guard = new DuplicateGuard(() => validationError('Provided list of item keys contains duplicates'));
  const requests: { write: ItemWrite; name: string; raw: Record<string, any>; estimate: number }[] = [];
  const text = body === undefined ? undefined : new JsonText(body);
  for (const name in requestItems) {
    const table = ctx.db.table(name, ctx.namespace);
    const itemSpans = putItemSpans(text, name, requestItems[name]!.length);
    requestItems[name]!.forEach((request, i) => {
      const put = request.PutRequest;
      const del = request.DeleteRequest;
      if ((put == null) === (del == null)) {
        throw invalidParameter('A WriteRequest must contain exactly one of PutRequest or DeleteRequest');
      }
      if (put != null) {
        const item = validateItem(put.Item);
        validateItemKey(item, table.schema);
        const bytes = checkItemSize(item);
        const key = extractKey(item, table.schema);
        const storageKey = guard.add(table, key);
        const json = sentItemJson(text, itemSpans[i], put.Item, item);
        requests.push({ write: { table, key, mutate: storeItem(item, bytes, json), storageKey }, name, raw: request, estimate: writeUnits(0, bytes) });
      } else {
        const key = validateKey(del.Key, table.schema);
        const storageKey = guard.add(table, key);
        requests.push({ write: { table, key, mutate: removeItem, storageKey }, name, raw: request, estimate: 1 });
      }
    });
  }

  // Admission: each admitted request takes an estimate from the buckets at once, so the
  // rest of the batch sees it; the estimate is swapped for the real cost after the commit.
  const admitted: typeof requests = [];
  const unprocessed: Record<string, Record<string, any>[]> = {};
  let throttled: DynamoError | undefined;
  for (const r of requests) {
    const pk = r.write.key[r.write.table.schema.hashKey];
    const refused = ctx.throttle.refuseWrite(r.write.table, 'BatchWriteItem', pk);
    if (refused !== undefined) {
      throttled ??= refused;
      (unprocessed[r.name] ??= []).push(r.raw);
      continue;
    }
    ctx.throttle.consume(r.write.table, undefined, 'write', r.estimate, pk);
    admitted.push(r);
  }
  if (admitted.length === 0) throw throttled!;

  const writes = admitted.map((r) => r.write);
  let results;
  try {
    results = await ctx.db.writeItems(writes);
  } finally {
    for (const { write, estimate } of admitted) ctx.throttle.consume(write.table, undefined, 'write', -estimate, write.key[write.table.schema.hashKey]);
  }
  const tally = new CapacityTally(ctx, 'BatchWriteItem', input.ReturnConsumedCapacity);
  for (let i = 0; i < writes.length; i++) tally.written(writes[i]!.table, writes[i]!.key, results[i]!);
  const consumed = tally.list();
  const metrics = collectionMetricsPerTable(input.ReturnItemCollectionMetrics, writes.map((w, i) => ({ table: w.table, key: w.key, result: results[i]! })));
  const result: BatchWriteItemResult = { UnprocessedItems: unprocessed };
  if (consumed !== undefined) result.ConsumedCapacity = consumed;
  if (metrics !== undefined) result.ItemCollectionMetrics = metrics;
  return result;
};
