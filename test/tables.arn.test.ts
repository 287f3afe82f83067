/** A table ARN wherever a TableName is taken: items, queries, batches, transactions, control plane, tags. */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  BatchGetItemCommand, BatchWriteItemCommand, CreateTableCommand, DeleteItemCommand, DeleteTableCommand, DescribeTableCommand, GetItemCommand,
  ListTagsOfResourceCommand, PutItemCommand, QueryCommand, ScanCommand, TagResourceCommand, TransactGetItemsCommand,
  TransactWriteItemsCommand, UpdateItemCommand, UpdateTableCommand,
} from '@aws-sdk/client-dynamodb';
import { createTable, expectError, rawRequest, startTestServer, type TestContext } from './helpers.js';

const ARN = 'arn:aws:dynamodb:us-east-1:000000000000:table/arnItems';
const OTHER_ACCOUNT = 'arn:aws:dynamodb:us-east-1:111122223333:table/arnItems';
const OTHER_REGION = 'arn:aws:dynamodb:eu-west-1:000000000000:table/arnItems';

describe('table ARNs as TableName', () => {
  let t: TestContext;
  before(async () => {
    t = await startTestServer();
    await createTable(t.client, 'arnItems', ['pk', 'S'], ['sk', 'N']);
  });
  after(() => t.close());

  it('item operations, Query and Scan resolve the ARN to the table', async () => {
    await t.client.send(new PutItemCommand({ TableName: ARN, Item: { pk: { S: 'a' }, sk: { N: '1' }, v: { S: 'x' } } }));
    const got = await t.client.send(new GetItemCommand({ TableName: ARN, Key: { pk: { S: 'a' }, sk: { N: '1' } }, ReturnConsumedCapacity: 'TOTAL' }));
    assert.deepEqual(got.Item, { pk: { S: 'a' }, sk: { N: '1' }, v: { S: 'x' } });
    assert.equal(got.ConsumedCapacity?.TableName, 'arnItems');
    const byName = await t.client.send(new GetItemCommand({ TableName: 'arnItems', Key: { pk: { S: 'a' }, sk: { N: '1' } } }));
    assert.deepEqual(byName.Item, got.Item, 'the ARN and the name reach the same table');
    await t.client.send(new UpdateItemCommand({
      TableName: ARN, Key: { pk: { S: 'a' }, sk: { N: '1' } }, UpdateExpression: 'SET v = :v', ExpressionAttributeValues: { ':v': { S: 'y' } },
    }));
    const q = await t.client.send(new QueryCommand({ TableName: ARN, KeyConditionExpression: 'pk = :p', ExpressionAttributeValues: { ':p': { S: 'a' } } }));
    assert.deepEqual(q.Items, [{ pk: { S: 'a' }, sk: { N: '1' }, v: { S: 'y' } }]);
    const s = await t.client.send(new ScanCommand({ TableName: ARN }));
    assert.equal(s.Count, 1);
    await t.client.send(new DeleteItemCommand({ TableName: ARN, Key: { pk: { S: 'a' }, sk: { N: '1' } } }));
    assert.equal((await t.client.send(new ScanCommand({ TableName: 'arnItems' }))).Count, 0);
  });

  it('batches answer under the key the request used', async () => {
    const written = await t.client.send(new BatchWriteItemCommand({
      RequestItems: { [ARN]: [{ PutRequest: { Item: { pk: { S: 'b' }, sk: { N: '1' } } } }, { PutRequest: { Item: { pk: { S: 'b' }, sk: { N: '2' } } } }] },
    }));
    assert.deepEqual(written.UnprocessedItems, {});
    const read = await t.client.send(new BatchGetItemCommand({ RequestItems: { [ARN]: { Keys: [{ pk: { S: 'b' }, sk: { N: '1' } }, { pk: { S: 'b' }, sk: { N: '2' } }] } } }));
    assert.deepEqual(Object.keys(read.Responses!), [ARN]);
    assert.equal(read.Responses![ARN]!.length, 2);
    assert.deepEqual(read.UnprocessedKeys, {});
    // One item named once by name and once by ARN is the same item.
    await expectError(
      t.client.send(new BatchGetItemCommand({ RequestItems: { [ARN]: { Keys: [{ pk: { S: 'b' }, sk: { N: '1' } }] }, arnItems: { Keys: [{ pk: { S: 'b' }, sk: { N: '1' } }] } } })),
      'ValidationException', 'Provided list of item keys contains duplicates',
    );
  });

  it('unprocessed keys and items come back under the ARN the request used', async () => {
    const throttledArn = 'arn:aws:dynamodb:us-east-1:000000000000:table/arnThrottled';
    await t.client.send(new CreateTableCommand({
      TableName: 'arnThrottled', KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }], AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }],
      ProvisionedThroughput: { ReadCapacityUnits: 1, WriteCapacityUnits: 1 },
    }));
    const pad = 'x'.repeat(8000);
    const keys = Array.from({ length: 10 }, (_, i) => ({ pk: { S: `k${i}` } }));
    await t.client.send(new BatchWriteItemCommand({ RequestItems: { arnThrottled: keys.map((k) => ({ PutRequest: { Item: { ...k, pad: { S: pad } } } })) } }));
    await t.client.send(new TagResourceCommand({ ResourceArn: throttledArn, Tags: [{ Key: 'openddb:throttle', Value: 'on' }] }));
    const read = await t.client.send(new BatchGetItemCommand({ RequestItems: { [throttledArn]: { Keys: keys, ConsistentRead: true } } }));
    assert.deepEqual(Object.keys(read.UnprocessedKeys!), [throttledArn]);
    assert.ok(read.UnprocessedKeys![throttledArn]!.Keys!.length > 0);
    const written = await t.client.send(new BatchWriteItemCommand({
      RequestItems: { [throttledArn]: keys.map((k) => ({ PutRequest: { Item: { ...k, pad: { S: pad } } } })) },
    }));
    assert.deepEqual(Object.keys(written.UnprocessedItems!), [throttledArn]);
  });

  it('transactions resolve each action and see name and ARN as one table', async () => {
    await t.client.send(new TransactWriteItemsCommand({ TransactItems: [{ Put: { TableName: ARN, Item: { pk: { S: 'c' }, sk: { N: '1' } } } }] }));
    const got = await t.client.send(new TransactGetItemsCommand({ TransactItems: [{ Get: { TableName: ARN, Key: { pk: { S: 'c' }, sk: { N: '1' } } } }] }));
    assert.deepEqual(got.Responses![0]!.Item, { pk: { S: 'c' }, sk: { N: '1' } });
    await expectError(t.client.send(new TransactWriteItemsCommand({
      TransactItems: [
        { Put: { TableName: ARN, Item: { pk: { S: 'c' }, sk: { N: '2' } } } },
        { Delete: { TableName: 'arnItems', Key: { pk: { S: 'c' }, sk: { N: '2' } } } },
      ],
    })), 'ValidationException', 'Transaction request cannot include multiple operations on one item');
  });

  it('DescribeTable and UpdateTable take the ARN and answer with the table', async () => {
    const { Table } = await t.client.send(new DescribeTableCommand({ TableName: ARN }));
    assert.equal(Table!.TableName, 'arnItems');
    assert.equal(Table!.TableArn, ARN);
    const updated = await t.client.send(new UpdateTableCommand({ TableName: ARN, DeletionProtectionEnabled: false }));
    assert.equal(updated.TableDescription!.TableName, 'arnItems');
  });

  it("another account's ARN is denied, another region's and other resources' ARNs are invalid", async () => {
    await expectError(
      t.client.send(new GetItemCommand({ TableName: OTHER_ACCOUNT, Key: { pk: { S: 'a' }, sk: { N: '1' } } })),
      'AccessDeniedException',
      `User: arn:aws:iam::000000000000:root is not authorized to perform: dynamodb:GetItem on resource: ${OTHER_ACCOUNT} ` +
        'because no resource-based policy allows the dynamodb:GetItem action',
    );
    await expectError(t.client.send(new DescribeTableCommand({ TableName: OTHER_ACCOUNT })), 'AccessDeniedException', /dynamodb:DescribeTable on resource/);
    await expectError(
      t.client.send(new BatchWriteItemCommand({ RequestItems: { [OTHER_ACCOUNT]: [{ PutRequest: { Item: { pk: { S: 'z' }, sk: { N: '1' } } } }] } })),
      'AccessDeniedException', /dynamodb:BatchWriteItem on resource/,
    );
    await expectError(t.client.send(new QueryCommand({ TableName: OTHER_REGION, KeyConditionExpression: 'pk = :p', ExpressionAttributeValues: { ':p': { S: 'a' } } })),
      'ValidationException', `Invalid TableArn: Invalid ResourceArn provided as input ${OTHER_REGION}`);
    const indexArn = `${ARN}/index/byV`;
    await expectError(t.client.send(new ScanCommand({ TableName: indexArn })), 'ValidationException', `Invalid TableArn: Invalid ResourceArn provided as input ${indexArn}`);
    await expectError(t.client.send(new ScanCommand({ TableName: 'arn:aws:dynamodb:us-east-1:000000000000:table/none' })), 'ResourceNotFoundException', 'Requested resource not found');
    await expectError(t.client.send(new DescribeTableCommand({ TableName: 'arn:aws:dynamodb:us-east-1:000000000000:table/none' })),
      'ResourceNotFoundException', 'Requested resource not found: Table: arn:aws:dynamodb:us-east-1:000000000000:table/none not found');
    assert.equal((await t.client.send(new ScanCommand({ TableName: 'arnItems' }))).Count, 3, 'nothing was written by a refused request');
  });

  it('CreateTable takes a name, not an ARN', async () => {
    const res = await rawRequest(t.server.url, 'CreateTable', JSON.stringify({
      TableName: 'arn:aws:dynamodb:us-east-1:000000000000:table/fresh', BillingMode: 'PAY_PER_REQUEST',
      KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }], AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }],
    }));
    assert.equal(res.status, 400);
    assert.equal(res.json.message,
      "1 validation error detected: Value 'arn:aws:dynamodb:us-east-1:000000000000:table/fresh' at 'tableName' failed to satisfy constraint: " +
      'Member must satisfy regular expression pattern: [a-zA-Z0-9_.-]+');
  });

  it('tags: malformed -> ValidationException, foreign -> AccessDeniedException, missing table -> ResourceNotFoundException', async () => {
    await t.client.send(new TagResourceCommand({ ResourceArn: ARN, Tags: [{ Key: 'k', Value: 'v' }] }));
    assert.deepEqual((await t.client.send(new ListTagsOfResourceCommand({ ResourceArn: ARN }))).Tags, [{ Key: 'k', Value: 'v' }]);
    await expectError(t.client.send(new ListTagsOfResourceCommand({ ResourceArn: 'arnItems' })), 'ValidationException', 'Invalid TableArn: Invalid ResourceArn provided as input arnItems');
    await expectError(t.client.send(new TagResourceCommand({ ResourceArn: `${ARN}/stream/x`, Tags: [{ Key: 'k', Value: 'v' }] })), 'ValidationException', /^Invalid TableArn/);
    await expectError(t.client.send(new TagResourceCommand({ ResourceArn: OTHER_ACCOUNT, Tags: [{ Key: 'k', Value: 'v' }] })), 'AccessDeniedException', /dynamodb:TagResource on resource/);
    const missing = 'arn:aws:dynamodb:us-east-1:000000000000:table/none';
    await expectError(t.client.send(new ListTagsOfResourceCommand({ ResourceArn: missing })), 'ResourceNotFoundException', `Requested resource not found: ResourcArn: ${missing} not found`);
  });

  it('DeleteTable by ARN', async () => {
    await createTable(t.client, 'arnGone', ['pk', 'S']);
    const { TableDescription } = await t.client.send(new DeleteTableCommand({ TableName: 'arn:aws:dynamodb:us-east-1:000000000000:table/arnGone' }));
    assert.equal(TableDescription!.TableName, 'arnGone');
    await expectError(t.client.send(new DescribeTableCommand({ TableName: 'arnGone' })), 'ResourceNotFoundException');
  });

  it('a missing TableName is named in its own words (raw HTTP)', async () => {
    for (const op of ['GetItem', 'PutItem', 'Query', 'DescribeTable', 'DeleteTable']) {
      const res = await rawRequest(t.server.url, op, '{}');
      assert.equal(res.status, 400);
      assert.equal(res.json.__type, 'com.amazon.coral.validate#ValidationException');
      assert.equal(res.json.message, "The parameter 'TableName' is required but was not present in the request");
    }
  });
});
