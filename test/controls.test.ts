/**
 * Test controls under /openddb/: reset, snapshot/restore (memory and LMDB), faults on
 * both fronts, the clock, --admin-port; raw HTTP and the server object's methods.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  BatchGetItemCommand, DescribeTableCommand, DynamoDBClient, GetItemCommand, ListTablesCommand, PutItemCommand, TransactWriteItemsCommand,
  type TransactionCanceledException,
} from '@aws-sdk/client-dynamodb';
import { startInProcess, startServer, type InProcessDatabase, type RunningServer } from '../src/index.js';
import { createTable, expectError, sdkClient } from './helpers.js';
import { FaultInjectingStore } from './faultInjectingStore.js';

async function control(base: string, path: string, body?: unknown, method = 'POST'): Promise<{ status: number; json: any }> {
  const res = await fetch(`${base}${path}`, { method, body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body) });
  return { status: res.status, json: await res.json() };
}

const put = (client: DynamoDBClient, table: string, id: string) => client.send(new PutItemCommand({ TableName: table, Item: { id: { S: id } } }));
const get = async (client: DynamoDBClient, table: string, id: string) => (await client.send(new GetItemCommand({ TableName: table, Key: { id: { S: id } } }))).Item;
const tables = async (client: DynamoDBClient) => (await client.send(new ListTablesCommand({}))).TableNames;

for (const storage of ['memory', 'lmdb'] as const) {
  describe(`Reset, snapshot and restore (${storage})`, () => {
    let server: RunningServer;
    let client: DynamoDBClient;
    let dir: string | undefined;
    before(async () => {
      dir = storage === 'lmdb' ? mkdtempSync(join(tmpdir(), 'openddb-controls-')) : undefined;
      server = await startServer({ logLevel: 'silent', dataDir: dir });
      client = sdkClient(server.url);
    });
    after(async () => {
      client.destroy();
      await server.close();
      if (dir) rmSync(dir, { recursive: true, force: true });
    });

    it('rolls the whole database back to a snapshot, as often as asked', async () => {
      await createTable(client, 'orders', ['id', 'S']);
      await put(client, 'orders', 'kept');
      const taken = await control(server.url, '/openddb/snapshot');
      assert.equal(taken.status, 200);
      assert.match(taken.json.id, /^[0-9a-f-]{36}$/);

      await put(client, 'orders', 'later');
      await client.send(new PutItemCommand({ TableName: 'orders', Item: { id: { S: 'kept' }, changed: { BOOL: true } } }));
      await createTable(client, 'extra', ['id', 'S']);
      assert.deepEqual(await control(server.url, '/openddb/restore', { id: taken.json.id }), { status: 200, json: {} });
      assert.deepEqual(await tables(client), ['orders']);
      assert.deepEqual(await get(client, 'orders', 'kept'), { id: { S: 'kept' } });
      assert.equal(await get(client, 'orders', 'later'), undefined);
      assert.equal((await client.send(new DescribeTableCommand({ TableName: 'orders' }))).Table!.ItemCount, 1);

      // The snapshot stays usable, and the restored database takes new writes and tables.
      await put(client, 'orders', 'again');
      await createTable(client, 'extra', ['id', 'S']);
      await server.restore(taken.json.id);
      assert.deepEqual(await tables(client), ['orders']);
      assert.equal(await get(client, 'orders', 'again'), undefined);
    });

    it('resets to an empty database, and answers bad requests with 400/404', async () => {
      await createTable(client, 'reset-me', ['id', 'S']);
      assert.deepEqual(await control(server.url, '/openddb/reset'), { status: 200, json: {} });
      assert.deepEqual(await tables(client), []);
      await createTable(client, 'fresh', ['id', 'S']);
      await put(client, 'fresh', 'a');
      assert.ok(await get(client, 'fresh', 'a'));
      await server.reset();
      assert.deepEqual(await tables(client), []);

      assert.equal((await control(server.url, '/openddb/restore', { id: 'no-such-snapshot' })).status, 404);
      assert.equal((await control(server.url, '/openddb/restore', { id: '../../etc/passwd' })).status, 404);
      assert.equal((await control(server.url, '/openddb/restore', {})).status, 400);
      assert.equal((await control(server.url, '/openddb/restore', '{nope')).status, 400);
      assert.equal((await control(server.url, '/openddb/restore', '[1]')).status, 400);
      assert.equal((await control(server.url, '/openddb/reset', undefined, 'GET')).status, 405);
      assert.equal((await control(server.url, '/openddb/unknown')).status, 404);
    });
  });
}

describe('A storage engine without whole-store copies', () => {
  it('answers reset, snapshot and restore with 501, changing nothing', async () => {
    const server = await startServer({ logLevel: 'silent', store: new FaultInjectingStore() });
    const client = sdkClient(server.url);
    try {
      await createTable(client, 'stays', ['id', 'S']);
      for (const [path, body] of [['/openddb/reset', undefined], ['/openddb/snapshot', undefined], ['/openddb/restore', { id: 'x' }]] as const) {
        const answer = await control(server.url, path, body);
        assert.equal(answer.status, 501, path);
        assert.equal(answer.json.error, 'this storage engine cannot reset, snapshot or restore the whole database');
      }
      assert.deepEqual(await tables(client), ['stays']);
    } finally {
      client.destroy();
      await server.close();
    }
  });
});

describe('Snapshots are fast', () => {
  it('takes and restores a snapshot of 2,000 items in memory in a few milliseconds', async () => {
    const db = await startInProcess({ logLevel: 'silent' });
    try {
      await createTable(db.client, 'bulk', ['id', 'S']);
      for (let i = 0; i < 2000; i++) await put(db.client, 'bulk', `item${i}`);
      const started = performance.now();
      const id = await db.snapshot();
      await put(db.client, 'bulk', 'extra');
      await db.restore(id);
      const elapsed = performance.now() - started;
      assert.equal(await get(db.client, 'bulk', 'extra'), undefined);
      assert.equal((await db.client.send(new DescribeTableCommand({ TableName: 'bulk' }))).Table!.ItemCount, 2000);
      assert.ok(elapsed < 200, `snapshot + restore took ${elapsed} ms`);
    } finally {
      await db.close();
    }
  });
});

/** The two fronts: a server over HTTP with faults set through the control endpoint, and in-process with the methods. */
const fronts = [
  {
    name: 'HTTP',
    async start() {
      const server = await startServer({ logLevel: 'silent' });
      const client = sdkClient(server.url);
      return {
        client,
        addFault: async (rule: object) => assert.equal((await control(server.url, '/openddb/faults', rule)).status, 200),
        clearFaults: async () => assert.deepEqual(await control(server.url, '/openddb/faults', undefined, 'DELETE'), { status: 200, json: { faults: [] } }),
        listFaults: async () => (await control(server.url, '/openddb/faults', undefined, 'GET')).json.faults,
        close: async () => (client.destroy(), server.close()),
      };
    },
  },
  {
    name: 'in-process',
    async start() {
      const db: InProcessDatabase = await startInProcess({ logLevel: 'silent' });
      const client = sdkClient(db.url, db.requestHandler);
      return {
        client,
        addFault: async (rule: object) => void db.faults.add(rule),
        clearFaults: async () => db.faults.clear(),
        listFaults: async () => db.faults.list(),
        close: async () => (client.destroy(), db.close()),
      };
    },
  },
];

