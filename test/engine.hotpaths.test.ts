/**
 * The fast paths of item writes and reads: writes that skip decoding the current item,
 * responses assembled from stored bytes. Results must match the slow paths exactly.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { DescribeTableCommand } from '@aws-sdk/client-dynamodb';
import {
  BatchGetCommand, BatchWriteCommand, DeleteCommand, GetCommand, PutCommand, QueryCommand, ScanCommand, UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import { createTable, startTestServer, type TestContext } from './helpers.js';
import { ResponseBody, itemResponse } from '../src/api/common/responseBody.js';
import { encodeStoredItem } from '../src/engine/storedItem.js';

// Multi-byte UTF-8 in names and values: byte and character counts differ.
const text = 'grüße – 日本語 – 🙂';

describe('ResponseBody', () => {
  it('splices stored items between JSON text, byte for byte', () => {
    const a = encodeStoredItem({ s: { S: text } }, 1);
    const b = encodeStoredItem({ n: { N: '1' } }, 1);
    const body = new ResponseBody().text('{"Items":[').storedItem(a).comma().storedItem(b).text(`],"x":"${text}"}`).finish();
    assert.deepEqual(JSON.parse(body.toString('utf8')), { Items: [{ s: { S: text } }, { n: { N: '1' } }], x: text });
    assert.equal(body.length, Buffer.byteLength(body.toString('utf8')));
  });

  it('keeps the bytes before a stored item that starts the body or follows a comma', () => {
    const a = encodeStoredItem({ a: { S: text } }, 1);
    const b = encodeStoredItem({ b: { N: '2' } }, 1);
    // A stored item first (no text before it), items back to back, a comma after text.
    const body = new ResponseBody().storedItem(a).comma().storedItem(b).comma().storedItem(a).text(',').storedItem(b).finish();
    const expected = `{"a":{"S":"${text}"}},{"b":{"N":"2"}},{"a":{"S":"${text}"}},{"b":{"N":"2"}}`;
    assert.equal(body.toString('utf8'), expected);
    assert.equal(body.length, Buffer.byteLength(expected));
  });

  it('wraps one stored item as a GetItem answer', () => {
    const stored = encodeStoredItem({ k: { S: text } }, 1);
    assert.equal(itemResponse(stored).toString('utf8'), `{"Item":{"k":{"S":"${text}"}}}`);
  });
});

describe('item fast paths', () => {
  let t: TestContext;
  const TableName = 'fast';
  before(async () => {
    t = await startTestServer();
    await createTable(t.client, TableName, ['pk', 'S'], ['sk', 'N']);
  });
  after(() => t.close());

  const stats = async () => {
    const { Table } = await t.client.send(new DescribeTableCommand({ TableName }));
    return { count: Table!.ItemCount, bytes: Table!.TableSizeBytes };
  };

  it('unconditional puts and deletes keep ALL_OLD and the table statistics right', async () => {
    const key = { pk: text, sk: 1 };
    const first = await t.doc.send(new PutCommand({ TableName, Item: { ...key, v: 'a' }, ReturnValues: 'ALL_OLD' }));
    assert.equal(first.Attributes, undefined);
    const second = await t.doc.send(new PutCommand({ TableName, Item: { ...key, v: text }, ReturnValues: 'ALL_OLD' }));
    assert.deepEqual(second.Attributes, { ...key, v: 'a' });
    const third = await t.doc.send(new PutCommand({ TableName, Item: { ...key, v: 'c' } }));
    assert.equal(third.Attributes, undefined);
    assert.deepEqual(await stats(), { count: 1, bytes: 'pk'.length + Buffer.byteLength(text) + 'sk'.length + 2 + 'v'.length + 1 });
    const removed = await t.doc.send(new DeleteCommand({ TableName, Key: key, ReturnValues: 'ALL_OLD' }));
    assert.deepEqual(removed.Attributes, { ...key, v: 'c' });
    await t.doc.send(new DeleteCommand({ TableName, Key: key }));
    assert.deepEqual(await stats(), { count: 0, bytes: 0 });
  });

  it('an update measures its result once and stores it with the right size', async () => {
    const key = { pk: 'u', sk: 1 };
    await t.doc.send(new UpdateCommand({ TableName, Key: key, UpdateExpression: 'SET v = :v', ExpressionAttributeValues: { ':v': text } }));
    assert.deepEqual(await stats(), { count: 1, bytes: 'pk'.length + 1 + 'sk'.length + 2 + 'v'.length + Buffer.byteLength(text) });
    await t.doc.send(new UpdateCommand({ TableName, Key: key, UpdateExpression: 'REMOVE v' }));
    assert.deepEqual(await stats(), { count: 1, bytes: 'pk'.length + 1 + 'sk'.length + 2 });
    await t.doc.send(new DeleteCommand({ TableName, Key: key }));
  });

  it('GetItem, Query, Scan and BatchGetItem answer stored multi-byte items intact', async () => {
    const items = [1, 2, 3].map((sk) => ({ pk: 'm', sk, [text]: `${text} ${sk}` }));
    await t.doc.send(new BatchWriteCommand({ RequestItems: { [TableName]: items.map((Item) => ({ PutRequest: { Item } })) } }));
    const got = await t.doc.send(new GetCommand({ TableName, Key: { pk: 'm', sk: 2 } }));
    assert.deepEqual(got.Item, items[1]);
    const queried = await t.doc.send(new QueryCommand({ TableName, KeyConditionExpression: 'pk = :p', ExpressionAttributeValues: { ':p': 'm' } }));
    assert.deepEqual(queried.Items, items);
    const limited = await t.doc.send(new ScanCommand({ TableName, Limit: 2 }));
    assert.deepEqual(limited.Items, items.slice(0, 2));
    assert.deepEqual(limited.LastEvaluatedKey, { pk: 'm', sk: 2 });
    const batch = await t.doc.send(new BatchGetCommand({ RequestItems: { [TableName]: { Keys: [{ pk: 'm', sk: 3 }, { pk: 'm', sk: 1 }] } } }));
    const answered = batch.Responses![TableName]!.sort((a, b) => a.sk - b.sk);
    assert.deepEqual(answered, [items[0], items[2]]);
  });
});
