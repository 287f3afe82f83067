/**
 * Unit tests of the operation layer's seam (not black-box): operations called in-process
 * return typed results whose stored items are references to their stored bytes, and the
 * one renderer turns any result into the same JSON as its decoded values would give.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { callOperation, runOperation } from '../src/api/operations.js';
import type { ApiContext } from '../src/api/context.js';
import { renderResult } from '../src/api/render.js';
import { isStoredItem, itemOf, type BatchGetItemResult, type GetItemResult, type PageResult, type ResultItem, type TransactGetItemsResult } from '../src/api/results.js';
import { Database } from '../src/engine/database.js';
import { Metrics } from '../src/engine/metrics.js';
import { ThrottleGate } from '../src/engine/capacity/throttleGate.js';
import { openStore } from '../src/storage/open.js';
import type { LocalKVStore } from '../src/storage/kv.js';

/**
 * The JSON a result means, with every stored item decoded first. Stored items stand where
 * items do (`Item`, the elements of `Items`, the item lists of `Responses`); a string there
 * is a stored item's latin1 text, anywhere else a value.
 */
function decodedJson(value: unknown, atItem = false): unknown {
  if (atItem && isStoredItem(value)) return itemOf(value);
  if (Buffer.isBuffer(value)) return itemOf(value);
  if (Array.isArray(value)) return value.map((element) => decodedJson(element, atItem));
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) {
      if (v === undefined) continue;
      if (k === 'Responses' && !Array.isArray(v)) {
        // BatchGetItem: table -> items.
        out[k] = Object.fromEntries(Object.entries(v as object).map(([table, items]) => [table, decodedJson(items, true)]));
      } else {
        out[k] = decodedJson(v, k === 'Item' || k === 'Items');
      }
    }
    return out;
  }
  return value;
}

function rendered(result: object): unknown {
  const wire = renderResult(result);
  return JSON.parse(typeof wire === 'string' ? wire : wire.toString('utf8'));
}

