/** BatchGetItem and BatchWriteItem through the AWS SDK (low-level and DocumentClient). */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  BatchGetItemCommand, BatchWriteItemCommand, CreateTableCommand, type KeysAndAttributes, type WriteRequest,
} from '@aws-sdk/client-dynamodb';
import { BatchGetCommand, BatchWriteCommand, GetCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { createTable, expectError, startTestServer, type TestContext } from './helpers.js';
import { retryWithBackoff } from './batch.helpers.js';

describe('batch operations', () => {
  let t: TestContext;
  before(async () => {
    t = await startTestServer();
    await createTable(t.client, 'music', ['artist', 'S'], ['song', 'S']);
    await createTable(t.client, 'threads', ['id', 'N']);
    await createTable(t.client, 'blobs', ['id', 'S']);
  });
  after(() => t.close());

  it('writes and deletes across tables with BatchWriteCommand, then reads them back', async () => {
    const out = await t.doc.send(new BatchWriteCommand({
      ReturnConsumedCapacity: 'TOTAL',
      RequestItems: {
        music: [
          { PutRequest: { Item: { artist: 'A', song: 's1', year: 1999 } } },
          { PutRequest: { Item: { artist: 'A', song: 's2', year: 2001, pad: 'x'.repeat(1500) } } },
          { PutRequest: { Item: { artist: 'B', song: 's1', year: 2010 } } },
        ],
        threads: [{ PutRequest: { Item: { id: 1, title: 'hello' } } }, { DeleteRequest: { Key: { id: 99 } } }],
      },
    }));
    assert.deepEqual(out.UnprocessedItems, {});
    assert.deepEqual(out.ConsumedCapacity, [
      { TableName: 'music', CapacityUnits: 4 },
      { TableName: 'threads', CapacityUnits: 2 },
    ]);
    const got = await t.doc.send(new BatchGetCommand({
      ReturnConsumedCapacity: 'TOTAL',
      RequestItems: {
        music: { Keys: [{ artist: 'A', song: 's1' }, { artist: 'B', song: 's1' }, { artist: 'Z', song: 'none' }], ProjectionExpression: 'song, #y', ExpressionAttributeNames: { '#y': 'year' }, ConsistentRead: true },
        threads: { Keys: [{ id: 1 }], AttributesToGet: ['title'] },
      },
    }));
    assert.deepEqual(got.UnprocessedKeys, {});
    const songs = got.Responses!.music!.sort((a, b) => a.year - b.year);
    assert.deepEqual(songs, [{ song: 's1', year: 1999 }, { song: 's1', year: 2010 }]);
    assert.deepEqual(got.Responses!.threads, [{ title: 'hello' }]);
    // Consistent reads: 1 unit per key (found or not); eventual: half.
    assert.deepEqual(got.ConsumedCapacity, [
      { TableName: 'music', CapacityUnits: 3 },
      { TableName: 'threads', CapacityUnits: 0.5 },
    ]);

    await t.doc.send(new BatchWriteCommand({ RequestItems: { music: [{ DeleteRequest: { Key: { artist: 'A', song: 's1' } } }] } }));
    assert.equal((await t.doc.send(new GetCommand({ TableName: 'music', Key: { artist: 'A', song: 's1' } }))).Item, undefined);
  });

  it('always answers UnprocessedItems and UnprocessedKeys, empty when everything was done', async () => {
    const write = await t.raw('BatchWriteItem', JSON.stringify({ RequestItems: { threads: [{ PutRequest: { Item: { id: { N: '5' } } } }] } }));
    assert.equal(write.text, '{"UnprocessedItems":{}}');
    const read = await t.raw('BatchGetItem', JSON.stringify({ RequestItems: { threads: { Keys: [{ id: { N: '404' } }] } } }));
    assert.deepEqual(read.json, { Responses: { threads: [] }, UnprocessedKeys: {} });
  });

  it('returns what exceeds 16 MB in UnprocessedKeys; a backoff loop fetches the rest', async () => {
    const pad = 'x'.repeat(390_000);
    const ids = Array.from({ length: 50 }, (_, i) => `big${i}`);
    for (let i = 0; i < ids.length; i += 25) {
      await t.doc.send(new BatchWriteCommand({ RequestItems: { blobs: ids.slice(i, i + 25).map((id) => ({ PutRequest: { Item: { id, pad } } })) } }));
    }
    const fetched: string[] = [];
    let firstUnprocessed = 0;
    const { attempts, delays } = await retryWithBackoff<Record<string, KeysAndAttributes>>(
      { blobs: { Keys: ids.map((id) => ({ id: { S: id } })), ProjectionExpression: 'id' } },
      async (request) => {
        const out = await t.client.send(new BatchGetItemCommand({ RequestItems: request }));
        for (const item of out.Responses!.blobs ?? []) fetched.push(item.id!.S!);
        const left = out.UnprocessedKeys!;
        if (firstUnprocessed === 0) firstUnprocessed = left.blobs?.Keys?.length ?? 0;
        if (left.blobs) assert.equal(left.blobs.ProjectionExpression, 'id', 'unprocessed keys keep their table options');
        return Object.keys(left).length === 0 ? undefined : left;
      },
      { baseMs: 1 },
    );
    // 16 MB holds 43 items of ~390 KB: the other 7 come on the second round.
    assert.equal(firstUnprocessed, 7);
    assert.equal(attempts, 2);
    assert.equal(delays.length, 1);
    assert.deepEqual(fetched.sort(), [...ids].sort());
  });

  it('retries UnprocessedItems with exponential backoff until none are left', async () => {
    const requests: WriteRequest[] = Array.from({ length: 25 }, (_, i) => ({ PutRequest: { Item: { id: { N: String(1000 + i) } } } }));
    const { attempts } = await retryWithBackoff<Record<string, WriteRequest[]>>({ threads: requests }, async (request) => {
      const out = await t.client.send(new BatchWriteItemCommand({ RequestItems: request }));
      return Object.keys(out.UnprocessedItems!).length === 0 ? undefined : out.UnprocessedItems;
    });
    assert.equal(attempts, 1);
    const { Responses } = await t.client.send(new BatchGetItemCommand({ RequestItems: { threads: { Keys: requests.map((r) => ({ id: r.PutRequest!.Item!.id! })) } } }));
    assert.equal(Responses!.threads!.length, 25);
  });

  it('reports ItemCollectionMetrics for tables with a local secondary index only', async () => {
    await t.client.send(new CreateTableCommand({
      TableName: 'withLsi', BillingMode: 'PAY_PER_REQUEST',
      KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }, { AttributeName: 'sk', KeyType: 'RANGE' }],
      AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }, { AttributeName: 'sk', AttributeType: 'S' }, { AttributeName: 'x', AttributeType: 'S' }],
      LocalSecondaryIndexes: [{ IndexName: 'byX', KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }, { AttributeName: 'x', KeyType: 'RANGE' }], Projection: { ProjectionType: 'ALL' } }],
    }));
    const metrics = { ItemCollectionKey: { pk: 'p' }, SizeEstimateRangeGB: [0, 1] };
    const batch = await t.doc.send(new BatchWriteCommand({
      ReturnItemCollectionMetrics: 'SIZE',
      RequestItems: { withLsi: [{ PutRequest: { Item: { pk: 'p', sk: '1', x: 'a' } } }], threads: [{ PutRequest: { Item: { id: 77 } } }] },
    }));
    assert.deepEqual(batch.ItemCollectionMetrics, { withLsi: [metrics] });
    const transact = await t.doc.send(new TransactWriteCommand({
      ReturnItemCollectionMetrics: 'SIZE',
      TransactItems: [{ Put: { TableName: 'withLsi', Item: { pk: 'p', sk: '2' } } }, { Delete: { TableName: 'threads', Key: { id: 77 } } }],
    }));
    assert.deepEqual(transact.ItemCollectionMetrics, { withLsi: [metrics] });
    const none = await t.doc.send(new BatchWriteCommand({ ReturnItemCollectionMetrics: 'SIZE', RequestItems: { threads: [{ PutRequest: { Item: { id: 78 } } }] } }));
    assert.equal(none.ItemCollectionMetrics, undefined);
  });

  it('rejects invalid BatchWriteItem requests as a whole', async () => {
    const send = (items: Record<string, WriteRequest[]>) => t.client.send(new BatchWriteItemCommand({ RequestItems: items }));
    const put = (id: number): WriteRequest => ({ PutRequest: { Item: { id: { N: String(id) } } } });
    await expectError(send({ threads: Array.from({ length: 13 }, (_, i) => put(i)), music: Array.from({ length: 13 }, (_, i) => ({ PutRequest: { Item: { artist: { S: 'x' }, song: { S: String(i) } } } })) }),
      'ValidationException', 'Too many items requested for the BatchWriteItem call');
    await expectError(send({ threads: Array.from({ length: 26 }, (_, i) => put(i)) }), 'ValidationException', /Member must have length less than or equal to 25/);
    await expectError(send({ threads: [put(7), { DeleteRequest: { Key: { id: { N: '7' } } } }] }), 'ValidationException', 'Provided list of item keys contains duplicates');
    await expectError(send({ threads: [put(8)], nope: [put(1)] }), 'ResourceNotFoundException', 'Requested resource not found');
    await expectError(send({ threads: [{ PutRequest: { Item: { other: { S: 'x' } } } }] }), 'ValidationException', 'One or more parameter values were invalid: Missing the key id in the item');
    await expectError(send({ threads: [{ DeleteRequest: { Key: { id: { S: 'x' } } } }] }), 'ValidationException', 'The provided key element does not match the schema');
    await expectError(send({ threads: [{}] }), 'ValidationException', 'One or more parameter values were invalid: A WriteRequest must contain exactly one of PutRequest or DeleteRequest');
    await expectError(send({ threads: [{ PutRequest: { Item: { id: { N: '9' }, pad: { S: 'x'.repeat(410_000) } } } }] }), 'ValidationException', 'Item size has exceeded the maximum allowed size');
    await expectError(send({}), 'ValidationException', 'The requestItems parameter is required for BatchWriteItem');
    await expectError(send({ threads: [] }), 'ValidationException', /Member must have length greater than or equal to 1/);
    const { Responses } = await t.client.send(new BatchGetItemCommand({ RequestItems: { threads: { Keys: [{ id: { N: '7' } }, { id: { N: '8' } }] } } }));
    assert.deepEqual(Responses!.threads, [], 'nothing of a rejected batch was written');
  });

  it('rejects invalid BatchGetItem requests', async () => {
    const send = (items: Record<string, KeysAndAttributes>) => t.client.send(new BatchGetItemCommand({ RequestItems: items }));
    const keys = (n: number, from = 0) => Array.from({ length: n }, (_, i) => ({ id: { N: String(from + i) } }));
    await expectError(send({ threads: { Keys: keys(60) }, blobs: { Keys: Array.from({ length: 41 }, (_, i) => ({ id: { S: `b${i}` } })) } }),
      'ValidationException', "1 validation error detected: Value at 'RequestItems.blobs.member.Keys' failed to satisfy constraint: Member must have length less than or equal to 100");
    await expectError(send({ threads: { Keys: keys(101) } }), 'ValidationException',
      "1 validation error detected: Value at 'RequestItems.threads.member.Keys' failed to satisfy constraint: Member must have length less than or equal to 100");
    await expectError(send({ threads: { Keys: [{ id: { N: '1' } }, { id: { N: '1.0' } }] } }), 'ValidationException', 'Provided list of item keys contains duplicates');
    await expectError(send({ nope: { Keys: keys(1) } }), 'ResourceNotFoundException', 'Requested resource not found');
    await expectError(send({ threads: { Keys: [{ wrong: { N: '1' } }] } }), 'ValidationException', 'The provided key element does not match the schema');
    await expectError(send({ threads: { Keys: keys(1), ProjectionExpression: 'id', AttributesToGet: ['id'] } }), 'ValidationException',
      /Can not use both expression and non-expression parameters/);
    await expectError(send({}), 'ValidationException', 'The requestItems parameter is required for BatchGetItem');
  });
});
