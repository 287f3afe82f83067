/** ConsumedCapacity of every data operation against DynamoDB's documented arithmetic. */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  BatchGetCommand, BatchWriteCommand, DeleteCommand, GetCommand, PutCommand, QueryCommand, ScanCommand,
  TransactGetCommand, TransactWriteCommand, UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import { expectError, startTestServer, type TestContext } from './helpers.js';
import { createTable, sampleValue, scrape } from './capacity.helpers.js';
import { requiredReadCapacity, requiredWriteCapacity } from '../src/index.js';

describe('capacity planning helper', () => {
  it("reproduces the seed's worked examples", () => {
    // 20 eventually consistent reads per second of 11 KB items: 3 units each, halved.
    assert.equal(requiredReadCapacity({ itemSizeBytes: 11 * 1024, readsPerSecond: 20, consistency: 'eventual' }), 30);
    assert.equal(requiredReadCapacity({ itemSizeBytes: 11 * 1024, readsPerSecond: 20, consistency: 'strong' }), 60);
    assert.equal(requiredReadCapacity({ itemSizeBytes: 11 * 1024, readsPerSecond: 20, consistency: 'transactional' }), 120);
    // 120 writes per minute of 7 KB items: 2 per second at 7 units each.
    assert.equal(requiredWriteCapacity({ itemSizeBytes: 7 * 1024, writesPerSecond: 120 / 60 }), 14);
    assert.equal(requiredWriteCapacity({ itemSizeBytes: 7 * 1024, writesPerSecond: 2, transactional: true }), 28);
  });
});