describe('typed operation results and the renderer', () => {
  let store: LocalKVStore;
  let ctx: ApiContext;
  const call = async <R>(name: string, input: Record<string, unknown>) => (await callOperation(ctx, name, input)) as R;

  before(async () => {
    store = await openStore({ inMemory: true });
    const db = await Database.open(store, { region: 'us-east-1', accountId: '000000000000', delayTransientStatuses: false });
    const metrics = new Metrics(() => []);
    ctx = { db, endpointAddress: 'localhost:0', metrics, namespace: db.defaultNamespace, throttle: new ThrottleGate(metrics, false, () => db.clock.now()) };
    await call('CreateTable', {
      TableName: 'results',
      BillingMode: 'PAY_PER_REQUEST',
      KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }, { AttributeName: 'sk', KeyType: 'RANGE' }],
      AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }, { AttributeName: 'sk', AttributeType: 'N' }],
    });
    for (let i = 0; i < 3; i++) {
      await call('PutItem', { TableName: 'results', Item: { pk: { S: 'p' }, sk: { N: String(i) }, text: { S: `é ${i}` }, n: { N: '1.50' } } });
    }
  });
  after(() => store.close());

  it('GetItem answers a stored item by reference; itemOf decodes it, and the wire form is the same item', async () => {
    const input = { TableName: 'results', Key: { pk: { S: 'p' }, sk: { N: '1' } } };
    const result = await call<GetItemResult>('GetItem', input);
    assert.ok(Buffer.isBuffer(result.Item), 'the item is carried as its stored bytes');
    assert.deepEqual(itemOf(result.Item!), { pk: { S: 'p' }, sk: { N: '1' }, text: { S: 'é 1' }, n: { N: '1.5' } });
    const wire = await runOperation(ctx, 'GetItem', { ...input });
    assert.deepEqual(JSON.parse(wire.toString()), { Item: itemOf(result.Item!) });
  });

  it('GetItem with a projection answers values; with capacity asked, the capacity follows the item', async () => {
    const result = await call<GetItemResult>('GetItem', {
      TableName: 'results', Key: { pk: { S: 'p' }, sk: { N: '2' } }, ProjectionExpression: 'sk', ReturnConsumedCapacity: 'TOTAL',
    });
    assert.deepEqual(result.Item, { sk: { N: '2' } });
    assert.deepEqual(rendered(result), { Item: { sk: { N: '2' } }, ConsumedCapacity: { TableName: 'results', CapacityUnits: 0.5 } });
  });

  it('Query results carry stored items (or projected values) in order, and render to their decoded JSON', async () => {
    const page = await call<PageResult>('Query', {
      TableName: 'results', KeyConditionExpression: 'pk = :p', ExpressionAttributeValues: { ':p': { S: 'p' } }, Limit: 2,
    });
    assert.equal(page.Count, 2);
    assert.equal(page.ScannedCount, 2);
    // The in-memory store hands them over as its latin1 text; the others as Buffers.
    assert.ok(page.Items!.every((item) => isStoredItem(item)));
    assert.deepEqual(page.Items!.map((item) => itemOf(item).sk), [{ N: '0' }, { N: '1' }]);
    assert.deepEqual(page.LastEvaluatedKey, { pk: { S: 'p' }, sk: { N: '1' } });
    assert.deepEqual(rendered(page), decodedJson(page));

    const projected = await call<PageResult>('Query', {
      TableName: 'results', KeyConditionExpression: 'pk = :p', ExpressionAttributeValues: { ':p': { S: 'p' } }, ProjectionExpression: '#t',
      ExpressionAttributeNames: { '#t': 'text' },
    });
    assert.deepEqual(projected.Items, [{ text: { S: 'é 0' } }, { text: { S: 'é 1' } }, { text: { S: 'é 2' } }]);
    assert.deepEqual(rendered(projected), decodedJson(projected));
  });

  it('BatchGetItem and TransactGetItems render their Responses with stored and projected items alike', async () => {
    const batch = await call<BatchGetItemResult>('BatchGetItem', {
      RequestItems: { results: { Keys: [{ pk: { S: 'p' }, sk: { N: '0' } }, { pk: { S: 'p' }, sk: { N: '9' } }] } },
    });
    assert.equal(batch.Responses.results!.length, 1);
    assert.deepEqual(rendered(batch), decodedJson(batch));

    const transact = await call<TransactGetItemsResult>('TransactGetItems', {
      TransactItems: [
        { Get: { TableName: 'results', Key: { pk: { S: 'p' }, sk: { N: '0' } } } },
        { Get: { TableName: 'results', Key: { pk: { S: 'p' }, sk: { N: '9' } } } },
        { Get: { TableName: 'results', Key: { pk: { S: 'p' }, sk: { N: '2' } }, ProjectionExpression: 'n' } },
      ],
    });
    assert.ok(Buffer.isBuffer(transact.Responses[0]!.Item));
    assert.deepEqual(transact.Responses[1], {});
    assert.deepEqual(transact.Responses[2], { Item: { n: { N: '1.5' } } });
    assert.deepEqual(rendered(transact), decodedJson(transact));
  });

  it('renders a result without stored items exactly as JSON.stringify does', () => {
    const result = { TableNames: ['a', 'b'], LastEvaluatedTableName: 'b', Skipped: undefined };
    assert.equal(renderResult(result), JSON.stringify(result));
    assert.equal(renderResult({}), '{}');
  });

  it('splices stored bytes unparsed, next to text with multi-byte characters', () => {
    const item: ResultItem = storedBytes('{"k":{"S":"ü"}}');
    const wire = renderResult({ Items: [item, { k: { S: '€' } }], Count: 2, ScannedCount: 2 });
    assert.equal(wire.toString(), '{"Items":[{"k":{"S":"ü"}},{"k":{"S":"€"}}],"Count":2,"ScannedCount":2}');
  });
});

/** Bytes in the stored layout: a 4-byte size header, then the item's JSON. */
function storedBytes(json: string): Buffer {
  const text = Buffer.from(json, 'utf8');
  const out = Buffer.alloc(4 + text.length);
  text.copy(out, 4);
  return out;
}
