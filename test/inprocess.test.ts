import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { DynamoDBClient, GetItemCommand, ListTablesCommand, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { startInProcess, startServer } from '../src/index.js';
import { createTable, expectError } from './helpers.js';
import { writeUsersFile } from './security.helpers.js';

const ARN = 'arn:aws:dynamodb:us-east-1:111111111111:table';

describe('In-process mode', () => {
  it('serves the SDK clients without a socket', async () => {
    const db = await startInProcess({ logLevel: 'silent' });
    try {
      assert.equal(db.url, 'http://openddb.in-process');
      await createTable(db.client, 'books', ['id', 'S']);
      await db.documentClient.send(new PutCommand({ TableName: 'books', Item: { id: 'b1', title: 'Dune' } }));
      const { Item } = await db.documentClient.send(new GetCommand({ TableName: 'books', Key: { id: 'b1' } }));
      assert.deepEqual(Item, { id: 'b1', title: 'Dune' });
      // Nothing listens at the URL the clients name.
      await assert.rejects(fetch(db.url, { signal: AbortSignal.timeout(5000) }));
    } finally {
      await db.close();
    }
  });

  it('validates shapes and answers errors in the same envelope as HTTP', async () => {
    const db = await startInProcess({ logLevel: 'silent' });
    try {
      await expectError(db.client.send(new GetItemCommand({ TableName: 'missing', Key: { id: { S: 'x' } } })), 'ResourceNotFoundException');
      await expectError(db.client.send(new PutItemCommand({ TableName: 'x', Item: {} as never })), 'ValidationException');
      const headers = {
        'content-type': 'application/x-amz-json-1.0', 'x-amz-target': 'DynamoDB_20120810.ListTables',
        authorization: 'AWS4-HMAC-SHA256 Credential=a/20260101/us-east-1/dynamodb/aws4_request, SignedHeaders=host, Signature=00', 'x-amz-date': '20260101T000000Z',
      };
      const bad = await db.requestHandler.handle({ method: 'POST', path: '/', headers, body: '{not json' });
      assert.equal(bad.response.statusCode, 400);
      assert.match(Buffer.from(bad.response.body).toString(), /SerializationException/);
      const unknown = await db.requestHandler.handle({ method: 'POST', path: '/', headers: { ...headers, 'x-amz-target': 'DynamoDB_20120810.Nope' }, body: '{}' });
      assert.match(Buffer.from(unknown.response.body).toString(), /UnknownOperationException/);
      const unsigned = await db.requestHandler.handle({ method: 'POST', path: '/', headers: { 'x-amz-target': 'DynamoDB_20120810.ListTables', 'content-type': 'application/x-amz-json-1.0' }, body: '{}' });
      assert.match(Buffer.from(unsigned.response.body).toString(), /MissingAuthenticationTokenException/);
    } finally {
      await db.close();
    }
  });

  it('verifies signatures and authorizes under auth, as the HTTP front does', async () => {
    const reader = { accessKeyId: 'AKIAREADER', secretAccessKey: 'reader-secret', account: '111111111111', name: 'reader',
      policies: [{ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'dynamodb:ListTables', Resource: '*' }] }] };
    const db = await startInProcess({ logLevel: 'silent', auth: writeUsersFile([reader]) });
    const clientOf = (secretAccessKey: string) => new DynamoDBClient({
      endpoint: db.url, region: 'us-east-1', maxAttempts: 1, requestHandler: db.requestHandler,
      credentials: { accessKeyId: reader.accessKeyId, secretAccessKey },
    });
    const good = clientOf(reader.secretAccessKey);
    const forged = clientOf('wrong');
    try {
      assert.deepEqual((await good.send(new ListTablesCommand({}))).TableNames, []);
      await expectError(forged.send(new ListTablesCommand({})), 'InvalidSignatureException');
      await expectError(good.send(new GetItemCommand({ TableName: 'docs', Key: { id: { S: 'x' } } })), 'AccessDeniedException',
        `User: arn:aws:iam::111111111111:user/reader is not authorized to perform: dynamodb:GetItem on resource: ${ARN}/docs because no identity-based policy allows the dynamodb:GetItem action`);
      // The SDK's own unsigned-credentials client (the ready-made one) is refused too.
      await expectError(db.client.send(new ListTablesCommand({})), 'UnrecognizedClientException');
    } finally {
      good.destroy();
      forged.destroy();
      await db.close();
    }
  });

  it('exposes the in-process handler of a listening server too', async () => {
    const server = await startServer({ logLevel: 'silent' });
    const client = new DynamoDBClient({ endpoint: server.url, region: 'us-east-1', maxAttempts: 1, requestHandler: server.requestHandler, credentials: { accessKeyId: 'a', secretAccessKey: 'b' } });
    const http = new DynamoDBClient({ endpoint: server.url, region: 'us-east-1', maxAttempts: 1, credentials: { accessKeyId: 'a', secretAccessKey: 'b' } });
    try {
      await createTable(client, 'shared', ['id', 'S']);
      assert.deepEqual((await http.send(new ListTablesCommand({}))).TableNames, ['shared']);
    } finally {
      client.destroy();
      http.destroy();
      await server.close();
    }
  });
});
