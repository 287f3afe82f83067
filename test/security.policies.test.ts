import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  BatchGetItemCommand, BatchWriteItemCommand, CreateTableCommand, DeleteItemCommand, DeleteTableCommand, DescribeTableCommand, GetItemCommand,
  CreateBackupCommand, ExecuteStatementCommand, ExecuteTransactionCommand, ListBackupsCommand,
  ListTablesCommand, PutItemCommand, QueryCommand, ScanCommand, TransactGetItemsCommand, TransactWriteItemsCommand, UpdateItemCommand,
} from '@aws-sdk/client-dynamodb';
import { DynamoDBStreamsClient, ListStreamsCommand } from '@aws-sdk/client-dynamodb-streams';
import { startServer, type RunningServer } from '../src/index.js';
import { expectError } from './helpers.js';
import { signedClient, writeUsersFile, type TestUser } from './security.helpers.js';

const ACCOUNT = '111111111111';
const ARN = `arn:aws:dynamodb:us-east-1:${ACCOUNT}:table`;
const user = (name: string, policies?: unknown[]): TestUser => ({ accessKeyId: `AKIA${name.toUpperCase()}`, secretAccessKey: `${name}-secret`, account: ACCOUNT, name, policies });
const allow = (Action: unknown, Resource: unknown, Condition?: unknown) => ({ Effect: 'Allow', Action, Resource, ...(Condition ? { Condition } : {}) });
const deny = (Action: unknown, Resource: unknown, Condition?: unknown) => ({ Effect: 'Deny', Action, Resource, ...(Condition ? { Condition } : {}) });
const policy = (...Statement: unknown[]) => ({ Version: '2012-10-17', Statement });

const admin = user('admin');
const USERS: Record<string, TestUser> = {
  admin,
  reader: user('reader', [policy(allow(['dynamodb:GetItem', 'dynamodb:Query', 'dynamodb:DescribeTable'], `${ARN}/docs`))]),
  guarded: user('guarded', [policy(allow('dynamodb:*', '*'), deny(['dynamodb:DeleteTable', 'dynamodb:Update*'], '*'))]),
  notaction: user('notaction', [policy({ Effect: 'Allow', NotAction: 'dynamodb:Delete*', NotResource: `${ARN}/secret` })]),
  alice: user('alice', [policy(allow(['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:Query', 'dynamodb:BatchGetItem', 'dynamodb:UpdateItem', 'dynamodb:DeleteItem',
    'dynamodb:ConditionCheckItem'], `${ARN}/docs`, { 'ForAllValues:StringEquals': { 'dynamodb:LeadingKeys': ['${aws:username}'] } }))]),
  columns: user('columns', [policy(allow(['dynamodb:GetItem', 'dynamodb:Query'], `${ARN}/docs`, {
    'ForAllValues:StringEquals': { 'dynamodb:Attributes': ['owner', 'title'] }, StringEqualsIfExists: { 'dynamodb:Select': 'SPECIFIC_ATTRIBUTES' },
  }))]),
  indexer: user('indexer', [policy(allow('dynamodb:Query', `${ARN}/docs/index/*`))]),
  local: user('local', [policy(allow('dynamodb:ListTables', '*', { IpAddress: { 'aws:SourceIp': ['127.0.0.0/8', '::1/128'] }, Bool: { 'aws:SecureTransport': 'false' } }))]),
  remote: user('remote', [policy(allow('dynamodb:ListTables', '*', { NotIpAddress: { 'aws:SourceIp': ['127.0.0.0/8', '::1/128'] } }))]),
  expired: user('expired', [policy(allow('dynamodb:ListTables', '*', { DateLessThan: { 'aws:CurrentTime': '2020-01-01T00:00:00Z' } }))]),
  quiet: user('quiet', [policy(allow(['dynamodb:PutItem'], `${ARN}/docs`), deny('dynamodb:PutItem', '*', { StringEquals: { 'dynamodb:ReturnValues': 'ALL_OLD' } }))]),
  transactor: user('transactor', [policy(allow(['dynamodb:PutItem', 'dynamodb:GetItem'], `${ARN}/docs`, { StringEquals: { 'dynamodb:EnclosingOperation': ['TransactWriteItems', 'TransactGetItems'] } }))]),
  batcher: user('batcher', [policy(allow(['dynamodb:BatchWriteItem'], `${ARN}/docs`),
    allow('dynamodb:PutItem', `${ARN}/docs`, { StringEquals: { 'dynamodb:EnclosingOperation': 'BatchWriteItem' } }))]),
  sql: user('sql', [policy(allow(['dynamodb:PartiQLSelect', 'dynamodb:PartiQLInsert'], `${ARN}/docs`,
    { 'ForAllValues:StringEquals': { 'dynamodb:LeadingKeys': ['${aws:username}'] } }))]),
  operator: user('operator', [policy(allow(['dynamodb:CreateBackup', 'dynamodb:ListStreams'], '*'), allow('dynamodb:ListBackups', `${ARN}/nothing`))]),
  batchOnly: user('batchOnly', [policy(allow(['dynamodb:BatchWriteItem'], `${ARN}/docs`))]),
  keeper: user('keeper', [policy(allow('dynamodb:*', `${ARN}/docs`), deny('dynamodb:DeleteItem', `${ARN}/docs`))]),
};

