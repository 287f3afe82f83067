/** On-demand backups: CreateBackup, DescribeBackup, ListBackups, DeleteBackup, RestoreTableFromBackup. */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  CreateBackupCommand, CreateTableCommand, DeleteBackupCommand, DeleteTableCommand, DescribeBackupCommand, DescribeTableCommand,
  BatchWriteItemCommand, ListBackupsCommand, PutItemCommand, QueryCommand, RestoreTableFromBackupCommand, ScanCommand, TransactWriteItemsCommand,
  type AttributeValue, type DynamoDBClient,
} from '@aws-sdk/client-dynamodb';
import { createTable, expectError, startTestServer, type TestContext } from './helpers.js';
import { waitFor } from './support/polling.js';

let t: TestContext;
before(async () => {
  t = await startTestServer();
});
after(async () => {
  await t.close();
});


async function backupAvailable(client: DynamoDBClient, arn: string, timeoutMs?: number) {
  return waitFor(async () => {
    const { BackupDescription } = await client.send(new DescribeBackupCommand({ BackupArn: arn }));
    return BackupDescription!.BackupDetails!.BackupStatus === 'AVAILABLE' ? BackupDescription! : undefined;
  }, 'the backup', timeoutMs);
}

async function tableActive(client: DynamoDBClient, name: string) {
  return waitFor(async () => {
    const { Table } = await client.send(new DescribeTableCommand({ TableName: name }));
    return Table!.TableStatus === 'ACTIVE' ? Table! : undefined;
  }, `table ${name}`);
}

async function scanAll(client: DynamoDBClient, name: string): Promise<Record<string, AttributeValue>[]> {
  const items: Record<string, AttributeValue>[] = [];
  let start: Record<string, AttributeValue> | undefined;
  do {
    const page = await client.send(new ScanCommand({ TableName: name, ExclusiveStartKey: start }));
    items.push(...page.Items!);
    start = page.LastEvaluatedKey;
  } while (start);
  return items.sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)));
}

async function createIndexedTable(name: string): Promise<void> {
  await t.client.send(new CreateTableCommand({
    TableName: name,
    BillingMode: 'PAY_PER_REQUEST',
    KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }, { AttributeName: 'sk', KeyType: 'RANGE' }],
    AttributeDefinitions: [
      { AttributeName: 'pk', AttributeType: 'S' },
      { AttributeName: 'sk', AttributeType: 'N' },
      { AttributeName: 'colour', AttributeType: 'S' },
    ],
    GlobalSecondaryIndexes: [{ IndexName: 'byColour', KeySchema: [{ AttributeName: 'colour', KeyType: 'HASH' }], Projection: { ProjectionType: 'ALL' } }],
  }));
}

