/**
 * Two OpenDDB nodes over one PostgreSQL database: what one writes the other reads, tables
 * created on one are served by the other, and conditional writes racing from both lose
 * no update. Skipped without the PostgreSQL server binaries.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { ConditionalCheckFailedException, CreateTableCommand, DeleteTableCommand, DescribeTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import pg from 'pg';
import { counterKey } from '../src/engine/keyspace.js';
import { DynamoDBDocumentClient, GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { startServer, type RunningServer } from '../src/index.js';
import { sdkClient } from './helpers.js';
import { startPostgresCluster } from './postgresCluster.js';
import { spawnCli } from './cliProcess.js';

const postgres = await startPostgresCluster();
after(async () => postgres.cluster?.stop());

describe('two nodes over one PostgreSQL database', { skip: postgres.skip }, () => {
  const nodes: { server: RunningServer; client: DynamoDBClient; doc: DynamoDBDocumentClient }[] = [];
  before(async () => {
    for (let i = 0; i < 2; i++) {
      const server = await startServer({ port: 0, logLevel: 'silent', postgresUrl: postgres.cluster!.url });
      const client = sdkClient(server.url);
      nodes.push({ server, client, doc: DynamoDBDocumentClient.from(client) });
    }
  });
  after(async () => {
    for (const node of nodes) {
      node.client.destroy();
      await node.server.close();
    }
  });

  it('serves a table created on one node from the other, and reads there what was written here', async () => {
    const [a, b] = [nodes[0]!, nodes[1]!];
    await a.client.send(new CreateTableCommand({
      TableName: 'shared',
      BillingMode: 'PAY_PER_REQUEST',
      KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
      AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }],
    }));
    const described = await b.client.send(new DescribeTableCommand({ TableName: 'shared' }));
    assert.equal(described.Table?.TableName, 'shared');
    await a.doc.send(new PutCommand({ TableName: 'shared', Item: { pk: 'x', v: 1 } }));
    assert.deepEqual((await b.doc.send(new GetCommand({ TableName: 'shared', Key: { pk: 'x' } }))).Item, { pk: 'x', v: 1 });
    await b.doc.send(new PutCommand({ TableName: 'shared', Item: { pk: 'x', v: 2 } }));
    assert.deepEqual((await a.doc.send(new GetCommand({ TableName: 'shared', Key: { pk: 'x' }, ConsistentRead: true }))).Item, { pk: 'x', v: 2 });
  });

  it('loses no update when both nodes race optimistic-locking increments', async () => {
    await nodes[0]!.doc.send(new PutCommand({ TableName: 'shared', Item: { pk: 'counter', version: 0, log: [] } }));
    let won = 0;
    const worker = async (node: (typeof nodes)[number], id: string) => {
      for (let i = 0; i < 10; i++) {
        for (;;) {
          const current = (await node.doc.send(new GetCommand({ TableName: 'shared', Key: { pk: 'counter' }, ConsistentRead: true }))).Item!;
          try {
            await node.doc.send(new UpdateCommand({
              TableName: 'shared',
              Key: { pk: 'counter' },
              UpdateExpression: 'SET version = :next, #log = list_append(#log, :me)',
              ConditionExpression: 'version = :seen',
              ExpressionAttributeNames: { '#log': 'log' },
              ExpressionAttributeValues: { ':next': current.version + 1, ':seen': current.version, ':me': [`${id}${i}`] },
            }));
            won++;
            break;
          } catch (error) {
            if (!(error instanceof ConditionalCheckFailedException)) throw error;
          }
        }
      }
    };
    await Promise.all([worker(nodes[0]!, 'a'), worker(nodes[1]!, 'b'), worker(nodes[0]!, 'c'), worker(nodes[1]!, 'd')]);
    const final = (await nodes[1]!.doc.send(new GetCommand({ TableName: 'shared', Key: { pk: 'counter' }, ConsistentRead: true }))).Item!;
    assert.equal(won, 40);
    assert.equal(final.version, 40);
    assert.equal(new Set(final.log).size, 40);
  });

  it('answers GetItem from the current catalog when the table is new to this node or was recreated on the other', async () => {
    const [a, b] = [nodes[0]!, nodes[1]!];
    const create = (keyName: string) => a.client.send(new CreateTableCommand({
      TableName: 'recreated',
      BillingMode: 'PAY_PER_REQUEST',
      KeySchema: [{ AttributeName: keyName, KeyType: 'HASH' }],
      AttributeDefinitions: [{ AttributeName: keyName, AttributeType: 'S' }],
    }));
    await create('pk');
    await a.doc.send(new PutCommand({ TableName: 'recreated', Item: { pk: 'x', v: 1 } }));
    // B has not seen the table: its first request about it is this GetItem.
    assert.deepEqual((await b.doc.send(new GetCommand({ TableName: 'recreated', Key: { pk: 'x' } }))).Item, { pk: 'x', v: 1 });
    // Dropped and created again on A with another key: B's cached table is stale.
    await a.client.send(new DeleteTableCommand({ TableName: 'recreated' }));
    await create('id');
    await a.doc.send(new PutCommand({ TableName: 'recreated', Item: { id: 'x', v: 2 } }));
    assert.deepEqual((await b.doc.send(new GetCommand({ TableName: 'recreated', Key: { id: 'x' } }))).Item, { id: 'x', v: 2 });
    await assert.rejects(b.doc.send(new GetCommand({ TableName: 'recreated', Key: { pk: 'x' } })), (error: Error) => error.name === 'ValidationException');
    await assert.rejects(b.doc.send(new GetCommand({ TableName: 'never-created', Key: { pk: 'x' } })), (error: Error) => error.name === 'ResourceNotFoundException');
  });

  it('reads the catalog version in the same statement as the item, for GetItem', async () => {
    const b = nodes[1]!;
    await b.doc.send(new PutCommand({ TableName: 'shared', Item: { pk: 'y', v: 3 } }));
    const versionKey = counterKey('catalog-version');
    // The keys each statement fetched (the combined point read binds them as one array).
    const fetched: Buffer[][] = [];
    const original = pg.Client.prototype.query;
    pg.Client.prototype.query = function (this: pg.Client, ...args: unknown[]) {
      const values = (args[0] as { values?: unknown[] }).values;
      if (Array.isArray(values?.[0])) fetched.push(values[0] as Buffer[]);
      return (original as (...a: unknown[]) => unknown).apply(this, args);
    } as typeof original;
    let items;
    try {
      items = await Promise.all(Array.from({ length: 8 }, (_, i) => b.doc.send(new GetCommand({ TableName: 'shared', Key: { pk: i % 2 === 0 ? 'x' : 'y' } }))));
    } finally {
      pg.Client.prototype.query = original;
    }
    assert.deepEqual(items.map((r) => r.Item?.v), [2, 3, 2, 3, 2, 3, 2, 3]);
    // One statement per turn at most, each with the version and items; before, the version went alone first.
    assert.ok(fetched.length > 0 && fetched.length <= items.length, `${fetched.length} statements`);
    for (const keys of fetched) {
      assert.ok(keys.some((key) => key.equals(versionKey)), 'the catalog version is read with the items');
      assert.ok(keys.length >= 2, 'no statement reads the catalog version alone');
    }
  });
});

describe('--workers over PostgreSQL', { skip: postgres.skip }, () => {
  it('runs each worker as a node of its own over the database, every one serving what the others wrote', async () => {
    const server = await spawnCli(['--workers', '2', '--port', '0', '--storage', postgres.cluster!.url, '--log-level', 'warn']);
    const clients = Array.from({ length: 6 }, () => DynamoDBDocumentClient.from(sdkClient(server.url)));
    try {
      await clients[0]!.send(new CreateTableCommand({
        TableName: 'workers',
        BillingMode: 'PAY_PER_REQUEST',
        KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
        AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }],
      }));
      // Each client keeps its own connection, so the writes land on both workers.
      await Promise.all(clients.map(async (doc, c) => {
        for (let i = 0; i < 10; i++) await doc.send(new PutCommand({ TableName: 'workers', Item: { pk: `${c}-${i}`, c } }));
      }));
      for (const doc of clients) {
        for (let c = 0; c < clients.length; c++) {
          const { Item } = await doc.send(new GetCommand({ TableName: 'workers', Key: { pk: `${c}-9` }, ConsistentRead: true }));
          assert.deepEqual(Item, { pk: `${c}-9`, c });
        }
      }
    } finally {
      for (const doc of clients) doc.destroy();
      server.child.kill('SIGTERM');
      await new Promise((resolve) => server.child.once('exit', resolve));
    }
  });
});
