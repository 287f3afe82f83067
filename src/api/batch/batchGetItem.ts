/**
 * BatchGetItem: up to 100 keys across tables, each table with its own ConsistentRead and
 * projection. Reads are read-committed, like DynamoDB's. A response holds at most 16 MB of
 * items; keys that did not fit, or were throttled, come back in UnprocessedKeys (always
 * present, `{}` when empty). Only when throttling leaves nothing to answer does the call
 * fail with ProvisionedThroughputExceededException, as DynamoDB does.
 */
import { mapMaybe } from '../../engine/maybePromise.js';
import { validationError, type DynamoError } from '../../errors.js';
import { applyProjection, compileRequest, type CompiledRequest } from '../../expressions/index.js';
import { readUnits } from '../../engine/capacity/units.js';
import type { Table } from '../../engine/table.js';
import { decodeStoredItem, storedItemSize } from '../../engine/storedItem.js';
import { validateKey } from '../../values/keys.js';
import type { Item } from '../../values/types.js';
import type { Operation } from '../context.js';
import { CapacityTally } from '../../engine/capacity/tally.js';
import { DuplicateGuard } from '../common/itemIdentity.js';
import type { BatchGetItemResult, ResultItem } from '../results.js';

/** DynamoDB stops filling a BatchGetItem response at 16 MB of items. */
export const MAX_BATCH_GET_BYTES = 16 * 1024 * 1024;

interface TableRequest {
  name: string;
  table: Table;
  compiled: CompiledRequest;
  consistent: boolean;
  keys: Item[];
  /** Each key's item address, from the duplicate check: the reads reuse it. */
  addresses: Buffer[];
  /** The table's request members other than Keys, repeated in UnprocessedKeys. */
  options: Record<string, unknown>;
}

export const batchGetItem: Operation<BatchGetItemResult> = (ctx, input) => {
  // At most 100 keys in all: checked with the request's shape (api/shapes/presence.ts).
  const requestItems = input.RequestItems as Record<string, Record<string, any>>;

  const guard = new DuplicateGuard(() => validationError('Provided list of item keys contains duplicates'));
  const requests: TableRequest[] = [];
  for (const name in requestItems) {
    const { Keys, ...options } = requestItems[name]!;
    const compiled = compileRequest('BatchGetItem', options);
    const table = ctx.db.table(name, ctx.namespace);
    const addresses: Buffer[] = [];
    const keys = (Keys as unknown[]).map((raw) => {
      const key = validateKey(raw, table.schema);
      addresses.push(guard.add(table, key));
      return key;
    });
    requests.push({ name, table, compiled, consistent: options.ConsistentRead === true, keys, addresses, options });
  }

  // Every key read up front, from one snapshot: one round trip over a networked store.
  const gets = requests.flatMap((request) => request.keys.map((key, i) => ({ table: request.table, key, address: request.addresses[i] })));
  // One snapshot for the whole batch: from a read replica only if no table asks for consistency.
  const consistent = requests.some((request) => request.consistent);
  return mapMaybe(ctx.db.getStoredItemsAtOnce(gets, consistent), (found) => {
  let position = 0;
  const tally = new CapacityTally(ctx, 'BatchGetItem', input.ReturnConsumedCapacity);
  const responses: Record<string, ResultItem[]> = {};
  const unprocessed: Record<string, unknown> = {};
  let bytes = 0;
  let full = false;
  let processed = 0;
  let throttled: DynamoError | undefined;
  for (const request of requests) {
    /** Stored items, or projected ones. */
    const items: ResultItem[] = [];
    const left: Item[] = [];
    for (const key of request.keys) {
      const stored = found[position++];
      if (full) {
        left.push(key);
        continue;
      }
      // A throttled key is left for the caller to retry, as DynamoDB does.
      const pk = key[request.table.schema.hashKey];
      const refused = ctx.throttle.refuseRead(request.table, 'BatchGetItem', undefined, pk);
      if (refused !== undefined) {
        throttled ??= refused;
        left.push(key);
        continue;
      }
      const size = stored === undefined ? 0 : storedItemSize(stored);
      if (bytes + size > MAX_BATCH_GET_BYTES) {
        full = true;
        left.push(key);
        continue;
      }
      bytes += size;
      processed++;
      tally.read(request.table, readUnits(size, request.consistent), undefined, pk);
      if (stored !== undefined) {
        const item = resultItem(stored, request.compiled);
        if (item !== undefined) items.push(item);
      }
    }
    if (left.length < request.keys.length) responses[request.name] = items;
    if (left.length > 0) unprocessed[request.name] = { ...request.options, Keys: left };
  }

  // Only when throttling left nothing at all to answer is the whole request refused.
  if (processed === 0 && throttled !== undefined) throw throttled;
  const result: BatchGetItemResult = { Responses: responses, UnprocessedKeys: unprocessed };
  const consumed = tally.list();
  if (consumed !== undefined) result.ConsumedCapacity = consumed;
  return result;
  });
};

/** The stored item, or the projected item; undefined when the projection leaves nothing. */
function resultItem(stored: Buffer, compiled: CompiledRequest): ResultItem | undefined {
  // Without a projection the stored bytes are answered as they are, spliced in unparsed.
  if (compiled.projection === undefined) return stored;
  const projected = applyProjection(compiled.projection, decodeStoredItem(stored));
  return Object.keys(projected).length === 0 ? undefined : projected;
}