describe('a backup and its restore', () => {
  it('restores the table as it was at the backup, indexes included, through CREATING with a RestoreSummary', async () => {
    await createIndexedTable('Shop');
    for (let i = 0; i < 30; i++) {
      await t.client.send(new PutItemCommand({
        TableName: 'Shop',
        Item: { pk: { S: `p${i % 3}` }, sk: { N: String(i) }, colour: { S: i % 2 ? 'red' : 'blue' }, tags: { SS: ['a', 'b'] }, blob: { B: Buffer.from([i, 0, 255]) } },
      }));
    }
    const before = await scanAll(t.client, 'Shop');
    const { BackupDetails } = await t.client.send(new CreateBackupCommand({ TableName: 'Shop', BackupName: 'nightly' }));
    assert.equal(BackupDetails!.BackupName, 'nightly');
    assert.equal(BackupDetails!.BackupType, 'USER');
    assert.match(BackupDetails!.BackupArn!, /^arn:aws:dynamodb:us-east-1:\d{12}:table\/Shop\/backup\/\d{14}-[0-9a-f]{8}$/);
    // Writes after the backup's moment are not in it.
    await t.client.send(new PutItemCommand({ TableName: 'Shop', Item: { pk: { S: 'late' }, sk: { N: '1' }, colour: { S: 'red' } } }));
    await t.client.send(new PutItemCommand({ TableName: 'Shop', Item: { pk: { S: 'p0' }, sk: { N: '0' }, colour: { S: 'green' } } }));

    const described = await backupAvailable(t.client, BackupDetails!.BackupArn!);
    assert.equal(described.SourceTableDetails!.ItemCount, 30);
    assert.equal(described.SourceTableDetails!.TableName, 'Shop');
    assert.ok(described.BackupDetails!.BackupSizeBytes! > 0);
    assert.equal(described.SourceTableFeatureDetails!.GlobalSecondaryIndexes![0]!.IndexName, 'byColour');

    const { TableDescription } = await t.client.send(new RestoreTableFromBackupCommand({ TargetTableName: 'ShopRestored', BackupArn: BackupDetails!.BackupArn! }));
    assert.equal(TableDescription!.TableStatus, 'CREATING');
    assert.equal(TableDescription!.RestoreSummary!.SourceBackupArn, BackupDetails!.BackupArn);
    assert.equal(TableDescription!.RestoreSummary!.RestoreInProgress, true);
    const restored = await tableActive(t.client, 'ShopRestored');
    assert.equal(restored.RestoreSummary!.RestoreInProgress, false);
    assert.equal(restored.ItemCount, 30);
    assert.deepEqual(await scanAll(t.client, 'ShopRestored'), before);
    const green = await t.client.send(new QueryCommand({
      TableName: 'ShopRestored', IndexName: 'byColour', KeyConditionExpression: 'colour = :c', ExpressionAttributeValues: { ':c': { S: 'green' } },
    }));
    assert.equal(green.Count, 0);
    const blue = await t.client.send(new QueryCommand({
      TableName: 'ShopRestored', IndexName: 'byColour', KeyConditionExpression: 'colour = :c', ExpressionAttributeValues: { ':c': { S: 'blue' } },
    }));
    assert.equal(blue.Count, 15);
  });

  it('is a consistent snapshot while transfers go on (the sum of balances holds)', async () => {
    const accounts = 1500;
    await createTable(t.client, 'Bank', ['id', 'N']);
    for (let i = 0; i < accounts; i += 25) {
      await t.client.send(new BatchWriteItemCommand({
        RequestItems: { Bank: Array.from({ length: 25 }, (_, j) => ({ PutRequest: { Item: { id: { N: String(i + j) }, balance: { N: '100' } } } })) },
      }));
    }
    let stop = false;
    let duringBackup = 0;
    let afterBackup = 0;
    let backupArn: string | undefined;
    let backupRequested = false;
    let available = false;
    // Transfers one after another (a busier load is the next suite's): over PostgreSQL,
    // concurrent transactions on a few accounts conflict among themselves.
    const transfers = (async () => {
      let n = 0;
      while (!stop) {
        const from = (n * 7919) % accounts;
        const to = (n * 104729 + 1) % accounts;
        n++;
        if (from === to) continue;
        const startedBeforeAvailable = !available;
        await t.client.send(new TransactWriteItemsCommand({
          TransactItems: [
            { Update: { TableName: 'Bank', Key: { id: { N: String(from) } }, UpdateExpression: 'SET balance = balance - :a', ExpressionAttributeValues: { ':a': { N: '3' } } } },
            { Update: { TableName: 'Bank', Key: { id: { N: String(to) } }, UpdateExpression: 'SET balance = balance + :a', ExpressionAttributeValues: { ':a': { N: '3' } } } },
          ],
        }));
        // A transfer overlapping the backup: it ended after CreateBackup was sent and began before the copy was done.
        if (backupRequested && startedBeforeAvailable) duringBackup++;
        if (available) afterBackup++;
      }
    })();
    await new Promise((r) => setTimeout(r, 50));
    backupRequested = true;
    backupArn = (await t.client.send(new CreateBackupCommand({ TableName: 'Bank', BackupName: 'mid-flight' }))).BackupDetails!.BackupArn!;
    // The backup completes while the transfers keep going (they are stopped only after).
    await backupAvailable(t.client, backupArn, 30_000);
    available = true;
    while (afterBackup < 20) await new Promise((r) => setTimeout(r, 10));
    stop = true;
    await transfers;
    assert.ok(duringBackup > 0, 'transfers ran while the backup was taken');
    await t.client.send(new RestoreTableFromBackupCommand({ TargetTableName: 'BankRestored', BackupArn: backupArn }));
    await tableActive(t.client, 'BankRestored');
    const items = await scanAll(t.client, 'BankRestored');
    assert.equal(items.length, accounts);
    assert.equal(items.reduce((sum, item) => sum + Number(item.balance!.N), 0), accounts * 100);
  });
});

