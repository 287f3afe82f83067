/**
 * `openddb --workers 2`: several processes over one data directory. The real
 * command is spawned; many SDK clients (each with its own keep-alive connections)
 * spread requests over both workers.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  CreateTableCommand, DeleteTableCommand, DescribeTableCommand, GetItemCommand, ListTablesCommand, PutItemCommand,
  QueryCommand, ScanCommand, UpdateItemCommand, UpdateTableCommand, type DynamoDBClient,
} from '@aws-sdk/client-dynamodb';
import { parseCliArgs } from '../src/cli/args.js';
import { sdkClient } from './helpers.js';
import { runCli, spawnCli, writeUntilKilled, type CliProcess } from './cliProcess.js';
import { childrenOf, killWithWorkers } from './support/killLoop.js';

const CLIENTS = 12;


/** CPU clock ticks a process has used. */
function cpuTicks(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return Number(fields[11]) + Number(fields[12]);
}

async function waitFor<T>(what: string, probe: () => Promise<T | undefined> | T | undefined, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

const hashTable = (name: string) => new CreateTableCommand({
  TableName: name, BillingMode: 'PAY_PER_REQUEST',
  KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }, { AttributeName: 'sk', KeyType: 'RANGE' }],
  AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }, { AttributeName: 'sk', AttributeType: 'N' }],
});

describe('--workers flag', () => {
  it('defaults to one process, reads the environment, and knows auto', () => {
    assert.equal(parseCliArgs([], {}).workers, 1);
    assert.equal(parseCliArgs([], { OPENDDB_WORKERS: '3' }).workers, 3);
    assert.equal(parseCliArgs(['--workers', '2'], { OPENDDB_WORKERS: '3' }).workers, 2);
    assert.equal(parseCliArgs(['--workers', 'auto'], {}).workers, availableParallelism());
  });

  it('rejects bad counts and in-memory data', async () => {
    for (const bad of ['0', '-1', '1.5', 'many', '65']) assert.throws(() => parseCliArgs([`--workers=${bad}`], {}), /invalid number of workers/);
    assert.throws(() => parseCliArgs(['--workers', '2', '--in-memory'], {}), /--workers needs a data directory/);
    assert.equal(parseCliArgs(['--workers', '1', '--in-memory'], {}).workers, 1);
    const { code, output } = await runCli(['--workers', '2', '--in-memory']);
    assert.equal(code, 2);
    assert.match(output, /with --in-memory every worker process would have its own separate data/);
  });
});

