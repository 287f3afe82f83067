import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  CreateTableCommand, DeleteResourcePolicyCommand, ListTablesCommand, DescribeTableCommand, GetItemCommand, GetResourcePolicyCommand, ListTagsOfResourceCommand,
  PutItemCommand, PutResourcePolicyCommand, TagResourceCommand,
} from '@aws-sdk/client-dynamodb';
import { DescribeStreamCommand, DynamoDBStreamsClient } from '@aws-sdk/client-dynamodb-streams';
import { startServer, type RunningServer } from '../src/index.js';
import { expectError } from './helpers.js';
import { readStream } from './streams.helpers.js';
import { signedClient, writeUsersFile, type TestUser } from './security.helpers.js';

const OWNER = '111111111111';
const OTHER = '222222222222';
const TABLE_ARN = `arn:aws:dynamodb:eu-west-1:${OWNER}:table/shared`;
const owner: TestUser = { accessKeyId: 'AKIAOWNER', secretAccessKey: 'o', account: OWNER, name: 'owner' };
const colleague: TestUser = { accessKeyId: 'AKIACOLLEAGUE', secretAccessKey: 'c', account: OWNER, name: 'colleague', policies: [{ Statement: [{ Effect: 'Allow', Action: 'dynamodb:ListTables', Resource: '*' }] }] };
const partner: TestUser = { accessKeyId: 'AKIAPARTNER', secretAccessKey: 'p', account: OTHER, name: 'partner',
  policies: [{ Statement: [
    { Effect: 'Allow', Action: ['dynamodb:GetItem', 'dynamodb:PutItem'], Resource: `arn:aws:dynamodb:*:${OWNER}:table/shared` },
    { Effect: 'Allow', Action: ['dynamodb:DescribeStream', 'dynamodb:GetShardIterator', 'dynamodb:GetRecords'], Resource: `arn:aws:dynamodb:*:${OWNER}:table/streamed/stream/*` },
  ] }] };
const stranger: TestUser = { accessKeyId: 'AKIASTRANGER', secretAccessKey: 's', account: OTHER, name: 'stranger' };
const KEY = { pk: { S: 'a' } };
const statement = (Effect: string, AWS: string | string[], Action: string | string[]) => ({ Effect, Principal: { AWS }, Action, Resource: TABLE_ARN });
const denied = (user: TestUser, action: string, reason: string) =>
  `User: arn:aws:iam::${user.account}:user/${user.name} is not authorized to perform: dynamodb:${action} on resource: ${TABLE_ARN} ${reason}`;