describe('a backup of a busy table', () => {
  it('completes while writes keep coming, and holds every item as it was at the backup', async () => {
    const items = 2200; // several pages of the copy walk
    await createTable(t.client, 'Busy', ['id', 'N']);
    for (let i = 0; i < items; i += 25) {
      await t.client.send(new BatchWriteItemCommand({
        RequestItems: { Busy: Array.from({ length: 25 }, (_, j) => ({ PutRequest: { Item: { id: { N: String(i + j) }, v: { N: '0' } } } })).filter((r) => Number(r.PutRequest.Item.id.N) < items) },
      }));
    }
    let stop = false;
    let backupArn: string | undefined;
    let writesDuring = 0;
    // Each writer walks the keys, raising every item's version; versions written before
    // the backup was requested are at most `before`.
    let version = 1;
    const writer = async (worker: number) => {
      for (let n = worker; !stop; n += 8) {
        await t.client.send(new PutItemCommand({ TableName: 'Busy', Item: { id: { N: String((n * 613) % items) }, v: { N: String(version) } } }));
        if (backupArn !== undefined) writesDuring++;
      }
    };
    const writers = Promise.all(Array.from({ length: 8 }, (_, w) => writer(w)));
    await new Promise((r) => setTimeout(r, 100));
    version = 2; // from here on, writes may or may not be in the backup
    backupArn = (await t.client.send(new CreateBackupCommand({ TableName: 'Busy', BackupName: 'busy' }))).BackupDetails!.BackupArn!;
    version = 3; // the backup's moment has passed: none of these may be in it
    try {
      // Generous for a loaded machine; a copy that conflicts with the writes never gets there.
      await backupAvailable(t.client, backupArn, 30_000);
    } finally {
      stop = true;
      await writers;
    }
    assert.ok(writesDuring > 20, `writes went on while the backup was taken (${writesDuring})`);
    await t.client.send(new RestoreTableFromBackupCommand({ TargetTableName: 'BusyRestored', BackupArn: backupArn }));
    await tableActive(t.client, 'BusyRestored');
    const restored = await scanAll(t.client, 'BusyRestored');
    assert.equal(restored.length, items);
    assert.deepEqual(restored.filter((item) => item.v!.N === '3').map((item) => item.id!.N), []);
  });
});