const denied = (name: string, action: string, resource: string, reason = `because no identity-based policy allows the dynamodb:${action} action`) =>
  `User: arn:aws:iam::${ACCOUNT}:user/${name} is not authorized to perform: dynamodb:${action} on resource: ${resource} ${reason}`;

describe('IAM authorization', () => {
  let server: RunningServer;
  const clients = new Map<string, ReturnType<typeof signedClient>>();
  const as = (name: string) => {
    let client = clients.get(name);
    if (!client) clients.set(name, (client = signedClient(server.url, USERS[name]!)));
    return client;
  };

  before(async () => {
    server = await startServer({ logLevel: 'silent', auth: writeUsersFile(Object.values(USERS)) });
    await as('admin').send(new CreateTableCommand({
      TableName: 'docs', BillingMode: 'PAY_PER_REQUEST',
      KeySchema: [{ AttributeName: 'owner', KeyType: 'HASH' }, { AttributeName: 'id', KeyType: 'RANGE' }],
      AttributeDefinitions: [{ AttributeName: 'owner', AttributeType: 'S' }, { AttributeName: 'id', AttributeType: 'S' }, { AttributeName: 'title', AttributeType: 'S' }],
      GlobalSecondaryIndexes: [{ IndexName: 'byTitle', KeySchema: [{ AttributeName: 'title', KeyType: 'HASH' }], Projection: { ProjectionType: 'ALL' } }],
    }));
    for (const owner of ['alice', 'bob']) {
      await as('admin').send(new PutItemCommand({ TableName: 'docs', Item: { owner: { S: owner }, id: { S: '1' }, title: { S: `${owner}'s` }, secret: { S: 'x' } } }));
    }
  });
  after(async () => {
    for (const client of clients.values()) client.destroy();
    await server.close();
  });

  it('a user without policies may do everything in its account', async () => {
    assert.deepEqual((await as('admin').send(new ListTablesCommand({}))).TableNames, ['docs']);
  });

  it('allows only the listed actions on the listed resources (default deny)', async () => {
    await as('reader').send(new GetItemCommand({ TableName: 'docs', Key: { owner: { S: 'bob' }, id: { S: '1' } } }));
    await as('reader').send(new DescribeTableCommand({ TableName: 'docs' }));
    await expectError(as('reader').send(new ListTablesCommand({})), 'AccessDeniedException', denied('reader', 'ListTables', '*'));
    await expectError(as('reader').send(new PutItemCommand({ TableName: 'docs', Item: { owner: { S: 'r' }, id: { S: '1' } } })),
      'AccessDeniedException', denied('reader', 'PutItem', `${ARN}/docs`));
    await expectError(as('reader').send(new GetItemCommand({ TableName: 'other', Key: { owner: { S: 'bob' } } })),
      'AccessDeniedException', denied('reader', 'GetItem', `${ARN}/other`));
    // Nothing was written by the refused put.
    const { Item } = await as('admin').send(new GetItemCommand({ TableName: 'docs', Key: { owner: { S: 'r' }, id: { S: '1' } } }));
    assert.equal(Item, undefined);
  });

  it('an explicit deny wins over an allow; wildcards match action names', async () => {
    await as('guarded').send(new ListTablesCommand({}));
    await expectError(as('guarded').send(new DeleteTableCommand({ TableName: 'docs' })), 'AccessDeniedException',
      denied('guarded', 'DeleteTable', `${ARN}/docs`, 'with an explicit deny in an identity-based policy'));
    await expectError(as('guarded').send(new UpdateItemCommand({ TableName: 'docs', Key: { owner: { S: 'a' }, id: { S: '1' } }, UpdateExpression: 'SET x = :x', ExpressionAttributeValues: { ':x': { N: '1' } } })),
      'AccessDeniedException', /explicit deny in an identity-based policy$/);
  });

  it('NotAction and NotResource', async () => {
    await as('notaction').send(new GetItemCommand({ TableName: 'docs', Key: { owner: { S: 'bob' }, id: { S: '1' } } }));
    await expectError(as('notaction').send(new DeleteTableCommand({ TableName: 'docs' })), 'AccessDeniedException');
    await expectError(as('notaction').send(new GetItemCommand({ TableName: 'secret', Key: { owner: { S: 'bob' } } })), 'AccessDeniedException');
  });

  it('dynamodb:LeadingKeys with ${aws:username}: a user reads and writes only its own partition', async () => {
    const alice = as('alice');
    const own = { owner: { S: 'alice' }, id: { S: '2' } };
    const bobs = { owner: { S: 'bob' }, id: { S: '1' } };
    await alice.send(new PutItemCommand({ TableName: 'docs', Item: own }));
    assert.deepEqual((await alice.send(new GetItemCommand({ TableName: 'docs', Key: own }))).Item, own);
    await expectError(alice.send(new GetItemCommand({ TableName: 'docs', Key: bobs })), 'AccessDeniedException', denied('alice', 'GetItem', `${ARN}/docs`));
    await expectError(alice.send(new PutItemCommand({ TableName: 'docs', Item: bobs })), 'AccessDeniedException');
    await expectError(alice.send(new DeleteItemCommand({ TableName: 'docs', Key: bobs })), 'AccessDeniedException');
    const mine = await alice.send(new QueryCommand({ TableName: 'docs', KeyConditionExpression: '#o = :o', ExpressionAttributeNames: { '#o': 'owner' }, ExpressionAttributeValues: { ':o': { S: 'alice' } } }));
    assert.equal(mine.Count, 2);
    await expectError(alice.send(new QueryCommand({ TableName: 'docs', KeyConditionExpression: 'id = :i AND #o = :o', ExpressionAttributeNames: { '#o': 'owner' }, ExpressionAttributeValues: { ':o': { S: 'bob' }, ':i': { S: '1' } } })), 'AccessDeniedException');
    await alice.send(new BatchGetItemCommand({ RequestItems: { docs: { Keys: [own] } } }));
    await expectError(alice.send(new BatchGetItemCommand({ RequestItems: { docs: { Keys: [own, bobs] } } })), 'AccessDeniedException', denied('alice', 'BatchGetItem', `${ARN}/docs`));
    await alice.send(new TransactWriteItemsCommand({ TransactItems: [{ Put: { TableName: 'docs', Item: { ...own, n: { N: '1' } } } }] }));
    await expectError(alice.send(new TransactWriteItemsCommand({ TransactItems: [
      { Put: { TableName: 'docs', Item: { ...own, n: { N: '2' } } } }, { ConditionCheck: { TableName: 'docs', Key: bobs, ConditionExpression: 'attribute_exists(id)' } },
    ] })), 'AccessDeniedException', denied('alice', 'ConditionCheckItem', `${ARN}/docs`));
    // The refused transaction wrote nothing.
    assert.deepEqual((await alice.send(new GetItemCommand({ TableName: 'docs', Key: own }))).Item?.n, { N: '1' });
    await expectError(alice.send(new ScanCommand({ TableName: 'docs' })), 'AccessDeniedException');
  });

  it('dynamodb:Attributes and dynamodb:Select limit the attributes a user reads', async () => {
    const key = { owner: { S: 'bob' }, id: { S: '1' } };
    const { Item } = await as('columns').send(new GetItemCommand({ TableName: 'docs', Key: key, ProjectionExpression: '#o, title', ExpressionAttributeNames: { '#o': 'owner' } }));
    assert.deepEqual(Item, { owner: { S: 'bob' }, title: { S: "bob's" } });
    await expectError(as('columns').send(new GetItemCommand({ TableName: 'docs', Key: key })), 'AccessDeniedException');
    await expectError(as('columns').send(new GetItemCommand({ TableName: 'docs', Key: key, ProjectionExpression: 'title, secret' })), 'AccessDeniedException');
  });

  it('index ARNs: a grant on the indexes does not cover the table', async () => {
    const byTitle = await as('indexer').send(new QueryCommand({ TableName: 'docs', IndexName: 'byTitle', KeyConditionExpression: 'title = :t', ExpressionAttributeValues: { ':t': { S: "bob's" } } }));
    assert.equal(byTitle.Count, 1);
    await expectError(as('indexer').send(new QueryCommand({ TableName: 'docs', KeyConditionExpression: '#o = :o', ExpressionAttributeNames: { '#o': 'owner' }, ExpressionAttributeValues: { ':o': { S: 'bob' } } })),
      'AccessDeniedException', denied('indexer', 'Query', `${ARN}/docs`));
  });

  it('global condition keys: aws:SourceIp, aws:SecureTransport, aws:CurrentTime', async () => {
    await as('local').send(new ListTablesCommand({}));
    await expectError(as('remote').send(new ListTablesCommand({})), 'AccessDeniedException');
    await expectError(as('expired').send(new ListTablesCommand({})), 'AccessDeniedException');
  });

  it('dynamodb:ReturnValues and dynamodb:EnclosingOperation', async () => {
    const item = { owner: { S: 'q' }, id: { S: '1' } };
    await as('quiet').send(new PutItemCommand({ TableName: 'docs', Item: item }));
    await expectError(as('quiet').send(new PutItemCommand({ TableName: 'docs', Item: item, ReturnValues: 'ALL_OLD' })), 'AccessDeniedException', /explicit deny/);
    await expectError(as('transactor').send(new PutItemCommand({ TableName: 'docs', Item: item })), 'AccessDeniedException');
    await as('transactor').send(new TransactWriteItemsCommand({ TransactItems: [{ Put: { TableName: 'docs', Item: item } }] }));
    await as('transactor').send(new TransactGetItemsCommand({ TransactItems: [{ Get: { TableName: 'docs', Key: item } }] }));
  });

  it('PartiQL checks PartiQLSelect / PartiQLInsert, with dynamodb:LeadingKeys from the statement', async () => {
    const sql = as('sql');
    await sql.send(new ExecuteStatementCommand({ Statement: `INSERT INTO docs VALUE {'owner': 'sql', 'id': '1'}` }));
    const { Items } = await sql.send(new ExecuteStatementCommand({ Statement: 'SELECT * FROM docs WHERE "owner" = ?', Parameters: [{ S: 'sql' }] }));
    assert.equal(Items?.length, 1);
    await expectError(sql.send(new ExecuteStatementCommand({ Statement: 'SELECT * FROM docs WHERE "owner" = ?', Parameters: [{ S: 'bob' }] })),
      'AccessDeniedException', denied('sql', 'PartiQLSelect', `${ARN}/docs`));
    await expectError(sql.send(new ExecuteStatementCommand({ Statement: `INSERT INTO docs VALUE {'owner': 'bob', 'id': '9'}` })),
      'AccessDeniedException', denied('sql', 'PartiQLInsert', `${ARN}/docs`));
    await expectError(sql.send(new ExecuteStatementCommand({ Statement: `UPDATE docs SET x = 1 WHERE "owner" = 'sql' AND id = '1'` })),
      'AccessDeniedException', denied('sql', 'PartiQLUpdate', `${ARN}/docs`));
    await expectError(sql.send(new ExecuteTransactionCommand({ TransactStatements: [
      { Statement: `INSERT INTO docs VALUE {'owner': 'sql', 'id': '2'}` }, { Statement: `DELETE FROM docs WHERE "owner" = 'sql' AND id = '1'` },
    ] })), 'AccessDeniedException', denied('sql', 'PartiQLDelete', `${ARN}/docs`));
    // Nothing of the refused transaction was written.
    assert.equal((await as('admin').send(new GetItemCommand({ TableName: 'docs', Key: { owner: { S: 'sql' }, id: { S: '2' } } }))).Item, undefined);
  });

  it('backups and streams: their actions on their resources', async () => {
    const operator = as('operator');
    await operator.send(new CreateBackupCommand({ TableName: 'docs', BackupName: 'nightly' }));
    await expectError(operator.send(new ListBackupsCommand({})), 'AccessDeniedException', denied('operator', 'ListBackups', '*'));
    const streams = new DynamoDBStreamsClient({ endpoint: server.url, region: 'us-east-1', credentials: USERS.operator!, maxAttempts: 1 });
    const readerStreams = new DynamoDBStreamsClient({ endpoint: server.url, region: 'us-east-1', credentials: USERS.reader!, maxAttempts: 1 });
    try {
      assert.deepEqual((await streams.send(new ListStreamsCommand({}))).Streams, []);
      await expectError(readerStreams.send(new ListStreamsCommand({})), 'AccessDeniedException', denied('reader', 'ListStreams', '*'));
    } finally {
      streams.destroy();
      readerStreams.destroy();
    }
  });

  it('BatchWriteItem needs dynamodb:BatchWriteItem, then PutItem / DeleteItem, on each table', async () => {
    const put = { PutRequest: { Item: { owner: { S: 'b' }, id: { S: '1' } } } };
    const remove = { DeleteRequest: { Key: { owner: { S: 'b' }, id: { S: '1' } } } };
    await as('batcher').send(new BatchWriteItemCommand({ RequestItems: { docs: [put] } }));
    // PutItem is allowed only inside a batch (dynamodb:EnclosingOperation).
    await expectError(as('batcher').send(new PutItemCommand({ TableName: 'docs', Item: put.PutRequest.Item })), 'AccessDeniedException',
      denied('batcher', 'PutItem', `${ARN}/docs`));
    await expectError(as('batcher').send(new BatchWriteItemCommand({ RequestItems: { docs: [remove] } })), 'AccessDeniedException',
      denied('batcher', 'DeleteItem', `${ARN}/docs`));
    await expectError(as('batcher').send(new BatchWriteItemCommand({ RequestItems: { other: [remove] } })),
      'AccessDeniedException', denied('batcher', 'BatchWriteItem', `${ARN}/other`));
    // dynamodb:BatchWriteItem alone is not enough (AWS would allow this batch).
    await expectError(as('batchOnly').send(new BatchWriteItemCommand({ RequestItems: { docs: [put] } })), 'AccessDeniedException',
      denied('batchOnly', 'PutItem', `${ARN}/docs`));
    // A deny of DeleteItem cannot be bypassed through a batch; nothing of a refused batch is written.
    await expectError(as('keeper').send(new BatchWriteItemCommand({ RequestItems: { docs: [{ PutRequest: { Item: { owner: { S: 'k' }, id: { S: '1' } } } }, remove] } })),
      'AccessDeniedException', denied('keeper', 'DeleteItem', `${ARN}/docs`, 'with an explicit deny in an identity-based policy'));
    assert.equal((await as('admin').send(new GetItemCommand({ TableName: 'docs', Key: { owner: { S: 'k' }, id: { S: '1' } } }))).Item, undefined);
    assert.ok((await as('admin').send(new GetItemCommand({ TableName: 'docs', Key: remove.DeleteRequest.Key }))).Item);
    // LeadingKeys apply to batch writes as to PutItem.
    await expectError(as('alice').send(new BatchWriteItemCommand({ RequestItems: { docs: [put] } })), 'AccessDeniedException',
      denied('alice', 'BatchWriteItem', `${ARN}/docs`));
  });
});
