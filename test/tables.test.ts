/** The control plane through the AWS SDK: create, describe, list, update, delete, tags. */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  CreateTableCommand, DeleteTableCommand, DescribeEndpointsCommand, DescribeLimitsCommand, DescribeTableCommand,
  ListTablesCommand, ListTagsOfResourceCommand, PutItemCommand, TagResourceCommand, UntagResourceCommand,
  UpdateTableCommand, waitUntilTableExists, waitUntilTableNotExists, paginateListTables,
} from '@aws-sdk/client-dynamodb';
import { createTable, expectError, startTestServer, type TestContext } from './helpers.js';

const usersTable = {
  TableName: 'users',
  KeySchema: [
    { AttributeName: 'username', KeyType: 'HASH' as const },
    { AttributeName: 'last_name', KeyType: 'RANGE' as const },
  ],
  AttributeDefinitions: [
    { AttributeName: 'username', AttributeType: 'S' as const },
    { AttributeName: 'last_name', AttributeType: 'S' as const },
  ],
  ProvisionedThroughput: { ReadCapacityUnits: 5, WriteCapacityUnits: 5 },
};

describe('tables', () => {
  let t: TestContext;
  before(async () => {
    t = await startTestServer();
  });
  after(() => t.close());

  it('creates the seed users table and describes it completely', async () => {
    const created = await t.client.send(new CreateTableCommand(usersTable));
    const d = created.TableDescription!;
    assert.equal(d.TableName, 'users');
    assert.equal(d.TableStatus, 'ACTIVE');
    assert.deepEqual(d.KeySchema, usersTable.KeySchema);
    assert.equal(d.TableArn, 'arn:aws:dynamodb:us-east-1:000000000000:table/users');
    assert.match(d.TableId!, /^[0-9a-f-]{36}$/);
    assert.ok(d.CreationDateTime instanceof Date);
    assert.ok(Math.abs(d.CreationDateTime!.getTime() - Date.now()) < 5000);
    assert.equal(d.ProvisionedThroughput!.ReadCapacityUnits, 5);
    assert.equal(d.ProvisionedThroughput!.NumberOfDecreasesToday, 0);

    await waitUntilTableExists({ client: t.client, maxWaitTime: 30, minDelay: 1 }, { TableName: 'users' });
    const { Table } = await t.client.send(new DescribeTableCommand({ TableName: 'users' }));
    assert.equal(Table!.ItemCount, 0);
    assert.equal(Table!.TableSizeBytes, 0);
    assert.equal(Table!.BillingModeSummary!.BillingMode, 'PROVISIONED');
    assert.equal(Table!.TableClassSummary!.TableClass, 'STANDARD');
    assert.equal(Table!.DeletionProtectionEnabled, false);
    assert.equal(Table!.TableId, d.TableId);
  });

  it('refuses a second table with the same name', async () => {
    await expectError(t.client.send(new CreateTableCommand(usersTable)), 'ResourceInUseException', 'Table already exists: users');
  });

  it('counts items and bytes in DescribeTable', async () => {
    await t.client.send(new PutItemCommand({ TableName: 'users', Item: { username: { S: 'a' }, last_name: { S: 'b' }, age: { N: '1' } } }));
    const { Table } = await t.client.send(new DescribeTableCommand({ TableName: 'users' }));
    assert.equal(Table!.ItemCount, 1);
    assert.ok(Table!.TableSizeBytes! > 10);
  });

  it('validates key schema and attribute definitions with DynamoDB messages', async () => {
    const base = { TableName: 'bad', BillingMode: 'PAY_PER_REQUEST' as const };
    await expectError(
      t.client.send(new CreateTableCommand({ ...base, KeySchema: [{ AttributeName: 'a', KeyType: 'HASH' }], AttributeDefinitions: [{ AttributeName: 'b', AttributeType: 'S' }] })),
      'ValidationException', 'Invalid KeySchema: Some index key attribute have no definition');
    await expectError(
      t.client.send(new CreateTableCommand({
        ...base, KeySchema: [{ AttributeName: 'a', KeyType: 'HASH' }],
        AttributeDefinitions: [{ AttributeName: 'a', AttributeType: 'S' }, { AttributeName: 'b', AttributeType: 'S' }],
      })),
      'ValidationException', 'One or more parameter values were invalid: Number of attributes in KeySchema does not exactly match number of attributes defined in AttributeDefinitions');
    await expectError(
      t.client.send(new CreateTableCommand({ ...base, KeySchema: [{ AttributeName: 'a', KeyType: 'RANGE' }], AttributeDefinitions: [{ AttributeName: 'a', AttributeType: 'S' }] })),
      'ValidationException', 'Invalid KeySchema: The first KeySchemaElement is not a HASH key type');
    await expectError(
      t.client.send(new CreateTableCommand({ TableName: 'bad', KeySchema: [{ AttributeName: 'a', KeyType: 'HASH' }], AttributeDefinitions: [{ AttributeName: 'a', AttributeType: 'S' }] })),
      'ValidationException', 'One or more parameter values were invalid: ReadCapacityUnits and WriteCapacityUnits must both be specified when BillingMode is PROVISIONED');
    await expectError(
      t.client.send(new CreateTableCommand({ ...base, KeySchema: [{ AttributeName: 'a', KeyType: 'HASH' }], AttributeDefinitions: [{ AttributeName: 'a', AttributeType: 'S' }], ProvisionedThroughput: { ReadCapacityUnits: 1, WriteCapacityUnits: 1 } })),
      'ValidationException', 'One or more parameter values were invalid: Neither ReadCapacityUnits nor WriteCapacityUnits can be specified when BillingMode is PAY_PER_REQUEST');
    const { TableNames } = await t.client.send(new ListTablesCommand({}));
    assert.ok(!TableNames!.includes('bad'), 'nothing was created');
  });

  it('pages ListTables', async () => {
    for (const name of ['page_a', 'page_b', 'page_c']) {
      await createTable(t.client, name, ['id', 'S']);
    }
    const first = await t.client.send(new ListTablesCommand({ Limit: 2 }));
    assert.deepEqual(first.TableNames, ['page_a', 'page_b']);
    assert.equal(first.LastEvaluatedTableName, 'page_b');
    const second = await t.client.send(new ListTablesCommand({ Limit: 2, ExclusiveStartTableName: 'page_b' }));
    assert.deepEqual(second.TableNames, ['page_c', 'users']);
    const all: string[] = [];
    for await (const page of paginateListTables({ client: t.client, pageSize: 1 }, {})) all.push(...page.TableNames!);
    assert.deepEqual(all, ['page_a', 'page_b', 'page_c', 'users']);
  });

  it('updates throughput, billing mode, table class and deletion protection', async () => {
    let d = (await t.client.send(new UpdateTableCommand({ TableName: 'users', ProvisionedThroughput: { ReadCapacityUnits: 10, WriteCapacityUnits: 3 } }))).TableDescription!;
    assert.equal(d.ProvisionedThroughput!.ReadCapacityUnits, 10);
    assert.equal(d.ProvisionedThroughput!.WriteCapacityUnits, 3);
    assert.equal(d.ProvisionedThroughput!.NumberOfDecreasesToday, 1);
    assert.ok(d.ProvisionedThroughput!.LastIncreaseDateTime instanceof Date);
    await expectError(
      t.client.send(new UpdateTableCommand({ TableName: 'users', ProvisionedThroughput: { ReadCapacityUnits: 10, WriteCapacityUnits: 3 } })),
      'ValidationException', /^The provisioned throughput for the table will not change/);
    d = (await t.client.send(new UpdateTableCommand({ TableName: 'users', BillingMode: 'PAY_PER_REQUEST' }))).TableDescription!;
    assert.equal(d.BillingModeSummary!.BillingMode, 'PAY_PER_REQUEST');
    assert.ok(d.BillingModeSummary!.LastUpdateToPayPerRequestDateTime instanceof Date);
    d = (await t.client.send(new UpdateTableCommand({ TableName: 'users', TableClass: 'STANDARD_INFREQUENT_ACCESS', DeletionProtectionEnabled: true }))).TableDescription!;
    assert.equal(d.TableClassSummary!.TableClass, 'STANDARD_INFREQUENT_ACCESS');
    assert.equal(d.DeletionProtectionEnabled, true);
    await expectError(t.client.send(new DeleteTableCommand({ TableName: 'users' })), 'ValidationException',
      'Resource cannot be deleted as it is currently protected against deletion. Disable deletion protection first.');
    await t.client.send(new UpdateTableCommand({ TableName: 'users', DeletionProtectionEnabled: false }));
    await expectError(t.client.send(new UpdateTableCommand({ TableName: 'users' })), 'ValidationException', /^At least one of/);
    await expectError(t.client.send(new UpdateTableCommand({ TableName: 'nope', BillingMode: 'PAY_PER_REQUEST' })), 'ResourceNotFoundException');
  });

  it('refuses to disable a stream the table does not have', async () => {
    await expectError(t.client.send(new UpdateTableCommand({
      TableName: 'users', StreamSpecification: { StreamEnabled: false },
    })), 'ValidationException', 'Table does not have an enabled stream: TableName: users');
  });

  it('tags, lists and untags a table', async () => {
    const arn = 'arn:aws:dynamodb:us-east-1:000000000000:table/users';
    await t.client.send(new TagResourceCommand({ ResourceArn: arn, Tags: [{ Key: 'env', Value: 'test' }, { Key: 'team', Value: 'db' }] }));
    let tags = (await t.client.send(new ListTagsOfResourceCommand({ ResourceArn: arn }))).Tags;
    assert.deepEqual(tags, [{ Key: 'env', Value: 'test' }, { Key: 'team', Value: 'db' }]);
    await t.client.send(new UntagResourceCommand({ ResourceArn: arn, TagKeys: ['env'] }));
    tags = (await t.client.send(new ListTagsOfResourceCommand({ ResourceArn: arn }))).Tags;
    assert.deepEqual(tags, [{ Key: 'team', Value: 'db' }]);
    await expectError(t.client.send(new ListTagsOfResourceCommand({ ResourceArn: 'arn:aws:dynamodb:us-east-1:000000000000:table/none' })), 'ResourceNotFoundException');
  });

  it('describes endpoints and limits', async () => {
    const e = await t.client.send(new DescribeEndpointsCommand({}));
    assert.equal(e.Endpoints![0]!.Address, new URL(t.server.url).host);
    const l = await t.client.send(new DescribeLimitsCommand({}));
    assert.equal(l.TableMaxReadCapacityUnits, 40000);
  });

  it('deletes a table and its items', async () => {
    const d = (await t.client.send(new DeleteTableCommand({ TableName: 'users' }))).TableDescription!;
    assert.equal(d.TableStatus, 'DELETING');
    // The deleting table's description: identity, status, throughput and size only.
    assert.deepEqual(Object.keys(d).sort(), [
      'BillingModeSummary', 'ItemCount', 'ProvisionedThroughput', 'TableArn', 'TableId', 'TableName', 'TableSizeBytes', 'TableStatus',
    ]);
    assert.equal(typeof d.ProvisionedThroughput!.NumberOfDecreasesToday, 'number');
    assert.equal(d.ItemCount, 1);
    await waitUntilTableNotExists({ client: t.client, maxWaitTime: 30, minDelay: 1 }, { TableName: 'users' });
    await expectError(t.client.send(new DescribeTableCommand({ TableName: 'users' })), 'ResourceNotFoundException',
      'Requested resource not found: Table: users not found');
    await t.client.send(new CreateTableCommand(usersTable));
    const { Table } = await t.client.send(new DescribeTableCommand({ TableName: 'users' }));
    assert.equal(Table!.ItemCount, 0, 'a recreated table starts empty');
  });
});

describe('transient statuses', () => {
  let t: TestContext;
  before(async () => {
    t = await startTestServer({ delayTransientStatuses: true });
  });
  after(() => t.close());

  it('passes through CREATING to ACTIVE so waiters work', async () => {
    const d = (await t.client.send(new CreateTableCommand({ ...usersTable }))).TableDescription!;
    assert.equal(d.TableStatus, 'CREATING');
    await waitUntilTableExists({ client: t.client, maxWaitTime: 10, minDelay: 1 }, { TableName: 'users' });
    const { Table } = await t.client.send(new DescribeTableCommand({ TableName: 'users' }));
    assert.equal(Table!.TableStatus, 'ACTIVE');
    await t.client.send(new DeleteTableCommand({ TableName: 'users' }));
    const during = await t.client.send(new DescribeTableCommand({ TableName: 'users' }));
    assert.equal(during.Table!.TableStatus, 'DELETING');
    await waitUntilTableNotExists({ client: t.client, maxWaitTime: 10, minDelay: 1 }, { TableName: 'users' });
  });
});
