/**
 * Namespaces of tables: under --auth one per (account, region); with
 * --namespace-per-key-region one per (access key, region); otherwise one shared namespace.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  CreateBackupCommand, DescribeTableCommand, ExecuteStatementCommand, DescribeTimeToLiveCommand, GetItemCommand, ListBackupsCommand, ListTablesCommand,
  PutItemCommand, PutResourcePolicyCommand, QueryCommand, TransactWriteItemsCommand, UpdateTimeToLiveCommand, type DynamoDBClient,
} from '@aws-sdk/client-dynamodb';
import { DynamoDBStreamsClient, ListStreamsCommand } from '@aws-sdk/client-dynamodb-streams';
import { startServer, type RunningServer } from '../src/index.js';
import { createTable, expectError } from './helpers.js';
import { signedClient, writeUsersFile, type TestUser } from './security.helpers.js';

const ALICE = '111111111111';
const BOB = '222222222222';
// Across accounts both the caller's identity policy and the table's resource policy must allow.
const alice: TestUser = { accessKeyId: 'AKIAALICE', secretAccessKey: 'a', account: ALICE, name: 'alice',
  policies: [{ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'dynamodb:*', Resource: '*' }] }] };
const bob: TestUser = { accessKeyId: 'AKIABOB', secretAccessKey: 'b', account: BOB, name: 'bob' };
const ordersArn = (account: string, region: string) => `arn:aws:dynamodb:${region}:${account}:table/Orders`;

describe('namespaces under --auth: one per (account, region)', () => {
  let server: RunningServer;
  const clients: { destroy(): void }[] = [];
  const as = (user: TestUser, region = 'eu-west-1'): DynamoDBClient => {
    const client = signedClient(server.url, user, { region });
    clients.push(client);
    return client;
  };

  before(async () => {
    server = await startServer({ logLevel: 'silent', auth: writeUsersFile([alice, bob]) });
    // Alice has "Orders" in two regions, Bob one of his own: three tables of the same name.
    for (const [user, region, value] of [[alice, 'eu-west-1', 'alice-eu'], [alice, 'us-west-2', 'alice-us'], [bob, 'eu-west-1', 'bob-eu']] as const) {
      await createTable(as(user, region), 'Orders', ['pk', 'S']);
      await as(user, region).send(new PutItemCommand({ TableName: 'Orders', Item: { pk: { S: 'o1' }, owner: { S: value } } }));
    }
  });
  after(async () => {
    for (const c of clients) c.destroy();
    await server.close();
  });

  it('each (account, region) has its own table of the same name, with its own ARN and items', async () => {
    for (const [user, region, value] of [[alice, 'eu-west-1', 'alice-eu'], [alice, 'us-west-2', 'alice-us'], [bob, 'eu-west-1', 'bob-eu']] as const) {
      const { Table } = await as(user, region).send(new DescribeTableCommand({ TableName: 'Orders' }));
      assert.equal(Table?.TableArn, ordersArn(user.account, region));
      const { Item } = await as(user, region).send(new GetItemCommand({ TableName: 'Orders', Key: { pk: { S: 'o1' } } }));
      assert.equal(Item?.owner?.S, value);
      // A table's own ARN reaches it too.
      const byArn = await as(user, region).send(new QueryCommand({ TableName: ordersArn(user.account, region),
        KeyConditionExpression: 'pk = :p', ExpressionAttributeValues: { ':p': { S: 'o1' } } }));
      assert.equal(byArn.Items?.[0]?.owner?.S, value);
    }
  });

  it('ListTables lists only the caller\'s namespace', async () => {
    await createTable(as(bob, 'eu-west-1'), 'BobOnly', ['pk', 'S']);
    assert.deepEqual((await as(bob, 'eu-west-1').send(new ListTablesCommand({}))).TableNames, ['BobOnly', 'Orders']);
    assert.deepEqual((await as(alice, 'eu-west-1').send(new ListTablesCommand({}))).TableNames, ['Orders']);
    assert.deepEqual((await as(alice, 'ap-south-1').send(new ListTablesCommand({}))).TableNames, []);
    await expectError(as(alice, 'eu-west-1').send(new GetItemCommand({ TableName: 'BobOnly', Key: { pk: { S: 'x' } } })), 'ResourceNotFoundException');
  });

  it('another account\'s table is reached by ARN when its resource policy allows', async () => {
    const bobArn = ordersArn(BOB, 'eu-west-1');
    await expectError(as(alice).send(new GetItemCommand({ TableName: bobArn, Key: { pk: { S: 'o1' } } })), 'AccessDeniedException',
      `User: arn:aws:iam::${ALICE}:user/alice is not authorized to perform: dynamodb:GetItem on resource: ${bobArn} because no resource-based policy allows the dynamodb:GetItem action`);
    await as(bob).send(new PutResourcePolicyCommand({ ResourceArn: bobArn, Policy: JSON.stringify({
      Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { AWS: ALICE }, Action: 'dynamodb:GetItem', Resource: bobArn }] }) }));
    const { Item } = await as(alice).send(new GetItemCommand({ TableName: bobArn, Key: { pk: { S: 'o1' } } }));
    assert.equal(Item?.owner?.S, 'bob-eu');
    // Alice's own table of the same name is untouched by all this.
    assert.equal((await as(alice).send(new GetItemCommand({ TableName: 'Orders', Key: { pk: { S: 'o1' } } }))).Item?.owner?.S, 'alice-eu');
  });

  it('transactions, TTL settings, backups and streams stay inside their namespace', async () => {
    await as(alice).send(new TransactWriteItemsCommand({ TransactItems: [{ Put: { TableName: 'Orders', Item: { pk: { S: 'o2' }, owner: { S: 'alice-eu' } } } }] }));
    await expectError(as(bob).send(new GetItemCommand({ TableName: 'Orders', Key: { pk: { S: 'o2' } } })).then((r) => {
      if (r.Item === undefined) throw Object.assign(new Error('absent'), { name: 'Absent' });
    }), 'Absent');

    await as(alice).send(new UpdateTimeToLiveCommand({ TableName: 'Orders', TimeToLiveSpecification: { Enabled: true, AttributeName: 'expires' } }));
    assert.equal((await as(alice).send(new DescribeTimeToLiveCommand({ TableName: 'Orders' }))).TimeToLiveDescription?.TimeToLiveStatus, 'ENABLED');
    assert.equal((await as(bob).send(new DescribeTimeToLiveCommand({ TableName: 'Orders' }))).TimeToLiveDescription?.TimeToLiveStatus, 'DISABLED');

    const { BackupDetails } = await as(alice).send(new CreateBackupCommand({ TableName: 'Orders', BackupName: 'nightly' }));
    assert.ok(BackupDetails?.BackupArn?.startsWith(`${ordersArn(ALICE, 'eu-west-1')}/backup/`));
    assert.deepEqual((await as(alice).send(new ListBackupsCommand({}))).BackupSummaries?.map((b) => b.BackupName), ['nightly']);
    assert.deepEqual((await as(bob).send(new ListBackupsCommand({}))).BackupSummaries, []);
    assert.deepEqual((await as(alice, 'us-west-2').send(new ListBackupsCommand({}))).BackupSummaries, []);

    const streams = (user: TestUser) => {
      const client = new DynamoDBStreamsClient({ endpoint: server.url, region: 'eu-west-1', credentials: user, maxAttempts: 1 });
      clients.push(client);
      return client;
    };
    await createTable(as(bob), 'Streamed', ['pk', 'S']);
    await as(bob).send(new (await import('@aws-sdk/client-dynamodb')).UpdateTableCommand({ TableName: 'Streamed',
      StreamSpecification: { StreamEnabled: true, StreamViewType: 'NEW_IMAGE' } }));
    assert.equal((await streams(bob).send(new ListStreamsCommand({}))).Streams?.length, 1);
    assert.deepEqual((await streams(alice).send(new ListStreamsCommand({}))).Streams, []);
  });
});

describe('namespaces without --auth', () => {
  const keyA = { accessKeyId: 'keyA', secretAccessKey: 'x' };
  const keyB = { accessKeyId: 'keyB', secretAccessKey: 'y' };

  it('one namespace is shared by every key and region by default', async () => {
    const server = await startServer({ logLevel: 'silent' });
    const a = signedClient(server.url, keyA, { region: 'eu-west-1' });
    const b = signedClient(server.url, keyB, { region: 'us-east-2' });
    try {
      await createTable(a, 'Shared', ['pk', 'S']);
      assert.deepEqual((await b.send(new ListTablesCommand({}))).TableNames, ['Shared']);
      // ARNs carry the server's region and account.
      assert.equal((await b.send(new DescribeTableCommand({ TableName: 'Shared' }))).Table?.TableArn, 'arn:aws:dynamodb:us-east-1:000000000000:table/Shared');
    } finally {
      a.destroy();
      b.destroy();
      await server.close();
    }
  });

  it('--namespace-per-key-region keeps one namespace per access key and region, as DynamoDB Local does', async () => {
    const server = await startServer({ logLevel: 'silent', namespacePerKeyRegion: true });
    const clients = [signedClient(server.url, keyA, { region: 'eu-west-1' }), signedClient(server.url, keyB, { region: 'eu-west-1' }), signedClient(server.url, keyA, { region: 'us-west-2' })];
    const [aEu, bEu, aUs] = clients as [DynamoDBClient, DynamoDBClient, DynamoDBClient];
    try {
      await createTable(aEu, 'Orders', ['pk', 'S']);
      await createTable(bEu, 'Orders', ['pk', 'S']);
      await aEu.send(new PutItemCommand({ TableName: 'Orders', Item: { pk: { S: '1' }, who: { S: 'a' } } }));
      assert.equal((await bEu.send(new GetItemCommand({ TableName: 'Orders', Key: { pk: { S: '1' } } }))).Item, undefined);
      assert.deepEqual((await aUs.send(new ListTablesCommand({}))).TableNames, []);
      const { Table } = await aEu.send(new DescribeTableCommand({ TableName: 'Orders' }));
      assert.equal(Table?.TableArn, 'arn:aws:dynamodb:eu-west-1:000000000000:table/Orders');
      // Its ARN names the key's own table.
      assert.equal((await aEu.send(new GetItemCommand({ TableName: Table!.TableArn!, Key: { pk: { S: '1' } } }))).Item?.who?.S, 'a');
      // A name spelled like another namespace's catalog key reaches nothing (PartiQL takes any quoted name).
      await expectError(bEu.send(new ExecuteStatementCommand({ Statement: 'SELECT * FROM "key:keyA:eu-west-1/Orders"' })), 'ResourceNotFoundException');
      // A whole-database snapshot and its restore bring every namespace's tables back where they were.
      const id = await server.snapshot();
      await aEu.send(new PutItemCommand({ TableName: 'Orders', Item: { pk: { S: '2' }, who: { S: 'a' } } }));
      await server.restore(id);
      assert.equal((await aEu.send(new GetItemCommand({ TableName: 'Orders', Key: { pk: { S: '1' } } }))).Item?.who?.S, 'a');
      assert.equal((await aEu.send(new GetItemCommand({ TableName: 'Orders', Key: { pk: { S: '2' } } }))).Item, undefined);
      assert.deepEqual((await bEu.send(new ListTablesCommand({}))).TableNames, ['Orders']);
      assert.deepEqual((await aUs.send(new ListTablesCommand({}))).TableNames, []);
    } finally {
      for (const c of clients) c.destroy();
      await server.close();
    }
  });

  it('data written before namespaces, and namespaced data, open again; TTL sweeps every namespace', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'openddb-ns-'));
    let server = await startServer({ logLevel: 'silent', dataDir });
    let a = signedClient(server.url, keyA);
    await createTable(a, 'Legacy', ['pk', 'S']);
    await a.send(new PutItemCommand({ TableName: 'Legacy', Item: { pk: { S: 'k' } } }));
    a.destroy();
    await server.close();

    server = await startServer({ logLevel: 'silent', dataDir, namespacePerKeyRegion: true, ttlIntervalMs: 50 });
    a = signedClient(server.url, keyA);
    try {
      await createTable(a, 'Legacy', ['pk', 'S']);
      await a.send(new UpdateTimeToLiveCommand({ TableName: 'Legacy', TimeToLiveSpecification: { Enabled: true, AttributeName: 'ttl' } }));
      await a.send(new PutItemCommand({ TableName: 'Legacy', Item: { pk: { S: 'gone' }, ttl: { N: String(Math.floor(Date.now() / 1000) - 10) } } }));
      const deadline = Date.now() + 10_000;
      while ((await a.send(new GetItemCommand({ TableName: 'Legacy', Key: { pk: { S: 'gone' } } }))).Item !== undefined) {
        assert.ok(Date.now() < deadline, 'the TTL sweep never reached the namespaced table');
        await new Promise((r) => setTimeout(r, 50));
      }
    } finally {
      a.destroy();
      await server.close();
    }

    // Without the option, the shared namespace opens as it was written.
    server = await startServer({ logLevel: 'silent', dataDir });
    a = signedClient(server.url, keyA);
    try {
      assert.deepEqual((await a.send(new ListTablesCommand({}))).TableNames, ['Legacy']);
      assert.ok((await a.send(new GetItemCommand({ TableName: 'Legacy', Key: { pk: { S: 'k' } } }))).Item);
    } finally {
      a.destroy();
      await server.close();
    }
  });
});