describe('--workers 2', { skip: process.platform !== 'linux' && 'reads /proc' }, () => {
  let dir: string;
  let server: CliProcess;
  let clients: DynamoDBClient[];

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'openddb-workers-'));
    server = await spawnCli(['--workers', '2', '--port', '0', '--data-dir', dir, '--log-level', 'info']);
    clients = Array.from({ length: CLIENTS }, () => sdkClient(server.url));
  });

  after(async () => {
    for (const client of clients) client.destroy();
    if (server.child.exitCode === null) {
      server.child.kill('SIGKILL');
      await new Promise((r) => server.child.once('exit', r));
    }
    rmSync(dir, { recursive: true, force: true });
  });

  it('runs two workers under one primary', () => {
    assert.match(server.output(), /2 worker processes/);
    assert.equal(childrenOf(server.child.pid!).length, 2);
  });

  it('a new table is usable at once from every connection, and all see each other\'s writes', async () => {
    const workers = childrenOf(server.child.pid!);
    const ticksBefore = workers.map(cpuTicks);
    await clients[0]!.send(hashTable('shared'));
    // Every client writes its own partition right away, on whichever worker its connection landed.
    await Promise.all(clients.map(async (client, c) => {
      for (let i = 0; i < 25; i++) {
        await client.send(new PutItemCommand({ TableName: 'shared', Item: { pk: { S: `p${c}` }, sk: { N: String(i) }, v: { S: 'x'.repeat(200) } } }));
      }
    }));
    // A counter bumped from every connection: conditional updates serialise across processes.
    await Promise.all(clients.map(async (client) => {
      for (let i = 0; i < 10; i++) {
        await client.send(new UpdateItemCommand({
          TableName: 'shared', Key: { pk: { S: 'counter' }, sk: { N: '0' } }, UpdateExpression: 'ADD n :one',
          ExpressionAttributeValues: { ':one': { N: '1' } },
        }));
      }
    }));
    await Promise.all(clients.map(async (client, c) => {
      const other = (c + 1) % CLIENTS;
      const { Items } = await client.send(new QueryCommand({
        TableName: 'shared', KeyConditionExpression: 'pk = :p', ExpressionAttributeValues: { ':p': { S: `p${other}` } },
      }));
      assert.equal(Items?.length, 25);
      const { Item } = await client.send(new GetItemCommand({ TableName: 'shared', Key: { pk: { S: 'counter' }, sk: { N: '0' } }, ConsistentRead: true }));
      assert.equal(Item?.n?.N, String(CLIENTS * 10));
      const { Table } = await client.send(new DescribeTableCommand({ TableName: 'shared' }));
      assert.equal(Table?.TableStatus, 'ACTIVE');
    }));
    const { Count } = await clients[3]!.send(new ScanCommand({ TableName: 'shared', Select: 'COUNT' }));
    assert.equal(Count, CLIENTS * 25 + 1);
    // Both workers did a share of the work.
    const used = workers.map((pid, i) => cpuTicks(pid) - ticksBefore[i]!);
    for (const ticks of used) assert.ok(ticks > 0, `each worker served requests (CPU ticks: ${used.join(', ')})`);
  });

  it('catalog changes in one worker are seen by the next request in any other', async () => {
    for (let round = 0; round < 3; round++) {
      const name = `churn${round}`;
      await clients[round]!.send(hashTable(name));
      await Promise.all(clients.map((client, c) => client.send(new PutItemCommand({ TableName: name, Item: { pk: { S: 'a' }, sk: { N: String(c) } } }))));
      await clients[round + 1]!.send(new DeleteTableCommand({ TableName: name }));
      await Promise.all(clients.map(async (client) => {
        await assert.rejects(client.send(new GetItemCommand({ TableName: name, Key: { pk: { S: 'a' }, sk: { N: '0' } } })), { name: 'ResourceNotFoundException' });
      }));
    }
    const { TableNames } = await clients[5]!.send(new ListTablesCommand({}));
    assert.deepEqual(TableNames, ['shared']);
  });

  it('a GSI added through one worker is maintained by writes on every worker', async () => {
    await clients[0]!.send(new UpdateTableCommand({
      TableName: 'shared',
      AttributeDefinitions: [{ AttributeName: 'g', AttributeType: 'S' }],
      GlobalSecondaryIndexUpdates: [{ Create: { IndexName: 'byG', KeySchema: [{ AttributeName: 'g', KeyType: 'HASH' }], Projection: { ProjectionType: 'KEYS_ONLY' } } }],
    }));
    await Promise.all(clients.map((client, c) => client.send(new PutItemCommand({ TableName: 'shared', Item: { pk: { S: `g${c}` }, sk: { N: '0' }, g: { S: 'same' } } }))));
    await waitFor('the index to become ACTIVE', async () => {
      const { Table } = await clients[7]!.send(new DescribeTableCommand({ TableName: 'shared' }));
      return Table?.GlobalSecondaryIndexes?.[0]?.IndexStatus === 'ACTIVE' ? true : undefined;
    });
    await Promise.all(clients.map(async (client) => {
      const { Count } = await client.send(new QueryCommand({
        TableName: 'shared', IndexName: 'byG', KeyConditionExpression: 'g = :g', ExpressionAttributeValues: { ':g': { S: 'same' } }, Select: 'COUNT',
      }));
      assert.equal(Count, CLIENTS);
    }));
    const { Table } = await clients[2]!.send(new DescribeTableCommand({ TableName: 'shared' }));
    assert.equal(Table?.GlobalSecondaryIndexes?.[0]?.ItemCount, CLIENTS, 'index statistics are counted once');
  });

  it('refuses a second server on the same data directory', async () => {
    for (const args of [[], ['--workers', '2']]) {
      const second = await runCli(['--port', '0', '--data-dir', dir, ...args]);
      assert.equal(second.code, 1);
      assert.match(second.output, /in use by another OpenDDB process/);
    }
  });

  it('restarts a worker killed with SIGKILL, and service continues', async () => {
    const [victim, survivor] = childrenOf(server.child.pid!);
    process.kill(victim!, 'SIGKILL');
    const replacement = await waitFor('a replacement worker', () => {
      const now = childrenOf(server.child.pid!);
      return now.length === 2 && !now.includes(victim!) ? now.find((pid) => pid !== survivor) : undefined;
    });
    await waitFor('the new worker to serve', () => (server.output().includes(`new worker pid ${replacement} is serving`) ? true : undefined));
    assert.match(server.output(), new RegExp(`worker pid ${victim} died \\(SIGKILL\\)`));
    // Fresh connections, spread over the survivor and the replacement.
    const fresh = Array.from({ length: 6 }, () => sdkClient(server.url));
    try {
      await Promise.all(fresh.map(async (client, c) => {
        await client.send(new PutItemCommand({ TableName: 'shared', Item: { pk: { S: 'after-kill' }, sk: { N: String(c) } } }));
        const { Count } = await client.send(new ScanCommand({ TableName: 'shared', Select: 'COUNT' }));
        assert.ok(Count! >= CLIENTS * 25 + 1 + CLIENTS);
      }));
    } finally {
      for (const client of fresh) client.destroy();
    }
  });

  it('stops every process on SIGTERM with exit code 0, data intact', async () => {
    const workers = childrenOf(server.child.pid!);
    const exited = new Promise<number | null>((r) => server.child.once('exit', r));
    server.child.kill('SIGTERM');
    assert.equal(await exited, 0);
    for (const pid of workers) assert.throws(() => process.kill(pid, 0), 'worker stopped');

    const again = await spawnCli(['--port', '0', '--data-dir', dir, '--log-level', 'warn']);
    const client = sdkClient(again.url);
    try {
      const { Count } = await client.send(new ScanCommand({ TableName: 'shared', Select: 'COUNT' }));
      assert.equal(Count, CLIENTS * 25 + 1 + CLIENTS + 6);
    } finally {
      client.destroy();
      again.child.kill('SIGTERM');
      await new Promise((r) => again.child.once('exit', r));
    }
  });
});

