/** The server's one clock drives transient statuses and idempotency windows: moved by hand, no waiting. */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { CreateTableCommand, DescribeTableCommand, UpdateTableCommand } from '@aws-sdk/client-dynamodb';
import { GetCommand, PutCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { Clock } from '../src/index.js';
import { createTable, expectError, startTestServer } from './helpers.js';

describe('the injectable clock', () => {
  it('holds CREATING and UPDATING until the clock, not the wall, has moved on', async () => {
    const clock = new Clock();
    clock.set(Date.UTC(2026, 0, 1), true);
    const t = await startTestServer({ delayTransientStatuses: true, clock });
    try {
      assert.equal(t.server.clock, clock);
      await createTable(t.client, 'slow', ['id', 'S']);
      const status = async () => (await t.client.send(new DescribeTableCommand({ TableName: 'slow' }))).Table!.TableStatus;
      assert.equal(await status(), 'CREATING');
      await new Promise((resolve) => setTimeout(resolve, 600)); // wall time alone changes nothing
      assert.equal(await status(), 'CREATING');
      clock.advance(500);
      assert.equal(await status(), 'ACTIVE');
      await t.client.send(new UpdateTableCommand({ TableName: 'slow', BillingMode: 'PROVISIONED', ProvisionedThroughput: { ReadCapacityUnits: 1, WriteCapacityUnits: 1 } }));
      assert.equal(await status(), 'UPDATING');
      clock.advance(500);
      assert.equal(await status(), 'ACTIVE');
    } finally {
      await t.close();
    }
  });

  it('expires client request tokens after 10 minutes of clock time', async () => {
    const clock = new Clock();
    clock.set(Date.UTC(2026, 0, 1), true);
    const t = await startTestServer({ clock });
    const add = (by: number) => new TransactWriteCommand({
      ClientRequestToken: 'clock-token',
      TransactItems: [{ Update: { TableName: 'counters', Key: { id: 'c' }, UpdateExpression: 'ADD n :by', ExpressionAttributeValues: { ':by': by } } }],
    });
    try {
      await createTable(t.client, 'counters', ['id', 'S']);
      await t.doc.send(add(1));
      clock.advance(10 * 60 * 1000 - 1);
      await expectError(t.doc.send(add(2)), 'IdempotentParameterMismatchException');
      clock.advance(1);
      await t.doc.send(add(2)); // the token's record has expired: a new transaction
      const { Item } = await t.doc.send(new GetCommand({ TableName: 'counters', Key: { id: 'c' } }));
      assert.equal(Item!.n, 3);
    } finally {
      await t.close();
    }
  });

  it('refills throttling buckets by the clock', async () => {
    const clock = new Clock();
    clock.set(Date.UTC(2026, 0, 1), true);
    const t = await startTestServer({ clock, throttle: true });
    try {
      await t.client.send(new CreateTableCommand({
        TableName: 'slow',
        KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
        AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }],
        ProvisionedThroughput: { ReadCapacityUnits: 5, WriteCapacityUnits: 5 },
      }));
      // A new bucket holds one second of capacity (5 WCU); a 100 KB write costs 100 and
      // takes it to -95, which refills at 5 per second of clock time.
      const big = { id: 'a', v: 'x'.repeat(100 * 1024 - 50) };
      const put = () => t.doc.send(new PutCommand({ TableName: 'slow', Item: big }));
      await put();
      await expectError(put(), 'ProvisionedThroughputExceededException');
      await new Promise((resolve) => setTimeout(resolve, 300)); // wall time refills nothing
      await expectError(put(), 'ProvisionedThroughputExceededException');
      clock.advance(19_000);
      await expectError(put(), 'ProvisionedThroughputExceededException');
      clock.advance(1_000);
      await put();
    } finally {
      await t.close();
    }
  });

  it('dates provisioned-throughput decreases by the clock', async () => {
    const clock = new Clock();
    clock.set(Date.UTC(2026, 0, 1, 10), true);
    const t = await startTestServer({ clock });
    try {
      await t.client.send(new CreateTableCommand({
        TableName: 'prov',
        KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
        AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }],
        ProvisionedThroughput: { ReadCapacityUnits: 100, WriteCapacityUnits: 100 },
      }));
      const decrease = (units: number) => t.client.send(new UpdateTableCommand({ TableName: 'prov', ProvisionedThroughput: { ReadCapacityUnits: units, WriteCapacityUnits: units } }));
      await decrease(50);
      const { Table } = await t.client.send(new DescribeTableCommand({ TableName: 'prov' }));
      assert.equal(Table!.ProvisionedThroughput!.LastDecreaseDateTime!.getTime(), Date.UTC(2026, 0, 1, 10));
    } finally {
      await t.close();
    }
  });
});
