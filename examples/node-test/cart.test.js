import { afterEach, beforeEach, test } from 'node:test';
import assert from 'node:assert/strict';
import { CreateTableCommand, UpdateTimeToLiveCommand } from '@aws-sdk/client-dynamodb';
import { GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { startInProcess } from 'openddb';

// A fresh in-process database per test: no server, no port, nothing to clean up between tests.
let db;
beforeEach(async () => {
  db = await startInProcess();
  await db.client.send(new CreateTableCommand({
    TableName: 'carts',
    BillingMode: 'PAY_PER_REQUEST',
    KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
    AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }],
  }));
});
afterEach(() => db.close());

test('adds to a cart', async () => {
  const add = () => db.documentClient.send(new UpdateCommand({
    TableName: 'carts', Key: { id: 'c-1' }, UpdateExpression: 'ADD itemCount :one', ExpressionAttributeValues: { ':one': 1 },
  }));
  await add();
  await add();
  const { Item } = await db.documentClient.send(new GetCommand({ TableName: 'carts', Key: { id: 'c-1' } }));
  assert.deepEqual(Item, { id: 'c-1', itemCount: 2 });
});

test('forgets an abandoned cart after a day', async () => {
  await db.client.send(new UpdateTimeToLiveCommand({ TableName: 'carts', TimeToLiveSpecification: { AttributeName: 'expiresAt', Enabled: true } }));
  const inADay = Math.floor(db.clock.now() / 1000) + 24 * 3600;
  await db.documentClient.send(new PutCommand({ TableName: 'carts', Item: { id: 'c-2', expiresAt: inADay } }));
  // Move the database's clock instead of waiting, then run the TTL sweep now.
  db.clock.advance(25 * 3600 * 1000);
  assert.equal(await db.sweepTtl('carts'), 1);
  const { Item } = await db.documentClient.send(new GetCommand({ TableName: 'carts', Key: { id: 'c-2' } }));
  assert.equal(Item, undefined);
});
