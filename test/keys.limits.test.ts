/** Keys at DynamoDB's size limits, on the table and in indexes, whatever their encoding length. */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { CreateTableCommand, GetItemCommand, PutItemCommand, QueryCommand } from '@aws-sdk/client-dynamodb';
import { expectError, startTestServer, type TestContext } from './helpers.js';

describe('key size limits', () => {
  let t: TestContext;
  before(async () => {
    t = await startTestServer();
    await t.client.send(new CreateTableCommand({
      TableName: 'limits', BillingMode: 'PAY_PER_REQUEST',
      KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }, { AttributeName: 'sk', KeyType: 'RANGE' }],
      AttributeDefinitions: [
        { AttributeName: 'pk', AttributeType: 'S' }, { AttributeName: 'sk', AttributeType: 'S' },
        { AttributeName: 'gpk', AttributeType: 'S' }, { AttributeName: 'gsk', AttributeType: 'S' },
      ],
      GlobalSecondaryIndexes: [{
        IndexName: 'by_g', KeySchema: [{ AttributeName: 'gpk', KeyType: 'HASH' }, { AttributeName: 'gsk', KeyType: 'RANGE' }],
        Projection: { ProjectionType: 'ALL' },
      }],
    }));
  });
  after(() => t.close());

  const nul = (n: number) => '\u0000'.repeat(n);

  it('stores, reads and queries items whose every key is at the limit', async () => {
    const items = [0, 1, 2].map((i) => ({
      pk: { S: nul(2048) }, sk: { S: nul(1023) + String(i) },
      gpk: { S: nul(2048) }, gsk: { S: nul(1024) }, n: { N: String(i) },
    }));
    for (const item of items) await t.client.send(new PutItemCommand({ TableName: 'limits', Item: item }));
    const got = await t.client.send(new GetItemCommand({ TableName: 'limits', Key: { pk: items[1]!.pk, sk: items[1]!.sk } }));
    assert.equal(got.Item!.n!.N, '1');
    const base = await t.client.send(new QueryCommand({
      TableName: 'limits', KeyConditionExpression: 'pk = :p', ExpressionAttributeValues: { ':p': { S: nul(2048) } },
    }));
    assert.deepEqual(base.Items!.map((i) => i.n!.N), ['0', '1', '2']);
    // Equal index keys: every entry is kept and pages cleanly one at a time.
    const seen: string[] = [];
    let start: Record<string, any> | undefined;
    do {
      const page = await t.client.send(new QueryCommand({
        TableName: 'limits', IndexName: 'by_g', KeyConditionExpression: 'gpk = :p', Limit: 1,
        ExpressionAttributeValues: { ':p': { S: nul(2048) } }, ExclusiveStartKey: start,
      }));
      seen.push(...page.Items!.map((i) => i.n!.N!));
      start = page.LastEvaluatedKey;
    } while (start);
    assert.deepEqual(seen.sort(), ['0', '1', '2']);
  });

  it('rejects an index key over the key size limit and writes nothing', async () => {
    const key = { pk: { S: 'x' }, sk: { S: 'y' } };
    await expectError(
      t.client.send(new PutItemCommand({ TableName: 'limits', Item: { ...key, gpk: { S: 'a' }, gsk: { S: 'z'.repeat(1025) } } })),
      'ValidationException', 'One or more parameter values were invalid: Aggregated size of all range keys has exceeded the size limit of 1024 bytes');
    const { Item } = await t.client.send(new GetItemCommand({ TableName: 'limits', Key: key }));
    assert.equal(Item, undefined);
  });
});
