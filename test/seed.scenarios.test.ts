/** The seed lecture's scenarios, end to end through the DocumentClient. */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { CreateTableCommand } from '@aws-sdk/client-dynamodb';
import { GetCommand, PutCommand, ScanCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { createTable, expectError, startTestServer, type TestContext } from './helpers.js';

const HOUR = 60 * 60 * 1000;

describe('seed scenarios', () => {
  let t: TestContext;
  before(async () => {
    t = await startTestServer();
    await createTable(t.client, 'AccountStatus', ['userId', 'N']);
    await t.client.send(new CreateTableCommand({
      TableName: 'Customer', BillingMode: 'PAY_PER_REQUEST',
      KeySchema: [{ AttributeName: 'CustomerId', KeyType: 'HASH' }],
      AttributeDefinitions: [{ AttributeName: 'CustomerId', AttributeType: 'N' }, { AttributeName: 'SportsNewsInterest', AttributeType: 'S' }],
      GlobalSecondaryIndexes: [{
        IndexName: 'SportsInterest',
        KeySchema: [{ AttributeName: 'CustomerId', KeyType: 'HASH' }, { AttributeName: 'SportsNewsInterest', KeyType: 'RANGE' }],
        Projection: { ProjectionType: 'KEYS_ONLY' },
      }],
    }));
  });
  after(() => t.close());

  it('unlocks an account only when the last failed login is over 24 hours old', async () => {
    const unlock = (now: number) =>
      t.doc.send(new UpdateCommand({
        TableName: 'AccountStatus', Key: { userId: 1 },
        UpdateExpression: 'SET accountLocked = :n',
        ConditionExpression: 'lastFailedLoginTime < :cutoff',
        ExpressionAttributeValues: { ':n': 'N', ':cutoff': new Date(now - 24 * HOUR).toISOString() },
      }));
    const failedAt = Date.parse('2018-06-06T18:20:00.000Z');
    await t.doc.send(new PutCommand({ TableName: 'AccountStatus', Item: { userId: 1, lastFailedLoginTime: new Date(failedAt).toISOString(), accountLocked: 'Y' } }));
    await expectError(unlock(failedAt + 23 * HOUR), 'ConditionalCheckFailedException');
    assert.equal((await t.doc.send(new GetCommand({ TableName: 'AccountStatus', Key: { userId: 1 } }))).Item!.accountLocked, 'Y');
    await unlock(failedAt + 25 * HOUR);
    assert.equal((await t.doc.send(new GetCommand({ TableName: 'AccountStatus', Key: { userId: 1 } }))).Item!.accountLocked, 'N');
  });

  it('never loses an update under optimistic locking with concurrent writers', async () => {
    await t.doc.send(new PutCommand({ TableName: 'AccountStatus', Item: { userId: 2, versionNum: 0, logins: 0 } }));
    const writers = 20;
    const incrementsEach = 10;
    let conflicts = 0;
    const increment = async () => {
      for (;;) {
        const { Item } = await t.doc.send(new GetCommand({ TableName: 'AccountStatus', Key: { userId: 2 }, ConsistentRead: true }));
        try {
          await t.doc.send(new PutCommand({
            TableName: 'AccountStatus',
            Item: { ...Item, logins: Item!.logins + 1, versionNum: Item!.versionNum + 1 },
            ConditionExpression: 'versionNum = :read',
            ExpressionAttributeValues: { ':read': Item!.versionNum },
          }));
          return;
        } catch (err) {
          if ((err as Error).name !== 'ConditionalCheckFailedException') throw err;
          conflicts++;
        }
      }
    };
    await Promise.all(Array.from({ length: writers }, async () => {
      for (let i = 0; i < incrementsEach; i++) await increment();
    }));
    const { Item } = await t.doc.send(new GetCommand({ TableName: 'AccountStatus', Key: { userId: 2 } }));
    assert.equal(Item!.logins, writers * incrementsEach);
    assert.equal(Item!.versionNum, writers * incrementsEach);
    assert.ok(conflicts > 0, 'concurrent writers did collide, so the retry path ran');
  });

  it('keeps the SportsInterest index sparse', async () => {
    await t.doc.send(new PutCommand({ TableName: 'Customer', Item: { CustomerId: 1, Name: 'No interest' } }));
    await t.doc.send(new PutCommand({ TableName: 'Customer', Item: { CustomerId: 2, SportsNewsInterest: 'Y' } }));
    await t.doc.send(new PutCommand({ TableName: 'Customer', Item: { CustomerId: 3, SportsNewsInterest: 'Y' } }));
    const { Items } = await t.doc.send(new ScanCommand({ TableName: 'Customer', IndexName: 'SportsInterest' }));
    assert.deepEqual(Items!.map((i) => i.CustomerId).sort(), [2, 3]);
  });
});
