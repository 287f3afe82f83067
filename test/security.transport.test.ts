import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, readdirSync } from 'node:fs';
import { Agent } from 'node:https';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CreateTableCommand, DynamoDBClient, GetItemCommand, ListTablesCommand, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { startServer, type RunningServer } from '../src/index.js';
import { AuditLog } from '../src/server/audit/auditLog.js';
import { expectError, sdkClient } from './helpers.js';
import { writeUsersFile, type TestUser } from './security.helpers.js';

const fixture = (name: string) => new URL(`../../test/fixtures/${name}`, import.meta.url).pathname;
const CERT = fixture('tls-cert.pem');
const KEY = fixture('tls-key.pem');

const secureOnly: TestUser = { accessKeyId: 'AKIASECURE', secretAccessKey: 's', account: '111111111111', name: 'secure',
  policies: [{ Statement: [{ Effect: 'Allow', Action: 'dynamodb:ListTables', Resource: '*', Condition: { Bool: { 'aws:SecureTransport': 'true' } } }] }] };

function client(url: string, user?: TestUser): DynamoDBClient {
  if (user === undefined && url.startsWith('http:')) return sdkClient(url);
  return new DynamoDBClient({
    endpoint: url,
    region: 'us-east-1',
    credentials: user ? { accessKeyId: user.accessKeyId, secretAccessKey: user.secretAccessKey } : { accessKeyId: 'x', secretAccessKey: 'x' },
    maxAttempts: 1,
    requestHandler: { httpsAgent: new Agent({ ca: readFileSync(CERT) }) },
  });
}