describe('ConsumedCapacity', () => {
  let t: TestContext;
  const blob = (kb: number) => 'x'.repeat(kb * 1024 - 100);
  before(async () => {
    t = await startTestServer();
    await createTable(t, { TableName: 'plain' });
    await createTable(t, {
      TableName: 'orders',
      AttributeDefinitions: [
        { AttributeName: 'id', AttributeType: 'S' }, { AttributeName: 'status', AttributeType: 'S' }, { AttributeName: 'customer', AttributeType: 'S' },
      ],
      GlobalSecondaryIndexes: [
        { IndexName: 'by_status', KeySchema: [{ AttributeName: 'status', KeyType: 'HASH' }], Projection: { ProjectionType: 'KEYS_ONLY' } },
        { IndexName: 'by_customer', KeySchema: [{ AttributeName: 'customer', KeyType: 'HASH' }], Projection: { ProjectionType: 'INCLUDE', NonKeyAttributes: ['total'] } },
      ],
    });
    await createTable(t, {
      TableName: 'songs',
      AttributeDefinitions: [
        { AttributeName: 'id', AttributeType: 'S' }, { AttributeName: 'title', AttributeType: 'S' }, { AttributeName: 'album', AttributeType: 'S' },
      ],
      KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }, { AttributeName: 'title', KeyType: 'RANGE' }],
      LocalSecondaryIndexes: [
        { IndexName: 'by_album', KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }, { AttributeName: 'album', KeyType: 'RANGE' }], Projection: { ProjectionType: 'KEYS_ONLY' } },
      ],
    });
  });
  after(() => t.close());

  it('GetItem: 4 KB units, eventual halves, a missing item still costs a read', async () => {
    await t.doc.send(new PutCommand({ TableName: 'plain', Item: { id: 'big', filler: blob(11) } }));
    const eventual = await t.doc.send(new GetCommand({ TableName: 'plain', Key: { id: 'big' }, ReturnConsumedCapacity: 'TOTAL' }));
    assert.deepEqual(eventual.ConsumedCapacity, { TableName: 'plain', CapacityUnits: 1.5 });
    const strong = await t.doc.send(new GetCommand({ TableName: 'plain', Key: { id: 'big' }, ConsistentRead: true, ReturnConsumedCapacity: 'INDEXES' }));
    assert.deepEqual(strong.ConsumedCapacity, { TableName: 'plain', CapacityUnits: 3, Table: { CapacityUnits: 3 } });
    const missing = await t.doc.send(new GetCommand({ TableName: 'plain', Key: { id: 'nope' }, ReturnConsumedCapacity: 'TOTAL' }));
    assert.deepEqual(missing.ConsumedCapacity, { TableName: 'plain', CapacityUnits: 0.5 });
    const none = await t.doc.send(new GetCommand({ TableName: 'plain', Key: { id: 'big' }, ReturnConsumedCapacity: 'NONE' }));
    assert.equal(none.ConsumedCapacity, undefined);
  });

  it('PutItem / UpdateItem / DeleteItem: 1 KB units on the larger of old and new', async () => {
    const put = await t.doc.send(new PutCommand({ TableName: 'plain', Item: { id: 'w', filler: blob(7) }, ReturnConsumedCapacity: 'TOTAL' }));
    assert.deepEqual(put.ConsumedCapacity, { TableName: 'plain', CapacityUnits: 7 });
    const shrink = await t.doc.send(new UpdateCommand({
      TableName: 'plain', Key: { id: 'w' }, UpdateExpression: 'SET filler = :b', ExpressionAttributeValues: { ':b': 'small' }, ReturnConsumedCapacity: 'TOTAL',
    }));
    assert.equal(shrink.ConsumedCapacity!.CapacityUnits, 7, 'charged on the old, larger item');
    const grow = await t.doc.send(new PutCommand({ TableName: 'plain', Item: { id: 'w', filler: blob(2) }, ReturnConsumedCapacity: 'TOTAL' }));
    assert.equal(grow.ConsumedCapacity!.CapacityUnits, 2);
    const del = await t.doc.send(new DeleteCommand({ TableName: 'plain', Key: { id: 'w' }, ReturnConsumedCapacity: 'INDEXES' }));
    assert.deepEqual(del.ConsumedCapacity, { TableName: 'plain', CapacityUnits: 2, Table: { CapacityUnits: 2 } });
    const delMissing = await t.doc.send(new DeleteCommand({ TableName: 'plain', Key: { id: 'w' }, ReturnConsumedCapacity: 'TOTAL' }));
    assert.equal(delMissing.ConsumedCapacity!.CapacityUnits, 1);
  });

  it('a conditional write that fails still consumes write capacity', async () => {
    await t.doc.send(new PutCommand({ TableName: 'plain', Item: { id: 'cond', filler: blob(3) } }));
    const before = sampleValue((await scrape(t.server.url)).samples, 'ConsumedWriteCapacityUnits', { TableName: 'plain', Operation: 'PutItem', GlobalSecondaryIndexName: '' });
    await expectError(
      t.doc.send(new PutCommand({ TableName: 'plain', Item: { id: 'cond', filler: blob(5) }, ConditionExpression: 'attribute_not_exists(id)' })),
      'ConditionalCheckFailedException',
    );
    const afterFail = sampleValue((await scrape(t.server.url)).samples, 'ConsumedWriteCapacityUnits', { TableName: 'plain', Operation: 'PutItem', GlobalSecondaryIndexName: '' });
    assert.equal(afterFail - before, 5, 'the larger of the stored (3 KB) and the proposed (5 KB) item');
  });

  it('GSI writes: per affected index, from the projected entry; a key change is a delete plus a put', async () => {
    const item = { id: 'o1', status: 'open', customer: 'c1', total: 5, filler: blob(3) };
    const put = await t.doc.send(new PutCommand({ TableName: 'orders', Item: item, ReturnConsumedCapacity: 'INDEXES' }));
    assert.deepEqual(put.ConsumedCapacity, {
      TableName: 'orders', CapacityUnits: 5, Table: { CapacityUnits: 3 },
      GlobalSecondaryIndexes: { by_customer: { CapacityUnits: 1 }, by_status: { CapacityUnits: 1 } },
    });
    const names: Record<string, string> = { '#s': 'status', '#t': 'total' };
    const update = (expr: string, values: Record<string, unknown>) => t.doc.send(new UpdateCommand({
      TableName: 'orders', Key: { id: 'o1' }, UpdateExpression: expr, ExpressionAttributeValues: values, ReturnConsumedCapacity: 'INDEXES',
      ...(expr.includes('#') ? { ExpressionAttributeNames: { [expr.slice(expr.indexOf('#'), expr.indexOf('#') + 2)]: names[expr.slice(expr.indexOf('#'), expr.indexOf('#') + 2)]! } } : {}),
    }));
    const unprojected = await update('SET filler = :b', { ':b': blob(3).slice(1) });
    assert.deepEqual(unprojected.ConsumedCapacity, { TableName: 'orders', CapacityUnits: 3, Table: { CapacityUnits: 3 } });
    const rekey = await update('SET #s = :s', { ':s': 'closed' });
    assert.deepEqual(rekey.ConsumedCapacity!.GlobalSecondaryIndexes, { by_status: { CapacityUnits: 2 } });
    assert.equal(rekey.ConsumedCapacity!.CapacityUnits, 5);
    const projected = await update('SET #t = :t', { ':t': 9 });
    assert.deepEqual(projected.ConsumedCapacity!.GlobalSecondaryIndexes, { by_customer: { CapacityUnits: 1 } });
    const total = await t.doc.send(new UpdateCommand({
      TableName: 'orders', Key: { id: 'o1' }, UpdateExpression: 'SET #t = :t', ExpressionAttributeNames: { '#t': 'total' }, ExpressionAttributeValues: { ':t': 10 },
      ReturnConsumedCapacity: 'TOTAL',
    }));
    assert.deepEqual(total.ConsumedCapacity, { TableName: 'orders', CapacityUnits: 4 });
    const del = await t.doc.send(new DeleteCommand({ TableName: 'orders', Key: { id: 'o1' }, ReturnConsumedCapacity: 'INDEXES' }));
    assert.deepEqual(del.ConsumedCapacity!.GlobalSecondaryIndexes, { by_customer: { CapacityUnits: 1 }, by_status: { CapacityUnits: 1 } });
  });

  it('Query on a GSI charges the index; on an LSI the index, and the table for fetched items', async () => {
    await t.doc.send(new PutCommand({ TableName: 'orders', Item: { id: 'o2', status: 'open', customer: 'c2', total: 1 } }));
    const gsi = await t.doc.send(new QueryCommand({
      TableName: 'orders', IndexName: 'by_status', KeyConditionExpression: '#s = :s', ExpressionAttributeNames: { '#s': 'status' },
      ExpressionAttributeValues: { ':s': 'open' }, ReturnConsumedCapacity: 'INDEXES',
    }));
    assert.deepEqual(gsi.ConsumedCapacity, {
      TableName: 'orders', CapacityUnits: 0.5, Table: { CapacityUnits: 0 }, GlobalSecondaryIndexes: { by_status: { CapacityUnits: 0.5 } },
    });
    await t.doc.send(new PutCommand({ TableName: 'songs', Item: { id: 'a', title: 't1', album: 'x', filler: blob(6) } }));
    const keysOnly = await t.doc.send(new QueryCommand({
      TableName: 'songs', IndexName: 'by_album', KeyConditionExpression: 'id = :a', ExpressionAttributeValues: { ':a': 'a' },
      ConsistentRead: true, ReturnConsumedCapacity: 'INDEXES',
    }));
    assert.deepEqual(keysOnly.ConsumedCapacity, { TableName: 'songs', CapacityUnits: 1, Table: { CapacityUnits: 0 }, LocalSecondaryIndexes: { by_album: { CapacityUnits: 1 } } });
    const fetched = await t.doc.send(new QueryCommand({
      TableName: 'songs', IndexName: 'by_album', KeyConditionExpression: 'id = :a', ExpressionAttributeValues: { ':a': 'a' },
      Select: 'ALL_ATTRIBUTES', ConsistentRead: true, ReturnConsumedCapacity: 'INDEXES',
    }));
    assert.deepEqual(fetched.ConsumedCapacity, { TableName: 'songs', CapacityUnits: 2, Table: { CapacityUnits: 1 }, LocalSecondaryIndexes: { by_album: { CapacityUnits: 1 } } });
  });

  it('LSI writes are charged to the index', async () => {
    const put = await t.doc.send(new PutCommand({ TableName: 'songs', Item: { id: 'b', title: 't', album: 'y' }, ReturnConsumedCapacity: 'INDEXES' }));
    assert.deepEqual(put.ConsumedCapacity, { TableName: 'songs', CapacityUnits: 2, Table: { CapacityUnits: 1 }, LocalSecondaryIndexes: { by_album: { CapacityUnits: 1 } } });
  });

  it('Query and Scan: the sum read before filter and projection, rounded once', async () => {
    for (let i = 0; i < 3; i++) await t.doc.send(new PutCommand({ TableName: 'songs', Item: { id: 'q', title: `t${i}`, n: i, filler: blob(1.5) } }));
    const query = ({ ExpressionAttributeValues: values, ...extra }: Record<string, unknown>) => t.doc.send(new QueryCommand({
      TableName: 'songs', KeyConditionExpression: 'id = :q', ExpressionAttributeValues: { ':q': 'q', ...(values as object) },
      ReturnConsumedCapacity: 'TOTAL', ...extra,
    }));
    const all = await query({ ConsistentRead: true });
    assert.equal(all.ConsumedCapacity!.CapacityUnits, 2, '4.5 KB read rounds up to 2 units');
    const filtered = await query({ ConsistentRead: true, FilterExpression: 'n = :n', ExpressionAttributeValues: { ':n': 1 }, ProjectionExpression: 'title' });
    assert.equal(filtered.Count, 1);
    assert.equal(filtered.ConsumedCapacity!.CapacityUnits, 2);
    const eventual = await query({});
    assert.equal(eventual.ConsumedCapacity!.CapacityUnits, 1);
    const scan = await t.doc.send(new ScanCommand({ TableName: 'plain', ReturnConsumedCapacity: 'INDEXES' }));
    assert.equal(scan.ConsumedCapacity!.TableName, 'plain');
    assert.deepEqual(scan.ConsumedCapacity!.Table, { CapacityUnits: scan.ConsumedCapacity!.CapacityUnits });
  });

  it('BatchGetItem and BatchWriteItem: one entry per table', async () => {
    const write = await t.doc.send(new BatchWriteCommand({
      RequestItems: {
        plain: [{ PutRequest: { Item: { id: 'b1', filler: blob(2) } } }, { PutRequest: { Item: { id: 'b2' } } }],
        orders: [{ PutRequest: { Item: { id: 'b3', status: 's' } } }],
      },
      ReturnConsumedCapacity: 'INDEXES',
    }));
    assert.deepEqual(write.ConsumedCapacity, [
      { TableName: 'plain', CapacityUnits: 3, Table: { CapacityUnits: 3 } },
      { TableName: 'orders', CapacityUnits: 2, Table: { CapacityUnits: 1 }, GlobalSecondaryIndexes: { by_status: { CapacityUnits: 1 } } },
    ]);
    const get = await t.doc.send(new BatchGetCommand({
      RequestItems: { plain: { Keys: [{ id: 'b1' }, { id: 'b2' }, { id: 'big' }], ConsistentRead: true }, orders: { Keys: [{ id: 'b3' }] } },
      ReturnConsumedCapacity: 'TOTAL',
    }));
    assert.deepEqual(get.ConsumedCapacity, [{ TableName: 'plain', CapacityUnits: 5 }, { TableName: 'orders', CapacityUnits: 0.5 }]);
  });

  it('transactions: double, with the read / write split', async () => {
    const get = await t.doc.send(new TransactGetCommand({
      TransactItems: [{ Get: { TableName: 'plain', Key: { id: 'big' } } }, { Get: { TableName: 'orders', Key: { id: 'b3' } } }],
      ReturnConsumedCapacity: 'TOTAL',
    }));
    assert.deepEqual(get.ConsumedCapacity, [
      { TableName: 'plain', CapacityUnits: 6, ReadCapacityUnits: 6 },
      { TableName: 'orders', CapacityUnits: 2, ReadCapacityUnits: 2 },
    ]);
    const write = await t.doc.send(new TransactWriteCommand({
      TransactItems: [
        { Put: { TableName: 'orders', Item: { id: 't1', status: 'open', filler: blob(2) } } },
        { ConditionCheck: { TableName: 'plain', Key: { id: 'b2' }, ConditionExpression: 'attribute_exists(id)' } },
      ],
      ReturnConsumedCapacity: 'INDEXES',
    }));
    assert.deepEqual(write.ConsumedCapacity, [
      {
        TableName: 'orders', CapacityUnits: 6, WriteCapacityUnits: 6, Table: { CapacityUnits: 4, WriteCapacityUnits: 4 },
        GlobalSecondaryIndexes: { by_status: { CapacityUnits: 2, WriteCapacityUnits: 2 } },
      },
      { TableName: 'plain', CapacityUnits: 2, ReadCapacityUnits: 2, Table: { CapacityUnits: 2, ReadCapacityUnits: 2 } },
    ]);
  });
});