for (const front of fronts) {
  describe(`Faults (${front.name})`, () => {
    let f: Awaited<ReturnType<(typeof fronts)[number]['start']>>;
    before(async () => {
      f = await front.start();
      await createTable(f.client, 'Orders', ['id', 'S']);
      await createTable(f.client, 'Other', ['id', 'S']);
      await put(f.client, 'Orders', 'o1');
      await put(f.client, 'Other', 'x1');
    });
    after(() => f.close());

    it('fails the matching requests `count` times with DynamoDB errors, then serves again', async () => {
      await f.addFault({ table: 'Orders', operation: 'GetItem', error: 'ProvisionedThroughputExceededException', count: 2 });
      assert.ok(await get(f.client, 'Other', 'x1'), 'another table is not affected');
      await put(f.client, 'Orders', 'o2');
      await expectError(get(f.client, 'Orders', 'o1'), 'ProvisionedThroughputExceededException',
        'The level of configured provisioned throughput for the table was exceeded. Consider increasing your provisioning level with the UpdateTable API.');
      assert.deepEqual(await f.listFaults(), [{ table: 'Orders', operation: 'GetItem', error: 'ProvisionedThroughputExceededException', count: 1 }]);
      await expectError(get(f.client, 'Orders', 'o1'), 'ProvisionedThroughputExceededException');
      assert.ok(await get(f.client, 'Orders', 'o1'));
      assert.deepEqual(await f.listFaults(), []);
    });

    it('answers ThrottlingException and InternalServerError (500), and nothing is written', async () => {
      await f.addFault({ operation: 'PutItem', error: 'ThrottlingException', count: 1 });
      await expectError(put(f.client, 'Orders', 'throttled'), 'ThrottlingException', /Throughput exceeds the current capacity/);
      await f.addFault({ operation: 'PutItem', error: 'InternalServerError', count: 1 });
      try {
        await put(f.client, 'Orders', 'broken');
        assert.fail('expected InternalServerError');
      } catch (err) {
        assert.equal((err as Error).name, 'InternalServerError');
        assert.equal((err as { $metadata: { httpStatusCode: number } }).$metadata.httpStatusCode, 500);
      }
      assert.equal(await get(f.client, 'Orders', 'throttled'), undefined);
      assert.equal(await get(f.client, 'Orders', 'broken'), undefined);
    });

    it('cancels transactions with TransactionConflict reasons for every item; single writes meet TransactionConflictException', async () => {
      await f.addFault({ table: 'Orders', error: 'TransactionConflict', count: 2 });
      try {
        await f.client.send(new TransactWriteItemsCommand({
          TransactItems: [
            { Put: { TableName: 'Orders', Item: { id: { S: 't1' } } } },
            { Put: { TableName: 'Other', Item: { id: { S: 't2' } } } },
          ],
        }));
        assert.fail('expected TransactionCanceledException');
      } catch (err) {
        const e = err as TransactionCanceledException;
        assert.equal(e.name, 'TransactionCanceledException');
        assert.equal(e.message, 'Transaction cancelled, please refer cancellation reasons for specific reasons [TransactionConflict, TransactionConflict]');
        assert.deepEqual(e.CancellationReasons!.map((r) => r.Code), ['TransactionConflict', 'TransactionConflict']);
      }
      assert.equal(await get(f.client, 'Other', 't2'), undefined);
      await expectError(put(f.client, 'Orders', 'c'), 'TransactionConflictException', 'Transaction is ongoing for the item');
    });

    it('matches batch requests by any table they name', async () => {
      await f.addFault({ table: 'Orders', error: 'ProvisionedThroughputExceededException', count: 1 });
      const batch = () => f.client.send(new BatchGetItemCommand({ RequestItems: { Other: { Keys: [{ id: { S: 'x1' } }] }, Orders: { Keys: [{ id: { S: 'o1' } }] } } }));
      await expectError(batch(), 'ProvisionedThroughputExceededException');
      assert.equal((await batch()).Responses!.Orders!.length, 1);
    });

    it('delays requests by latencyMs, fires by probability, and clears', async () => {
      await f.addFault({ operation: 'GetItem', latencyMs: 150, count: 1 });
      const started = performance.now();
      assert.ok(await get(f.client, 'Orders', 'o1'));
      assert.ok(performance.now() - started >= 140);

      await f.addFault({ operation: 'GetItem', error: 'ThrottlingException', probability: 0 });
      for (let i = 0; i < 5; i++) assert.ok(await get(f.client, 'Orders', 'o1'));
      await f.clearFaults();
      await f.addFault({ operation: 'GetItem', error: 'ThrottlingException', probability: 1 });
      for (let i = 0; i < 3; i++) await expectError(get(f.client, 'Orders', 'o1'), 'ThrottlingException');
      await f.clearFaults();
      assert.ok(await get(f.client, 'Orders', 'o1'));
    });
  });
}

