/**
 * Background jobs through the server: a failing index build is logged, visible and
 * retried (it used to stay BACKFILLING forever, silently); closing the server right after
 * a delayed DeleteTable no longer crashes the process, and the deletion completes after
 * a restart; two databases over one store share the jobs.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DeleteTableCommand, DescribeTableCommand, ListTablesCommand, UpdateTableCommand } from '@aws-sdk/client-dynamodb';
import { BatchWriteCommand, QueryCommand, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { indexPrefix, jobKey } from '../src/engine/keyspace.js';
import { MemoryStore } from '../src/storage/memory.js';
import { FaultInjectingStore } from './faultInjectingStore.js';
import { capturingLogger, frozenClock, hashKeyedSpec, twoDatabases } from './support/engineFixtures.js';
import { createTable, startTestServer, type TestContext } from './helpers.js';
import { until } from './support/polling.js';


async function putItems(t: TestContext, table: string, count: number): Promise<void> {
  for (let b = 0; b < count / 25; b++) {
    const batch = Array.from({ length: 25 }, (_, j) => ({ PutRequest: { Item: { id: `i${b * 25 + j}`, g: `g${j % 5}` } } }));
    await t.doc.send(new BatchWriteCommand({ RequestItems: { [table]: batch } }));
  }
}

const addIndex = new UpdateTableCommand({
  TableName: 'built',
  AttributeDefinitions: [{ AttributeName: 'g', AttributeType: 'S' }],
  GlobalSecondaryIndexUpdates: [{ Create: { IndexName: 'by_g', KeySchema: [{ AttributeName: 'g', KeyType: 'HASH' }], Projection: { ProjectionType: 'ALL' } } }],
});

describe('background jobs through the server', () => {
  it('logs a failed index build, shows the error, and builds the index on a later attempt', async () => {
    const store = new FaultInjectingStore();
    const clock = frozenClock();
    const logger = capturingLogger();
    const t = await startTestServer({ store, clock, logger });
    try {
      await createTable(t.client, 'built', ['id', 'S']);
      await putItems(t, 'built', 100);
      const entries = indexPrefix(1, 1);
      store.failWrites((key) => key.subarray(0, entries.length).equals(entries), 1, () => new Error('injected write failure'));
      await t.client.send(addIndex);
      await until(async () => (await t.server.backgroundJobs('built'))[0]?.status === 'RETRYING', 'the failure is recorded', 3_000);
      const [job] = await t.server.backgroundJobs('built');
      assert.deepEqual([job!.kind, job!.attempts, job!.lastError], ['index-backfill', 1, 'injected write failure']);
      assert.equal(logger.errors.length, 1);
      assert.match(logger.errors[0]!, /Background job index-backfill:1:1 failed \(attempt 1\)/);
      const index = async () => (await t.client.send(new DescribeTableCommand({ TableName: 'built' }))).Table!.GlobalSecondaryIndexes![0]!;
      assert.deepEqual([(await index()).IndexStatus, (await index()).Backfilling], ['CREATING', true]);
      clock.advance(1000); // the backoff
      await until(async () => (await index()).IndexStatus === 'ACTIVE', 'the index is built', 3_000);
      const found = await t.doc.send(new QueryCommand({ TableName: 'built', IndexName: 'by_g', KeyConditionExpression: 'g = :g', ExpressionAttributeValues: { ':g': 'g0' } }));
      assert.equal(found.Count, 20);
      assert.deepEqual(await t.server.backgroundJobs(), []);
    } finally {
      await t.close();
    }
  });

  it('survives close() right after a delayed DeleteTable, and finishes the deletion after a restart', async () => {
    const failures: unknown[] = [];
    const record = (error: unknown) => failures.push(error);
    process.on('unhandledRejection', record);
    process.on('uncaughtException', record);
    const dir = mkdtempSync(join(tmpdir(), 'openddb-jobs-'));
    try {
      let t = await startTestServer({ dataDir: dir, delayTransientStatuses: true });
      await createTable(t.client, 'doomed', ['id', 'S']);
      await until(async () => (await t.client.send(new DescribeTableCommand({ TableName: 'doomed' }))).Table!.TableStatus === 'ACTIVE', 'the table is ACTIVE', 3_000);
      await t.doc.send(new BatchWriteCommand({ RequestItems: { doomed: Array.from({ length: 25 }, (_, i) => ({ PutRequest: { Item: { id: `k${i}` } } })) } }));
      await t.client.send(new DeleteTableCommand({ TableName: 'doomed' }));
      await t.close(); // within the 500 ms the DELETING status is held
      await new Promise((resolve) => setTimeout(resolve, 700));
      assert.deepEqual(failures, []);

      t = await startTestServer({ dataDir: dir, delayTransientStatuses: true });
      try {
        await until(async () => (await t.client.send(new ListTablesCommand({}))).TableNames!.length === 0, 'the table is gone', 3_000);
        await until(async () => (await t.server.backgroundJobs()).length === 0, 'its keys are purged', 3_000);
        await createTable(t.client, 'doomed', ['id', 'S']);
        await until(async () => (await t.client.send(new DescribeTableCommand({ TableName: 'doomed' }))).Table!.TableStatus === 'ACTIVE', 'the new table is ACTIVE', 3_000);
        assert.equal((await t.doc.send(new ScanCommand({ TableName: 'doomed' }))).Count, 0);
      } finally {
        await t.close();
      }
      assert.deepEqual(failures, []);
    } finally {
      process.off('unhandledRejection', record);
      process.off('uncaughtException', record);
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('jobs shared by two databases over one store', () => {
  const spec = hashKeyedSpec('shared');

  it('moves a delayed deletion to the other database when its holder stops renewing', async () => {
    const store = new MemoryStore();
    const clock = frozenClock();
    const [a, b] = await twoDatabases(store, { delayTransientStatuses: true, clock, logger: capturingLogger(), jobTiming: { leaseMs: 5_000, pollMs: 3_600_000 } });
    const meta = await a.createTable(spec);
    const table = a.table('shared');
    for (let i = 0; i < 10; i++) await a.writeItem(table, { id: { S: `k${i}` } }, (old) => old ?? { id: { S: `k${i}` } });
    await a.deleteTable('shared');
    clock.advance(500);
    const [deletion] = await a.listJobs();
    assert.equal(deletion!.kind, 'table-delete');
    // A claims the deletion and dies before doing it: its lease is in the record, never renewed.
    await store.transact((txn) => {
      const key = jobKey(deletion!.id);
      const stored = JSON.parse(txn.get(key)!.toString());
      txn.put(key, Buffer.from(JSON.stringify({ ...stored, lease: { owner: a.jobs.owner, expiresAt: clock.now() + 5_000 } })));
    });
    await b.jobs.runDue();
    assert.ok(b.findTable('shared') !== undefined, 'B leaves a job A holds alone');
    clock.advance(5_000);
    await b.jobs.runDue(); // the deletion, then (enqueued by it) the purge
    await b.jobs.runDue();
    assert.equal(b.findTable('shared'), undefined);
    assert.equal(a.findTable('shared'), undefined, 'A sees the catalog change');
    assert.deepEqual(await b.listJobs(), []);
    assert.equal([...store.range({ gte: indexPrefix(meta.id, 0), lt: indexPrefix(meta.id, 1) })].length, 0, 'the items are purged');
    await a.close();
    await b.close();
  });
});
