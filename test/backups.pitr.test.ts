/** Point-in-time recovery: the window, the seed's recovery story, restart and kill -9. */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  BatchWriteItemCommand, CreateTableCommand, DeleteTableCommand, DescribeContinuousBackupsCommand, DescribeTableCommand, PutItemCommand, QueryCommand,
  RestoreTableToPointInTimeCommand, ScanCommand, UpdateContinuousBackupsCommand, type AttributeValue, type DynamoDBClient,
} from '@aws-sdk/client-dynamodb';
import { Clock } from '../src/index.js';
import { createTable, expectError, startTestServer, type TestContext } from './helpers.js';
import { writeUntilKilled } from './cliProcess.js';
import { waitFor } from './support/polling.js';


async function tableActive(client: DynamoDBClient, name: string) {
  // Generous: over PostgreSQL on a loaded machine, a restore batch that loses to upkeep jobs
  // (log folding, shard rollover) waits out the job runner's retry backoff.
  return waitFor(async () => {
    const { Table } = await client.send(new DescribeTableCommand({ TableName: name }));
    return Table!.TableStatus === 'ACTIVE' ? Table! : undefined;
  }, `table ${name}`, 45_000);
}

async function scanAll(client: DynamoDBClient, name: string, indexName?: string): Promise<Record<string, AttributeValue>[]> {
  const items: Record<string, AttributeValue>[] = [];
  let start: Record<string, AttributeValue> | undefined;
  do {
    const page = await client.send(new ScanCommand({ TableName: name, IndexName: indexName, ExclusiveStartKey: start }));
    items.push(...page.Items!);
    start = page.LastEvaluatedKey;
  } while (start);
  return items.sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)));
}

async function enable(client: DynamoDBClient, table: string, days?: number) {
  const { ContinuousBackupsDescription } = await client.send(new UpdateContinuousBackupsCommand({
    TableName: table,
    PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true, ...(days ? { RecoveryPeriodInDays: days } : {}) },
  }));
  return ContinuousBackupsDescription!;
}

