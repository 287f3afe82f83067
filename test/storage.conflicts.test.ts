/**
 * Serialization conflicts, as a networked storage engine reports them, and the engine's
 * one retry loop (engine/transact.ts): unit cases over the fault-injecting adapter, then
 * the whole API over a store where transactions conflict and callbacks run twice.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { DescribeTableCommand, UpdateTableCommand } from '@aws-sdk/client-dynamodb';
import { GetCommand, PutCommand, QueryCommand, TransactWriteCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { StorageConflict, type KVStore } from '../src/storage/kv.js';
import { MemoryStore } from '../src/storage/memory.js';
import { openStore } from '../src/storage/open.js';
import { transact, type RetryPolicy } from '../src/engine/transact.js';
import { FaultInjectingStore } from './faultInjectingStore.js';
import { createTable, expectError, startTestServer } from './helpers.js';

const key = Buffer.from('counter');
const NO_WAIT: RetryPolicy = { attempts: 5, baseDelayMs: 0, maxDelayMs: 0 };

function increment(store: FaultInjectingStore): Promise<number> {
  return transact(store, (txn) => {
    const next = (txn.get(key)?.readUInt32BE(0) ?? 0) + 1;
    const value = Buffer.alloc(4);
    value.writeUInt32BE(next);
    txn.put(key, value);
    return next;
  });
}

describe('storage conflicts', () => {
  it('a conflicting transaction rejects with StorageConflict and writes nothing', async () => {
    const store = new FaultInjectingStore();
    store.injectConflicts(1);
    let ran = false;
    await assert.rejects(
      store.transact((txn) => {
        ran = true;
        txn.put(key, Buffer.from('x'));
      }),
      (error) => error instanceof StorageConflict && error.name === 'StorageConflict',
    );
    assert.ok(ran, 'the callback ran before the conflict');
    assert.equal(store.get(key), undefined);
  });

  it('the engine runs a conflicting transaction again until it commits, and returns its value', async () => {
    const store = new FaultInjectingStore();
    store.injectConflicts(3);
    assert.equal(await transact(store, (txn) => (txn.put(key, Buffer.from('v')), 'done'), NO_WAIT), 'done');
    assert.equal(store.runs, 4);
    assert.deepEqual(store.get(key), Buffer.from('v'));
  });

  it('gives up after the policy\'s attempts with the conflict', async () => {
    const store = new FaultInjectingStore();
    store.injectConflicts(100);
    await assert.rejects(transact(store, (txn) => txn.put(key, Buffer.from('v')), NO_WAIT), StorageConflict);
    assert.equal(store.runs, NO_WAIT.attempts);
    assert.equal(store.get(key), undefined);
  });

  it('does not retry other errors', async () => {
    const store = new FaultInjectingStore({ conflictRate: 1 });
    const failure = new Error('no');
    await assert.rejects(transact(store, () => {
      throw failure;
    }), (error) => error === failure);
    assert.equal(store.runs, 1);
  });

  it('keeps 300 concurrent read-modify-writes serializable while 40% of the runs conflict', async () => {
    const store = new FaultInjectingStore({ conflictRate: 0.4, replay: true, seed: 3 });
    const seen = await Promise.all(Array.from({ length: 300 }, () => increment(store)));
    assert.equal(store.get(key)!.readUInt32BE(0), 300);
    assert.deepEqual([...seen].sort((a, b) => a - b), Array.from({ length: 300 }, (_, i) => i + 1));
    assert.ok(store.conflicts > 100, `conflicts: ${store.conflicts}`);
  });
});

describe('stores that never conflict', () => {
  it('are the embedded adapters; the fault-injecting store does not claim it', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'openddb-conflicts-'));
    const lmdb = await openStore({ dataDir });
    try {
      assert.equal(new MemoryStore().neverConflicts, true);
      assert.equal(lmdb.neverConflicts, true);
      assert.notEqual((new FaultInjectingStore() as KVStore).neverConflicts, true);
    } finally {
      await lmdb.close();
      rmSync(dataDir, { recursive: true, force: true });
    }
  });

  it('are called without the retry wrapper: the engine answers with the store\'s own promise', async () => {
    const inner = new MemoryStore();
    const answered: Promise<unknown>[] = [];
    const store: KVStore = {
      maxKeyBytes: inner.maxKeyBytes,
      neverConflicts: true,
      transact: (fn) => {
        const answer = inner.transact(fn);
        answered.push(answer);
        return answer;
      },
      snapshot: (fn) => inner.snapshot(fn),
      close: () => inner.close(),
    };
    const direct = transact(store, (txn) => (txn.put(key, Buffer.from('v')), 'done'));
    assert.equal(direct, answered[0]);
    assert.equal(await direct, 'done');
    // The same store without the claim gets the retry loop around its promise.
    const retried = transact({ ...store, neverConflicts: undefined }, () => 'again');
    assert.notEqual(retried, answered[1]);
    assert.equal(await retried, 'again');
    assert.deepEqual(inner.get(key), Buffer.from('v'));
  });
});

describe('the API over a store with conflicts and replayed callbacks', () => {
  it('answers exactly as without them', async () => {
    const store = new FaultInjectingStore({ conflictRate: 0.3, replay: true, seed: 11 });
    const t = await startTestServer({ store });
    try {
      await createTable(t.client, 'cnt', ['id', 'S']);
      // Read-modify-writes of one item from many requests at once.
      await Promise.all(Array.from({ length: 40 }, () =>
        t.doc.send(new UpdateCommand({ TableName: 'cnt', Key: { id: 'n' }, UpdateExpression: 'ADD v :one', ExpressionAttributeValues: { ':one': 1 } }))));
      assert.equal((await t.doc.send(new GetCommand({ TableName: 'cnt', Key: { id: 'n' } }))).Item!.v, 40);
      // A condition evaluated on a rerun still sees the committed state.
      await t.doc.send(new PutCommand({ TableName: 'cnt', Item: { id: 'once' }, ConditionExpression: 'attribute_not_exists(id)' }));
      await expectError(t.doc.send(new PutCommand({ TableName: 'cnt', Item: { id: 'once' }, ConditionExpression: 'attribute_not_exists(id)' })), 'ConditionalCheckFailedException');
      // Capacity and item collection metrics count the committed run only.
      const written = await t.doc.send(new TransactWriteCommand({
        ReturnConsumedCapacity: 'TOTAL',
        TransactItems: [
          { Put: { TableName: 'cnt', Item: { id: 'a', g: 'x' } } },
          { Put: { TableName: 'cnt', Item: { id: 'b', g: 'x' } } },
          { ConditionCheck: { TableName: 'cnt', Key: { id: 'n' }, ConditionExpression: 'v = :v', ExpressionAttributeValues: { ':v': 40 } } },
        ],
      }));
      assert.deepEqual(written.ConsumedCapacity, [{ TableName: 'cnt', CapacityUnits: 6, WriteCapacityUnits: 4, ReadCapacityUnits: 2 }]);
      // An index built while conflicts hit its batches.
      await t.client.send(new UpdateTableCommand({
        TableName: 'cnt', AttributeDefinitions: [{ AttributeName: 'g', AttributeType: 'S' }],
        GlobalSecondaryIndexUpdates: [{ Create: { IndexName: 'by_g', KeySchema: [{ AttributeName: 'g', KeyType: 'HASH' }], Projection: { ProjectionType: 'KEYS_ONLY' } } }],
      }));
      for (let i = 0; i < 200; i++) {
        const d = await t.client.send(new DescribeTableCommand({ TableName: 'cnt' }));
        if (d.Table!.GlobalSecondaryIndexes![0]!.IndexStatus === 'ACTIVE') break;
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
      const byG = await t.doc.send(new QueryCommand({ TableName: 'cnt', IndexName: 'by_g', KeyConditionExpression: 'g = :g', ExpressionAttributeValues: { ':g': 'x' } }));
      assert.deepEqual(byG.Items!.map((i) => i.id).sort(), ['a', 'b']);
      assert.ok(store.conflicts > 10, `conflicts: ${store.conflicts}`);
    } finally {
      await t.close();
    }
  });
});