describe('TLS', () => {
  it('serves HTTPS with a self-signed certificate on the main port', async () => {
    const server = await startServer({ logLevel: 'silent', tlsCert: CERT, tlsKey: KEY });
    try {
      assert.match(server.url, /^https:\/\//);
      const c = client(server.url);
      assert.deepEqual((await c.send(new ListTablesCommand({}))).TableNames, []);
      c.destroy();
      // A client that does not trust the certificate is refused by its own TLS check.
      const untrusting = sdkClient(server.url);
      await assert.rejects(untrusting.send(new ListTablesCommand({})), /self-signed|certificate/i);
      untrusting.destroy();
    } finally {
      await server.close();
    }
  });

  it('serves HTTP and HTTPS side by side with --tls-port; aws:SecureTransport tells them apart', async () => {
    const server = await startServer({ logLevel: 'silent', tlsCert: CERT, tlsKey: KEY, tlsPort: 0, auth: writeUsersFile([secureOnly]) });
    try {
      assert.match(server.url, /^http:\/\//);
      assert.match(server.tlsUrl ?? '', /^https:\/\//);
      const secure = client(server.tlsUrl!, secureOnly);
      await secure.send(new ListTablesCommand({}));
      const plain = client(server.url, secureOnly);
      await expectError(plain.send(new ListTablesCommand({})), 'AccessDeniedException');
      secure.destroy();
      plain.destroy();
    } finally {
      await server.close();
    }
  });

  it('refuses a certificate without its key', async () => {
    await assert.rejects(startServer({ logLevel: 'silent', tlsCert: CERT }), /needs both a certificate/);
  });
});

describe('connection bound', () => {
  it('serves at most maxConnections connections at once', async () => {
    const server = await startServer({ logLevel: 'silent', maxConnections: 1 });
    const { port } = server;
    const first = connect(port, '127.0.0.1');
    await new Promise((resolve) => first.once('connect', resolve));
    await new Promise((resolve) => setTimeout(resolve, 50));
    const second = connect(port, '127.0.0.1');
    const closedWithoutAnswer = await new Promise<boolean>((resolve) => {
      let answered = false;
      second.on('data', () => (answered = true));
      second.on('close', () => resolve(!answered));
      second.on('error', () => undefined);
      second.write('GET / HTTP/1.1\r\nHost: x\r\n\r\n');
    });
    assert.equal(closedWithoutAnswer, true);
    first.destroy();
    await server.close();
  });
});

describe('audit log', () => {
  let server: RunningServer;
  let file: string;
  const dir = mkdtempSync(join(tmpdir(), 'openddb-audit-'));
  const alice: TestUser = { accessKeyId: 'AKIAALICE', secretAccessKey: 'a', account: '111111111111', name: 'alice' };
  const records = () => readFileSync(file, 'utf8').trim().split('\n').map((line) => JSON.parse(line));

  before(async () => {
    file = join(dir, 'audit.log');
    server = await startServer({ logLevel: 'silent', auth: writeUsersFile([alice]), auditLog: file });
  });
  after(() => server.close());

  it('records control-plane calls in CloudTrail\'s shape, with who, what and the answer', async () => {
    const c = client(server.url, alice);
    await c.send(new CreateTableCommand({ TableName: 'audited', BillingMode: 'PAY_PER_REQUEST',
      KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }], AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }] }));
    await c.send(new PutItemCommand({ TableName: 'audited', Item: { pk: { S: 'secret-value' } } }));
    await c.send(new GetItemCommand({ TableName: 'audited', Key: { pk: { S: 'secret-value' } } }));
    const unknown = client(server.url, { ...alice, accessKeyId: 'AKIAUNKNOWN' });
    await expectError(unknown.send(new ListTablesCommand({})), 'UnrecognizedClientException');
    c.destroy();
    unknown.destroy();
    await new Promise((resolve) => setTimeout(resolve, 50));
    const [create, refused, ...rest] = records();
    assert.equal(rest.length, 0, 'data-plane calls are not audited by default');
    assert.equal(create.eventName, 'CreateTable');
    assert.equal(create.eventSource, 'dynamodb.amazonaws.com');
    assert.deepEqual(create.userIdentity, { type: 'IAMUser', principalId: 'AKIAALICE', arn: 'arn:aws:iam::111111111111:user/alice', accountId: '111111111111', accessKeyId: 'AKIAALICE', userName: 'alice' });
    assert.equal(create.requestParameters.tableName, 'audited');
    assert.equal(create.responseElements.TableDescription.TableArn, 'arn:aws:dynamodb:us-east-1:111111111111:table/audited');
    assert.equal(create.sourceIPAddress.endsWith('127.0.0.1'), true);
    assert.match(create.eventTime, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    assert.deepEqual([refused.eventName, refused.errorCode, refused.userIdentity.accessKeyId], ['ListTables', 'UnrecognizedClientException', 'AKIAUNKNOWN']);
  });

  it('records data-plane calls when asked, without item contents; rotates by size', async () => {
    const target = join(dir, 'rotating.log');
    const log = new AuditLog({ target, dataPlane: true, maxBytes: 2000 });
    const base = { caller: undefined, accessKeyId: 'k', sourceIp: '::1', userAgent: undefined, region: 'us-east-1', requestId: 'r', response: '{}', errorCode: undefined, errorMessage: undefined };
    assert.equal(log.wants('PutItem'), true);
    for (let i = 0; i < 10; i++) log.record({ ...base, operation: 'PutItem', input: { TableName: 't', Item: { pk: { S: 'secret-value' } }, ReturnValues: 'NONE' } });
    await log.close();
    const files = readdirSync(dir).filter((f) => f.startsWith('rotating.log')).sort().reverse();
    assert.ok(files.length >= 2 && files.length <= 6, files.join());
    // Every rotated file stopped growing once it passed the limit.
    for (const f of files.slice(0, -1)) assert.ok(readFileSync(join(dir, f)).length < 2000 + 1000, f);
    const text = files.map((f) => readFileSync(join(dir, f), 'utf8')).join('');
    assert.equal(text.trim().split('\n').length, 10);
    assert.equal(text.includes('secret-value'), false);
    const record = JSON.parse(text.split('\n')[0]!);
    assert.deepEqual(record.requestParameters, { tableName: 't', returnValues: 'NONE' });
    assert.equal(record.responseElements, null);
    assert.equal(new AuditLog({ target: '-', dataPlane: false }).wants('GetItem'), false);
  });
});