describe('point-in-time recovery', () => {
  let t: TestContext;
  let clock: Clock;
  before(async () => {
    clock = new Clock();
    // Upkeep (which folds history older than the window) runs every 100 ms.
    t = await startTestServer({ clock, streamShardRolloverMs: 400 });
  });
  after(async () => {
    await t.close();
  });

  it('recovers the table as it was the second before a bad batch, indexes included', async () => {
    await t.client.send(new CreateTableCommand({
      TableName: 'Orders',
      BillingMode: 'PAY_PER_REQUEST',
      KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
      AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }, { AttributeName: 'state', AttributeType: 'S' }],
      GlobalSecondaryIndexes: [{ IndexName: 'byState', KeySchema: [{ AttributeName: 'state', KeyType: 'HASH' }], Projection: { ProjectionType: 'ALL' } }],
    }));
    await t.client.send(new PutItemCommand({ TableName: 'Orders', Item: { id: { S: 'before-pitr' }, state: { S: 'open' } } }));
    await enable(t.client, 'Orders');
    for (let i = 0; i < 40; i++) {
      await t.client.send(new PutItemCommand({ TableName: 'Orders', Item: { id: { S: `o${i}` }, state: { S: i % 4 ? 'open' : 'shipped' }, total: { N: String(i * 1.25) } } }));
    }
    const good = await scanAll(t.client, 'Orders');
    const goodIndex = await scanAll(t.client, 'Orders', 'byState');
    clock.advance(3000);
    const restoreTo = new Date(Math.floor(clock.now() / 1000) * 1000 - 1000);
    // The accident: a test script overwrites and deletes production items.
    await t.client.send(new BatchWriteItemCommand({
      RequestItems: {
        Orders: [
          ...Array.from({ length: 10 }, (_, i) => ({ PutRequest: { Item: { id: { S: `o${i}` }, state: { S: 'test' } } } })),
          ...Array.from({ length: 10 }, (_, i) => ({ DeleteRequest: { Key: { id: { S: `o${20 + i}` } } } })),
          { DeleteRequest: { Key: { id: { S: 'before-pitr' } } } },
        ],
      },
    }));
    clock.advance(10_000);
    const { TableDescription } = await t.client.send(new RestoreTableToPointInTimeCommand({
      SourceTableName: 'Orders', TargetTableName: 'OrdersRecovered', RestoreDateTime: restoreTo,
    }));
    assert.equal(TableDescription!.TableStatus, 'CREATING');
    assert.equal(TableDescription!.RestoreSummary!.SourceTableArn, `arn:aws:dynamodb:us-east-1:000000000000:table/Orders`.replace('000000000000', TableDescription!.TableArn!.split(':')[4]!));
    assert.equal(TableDescription!.RestoreSummary!.RestoreDateTime!.getTime(), restoreTo.getTime());
    const restored = await tableActive(t.client, 'OrdersRecovered');
    assert.equal(restored.ItemCount, 41);
    assert.equal(restored.GlobalSecondaryIndexes![0]!.IndexName, 'byState');
    assert.deepEqual(await scanAll(t.client, 'OrdersRecovered'), good);
    assert.deepEqual(await scanAll(t.client, 'OrdersRecovered', 'byState'), goodIndex);
    const shipped = await t.client.send(new QueryCommand({
      TableName: 'OrdersRecovered', IndexName: 'byState', KeyConditionExpression: '#s = :s',
      ExpressionAttributeNames: { '#s': 'state' }, ExpressionAttributeValues: { ':s': { S: 'shipped' } },
    }));
    assert.equal(shipped.Count, 10);
    // The latest restorable time has the bad batch in it.
    await t.client.send(new RestoreTableToPointInTimeCommand({ SourceTableArn: TableDescription!.RestoreSummary!.SourceTableArn, TargetTableName: 'OrdersLatest', UseLatestRestorableTime: true }));
    await tableActive(t.client, 'OrdersLatest');
    assert.deepEqual(await scanAll(t.client, 'OrdersLatest'), await scanAll(t.client, 'Orders'));
  });

  it('describes the window; disabling and re-enabling starts a new one', async () => {
    await createTable(t.client, 'Windowed', ['id', 'S']);
    const off = await t.client.send(new DescribeContinuousBackupsCommand({ TableName: 'Windowed' }));
    assert.deepEqual(off.ContinuousBackupsDescription, { ContinuousBackupsStatus: 'ENABLED', PointInTimeRecoveryDescription: { PointInTimeRecoveryStatus: 'DISABLED' } });
    await expectError(t.client.send(new RestoreTableToPointInTimeCommand({ SourceTableName: 'Windowed', TargetTableName: 'Win2', UseLatestRestorableTime: true })), 'PointInTimeRecoveryUnavailableException');
    const enabledAt = clock.now();
    const on = await enable(t.client, 'Windowed', 7);
    const recovery = on.PointInTimeRecoveryDescription!;
    assert.equal(recovery.PointInTimeRecoveryStatus, 'ENABLED');
    assert.equal(recovery.RecoveryPeriodInDays, 7);
    assert.ok(Math.abs(recovery.EarliestRestorableDateTime!.getTime() - enabledAt) < 1000);
    clock.advance(60_000);
    const later = (await t.client.send(new DescribeContinuousBackupsCommand({ TableName: 'Windowed' }))).ContinuousBackupsDescription!.PointInTimeRecoveryDescription!;
    assert.ok(Math.abs(later.LatestRestorableDateTime!.getTime() - (clock.now() - 5000)) < 1000);
    await expectError(t.client.send(new RestoreTableToPointInTimeCommand({
      SourceTableName: 'Windowed', TargetTableName: 'Win2', RestoreDateTime: new Date(enabledAt - 10_000),
    })), 'InvalidRestoreTimeException');
    await expectError(t.client.send(new UpdateContinuousBackupsCommand({
      TableName: 'Windowed', PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true, RecoveryPeriodInDays: 36 },
    })), 'ValidationException');

    await t.client.send(new UpdateContinuousBackupsCommand({ TableName: 'Windowed', PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: false } }));
    const disabled = await t.client.send(new DescribeContinuousBackupsCommand({ TableName: 'Windowed' }));
    assert.equal(disabled.ContinuousBackupsDescription!.PointInTimeRecoveryDescription!.PointInTimeRecoveryStatus, 'DISABLED');
    const reenabledAt = clock.now();
    const again = await enable(t.client, 'Windowed');
    assert.equal(again.PointInTimeRecoveryDescription!.RecoveryPeriodInDays, 35);
    assert.ok(again.PointInTimeRecoveryDescription!.EarliestRestorableDateTime!.getTime() >= reenabledAt - 1);
    await expectError(t.client.send(new DescribeContinuousBackupsCommand({ TableName: 'Nowhere' })), 'TableNotFoundException');
  });

  it('folds history older than the window into the base, and still restores within it', async () => {
    await createTable(t.client, 'Folded', ['id', 'S']);
    await enable(t.client, 'Folded', 1);
    await t.client.send(new PutItemCommand({ TableName: 'Folded', Item: { id: { S: 'a' }, v: { N: '1' } } }));
    await t.client.send(new PutItemCommand({ TableName: 'Folded', Item: { id: { S: 'gone' } } }));
    clock.advance(3600_000);
    await t.client.send(new PutItemCommand({ TableName: 'Folded', Item: { id: { S: 'a' }, v: { N: '2' } } }));
    await t.client.send(new BatchWriteItemCommand({ RequestItems: { Folded: [{ DeleteRequest: { Key: { id: { S: 'gone' } } } }] } }));
    clock.advance(2 * 24 * 3600_000);
    await t.client.send(new PutItemCommand({ TableName: 'Folded', Item: { id: { S: 'b' }, v: { N: '3' } } }));
    await new Promise((r) => setTimeout(r, 500)); // a few upkeep rounds
    const window = (await t.client.send(new DescribeContinuousBackupsCommand({ TableName: 'Folded' }))).ContinuousBackupsDescription!.PointInTimeRecoveryDescription!;
    assert.ok(Math.abs(window.EarliestRestorableDateTime!.getTime() - (clock.now() - 24 * 3600_000)) < 1000);
    clock.advance(10_000);
    await t.client.send(new RestoreTableToPointInTimeCommand({ SourceTableName: 'Folded', TargetTableName: 'FoldedCopy', UseLatestRestorableTime: true }));
    await tableActive(t.client, 'FoldedCopy');
    assert.deepEqual(await scanAll(t.client, 'FoldedCopy'), [{ id: { S: 'a' }, v: { N: '2' } }, { id: { S: 'b' }, v: { N: '3' } }]);
    await t.client.send(new DeleteTableCommand({ TableName: 'Folded' }));
  });
});

