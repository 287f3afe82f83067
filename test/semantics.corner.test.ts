/** Corner cases of item semantics DynamoDB answers in its own way, through the SDK. */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { GetItemCommand, PutItemCommand, QueryCommand, ScanCommand, UpdateItemCommand, type ReturnValue } from '@aws-sdk/client-dynamodb';
import { createTable, expectError, startTestServer, type TestContext } from './helpers.js';

describe('item corner cases', () => {
  let t: TestContext;
  before(async () => {
    t = await startTestServer();
    await createTable(t.client, 'corner', ['pk', 'S'], ['sk', 'N']);
    await t.client.send(new PutItemCommand({ TableName: 'corner', Item: { pk: { S: 'p' }, sk: { N: '1' }, a: { S: 'x' } } }));
  });
  after(() => t.close());

  const get = (pk: string, sk = '1') => t.client.send(new GetItemCommand({ TableName: 'corner', Key: { pk: { S: pk }, sk: { N: sk } }, ConsistentRead: true }));

  it('a projection that matches nothing answers the item as {} in Query and Scan', async () => {
    const q = await t.client.send(new QueryCommand({
      TableName: 'corner', KeyConditionExpression: 'pk = :p', ProjectionExpression: 'nothing', ExpressionAttributeValues: { ':p': { S: 'p' } },
    }));
    assert.deepEqual(q.Items, [{}]);
    const s = await t.client.send(new ScanCommand({ TableName: 'corner', AttributesToGet: ['nothing'] }));
    assert.deepEqual(s.Items, [{}]);
    const g = await t.client.send(new GetItemCommand({ TableName: 'corner', Key: { pk: { S: 'p' }, sk: { N: '1' } }, AttributesToGet: ['nothing'] }));
    assert.deepEqual(g.Item, {});
  });

  it('an update that only removes or deletes creates no item, whatever ReturnValues', async () => {
    for (const rv of ['NONE', 'ALL_OLD', 'UPDATED_OLD', 'ALL_NEW', 'UPDATED_NEW'] as ReturnValue[]) {
      const res = await t.client.send(new UpdateItemCommand({ TableName: 'corner', Key: { pk: { S: `rm-${rv}` }, sk: { N: '1' } }, UpdateExpression: 'REMOVE a, b', ReturnValues: rv }));
      assert.equal(res.Attributes, undefined, rv);
      assert.equal((await get(`rm-${rv}`)).Item, undefined, rv);
    }
    await t.client.send(new UpdateItemCommand({
      TableName: 'corner', Key: { pk: { S: 'del' }, sk: { N: '1' } }, UpdateExpression: 'DELETE tags :t', ExpressionAttributeValues: { ':t': { SS: ['x'] } },
    }));
    assert.equal((await get('del')).Item, undefined);
    await t.client.send(new UpdateItemCommand({ TableName: 'corner', Key: { pk: { S: 'legacy-del' }, sk: { N: '1' } }, AttributeUpdates: { a: { Action: 'DELETE' } } }));
    assert.equal((await get('legacy-del')).Item, undefined);
    // A REMOVE together with a SET does create the item.
    await t.client.send(new UpdateItemCommand({ TableName: 'corner', Key: { pk: { S: 'mixed' }, sk: { N: '1' } }, UpdateExpression: 'SET b = :b REMOVE a', ExpressionAttributeValues: { ':b': { N: '1' } } }));
    assert.deepEqual((await get('mixed')).Item, { pk: { S: 'mixed' }, sk: { N: '1' }, b: { N: '1' } });
  });

  it('an update that sets nothing (empty AttributeUpdates, or none at all) creates the item', async () => {
    const res = await t.client.send(new UpdateItemCommand({ TableName: 'corner', Key: { pk: { S: 'empty' }, sk: { N: '1' } }, AttributeUpdates: {}, ReturnValues: 'ALL_NEW' }));
    assert.deepEqual(res.Attributes, { pk: { S: 'empty' }, sk: { N: '1' } });
    assert.deepEqual((await get('empty')).Item, { pk: { S: 'empty' }, sk: { N: '1' } });
    await t.client.send(new UpdateItemCommand({ TableName: 'corner', Key: { pk: { S: 'bare' }, sk: { N: '1' } } }));
    assert.deepEqual((await get('bare')).Item, { pk: { S: 'bare' }, sk: { N: '1' } });
  });

  it('legacy conditions: empty Expected, Value with AttributeValueList, IN over mixed types are refused', async () => {
    const key = { pk: { S: 'p' }, sk: { N: '1' } };
    await expectError(t.client.send(new PutItemCommand({ TableName: 'corner', Item: { ...key, a: { S: 'x' } }, Expected: {} })),
      'ValidationException', 'Expected must not be empty');
    await expectError(t.client.send(new PutItemCommand({
      TableName: 'corner', Item: { ...key, a: { S: 'x' } },
      Expected: { a: { Value: { S: 'x' }, ComparisonOperator: 'EQ', AttributeValueList: [{ S: 'x' }] } },
    })), 'ValidationException', 'One or more parameter values were invalid: Value and AttributeValueList cannot be used together for Attribute: a');
    await expectError(t.client.send(new ScanCommand({
      TableName: 'corner', ScanFilter: { a: { ComparisonOperator: 'IN', AttributeValueList: [{ S: 'x' }, { N: '1' }] } },
    })), 'ValidationException', 'One or more parameter values were invalid: AttributeValues inside AttributeValueList must be of same type');
    // Value with a ComparisonOperator (no list) is accepted.
    await t.client.send(new PutItemCommand({ TableName: 'corner', Item: { ...key, a: { S: 'x' } }, Expected: { a: { Value: { S: 'x' }, ComparisonOperator: 'EQ' } } }));
    const { Items } = await t.client.send(new ScanCommand({ TableName: 'corner', ScanFilter: { a: { ComparisonOperator: 'IN', AttributeValueList: [{ S: 'x' }] } } }));
    assert.equal(Items!.length, 1);
  });

  it('an empty or small Query / Scan page is charged the minimum: 1 unit, halved when eventually consistent', async () => {
    await createTable(t.client, 'cornerEmpty', ['pk', 'S']);
    const scan = (ConsistentRead: boolean) => t.client.send(new ScanCommand({ TableName: 'cornerEmpty', ConsistentRead, ReturnConsumedCapacity: 'TOTAL' }));
    assert.equal((await scan(false)).ConsumedCapacity!.CapacityUnits, 0.5);
    assert.equal((await scan(true)).ConsumedCapacity!.CapacityUnits, 1);
    const query = (pk: string, ConsistentRead: boolean) => t.client.send(new QueryCommand({
      TableName: 'corner', KeyConditionExpression: 'pk = :p', ExpressionAttributeValues: { ':p': { S: pk } }, ConsistentRead, ReturnConsumedCapacity: 'TOTAL',
    }));
    assert.equal((await query('nobody', false)).ConsumedCapacity!.CapacityUnits, 0.5);
    assert.equal((await query('nobody', true)).ConsumedCapacity!.CapacityUnits, 1);
    assert.equal((await query('p', false)).ConsumedCapacity!.CapacityUnits, 0.5, 'a few bytes cost the minimum');
  });
});