describe('Fault rules over HTTP', () => {
  let server: RunningServer;
  before(async () => (server = await startServer({ logLevel: 'silent' })));
  after(() => server.close());

  it('refuses rules that are not ones with 400, adding nothing', async () => {
    for (const rule of [
      {}, { error: 'Nope' }, { latencyMs: -1 }, { error: 'ThrottlingException', count: 0 }, { error: 'ThrottlingException', probability: 2 },
      { error: 'ThrottlingException', table: 5 }, { error: 'ThrottlingException', extra: 1 }, { error: 'ThrottlingException', count: 1, probability: 0.5 },
    ]) {
      const answer = await control(server.url, '/openddb/faults', rule);
      assert.equal(answer.status, 400, JSON.stringify(rule));
      assert.equal(typeof answer.json.error, 'string');
    }
    assert.deepEqual(server.faults.list(), []);
  });

  it('takes several rules at once; reset clears them', async () => {
    const answer = await control(server.url, '/openddb/faults', { faults: [{ operation: 'Scan', latencyMs: 5 }, { table: 'T', error: 'InternalServerError', count: 3 }] });
    assert.deepEqual(answer.json.faults, [{ operation: 'Scan', latencyMs: 5 }, { table: 'T', error: 'InternalServerError', count: 3 }]);
    await control(server.url, '/openddb/reset');
    assert.deepEqual(server.faults.list(), []);
  });
});

