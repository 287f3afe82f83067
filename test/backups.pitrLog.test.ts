/**
 * Point-in-time recovery on the change log: retention bounded by the window, one log
 * shared with a stream, restores across a shard rollover.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  CreateTableCommand, DeleteItemCommand, DescribeTableCommand, PutItemCommand, RestoreTableToPointInTimeCommand, ScanCommand,
  UpdateContinuousBackupsCommand, UpdateTableCommand, type AttributeValue, type DynamoDBClient,
} from '@aws-sdk/client-dynamodb';
import { Clock } from '../src/index.js';
import { MemoryStore } from '../src/storage/memory.js';
import { createTable, startTestServer, type TestContext } from './helpers.js';
import { allShards, readShard, streamsClient } from './streams.helpers.js';

const DAY = 24 * 60 * 60 * 1000;
const LOG_TAG = 0x06;
const RECORD_KIND = 0x02;

async function until<T>(probe: () => Promise<T | undefined | false>, what: string): Promise<T> {
  for (let i = 0; i < 500; i++) {
    const value = await probe();
    if (value !== undefined && value !== false) return value;
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error(`timed out waiting for ${what}`);
}

async function restoreAndScan(client: DynamoDBClient, source: string, target: string, at?: Date): Promise<Record<string, AttributeValue>[]> {
  await client.send(new RestoreTableToPointInTimeCommand({
    SourceTableName: source, TargetTableName: target, ...(at ? { RestoreDateTime: at } : { UseLatestRestorableTime: true }),
  }));
  await until(async () => (await client.send(new DescribeTableCommand({ TableName: target }))).Table!.TableStatus === 'ACTIVE', target);
  const { Items } = await client.send(new ScanCommand({ TableName: target }));
  return Items!.sort((a, b) => a.id!.S!.localeCompare(b.id!.S!));
}

const put = (client: DynamoDBClient, table: string, id: string, v: number) =>
  client.send(new PutItemCommand({ TableName: table, Item: { id: { S: id }, v: { N: String(v) } } }));

function enablePitr(client: DynamoDBClient, table: string, enabled = true, days?: number) {
  return client.send(new UpdateContinuousBackupsCommand({
    TableName: table, PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: enabled, ...(days ? { RecoveryPeriodInDays: days } : {}) },
  }));
}

describe('point-in-time recovery on the change log', () => {
  let t: TestContext;
  let clock: Clock;
  let store: MemoryStore;
  before(async () => {
    clock = new Clock();
    store = new MemoryStore();
    t = await startTestServer({ clock, store, streamShardRolloverMs: 400 });
  });
  after(async () => {
    await t.close();
  });

  /** Change-log records kept in the store, all tables. */
  const logRecords = () => store.snapshot((snap) => [...snap.range({ gte: Buffer.from([LOG_TAG]), lt: Buffer.from([LOG_TAG + 1]) })]
    .filter(({ key }) => key[5] === RECORD_KIND).length);

  it('records the log only while recovery is on, and trims it once past the window', async () => {
    await createTable(t.client, 'Trimmed', ['id', 'S']);
    const empty = logRecords();
    await put(t.client, 'Trimmed', 'before', 0);
    assert.equal(logRecords(), empty, 'no consumer: nothing is logged');
    await enablePitr(t.client, 'Trimmed', true, 1);
    for (let i = 0; i < 30; i++) await put(t.client, 'Trimmed', `k${i}`, i);
    assert.equal(logRecords(), empty + 30);
    // Two days on, and past a rollover: every record is older than the window, folded and trimmed.
    clock.advance(2 * DAY);
    await t.server.rollStreamShards('Trimmed');
    await put(t.client, 'Trimmed', 'late', 1);
    await until(async () => logRecords() === empty + 1 || undefined, 'the old records to be trimmed');
    clock.advance(10_000);
    const restored = await restoreAndScan(t.client, 'Trimmed', 'TrimmedCopy');
    assert.equal(restored.length, 32);
    assert.deepEqual(restored.find((i) => i.id!.S === 'late'), { id: { S: 'late' }, v: { N: '1' } });
    // Recovery off: its log goes too.
    await enablePitr(t.client, 'Trimmed', false);
    await until(async () => logRecords() === empty || undefined, 'the log of a disabled recovery to be trimmed');
  });

  it('shares the log with a stream: enabling or disabling one never breaks the other', async () => {
    const streams = streamsClient(t.server.url);
    const { TableDescription } = await t.client.send(new CreateTableCommand({
      TableName: 'Shared', BillingMode: 'PAY_PER_REQUEST',
      KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }], AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }],
      StreamSpecification: { StreamEnabled: true, StreamViewType: 'NEW_IMAGE' },
    }));
    const firstStream = TableDescription!.LatestStreamArn!;
    await put(t.client, 'Shared', 'a', 1);
    await enablePitr(t.client, 'Shared');
    await put(t.client, 'Shared', 'b', 2);
    // The stream goes; recovery keeps recording.
    await t.client.send(new UpdateTableCommand({ TableName: 'Shared', StreamSpecification: { StreamEnabled: false } }));
    await put(t.client, 'Shared', 'c', 3);
    await t.client.send(new DeleteItemCommand({ TableName: 'Shared', Key: { id: { S: 'a' } } }));
    const streamed: string[] = [];
    for (const shard of await allShards(streams, firstStream)) {
      for (const record of await readShard(streams, firstStream, shard.ShardId!)) streamed.push(record.dynamodb!.Keys!.id!.S!);
    }
    assert.deepEqual(streamed.sort(), ['a', 'b'], 'the disabled stream still shows what it recorded, and only that');
    // A new stream; then recovery goes and the stream keeps recording.
    const { TableDescription: again } = await t.client.send(new UpdateTableCommand({
      TableName: 'Shared', StreamSpecification: { StreamEnabled: true, StreamViewType: 'KEYS_ONLY' },
    }));
    await put(t.client, 'Shared', 'd', 4);
    clock.advance(10_000);
    assert.deepEqual((await restoreAndScan(t.client, 'Shared', 'SharedCopy')).map((i) => i.id!.S), ['b', 'c', 'd']);
    await enablePitr(t.client, 'Shared', false);
    await put(t.client, 'Shared', 'e', 5);
    const secondStream = again!.LatestStreamArn!;
    const seen: string[] = [];
    for (const shard of await allShards(streams, secondStream)) {
      for (const record of await readShard(streams, secondStream, shard.ShardId!)) seen.push(record.dynamodb!.Keys!.id!.S!);
    }
    assert.deepEqual(seen.sort(), ['d', 'e']);
  });

  it('restores across shard rollovers, to a time before and after them', async () => {
    await createTable(t.client, 'Rolled', ['id', 'S']);
    await enablePitr(t.client, 'Rolled');
    for (let i = 0; i < 8; i++) await put(t.client, 'Rolled', `k${i}`, 1);
    assert.equal(await t.server.rollStreamShards('Rolled'), true);
    clock.advance(2000);
    const middle = new Date(clock.now());
    clock.advance(2000);
    for (let i = 0; i < 8; i += 2) await put(t.client, 'Rolled', `k${i}`, 2);
    await t.client.send(new DeleteItemCommand({ TableName: 'Rolled', Key: { id: { S: 'k1' } } }));
    assert.equal(await t.server.rollStreamShards('Rolled'), true);
    await put(t.client, 'Rolled', 'k9', 3);
    clock.advance(10_000);
    const atMiddle = await restoreAndScan(t.client, 'Rolled', 'RolledMiddle', middle);
    assert.deepEqual(atMiddle.map((i) => [i.id!.S, i.v!.N]), Array.from({ length: 8 }, (_, i) => [`k${i}`, '1']));
    const latest = await restoreAndScan(t.client, 'Rolled', 'RolledLatest');
    assert.deepEqual(latest.map((i) => [i.id!.S, i.v!.N]), [['k0', '2'], ['k2', '2'], ['k3', '1'], ['k4', '2'], ['k5', '1'], ['k6', '2'], ['k7', '1'], ['k9', '3']]);
  });
});
