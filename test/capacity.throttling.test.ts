/** Opt-in throttling: buckets with burst, hot partitions, batches with unprocessed items, SDK retries. */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { BatchWriteCommand, DynamoDBDocumentClient, GetCommand, PutCommand, QueryCommand, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { expectError, startTestServer, type TestContext } from './helpers.js';
import { createTable, sampleValue, scrape } from './capacity.helpers.js';
import { encodeKeyValue, partitionHash } from '../src/values/keycodec.js';
import { partitionCount, partitionOf } from '../src/engine/capacity/throttle.js';
import { Clock } from '../src/engine/clock.js';

const kb = (n: number) => 'x'.repeat(n * 1024 - 50);
const provisioned = (read: number, write: number) => ({ BillingMode: 'PROVISIONED' as const, ProvisionedThroughput: { ReadCapacityUnits: read, WriteCapacityUnits: write } });
const TABLE_THROTTLED = 'The level of configured provisioned throughput for the table was exceeded. Consider increasing your provisioning level with the UpdateTable API.';

describe('throttling (--throttle)', () => {
  let t: TestContext;
  before(async () => {
    t = await startTestServer({ throttle: true });
  });
  after(() => t.close());

  it('admits requests while the bucket has credit, then refuses; the SDK retries transparently', async (test) => {
    // Time stands still, so a slow machine cannot refill the bucket between the steps.
    const clock = new Clock();
    clock.set(Date.now(), true);
    const frozen = await startTestServer({ throttle: true, clock });
    test.after(() => frozen.close());
    const throttleEvents = async () => sampleValue((await scrape(frozen.server.url)).samples, 'WriteThrottleEvents', { TableName: 'slow', Operation: 'PutItem' });
    await createTable(frozen, { TableName: 'slow', ...provisioned(50, 5) });
    // 6 KB costs 6 WCU of a bucket holding 5: the next write is refused until it refills (0.2 s).
    await frozen.doc.send(new PutCommand({ TableName: 'slow', Item: { id: 'a', v: kb(6) } }));
    await expectError(frozen.doc.send(new PutCommand({ TableName: 'slow', Item: { id: 'b' } })), 'ProvisionedThroughputExceededException', TABLE_THROTTLED);
    const retrying = new DynamoDBClient({ endpoint: frozen.server.url, region: 'us-east-1', credentials: { accessKeyId: 'x', secretAccessKey: 'x' }, maxAttempts: 6 });
    try {
      const retried = DynamoDBDocumentClient.from(retrying).send(new PutCommand({ TableName: 'slow', Item: { id: 'b' } }));
      // Once the retrying client has been refused too, the bucket refills and a retry gets through.
      for (let polls = 0; (await throttleEvents()) < 2; polls++) {
        assert.ok(polls < 500, 'the retrying client was never refused');
        await new Promise((r) => setTimeout(r, 10));
      }
      clock.advance(1000);
      await retried;
    } finally {
      retrying.destroy();
    }
    const got = await frozen.doc.send(new GetCommand({ TableName: 'slow', Key: { id: 'b' }, ConsistentRead: true }));
    assert.deepEqual(got.Item, { id: 'b' });
    const { samples } = await scrape(frozen.server.url);
    assert.ok(sampleValue(samples, 'WriteThrottleEvents', { TableName: 'slow', Operation: 'PutItem' }) >= 2);
    assert.ok(sampleValue(samples, 'ThrottledRequests', { TableName: 'slow', Operation: 'PutItem' }) >= 2);
  });

  it('a hot partition key throttles while keys spread over partitions do not', async (test) => {
    // Time stands still, so no partition saves burst credit while the test runs.
    const clock = new Clock();
    clock.set(Date.now(), true);
    const frozen = await startTestServer({ throttle: true, clock });
    test.after(() => frozen.close());
    // 2,000 WCU (+1 RCU) is 3 partitions of ~666 WCU each; 100 KB writes cost 100 WCU.
    await createTable(frozen, { TableName: 'hot', ...provisioned(1, 2000) });
    const count = partitionCount({ read: 1, write: 2000 });
    assert.equal(count, 3);
    const byPartition = new Map<number, string[]>();
    for (let i = 0; byPartition.size < count || [...byPartition.values()].some((k) => k.length < 2); i++) {
      const key = `user-${i}`;
      const p = partitionOf(partitionHash(encodeKeyValue({ S: key })), count);
      const keys = byPartition.get(p) ?? [];
      if (keys.length < 2) byPartition.set(p, [...keys, key]);
    }
    for (const keys of byPartition.values()) {
      for (const id of keys) await frozen.doc.send(new PutCommand({ TableName: 'hot', Item: { id, v: kb(100) } }));
    }
    let throttledAt = -1;
    for (let i = 0; i < 12 && throttledAt < 0; i++) {
      try {
        await frozen.doc.send(new PutCommand({ TableName: 'hot', Item: { id: 'celebrity', v: kb(100) } }));
      } catch (err) {
        assert.equal((err as Error).name, 'ProvisionedThroughputExceededException');
        throttledAt = i;
      }
    }
    // The table as a whole still had credit (2,000 - 600 - a few hundred): only the partition ran out.
    assert.ok(throttledAt >= 3 && throttledAt <= 8, `hot key throttled after ${throttledAt} writes`);
  });

  it('BatchWriteItem returns the throttled part in UnprocessedItems, and a retry loop drains it', async () => {
    await createTable(t, { TableName: 'batch', ...provisioned(100, 20) });
    const requests = Array.from({ length: 25 }, (_, i) => ({ PutRequest: { Item: { id: `i${i}` } } }));
    let pending: Record<string, any[]> = { batch: requests };
    const unprocessedCounts: number[] = [];
    for (let round = 0; Object.keys(pending).length > 0 && round < 20; round++) {
      if (round > 0) await new Promise((r) => setTimeout(r, 150));
      const out = await t.doc.send(new BatchWriteCommand({ RequestItems: pending }));
      pending = out.UnprocessedItems ?? {};
      unprocessedCounts.push(pending.batch?.length ?? 0);
    }
    // 20 WCU of credit (plus what refilled since the table was created) admits about 20 of the 25 puts.
    assert.ok(unprocessedCounts[0]! >= 3 && unprocessedCounts[0]! <= 5, `unprocessed after the first call: ${unprocessedCounts[0]}`);
    assert.equal(unprocessedCounts.at(-1), 0);
    const scan = await t.doc.send(new ScanCommand({ TableName: 'batch', Select: 'COUNT' }));
    assert.equal(scan.Count, 25);
  });

  it('BatchWriteItem fails only when nothing at all could be processed', async () => {
    await createTable(t, { TableName: 'starved', ...provisioned(5, 1) });
    await t.doc.send(new PutCommand({ TableName: 'starved', Item: { id: 'big', v: kb(20) } }));
    await expectError(
      t.doc.send(new BatchWriteCommand({ RequestItems: { starved: [{ PutRequest: { Item: { id: 'x' } } }] } })),
      'ProvisionedThroughputExceededException',
    );
  });

  it('a write is throttled when a GSI it maintains is out of capacity', async () => {
    await createTable(t, {
      TableName: 'indexed', ...provisioned(100, 1000),
      AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }, { AttributeName: 'g', AttributeType: 'S' }],
      GlobalSecondaryIndexes: [{
        IndexName: 'by_g', KeySchema: [{ AttributeName: 'g', KeyType: 'HASH' }], Projection: { ProjectionType: 'ALL' },
        ProvisionedThroughput: { ReadCapacityUnits: 1, WriteCapacityUnits: 1 },
      }],
    });
    await t.doc.send(new PutCommand({ TableName: 'indexed', Item: { id: 'a', g: 'x', v: kb(10) } }));
    await expectError(t.doc.send(new PutCommand({ TableName: 'indexed', Item: { id: 'b' } })), 'ProvisionedThroughputExceededException', /global secondary indexes/);
    // Reads of the index have their own bucket.
    const q = () => t.doc.send(new QueryCommand({ TableName: 'indexed', IndexName: 'by_g', KeyConditionExpression: 'g = :g', ExpressionAttributeValues: { ':g': 'x' } }));
    await q();
    await expectError(q(), 'ProvisionedThroughputExceededException');
  });

  it('on-demand tables throttle only above their OnDemandThroughput maximum', async () => {
    await createTable(t, { TableName: 'capped', OnDemandThroughput: { MaxWriteRequestUnits: 5, MaxReadRequestUnits: -1 } });
    await createTable(t, { TableName: 'uncapped' });
    for (let i = 0; i < 5; i++) await t.doc.send(new PutCommand({ TableName: 'uncapped', Item: { id: `${i}`, v: kb(50) } }));
    await t.doc.send(new PutCommand({ TableName: 'capped', Item: { id: 'a', v: kb(8) } }));
    await expectError(t.doc.send(new PutCommand({ TableName: 'capped', Item: { id: 'b' } })), 'ProvisionedThroughputExceededException', /OnDemandThroughput/);
    for (let i = 0; i < 5; i++) await t.doc.send(new GetCommand({ TableName: 'capped', Key: { id: 'a' }, ConsistentRead: true }));
  });

  it('the openddb:throttle tag turns throttling off for one table', async () => {
    await createTable(t, { TableName: 'exempt', ...provisioned(1, 1), Tags: [{ Key: 'openddb:throttle', Value: 'off' }] });
    for (let i = 0; i < 5; i++) await t.doc.send(new PutCommand({ TableName: 'exempt', Item: { id: `${i}`, v: kb(10) } }));
  });
});

describe('throttling off (the default)', () => {
  let t: TestContext;
  before(async () => {
    t = await startTestServer();
  });
  after(() => t.close());

  it('never throttles, unless a table opts in with its tag', async () => {
    await createTable(t, { TableName: 'free', ...provisioned(1, 1) });
    for (let i = 0; i < 5; i++) await t.doc.send(new PutCommand({ TableName: 'free', Item: { id: `${i}`, v: kb(10) } }));
    await createTable(t, { TableName: 'opted', ...provisioned(1, 1), Tags: [{ Key: 'openddb:throttle', Value: 'on' }] });
    await t.doc.send(new PutCommand({ TableName: 'opted', Item: { id: 'a', v: kb(10) } }));
    await expectError(t.doc.send(new PutCommand({ TableName: 'opted', Item: { id: 'b' } })), 'ProvisionedThroughputExceededException');
  });
});