describe('resource-based policies and accounts', () => {
  let server: RunningServer;
  const clients: ReturnType<typeof signedClient>[] = [];
  const as = (user: TestUser) => {
    const client = signedClient(server.url, user, { region: 'eu-west-1' });
    clients.push(client);
    return client;
  };

  before(async () => {
    server = await startServer({ logLevel: 'silent', auth: writeUsersFile([owner, colleague, partner, stranger]) });
    await as(owner).send(new CreateTableCommand({ TableName: 'shared', BillingMode: 'PAY_PER_REQUEST',
      KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }], AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }] }));
    await as(owner).send(new PutItemCommand({ TableName: 'shared', Item: { ...KEY, v: { S: 'x' } } }));
    await as(owner).send(new CreateTableCommand({ TableName: 'streamed', BillingMode: 'PAY_PER_REQUEST',
      KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }], AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }],
      StreamSpecification: { StreamEnabled: true, StreamViewType: 'NEW_IMAGE' } }));
    await as(owner).send(new PutItemCommand({ TableName: 'streamed', Item: { ...KEY, v: { S: 'streamed' } } }));
  });
  after(async () => {
    for (const c of clients) c.destroy();
    await server.close();
  });

  it('a table carries its creator\'s account and the signature\'s region in its ARN', async () => {
    const { Table } = await as(owner).send(new DescribeTableCommand({ TableName: 'shared' }));
    assert.equal(Table?.TableArn, TABLE_ARN);
    await as(owner).send(new TagResourceCommand({ ResourceArn: TABLE_ARN, Tags: [{ Key: 'team', Value: 'a' }] }));
    assert.deepEqual((await as(owner).send(new ListTagsOfResourceCommand({ ResourceArn: TABLE_ARN }))).Tags, [{ Key: 'team', Value: 'a' }]);
  });

  it('ListTables lists the tables of the caller\'s account and region', async () => {
    assert.deepEqual((await as(owner).send(new ListTablesCommand({}))).TableNames, ['shared', 'streamed']);
    assert.deepEqual((await as(stranger).send(new ListTablesCommand({}))).TableNames, []);
    const otherRegion = signedClient(server.url, owner, { region: 'us-west-2' });
    clients.push(otherRegion);
    assert.deepEqual((await otherRegion.send(new ListTablesCommand({}))).TableNames, []);
  });

  it('without a resource policy another account is refused, even with an identity allow', async () => {
    // Another account's table is reached by its ARN: by name, a caller sees its own namespace.
    await expectError(as(stranger).send(new GetItemCommand({ TableName: 'shared', Key: KEY })), 'ResourceNotFoundException');
    await expectError(as(partner).send(new GetItemCommand({ TableName: TABLE_ARN, Key: KEY })), 'AccessDeniedException',
      denied(partner, 'GetItem', 'because no resource-based policy allows the dynamodb:GetItem action'));
    await expectError(as(stranger).send(new GetItemCommand({ TableName: TABLE_ARN, Key: KEY })), 'AccessDeniedException',
      denied(stranger, 'GetItem', 'because no identity-based policy allows the dynamodb:GetItem action'));
    await expectError(as(owner).send(new GetResourcePolicyCommand({ ResourceArn: TABLE_ARN })), 'PolicyNotFoundException',
      `Resource-based policy not found for the provided ResourceArn: ${TABLE_ARN}`);
  });

  it('a resource policy grants another account what both policies allow', async () => {
    const document = JSON.stringify({ Version: '2012-10-17', Statement: [statement('Allow', OTHER, 'dynamodb:GetItem'), statement('Allow', `arn:aws:iam::${OWNER}:user/colleague`, 'dynamodb:GetItem')] });
    const { RevisionId } = await as(owner).send(new PutResourcePolicyCommand({ ResourceArn: TABLE_ARN, Policy: document }));
    assert.match(RevisionId ?? '', /^\d+$/);
    const got = await as(owner).send(new GetResourcePolicyCommand({ ResourceArn: TABLE_ARN }));
    assert.deepEqual([got.Policy, got.RevisionId], [document, RevisionId]);

    assert.deepEqual((await as(partner).send(new GetItemCommand({ TableName: TABLE_ARN, Key: KEY }))).Item?.v, { S: 'x' });
    // The partner's own policy allows PutItem, but the table's does not.
    await expectError(as(partner).send(new PutItemCommand({ TableName: TABLE_ARN, Item: KEY })), 'AccessDeniedException',
      denied(partner, 'PutItem', 'because no resource-based policy allows the dynamodb:PutItem action'));
    // Across accounts the caller's identity policy must allow too.
    await expectError(as(stranger).send(new GetItemCommand({ TableName: TABLE_ARN, Key: KEY })), 'AccessDeniedException');
    // Within the account, the resource policy alone is enough.
    await as(colleague).send(new GetItemCommand({ TableName: 'shared', Key: KEY }));
  });

  it('an explicit deny in the resource policy wins', async () => {
    const current = (await as(owner).send(new GetResourcePolicyCommand({ ResourceArn: TABLE_ARN }))).RevisionId;
    const document = JSON.stringify({ Statement: [statement('Deny', `arn:aws:iam::${OWNER}:user/owner`, 'dynamodb:PutItem')] });
    await expectError(as(owner).send(new PutResourcePolicyCommand({ ResourceArn: TABLE_ARN, Policy: document, ExpectedRevisionId: '1' })), 'PolicyNotFoundException');
    const { RevisionId } = await as(owner).send(new PutResourcePolicyCommand({ ResourceArn: TABLE_ARN, Policy: document, ExpectedRevisionId: current }));
    assert.ok(Number(RevisionId) > Number(current));
    await expectError(as(owner).send(new PutItemCommand({ TableName: 'shared', Item: KEY })), 'AccessDeniedException',
      denied(owner, 'PutItem', 'with an explicit deny in a resource-based policy'));
    await as(owner).send(new GetItemCommand({ TableName: 'shared', Key: KEY }));

    const deleted = await as(owner).send(new DeleteResourcePolicyCommand({ ResourceArn: TABLE_ARN, ExpectedRevisionId: RevisionId }));
    assert.equal(deleted.RevisionId, RevisionId);
    await as(owner).send(new PutItemCommand({ TableName: 'shared', Item: { ...KEY, v: { S: 'y' } } }));
    // Deleting is idempotent: no policy, no error — unless a revision was expected.
    assert.equal((await as(owner).send(new DeleteResourcePolicyCommand({ ResourceArn: TABLE_ARN }))).RevisionId, undefined);
    await expectError(as(owner).send(new DeleteResourcePolicyCommand({ ResourceArn: TABLE_ARN, ExpectedRevisionId: RevisionId })), 'PolicyNotFoundException');
  });

  it('putting the same document again keeps its revision id', async () => {
    const document = JSON.stringify({ Statement: [statement('Allow', OTHER, 'dynamodb:GetItem')] });
    const first = await as(owner).send(new PutResourcePolicyCommand({ ResourceArn: TABLE_ARN, Policy: document }));
    const again = await as(owner).send(new PutResourcePolicyCommand({ ResourceArn: TABLE_ARN, Policy: document, ExpectedRevisionId: first.RevisionId }));
    assert.equal(again.RevisionId, first.RevisionId);
    const changed = await as(owner).send(new PutResourcePolicyCommand({ ResourceArn: TABLE_ARN, Policy: JSON.stringify({ Statement: [statement('Allow', OTHER, 'dynamodb:Query')] }) }));
    assert.ok(Number(changed.RevisionId) > Number(first.RevisionId));
    await as(owner).send(new DeleteResourcePolicyCommand({ ResourceArn: TABLE_ARN }));
  });

  it('refuses invalid, oversized or misaddressed policies', async () => {
    await expectError(as(owner).send(new PutResourcePolicyCommand({ ResourceArn: TABLE_ARN, Policy: '{"Statement":[{"Effect":"Allow","Action":"*"}]}' })),
      'ValidationException', /^Invalid policy document: A resource policy Statement needs a Principal or NotPrincipal$/);
    await expectError(as(owner).send(new PutResourcePolicyCommand({ ResourceArn: TABLE_ARN, Policy: 'not json' })), 'ValidationException');
    const big = JSON.stringify({ Statement: [{ ...statement('Allow', OTHER, 'dynamodb:GetItem'), Sid: 'x'.repeat(21_000) }] });
    await expectError(as(owner).send(new PutResourcePolicyCommand({ ResourceArn: TABLE_ARN, Policy: big })), 'ValidationException', /maximum allowed size/);
    await expectError(as(owner).send(new GetResourcePolicyCommand({ ResourceArn: TABLE_ARN.replace('shared', 'missing') })), 'ResourceNotFoundException');
    // Each statement's Resource must name the table the policy is attached to (or its indexes).
    const elsewhere = JSON.stringify({ Statement: [{ ...statement('Allow', OTHER, 'dynamodb:GetItem'), Resource: TABLE_ARN.replace('shared', 'other') }] });
    await expectError(as(owner).send(new PutResourcePolicyCommand({ ResourceArn: TABLE_ARN, Policy: elsewhere })), 'ValidationException',
      /^Invalid policy document: A statement's Resource must be the ARN of the resource the policy is attached to/);
    const indexes = JSON.stringify({ Statement: [{ ...statement('Allow', OTHER, 'dynamodb:Query'), Resource: [TABLE_ARN, `${TABLE_ARN}/index/byOwner`] }] });
    await as(owner).send(new PutResourcePolicyCommand({ ResourceArn: TABLE_ARN, Policy: indexes }));
  });

  it('a stream has a policy of its own, which grants another account its records', async () => {
    const streamArn = (await as(owner).send(new DescribeTableCommand({ TableName: 'streamed' }))).Table!.LatestStreamArn!;
    const partnerStreams = new DynamoDBStreamsClient({ endpoint: server.url, region: 'eu-west-1', credentials: partner, maxAttempts: 1 });
    try {
      const deniedOnStream = (action: string, reason: string) =>
        `User: arn:aws:iam::${OTHER}:user/partner is not authorized to perform: dynamodb:${action} on resource: ${streamArn} ${reason}`;
      await expectError(partnerStreams.send(new DescribeStreamCommand({ StreamArn: streamArn })), 'AccessDeniedException',
        deniedOnStream('DescribeStream', 'because no resource-based policy allows the dynamodb:DescribeStream action'));
      await expectError(as(owner).send(new GetResourcePolicyCommand({ ResourceArn: streamArn })), 'PolicyNotFoundException');

      // A stream's policy names the stream; the table's ARN (or an index's) is refused there.
      const onTable = JSON.stringify({ Statement: [{ Effect: 'Allow', Principal: { AWS: OTHER }, Action: 'dynamodb:GetRecords', Resource: TABLE_ARN.replace('shared', 'streamed') }] });
      await expectError(as(owner).send(new PutResourcePolicyCommand({ ResourceArn: streamArn, Policy: onTable })), 'ValidationException',
        /^Invalid policy document: A statement's Resource must be the ARN of the resource the policy is attached to/);
      await expectError(as(owner).send(new PutResourcePolicyCommand({ ResourceArn: `${streamArn.replace(/\/stream\/.*$/, '')}/stream/2000-01-01T00:00:00.000`, Policy: onTable })),
        'ResourceNotFoundException');

      const document = JSON.stringify({ Statement: [{ Effect: 'Allow', Principal: { AWS: OTHER },
        Action: ['dynamodb:DescribeStream', 'dynamodb:GetShardIterator', 'dynamodb:GetRecords'], Resource: streamArn }] });
      const { RevisionId } = await as(owner).send(new PutResourcePolicyCommand({ ResourceArn: streamArn, Policy: document }));
      const got = await as(owner).send(new GetResourcePolicyCommand({ ResourceArn: streamArn }));
      assert.deepEqual([got.Policy, got.RevisionId], [document, RevisionId]);
      // The table's own policy is untouched by the stream's.
      await expectError(as(owner).send(new GetResourcePolicyCommand({ ResourceArn: TABLE_ARN.replace('shared', 'streamed') })), 'PolicyNotFoundException');

      // readStream: DescribeStream, GetShardIterator and GetRecords, as the partner.
      const records = await readStream(partnerStreams, streamArn);
      assert.deepEqual(records.map((r) => r.dynamodb?.NewImage?.v), [{ S: 'streamed' }]);
      // The stream's policy grants nothing on the table.
      await expectError(as(partner).send(new GetItemCommand({ TableName: TABLE_ARN.replace('shared', 'streamed'), Key: KEY })), 'AccessDeniedException');

      await expectError(as(owner).send(new DeleteResourcePolicyCommand({ ResourceArn: streamArn, ExpectedRevisionId: '1' })), 'PolicyNotFoundException');
      assert.equal((await as(owner).send(new DeleteResourcePolicyCommand({ ResourceArn: streamArn, ExpectedRevisionId: RevisionId }))).RevisionId, RevisionId);
      await expectError(partnerStreams.send(new DescribeStreamCommand({ StreamArn: streamArn })), 'AccessDeniedException');
    } finally {
      partnerStreams.destroy();
    }
  });
});