describe('--workers 2 durability', { skip: process.platform !== 'linux' && 'reads /proc' }, () => {
  it('keeps every acknowledged write when the workers and the primary are killed with SIGKILL mid-stream', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'openddb-workers-kill-'));
    try {
      const acknowledged = await writeUntilKilled(dir, {
        target: 1500,
        args: ['--workers', '2'],
        setup: async ({ client }) => {
          await client.send(hashTable('events'));
        },
        write: ({ client }, id) =>
          client.send(new PutItemCommand({ TableName: 'events', Item: { pk: { S: `event-${id}` }, sk: { N: String(id) }, payload: { S: 'x'.repeat(200) } } })),
        kill: (primary) => killWithWorkers(primary, 2),
      });
      const again = await spawnCli(['--port', '0', '--data-dir', dir, '--log-level', 'warn']);
      const client = sdkClient(again.url);
      try {
        for (const id of acknowledged) {
          const { Item } = await client.send(new GetItemCommand({ TableName: 'events', Key: { pk: { S: `event-${id}` }, sk: { N: String(id) } } }));
          assert.ok(Item, `acknowledged item ${id} is missing after kill -9`);
        }
      } finally {
        client.destroy();
        again.child.kill('SIGTERM');
        await new Promise((r) => again.child.once('exit', r));
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
