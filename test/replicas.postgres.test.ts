/**
 * Read replicas over PostgreSQL: a primary and a streaming standby (pg_basebackup -R).
 * With the standby's replay paused, eventually consistent reads (GetItem, Query, Scan,
 * BatchGetItem, PartiQL SELECT) answer the old value — so the replica served them —
 * while ConsistentRead, transactions and writes go to the primary; a replica beyond the
 * lag bound is skipped. Skipped without the PostgreSQL server binaries.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { CreateTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { BatchGetCommand, DynamoDBDocumentClient, ExecuteStatementCommand, GetCommand, PutCommand, QueryCommand, ScanCommand, TransactGetCommand } from '@aws-sdk/lib-dynamodb';
import pg from 'pg';
import { startServer, type RunningServer } from '../src/index.js';
import { sdkClient } from './helpers.js';
import { startPostgresCluster, type PostgresCluster } from './postgresCluster.js';
import { parseCliArgs } from '../src/cli/args.js';

const postgres = await startPostgresCluster();
after(async () => postgres.cluster?.stop());

const TABLE = 'replicated';

async function onStandby(standby: PostgresCluster, sql: string): Promise<unknown[]> {
  const client = new pg.Client({ connectionString: standby.url });
  await client.connect();
  try {
    return (await client.query(sql)).rows;
  } finally {
    await client.end();
  }
}

async function eventually(check: () => Promise<boolean>, what: string, ms = 15_000): Promise<void> {
  const until = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > until) assert.fail(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

describe('read replicas', { skip: postgres.skip }, () => {
  let standby: PostgresCluster;
  const nodes: { server: RunningServer; client: DynamoDBClient; doc: DynamoDBDocumentClient }[] = [];
  const node = async (replicaMaxLagMs: number) => {
    const server = await startServer({ port: 0, logLevel: 'silent', postgresUrl: postgres.cluster!.url, readReplicas: [standby.url], replicaMaxLagMs });
    const client = sdkClient(server.url);
    const entry = { server, client, doc: DynamoDBDocumentClient.from(client) };
    nodes.push(entry);
    return entry;
  };
  const value = async (doc: DynamoDBDocumentClient, consistent: boolean) =>
    (await doc.send(new GetCommand({ TableName: TABLE, Key: { pk: 'a', sk: 1 }, ConsistentRead: consistent }))).Item?.v;
  const metrics = async (server: RunningServer) => (await fetch(`${server.url}/metrics`)).text();

  before(async () => {
    standby = await postgres.cluster!.startStandby();
  });
  after(async () => {
    for (const n of nodes) {
      n.client.destroy();
      await n.server.close();
    }
  });

  it('serves eventually consistent reads from the replica and the rest from the primary', async () => {
    const { server, client, doc } = await node(60_000);
    await client.send(new CreateTableCommand({
      TableName: TABLE,
      BillingMode: 'PAY_PER_REQUEST',
      KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }, { AttributeName: 'sk', KeyType: 'RANGE' }],
      AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }, { AttributeName: 'sk', AttributeType: 'N' }],
    }));
    await doc.send(new PutCommand({ TableName: TABLE, Item: { pk: 'a', sk: 1, v: 'old' } }));
    await eventually(async () => /^ReplicaServingReads\{[^}]*\} 1$/m.test(await metrics(server)), 'the replica to serve reads');
    await eventually(async () => (await value(doc, false)) === 'old', 'the replica to replay the first write');

    await onStandby(standby, 'SELECT pg_wal_replay_pause()');
    try {
      await doc.send(new PutCommand({ TableName: TABLE, Item: { pk: 'a', sk: 1, v: 'new' } }));
      assert.equal(await value(doc, true), 'new');
      assert.equal(await value(doc, false), 'old', 'an eventually consistent GetItem is answered by the paused replica');
      const query = await doc.send(new QueryCommand({ TableName: TABLE, KeyConditionExpression: 'pk = :a', ExpressionAttributeValues: { ':a': 'a' } }));
      assert.deepEqual(query.Items?.map((item) => item.v), ['old']);
      const consistentQuery = await doc.send(new QueryCommand({ TableName: TABLE, KeyConditionExpression: 'pk = :a', ExpressionAttributeValues: { ':a': 'a' }, ConsistentRead: true }));
      assert.deepEqual(consistentQuery.Items?.map((item) => item.v), ['new']);
      assert.deepEqual((await doc.send(new ScanCommand({ TableName: TABLE }))).Items?.map((item) => item.v), ['old']);
      assert.deepEqual((await doc.send(new ScanCommand({ TableName: TABLE, ConsistentRead: true }))).Items?.map((item) => item.v), ['new']);
      const batch = await doc.send(new BatchGetCommand({ RequestItems: { [TABLE]: { Keys: [{ pk: 'a', sk: 1 }] } } }));
      assert.equal(batch.Responses?.[TABLE]?.[0]?.v, 'old');
      const consistentBatch = await doc.send(new BatchGetCommand({ RequestItems: { [TABLE]: { Keys: [{ pk: 'a', sk: 1 }], ConsistentRead: true } } }));
      assert.equal(consistentBatch.Responses?.[TABLE]?.[0]?.v, 'new');
      const select = `SELECT v FROM "${TABLE}" WHERE pk = 'a' AND sk = 1`;
      assert.deepEqual((await doc.send(new ExecuteStatementCommand({ Statement: select }))).Items, [{ v: 'old' }]);
      assert.deepEqual((await doc.send(new ExecuteStatementCommand({ Statement: select, ConsistentRead: true }))).Items, [{ v: 'new' }]);
      const transact = await doc.send(new TransactGetCommand({ TransactItems: [{ Get: { TableName: TABLE, Key: { pk: 'a', sk: 1 } } }] }));
      assert.equal(transact.Responses?.[0]?.Item?.v, 'new', 'transactions read the primary');
      // The lag is measured and shown; with the replay paused and a commit missing, it grows.
      await eventually(async () => {
        const lag = /^ReplicaLagBytes\{Replica="[^"]+"\} (\d+)/m.exec(await metrics(server));
        return lag !== null && Number(lag[1]) > 0;
      }, 'the lag metric to show the missing WAL');
    } finally {
      await onStandby(standby, 'SELECT pg_wal_replay_resume()');
    }
    await eventually(async () => (await value(doc, false)) === 'new', 'the replica to catch up');
    assert.match(await metrics(server), /^ReplicaServingReads\{Replica="127\.0\.0\.1:\d+"\} 1$/m);
  });

  it('skips a replica lagging beyond the bound', async () => {
    const { server, doc } = await node(300);
    await doc.send(new PutCommand({ TableName: TABLE, Item: { pk: 'a', sk: 1, v: 'before' } }));
    await eventually(async () => /^ReplicaServingReads\{[^}]*\} 1$/m.test(await metrics(server)), 'the replica to serve reads');
    await onStandby(standby, 'SELECT pg_wal_replay_pause()');
    try {
      await doc.send(new PutCommand({ TableName: TABLE, Item: { pk: 'a', sk: 1, v: 'after' } }));
      // Once a poll has seen the replica behind for longer than 300 ms, reads go to the primary.
      await eventually(async () => /^ReplicaServingReads\{[^}]*\} 0$/m.test(await metrics(server)), 'the replica to be skipped');
      assert.equal(await value(doc, false), 'after');
      const lag = /^ReplicaLagMilliseconds\{[^}]*\} ([\d.e+]+)$/m.exec(await metrics(server));
      assert.ok(lag !== null && Number(lag[1]) > 300, `lag ${lag?.[1]} over the bound`);
    } finally {
      await onStandby(standby, 'SELECT pg_wal_replay_resume()');
    }
    await eventually(async () => /^ReplicaServingReads\{[^}]*\} 1$/m.test(await metrics(server)), 'the replica to serve again');
  });

  it('skips an unreachable replica', async () => {
    const server = await startServer({ port: 0, logLevel: 'silent', postgresUrl: postgres.cluster!.url, readReplicas: ['postgresql://postgres@127.0.0.1:1/postgres'] });
    const client = sdkClient(server.url);
    const doc = DynamoDBDocumentClient.from(client);
    nodes.push({ server, client, doc });
    await doc.send(new PutCommand({ TableName: TABLE, Item: { pk: 'a', sk: 1, v: 'primary' } }));
    assert.equal(await value(doc, false), 'primary');
    assert.match(await metrics(server), /^ReplicaServingReads\{Replica="127\.0\.0\.1:1"\} 0$/m);
  });
});

describe('--read-replica', () => {
  const base = ['--storage', 'postgresql://db/x'];
  it('is repeatable, and read from OPENDDB_READ_REPLICAS split before each URL', () => {
    const flags = parseCliArgs([...base, '--read-replica', 'postgresql://r1/x', '--read-replica', 'postgresql://r2/x', '--replica-max-lag-ms', '250'], {});
    assert.deepEqual(flags.readReplicas, ['postgresql://r1/x', 'postgresql://r2/x']);
    assert.equal(flags.replicaMaxLagMs, 250);
    const env = parseCliArgs(base, { OPENDDB_READ_REPLICAS: 'postgresql://r1:5432,r2:5432/x,postgres://r3/x' });
    assert.deepEqual(env.readReplicas, ['postgresql://r1:5432,r2:5432/x', 'postgres://r3/x']);
  });
  it('refuses replicas without PostgreSQL storage, and bad values', () => {
    assert.throws(() => parseCliArgs(['--read-replica', 'postgresql://r1/x'], {}), /needs a PostgreSQL --storage/);
    assert.throws(() => parseCliArgs([...base, '--read-replica', 'mysql://r1/x'], {}), /invalid read replica/);
    assert.throws(() => parseCliArgs([...base, '--replica-max-lag-ms', 'soon'], {}), /invalid --replica-max-lag-ms/);
  });
});
