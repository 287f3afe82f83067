/**
 * BatchGetItem: up to 100 keys across tables, each table with its own ConsistentRead and
 * projection. Reads are read-committed, like DynamoDB's. A response holds at most 16 MB of
 * items; keys that did not fit, or were throttled, come back in UnprocessedKeys (always
 * present, `{}` when empty). Only when throttling leaves nothing to answer does the call
 * fail with ProvisionedThroughputExceededException, as DynamoDB does.
 */
import { validationError, type DynamoError } from '../errors.js';
import { applyProjection, compileRequest, type CompiledRequest } from '../expressions/index.js';
import { readUnits } from '../engine/capacity.js';
import type { Table } from '../engine/database.js';
import { itemKey } from '../engine/keyspace.js';
import { decodeStoredItem, storedItemSize } from '../engine/storedItem.js';
import { validateKey } from '../values/keys.js';
import type { Item } from '../values/types.js';
import type { Operation } from './context.js';
import { CapacityTally } from './capacityTally.js';
import { DuplicateGuard } from './itemIdentity.js';
import { ResponseBody } from './responseBody.js';

/** DynamoDB stops filling a BatchGetItem response at 16 MB of items. */
export const MAX_BATCH_GET_BYTES = 16 * 1024 * 1024;

interface TableRequest {
  name: string;
  table: Table;
  compiled: CompiledRequest;
  consistent: boolean;
  keys: Item[];
  /** The table's request members other than Keys, repeated in UnprocessedKeys. */
  options: Record<string, unknown>;
}

export const batchGetItem: Operation = (ctx, input) => {
  // At most 100 keys in all: checked with the request's shape (api/shapes/presence.ts).
  const requestItems = input.RequestItems as Record<string, Record<string, any>>;

  const guard = new DuplicateGuard(() => validationError('Provided list of item keys contains duplicates'));
  const requests: TableRequest[] = [];
  for (const name in requestItems) {
    const { Keys, ...options } = requestItems[name]!;
    const compiled = compileRequest('BatchGetItem', options);
    const table = ctx.db.table(name);
    const keys = (Keys as unknown[]).map((raw) => {
      const key = validateKey(raw, table.schema);
      guard.add(table, key);
      return key;
    });
    requests.push({ name, table, compiled, consistent: options.ConsistentRead === true, keys, options });
  }

  const tally = new CapacityTally(ctx, 'BatchGetItem', input.ReturnConsumedCapacity);
  const body = new ResponseBody().text('{"Responses":{');
  let tablesAnswered = 0;
  const unprocessed: Record<string, unknown> = {};
  let bytes = 0;
  let full = false;
  let processed = 0;
  let throttled: DynamoError | undefined;
  for (const request of requests) {
    /** Stored items, or JSON text of projected ones. */
    const items: (Buffer | string)[] = [];
    const left: Item[] = [];
    for (const key of request.keys) {
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
      const stored = ctx.db.store.get(itemKey(request.table.meta.id, request.table.schema, key));
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
        const item = itemJson(stored, request.compiled);
        if (item !== undefined) items.push(item);
      }
    }
    if (left.length < request.keys.length) {
      body.text(`${tablesAnswered++ === 0 ? '' : ','}${JSON.stringify(request.name)}:[`);
      for (let i = 0; i < items.length; i++) {
        if (i > 0) body.comma();
        const item = items[i]!;
        if (typeof item === 'string') body.text(item);
        else body.storedItem(item);
      }
      body.text(']');
    }
    if (left.length > 0) unprocessed[request.name] = { ...request.options, Keys: left };
  }

  // Only when throttling left nothing at all to answer is the whole request refused.
  if (processed === 0 && throttled !== undefined) throw throttled;
  const consumed = tally.list();
  const tail = consumed === undefined ? '' : `,"ConsumedCapacity":${JSON.stringify(consumed)}`;
  return body.text(`},"UnprocessedKeys":${JSON.stringify(unprocessed)}${tail}}`).finish();
};

/** The stored item, or the projected item's JSON; undefined when the projection leaves nothing. */
function itemJson(stored: Buffer, compiled: CompiledRequest): Buffer | string | undefined {
  // Without a projection the stored encoding is the wire form, spliced in unparsed.
  if (compiled.projection === undefined) return stored;
  const projected = applyProjection(compiled.projection, decodeStoredItem(stored));
  return Object.keys(projected).length === 0 ? undefined : JSON.stringify(projected);
}