describe('Clock control', () => {
  it('sets the clock to an ISO date or epoch ms, frozen, and reads it back', async () => {
    const server = await startServer({ logLevel: 'silent' });
    try {
      const set = await control(server.url, '/openddb/clock', { set: '2030-01-02T03:04:05.000Z', freeze: true });
      assert.deepEqual(set.json, { now: Date.parse('2030-01-02T03:04:05.000Z'), iso: '2030-01-02T03:04:05.000Z' });
      assert.equal(server.clock.now(), set.json.now);
      const advanced = await control(server.url, '/openddb/clock', { advance: 1000 });
      assert.equal(advanced.json.iso, '2030-01-02T03:04:06.000Z');
      assert.equal((await control(server.url, '/openddb/clock', undefined, 'GET')).json.now, set.json.now + 1000);
      assert.equal((await control(server.url, '/openddb/clock', { set: 'not a date' })).status, 400);
    } finally {
      await server.close();
    }
  });
});

describe('--admin-port', () => {
  it('serves the controls on the admin port only; the DynamoDB port refuses them', async () => {
    const server = await startServer({ logLevel: 'silent', adminPort: 0 });
    const client = sdkClient(server.url);
    try {
      assert.match(server.adminUrl!, /^http:\/\/127\.0\.0\.1:\d+$/);
      await createTable(client, 'Tbl', ['id', 'S']);
      const refused = await control(server.url, '/openddb/reset');
      assert.equal(refused.status, 404);
      assert.match(refused.json.error, /admin port/);
      assert.deepEqual(await tables(client), ['Tbl']);
      assert.deepEqual(await control(server.adminUrl!, '/openddb/reset'), { status: 200, json: {} });
      assert.deepEqual(await tables(client), []);
      // The admin port answers nothing else.
      assert.equal((await fetch(`${server.adminUrl}/`)).status, 404);
    } finally {
      client.destroy();
      await server.close();
    }
  });
});