describe('point-in-time recovery across restarts', () => {
  it('survives a clean restart', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'openddb-pitr-'));
    try {
      let t = await startTestServer({ dataDir: dir });
      await createTable(t.client, 'Kept', ['id', 'N']);
      await enable(t.client, 'Kept');
      for (let i = 0; i < 20; i++) await t.client.send(new PutItemCommand({ TableName: 'Kept', Item: { id: { N: String(i) } } }));
      await t.close();
      const clock = new Clock();
      clock.advance(10_000);
      t = await startTestServer({ dataDir: dir, clock });
      try {
        await t.client.send(new RestoreTableToPointInTimeCommand({ SourceTableName: 'Kept', TargetTableName: 'KeptCopy', UseLatestRestorableTime: true }));
        assert.equal((await tableActive(t.client, 'KeptCopy')).ItemCount, 20);
      } finally {
        await t.close();
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('keeps the history of every acknowledged write after kill -9', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'openddb-pitr-kill-'));
    try {
      const acknowledged = await writeUntilKilled(dir, {
        target: 400,
        setup: async ({ client }) => {
          await createTable(client, 'events', ['id', 'N']);
          await enable(client, 'events');
        },
        write: ({ client }, id) => client.send(new PutItemCommand({ TableName: 'events', Item: { id: { N: String(id) } } })),
      });
      const clock = new Clock();
      clock.advance(10_000);
      const t = await startTestServer({ dataDir: dir, clock });
      try {
        await t.client.send(new RestoreTableToPointInTimeCommand({ SourceTableName: 'events', TargetTableName: 'eventsCopy', UseLatestRestorableTime: true }));
        await tableActive(t.client, 'eventsCopy');
        const ids = new Set((await scanAll(t.client, 'eventsCopy')).map((i) => Number(i.id!.N)));
        for (const id of acknowledged) assert.ok(ids.has(id), `acknowledged write ${id} is missing from the restored table`);
      } finally {
        await t.close();
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