describe('backup bookkeeping', () => {
  it('lists by table, time and type, with paging', async () => {
    await createTable(t.client, 'Listed', ['id', 'S']);
    const arns: string[] = [];
    for (const name of ['one', 'two', 'three']) {
      arns.push((await t.client.send(new CreateBackupCommand({ TableName: 'Listed', BackupName: name }))).BackupDetails!.BackupArn!);
    }
    for (const arn of arns) await backupAvailable(t.client, arn);
    const all = await t.client.send(new ListBackupsCommand({ TableName: 'Listed' }));
    assert.deepEqual(all.BackupSummaries!.map((s) => s.BackupName), ['one', 'two', 'three']);
    assert.equal(all.BackupSummaries![0]!.TableName, 'Listed');
    assert.equal(all.LastEvaluatedBackupArn, undefined);
    const first = await t.client.send(new ListBackupsCommand({ TableName: 'Listed', Limit: 2 }));
    assert.equal(first.BackupSummaries!.length, 2);
    const second = await t.client.send(new ListBackupsCommand({ TableName: 'Listed', Limit: 2, ExclusiveStartBackupArn: first.LastEvaluatedBackupArn }));
    assert.deepEqual(second.BackupSummaries!.map((s) => s.BackupName), ['three']);
    const none = await t.client.send(new ListBackupsCommand({ TableName: 'Listed', BackupType: 'SYSTEM' }));
    assert.equal(none.BackupSummaries!.length, 0);
    const future = await t.client.send(new ListBackupsCommand({ TableName: 'Listed', TimeRangeLowerBound: new Date(Date.now() + 3_600_000) }));
    assert.equal(future.BackupSummaries!.length, 0);
  });

  it('outlives its table, and is gone once deleted', async () => {
    await createTable(t.client, 'Doomed', ['id', 'S']);
    await t.client.send(new PutItemCommand({ TableName: 'Doomed', Item: { id: { S: 'x' }, n: { N: '1.50' }, l: { L: [{ NULL: true }, { BOOL: false }] } } }));
    const arn = (await t.client.send(new CreateBackupCommand({ TableName: 'Doomed', BackupName: 'last' }))).BackupDetails!.BackupArn!;
    await backupAvailable(t.client, arn);
    await t.client.send(new DeleteTableCommand({ TableName: 'Doomed' }));
    await t.client.send(new RestoreTableFromBackupCommand({ TargetTableName: 'Doomed', BackupArn: arn }));
    await tableActive(t.client, 'Doomed');
    assert.deepEqual(await scanAll(t.client, 'Doomed'), [{ id: { S: 'x' }, n: { N: '1.5' }, l: { L: [{ NULL: true }, { BOOL: false }] } }]);
    const deleted = await t.client.send(new DeleteBackupCommand({ BackupArn: arn }));
    assert.equal(deleted.BackupDescription!.BackupDetails!.BackupStatus, 'DELETED');
    await expectError(t.client.send(new DescribeBackupCommand({ BackupArn: arn })), 'BackupNotFoundException');
    await expectError(t.client.send(new DeleteBackupCommand({ BackupArn: arn })), 'BackupNotFoundException');
  });

  it('applies billing and index overrides', async () => {
    await createIndexedTable('Overridden');
    await t.client.send(new PutItemCommand({ TableName: 'Overridden', Item: { pk: { S: 'a' }, sk: { N: '1' }, colour: { S: 'red' } } }));
    const arn = (await t.client.send(new CreateBackupCommand({ TableName: 'Overridden', BackupName: 'bbb' }))).BackupDetails!.BackupArn!;
    await backupAvailable(t.client, arn);
    await t.client.send(new RestoreTableFromBackupCommand({
      TargetTableName: 'OverriddenCopy',
      BackupArn: arn,
      BillingModeOverride: 'PROVISIONED',
      ProvisionedThroughputOverride: { ReadCapacityUnits: 7, WriteCapacityUnits: 3 },
      GlobalSecondaryIndexOverride: [],
    }));
    const table = await tableActive(t.client, 'OverriddenCopy');
    assert.equal(table.BillingModeSummary!.BillingMode, 'PROVISIONED');
    assert.equal(table.ProvisionedThroughput!.ReadCapacityUnits, 7);
    assert.equal(table.GlobalSecondaryIndexes, undefined);
    assert.deepEqual(table.AttributeDefinitions!.map((d) => d.AttributeName).sort(), ['pk', 'sk']);
    assert.equal(table.ItemCount, 1);
  });

  it('refuses what DynamoDB refuses', async () => {
    await expectError(t.client.send(new CreateBackupCommand({ TableName: 'Nowhere', BackupName: 'xyz' })), 'TableNotFoundException');
    const missing = 'arn:aws:dynamodb:us-east-1:000000000000:table/Nowhere/backup/01700000000000-deadbeef';
    await expectError(t.client.send(new DescribeBackupCommand({ BackupArn: missing })), 'BackupNotFoundException');
    await expectError(t.client.send(new RestoreTableFromBackupCommand({ TargetTableName: 'XYZ', BackupArn: missing })), 'BackupNotFoundException');
    await createTable(t.client, 'Taken', ['id', 'S']);
    const arn = (await t.client.send(new CreateBackupCommand({ TableName: 'Taken', BackupName: 'xyz' }))).BackupDetails!.BackupArn!;
    await backupAvailable(t.client, arn);
    await expectError(t.client.send(new RestoreTableFromBackupCommand({ TargetTableName: 'Taken', BackupArn: arn })), 'TableAlreadyExistsException');
  });
});
