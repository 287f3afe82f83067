/**
 * Repeated requests of one caller: an allowed decision is remembered (decisionCache.ts),
 * so these check that everything it rests on is looked at again on the next request —
 * resource policies, row-level and time conditions, the index asked for, and a reload of
 * the users file.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import {
  CreateTableCommand, DeleteResourcePolicyCommand, GetItemCommand, PutResourcePolicyCommand, QueryCommand, type DynamoDBClient,
} from '@aws-sdk/client-dynamodb';
import { startServer, type RunningServer } from '../src/index.js';
import { expectError } from './helpers.js';
import { controlRequest, send, signedClient, signer, writeUsersFile, type TestUser } from './security.helpers.js';

const ACCOUNT = '111111111111';
const TABLES = `arn:aws:dynamodb:us-east-1:${ACCOUNT}:table`;
const DOCS_ARN = `${TABLES}/docs`;
const allow = (Action: string | string[], Resource: string | string[], Condition?: object) => ({ Effect: 'Allow', Action, Resource, ...(Condition && { Condition }) });
const user = (name: string, statements: object[]): TestUser => ({
  accessKeyId: `AKIA${name.toUpperCase()}`, secretAccessKey: `${name}-secret`, account: ACCOUNT, name, policies: [{ Version: '2012-10-17', Statement: statements }],
});

const admin: TestUser = { accessKeyId: 'AKIAADMIN', secretAccessKey: 'admin-secret', account: ACCOUNT, name: 'admin' };
const reader = user('reader', [allow(['dynamodb:GetItem', 'dynamodb:Query'], `${TABLES}/*`)]);
const owner = user('owner', [allow('dynamodb:GetItem', DOCS_ARN, { 'ForAllValues:StringEquals': { 'dynamodb:LeadingKeys': ['${aws:username}'] } })]);
const indexOnly = user('indexonly', [allow('dynamodb:Query', `${DOCS_ARN}/index/*`)]);
const deadline = new Date(Date.now() + 2 * 60_000).toISOString().replace(/\.\d{3}Z$/, 'Z');
const timed = user('timed', [allow('dynamodb:GetItem', DOCS_ARN, { DateLessThan: { 'aws:CurrentTime': deadline } }), allow('openddb:*', '*')]);
const USERS = [admin, reader, owner, indexOnly, timed];

describe('authorization of a caller\'s repeated requests', () => {
  let server: RunningServer;
  let usersFile: string;
  const clients = new Map<TestUser, DynamoDBClient>();
  const as = (u: TestUser) => {
    if (!clients.has(u)) clients.set(u, signedClient(server.url, u));
    return clients.get(u)!;
  };
  const get = (u: TestUser, pk: string) => as(u).send(new GetItemCommand({ TableName: 'docs', Key: { pk: { S: pk } } }));

  before(async () => {
    usersFile = writeUsersFile(USERS);
    server = await startServer({ logLevel: 'silent', auth: usersFile });
    await as(admin).send(new CreateTableCommand({ TableName: 'docs', BillingMode: 'PAY_PER_REQUEST',
      KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
      AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }, { AttributeName: 'g', AttributeType: 'S' }],
      GlobalSecondaryIndexes: [{ IndexName: 'byG', KeySchema: [{ AttributeName: 'g', KeyType: 'HASH' }], Projection: { ProjectionType: 'ALL' } }] }));
  });
  after(async () => {
    for (const client of clients.values()) client.destroy();
    await server.close();
  });

  it('a resource policy put after an allowed request governs the next one, and its removal too', async () => {
    await get(reader, 'a');
    await get(reader, 'a');
    const Policy = JSON.stringify({ Statement: [{ Effect: 'Deny', Principal: { AWS: `arn:aws:iam::${ACCOUNT}:user/reader` }, Action: 'dynamodb:GetItem', Resource: DOCS_ARN }] });
    const { RevisionId } = await as(admin).send(new PutResourcePolicyCommand({ ResourceArn: DOCS_ARN, Policy }));
    await expectError(get(reader, 'a'), 'AccessDeniedException',
      `User: arn:aws:iam::${ACCOUNT}:user/reader is not authorized to perform: dynamodb:GetItem on resource: ${DOCS_ARN} with an explicit deny in a resource-based policy`);
    await as(admin).send(new DeleteResourcePolicyCommand({ ResourceArn: DOCS_ARN, ExpectedRevisionId: RevisionId }));
    await get(reader, 'a');
  });

  it('row-level conditions are evaluated on every request', async () => {
    await get(owner, 'owner');
    await get(owner, 'owner');
    await expectError(get(owner, 'someone-else'), 'AccessDeniedException');
    await get(owner, 'owner');
  });

  it('an allowed query of an index does not allow a query of the table', async () => {
    const query = (IndexName?: string) => as(indexOnly).send(new QueryCommand({ TableName: 'docs', ...(IndexName && { IndexName }),
      KeyConditionExpression: IndexName ? 'g = :v' : 'pk = :v', ExpressionAttributeValues: { ':v': { S: 'x' } } }));
    await query('byG');
    await query('byG');
    await expectError(query(), 'AccessDeniedException',
      `User: arn:aws:iam::${ACCOUNT}:user/indexonly is not authorized to perform: dynamodb:Query on resource: ${DOCS_ARN} because no identity-based policy allows the dynamodb:Query action`);
  });

  it('time conditions are evaluated on every request', async () => {
    await get(timed, 'a');
    await get(timed, 'a');
    // Past the deadline, still within the signatures' 5 minutes of skew.
    const advanced = await send(await signer(timed).sign(controlRequest(server.url, '/openddb/clock', { advance: 4 * 60_000 })));
    assert.equal(advanced.status, 200);
    try {
      await expectError(get(timed, 'a'), 'AccessDeniedException');
    } finally {
      await send(await signer(admin).sign(controlRequest(server.url, '/openddb/clock', { reset: true })));
    }
    await get(timed, 'a');
  });

  it('a reload of the users file governs the next request', async () => {
    await get(reader, 'b');
    const narrowed = user('reader', [allow('dynamodb:Query', `${TABLES}/*`)]);
    writeFileSync(usersFile, JSON.stringify({ users: USERS.map((u) => (u === reader ? narrowed : u)) }));
    server.reloadAuth();
    try {
      await expectError(get(reader, 'b'), 'AccessDeniedException');
    } finally {
      writeFileSync(usersFile, JSON.stringify({ users: USERS }));
      server.reloadAuth();
    }
    await get(reader, 'b');
  });
});
