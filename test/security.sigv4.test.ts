import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { GetItemCommand, ListTablesCommand, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { startServer, type RunningServer } from '../src/index.js';
import { createTable, expectError } from './helpers.js';
import { dynamoRequest, errorName, send, signedClient, signer, writeUsersFile, type TestUser } from './security.helpers.js';

const alice: TestUser = { accessKeyId: 'AKIAALICE', secretAccessKey: 'alice-secret', account: '111111111111', name: 'alice' };
const bob: TestUser = { accessKeyId: 'ASIABOB', secretAccessKey: 'bob-secret', account: '111111111111', name: 'bob', sessionToken: 'bob-session-token' };
const MISMATCH = 'The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.';
const INVALID_TOKEN = 'The security token included in the request is invalid.';

describe('SigV4 authentication (--auth)', () => {
  let server: RunningServer;
  let usersFile: string;

  before(async () => {
    usersFile = writeUsersFile([alice, bob]);
    server = await startServer({ logLevel: 'silent', auth: usersFile });
    const client = signedClient(server.url, alice);
    await createTable(client, 'items', ['pk', 'S']);
    client.destroy();
  });
  after(() => server.close());

  it('serves requests the SDK signs with a known key and its secret', async () => {
    const client = signedClient(server.url, alice);
    await client.send(new PutItemCommand({ TableName: 'items', Item: { pk: { S: 'a' }, v: { N: '1' } } }));
    const { Item } = await client.send(new GetItemCommand({ TableName: 'items', Key: { pk: { S: 'a' } } }));
    assert.deepEqual(Item, { pk: { S: 'a' }, v: { N: '1' } });
    client.destroy();
  });

  it('refuses a wrong secret and an unknown key', async () => {
    const wrong = signedClient(server.url, { ...alice, secretAccessKey: 'not-the-secret' });
    await expectError(wrong.send(new ListTablesCommand({})), 'InvalidSignatureException', MISMATCH);
    const unknown = signedClient(server.url, { accessKeyId: 'AKIANOBODY', secretAccessKey: 'x' });
    await expectError(unknown.send(new ListTablesCommand({})), 'UnrecognizedClientException', INVALID_TOKEN);
    wrong.destroy();
    unknown.destroy();
  });

  it('needs the session token of a temporary key, and only that token', async () => {
    const withToken = signedClient(server.url, bob);
    assert.deepEqual((await withToken.send(new ListTablesCommand({}))).TableNames, ['items']);
    const without = signedClient(server.url, { ...bob, sessionToken: undefined });
    await expectError(without.send(new ListTablesCommand({})), 'UnrecognizedClientException', INVALID_TOKEN);
    const otherToken = signedClient(server.url, { ...bob, sessionToken: 'bob-session-tokex' });
    await expectError(otherToken.send(new ListTablesCommand({})), 'UnrecognizedClientException', INVALID_TOKEN);
    const aliceWithToken = signedClient(server.url, { ...alice, sessionToken: 'anything' });
    await expectError(aliceWithToken.send(new ListTablesCommand({})), 'UnrecognizedClientException', INVALID_TOKEN);
    for (const c of [withToken, without, otherToken, aliceWithToken]) c.destroy();
  });

  it('refuses clocks more than 5 minutes off, and accepts smaller skews', async () => {
    const late = signedClient(server.url, alice, { systemClockOffset: -6 * 60_000 });
    await expectError(late.send(new ListTablesCommand({})), 'InvalidSignatureException',
      /^Signature expired: \d{8}T\d{6}Z is now earlier than \d{8}T\d{6}Z \(\d{8}T\d{6}Z - 5 min\.\)$/);
    const early = signedClient(server.url, alice, { systemClockOffset: 6 * 60_000 });
    await expectError(early.send(new ListTablesCommand({})), 'InvalidSignatureException',
      /^Signature not yet current: \d{8}T\d{6}Z is still later than \d{8}T\d{6}Z \(\d{8}T\d{6}Z \+ 5 min\.\)$/);
    const close = signedClient(server.url, alice, { systemClockOffset: 4 * 60_000 });
    await close.send(new ListTablesCommand({}));
    for (const c of [late, early, close]) c.destroy();
  });

  it('checks the request time against the server clock', async () => {
    server.clock.set(Date.now() + 60 * 60_000);
    try {
      const client = signedClient(server.url, alice);
      await expectError(client.send(new ListTablesCommand({})), 'InvalidSignatureException', /^Signature expired: /);
      client.destroy();
    } finally {
      server.clock.set(Date.now());
    }
  });

  it('refuses a tampered body, header or date', async () => {
    const signed = await signer(alice).sign(dynamoRequest(server.url, 'GetItem', { TableName: 'items', Key: { pk: { S: 'a' } } }));
    assert.equal((await send(signed)).status, 200);
    const body = await send({ ...signed, body: String(signed.body).replace('"a"', '"b"') });
    assert.deepEqual([body.status, errorName(body.json), body.json.message], [400, 'InvalidSignatureException', MISMATCH]);
    const header = await send({ ...signed, headers: { ...signed.headers, 'x-amz-target': 'DynamoDB_20120810.DeleteItem' } });
    assert.deepEqual([errorName(header.json), header.json.message], ['InvalidSignatureException', MISMATCH]);
    const date = signed.headers['x-amz-date']!;
    const laterDate = date.slice(0, 13) + String((Number(date.slice(13, 15)) + 1) % 60).padStart(2, '0') + 'Z';
    const dated = await send({ ...signed, headers: { ...signed.headers, 'x-amz-date': laterDate } });
    assert.deepEqual([errorName(dated.json), dated.json.message], ['InvalidSignatureException', MISMATCH]);
  });

  it('reads each Authorization header whole, also one that starts as the last one did', async () => {
    const signed = await signer(alice).sign(dynamoRequest(server.url, 'GetItem', { TableName: 'items', Key: { pk: { S: 'a' } } }));
    const auth = signed.headers['authorization']!;
    const at = auth.lastIndexOf('Signature=') + 'Signature='.length;
    const signature = auth.slice(at);
    const withAuthorization = (value: string) => send({ ...signed, headers: { ...signed.headers, authorization: value } });
    assert.equal((await withAuthorization(auth)).status, 200);
    // The same start, another signature: refused.
    const wrong = await withAuthorization(auth.slice(0, at) + signature.replace(/^./, (c) => (c === '0' ? '1' : '0')));
    assert.deepEqual([wrong.status, errorName(wrong.json)], [400, 'InvalidSignatureException']);
    // The same start, then more parts: the last Signature counts, and a later SignedHeaders.
    assert.equal((await withAuthorization(`${auth.slice(0, at)}0000, Signature=${signature}`)).status, 200);
    const resigned = await withAuthorization(`${auth}, SignedHeaders=host`);
    assert.deepEqual([resigned.status, errorName(resigned.json)], [400, 'InvalidSignatureException']);
    // Blanks around the signature are trimmed either way.
    assert.equal((await withAuthorization(`${auth} `)).status, 200);
    assert.equal((await withAuthorization(auth)).status, 200);
  });

  it('takes x-amz-content-sha256: a declared hash must match the body; UNSIGNED-PAYLOAD leaves it out', async () => {
    const request = dynamoRequest(server.url, 'GetItem', { TableName: 'items', Key: { pk: { S: 'a' } } });
    const unsigned = await signer(alice).sign({ ...request, headers: { ...request.headers, 'x-amz-content-sha256': 'UNSIGNED-PAYLOAD' } });
    assert.equal((await send(unsigned)).status, 200);
    assert.equal((await send({ ...unsigned, body: String(unsigned.body).replace('"a"', '"b"') })).status, 200);
    const wrongHash = await signer(alice).sign({ ...request, headers: { ...request.headers, 'x-amz-content-sha256': '0'.repeat(64) } });
    assert.equal(errorName((await send(wrongHash)).json), 'InvalidSignatureException');
  });

  it('checks the credential scope: service, terminator, date', async () => {
    const request = dynamoRequest(server.url, 'ListTables', {});
    const otherService = await signer(alice).sign(request, { signingService: 's3' });
    const r1 = await send(otherService);
    assert.deepEqual([errorName(r1.json), r1.json.message], ['InvalidSignatureException', "Credential should be scoped to correct service: 'dynamodb'. "]);
    const signed = await signer(alice).sign(request);
    const badScope = signed.headers.authorization!.replace(/Credential=([^/]+)\/(\d{8})/, (_, key) => `Credential=${key}/20200101`);
    const r2 = await send({ ...signed, headers: { ...signed.headers, authorization: badScope } });
    assert.equal(errorName(r2.json), 'InvalidSignatureException');
    assert.match(r2.json.message, /^Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: '20200101' != '\d{8}', from '\d{8}T\d{6}Z'\.$/);
    const short = signed.headers.authorization!.replace(/Credential=[^,]+/, 'Credential=AKIAALICE/20200101');
    const r3 = await send({ ...signed, headers: { ...signed.headers, authorization: short } });
    assert.deepEqual([errorName(r3.json), r3.json.message], ['IncompleteSignatureException',
      "Credential must have exactly 5 slash-delimited elements, e.g. keyid/date/region/service/term, got 'AKIAALICE/20200101'"]);
  });

  it('takes presigned query-string requests, and refuses them once expired or tampered', async () => {
    const request = dynamoRequest(server.url, 'GetItem', { TableName: 'items', Key: { pk: { S: 'a' } } });
    const presigned = await signer(alice).presign(request, { expiresIn: 60 });
    assert.equal(presigned.headers.authorization, undefined);
    const ok = await send(presigned);
    assert.deepEqual([ok.status, ok.json.Item], [200, { pk: { S: 'a' }, v: { N: '1' } }]);
    const tampered = await send({ ...presigned, body: String(presigned.body).replace('"a"', '"b"') });
    assert.equal(errorName(tampered.json), 'InvalidSignatureException');
    const old = await signer(alice).presign(request, { expiresIn: 60, signingDate: new Date(Date.now() - 120_000) });
    const expired = await send(old);
    assert.deepEqual([errorName(expired.json), /^Signature expired: /.test(expired.json.message)], ['InvalidSignatureException', true]);
  });

  it('answers fuzzed Authorization headers with a 400, and keeps serving', async () => {
    const base = await signer(alice).sign(dynamoRequest(server.url, 'ListTables', {}));
    const auth = base.headers.authorization!;
    let seed = 7;
    const random = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    const alphabet = 'AWS4-HMAC-SHA256 Credential=/,;=Signature SignedHeaders 0123456789abcdef\u00e9\u0000%';
    for (let i = 0; i < 300; i++) {
      let mutated = auth;
      const cuts = 1 + Math.floor(random() * 4);
      for (let c = 0; c < cuts; c++) {
        const at = Math.floor(random() * mutated.length);
        const kind = random();
        const ch = alphabet[Math.floor(random() * alphabet.length)]!;
        mutated = kind < 0.4 ? mutated.slice(0, at) + mutated.slice(at + 1 + Math.floor(random() * 20))
          : kind < 0.8 ? mutated.slice(0, at) + ch + mutated.slice(at)
          : mutated.slice(0, at);
      }
      mutated = mutated.replace(/[\u0000-\u001f\u007f-\uffff]/g, '');
      const res = await send({ ...base, headers: { ...base.headers, authorization: mutated } });
      assert.equal(res.status, mutated === auth ? 200 : 400, `Authorization: ${mutated} -> ${JSON.stringify(res.json)}`);
    }
    assert.equal((await send(base)).status, 200);
  });

  it('answers fuzzed presigned query strings with a 400, and keeps serving', async () => {
    const presigned = await signer(alice).presign(dynamoRequest(server.url, 'ListTables', {}), { expiresIn: 60 });
    const query = presigned.query as Record<string, string>;
    let seed = 11;
    const random = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    const names = Object.keys(query).filter((name) => name !== 'x-amz-target');
    for (let i = 0; i < 200; i++) {
      const mutated = { ...query };
      const name = names[Math.floor(random() * names.length)]!;
      const kind = random();
      if (kind < 0.3) delete mutated[name];
      else if (kind < 0.6) mutated[name] = mutated[name]!.slice(0, Math.floor(random() * mutated[name]!.length));
      else mutated[name] = mutated[name]! + '/%zz\u00e9'.slice(0, 1 + Math.floor(random() * 5));
      const res = await send({ ...presigned, query: mutated });
      assert.equal(res.status, 400, `${JSON.stringify(mutated)} -> ${JSON.stringify(res.json)}`);
      assert.ok(['IncompleteSignatureException', 'InvalidSignatureException', 'UnrecognizedClientException', 'MissingAuthenticationTokenException',
        // Without its signature the request is not presigned, so its X-Amz-Target (in the query) is not read.
        'UnknownOperationException'].includes(errorName(res.json)!), JSON.stringify(res.json));
    }
    assert.equal((await send(presigned)).status, 200);
  });

  it('reloads the users file, keeping the old users when the new file is invalid', async () => {
    const carol: TestUser = { accessKeyId: 'AKIACAROL', secretAccessKey: 'carol-secret', account: '222222222222', name: 'carol' };
    const client = signedClient(server.url, carol);
    await expectError(client.send(new ListTablesCommand({})), 'UnrecognizedClientException');
    writeFileSync(usersFile, JSON.stringify({ users: [alice, bob, carol] }));
    server.reloadAuth();
    await client.send(new ListTablesCommand({}));
    writeFileSync(usersFile, '{ "users": [ { "accessKeyId": "x" } ] }');
    assert.throws(() => server.reloadAuth(), /users\[0\]\.account must be a non-empty string/);
    await client.send(new ListTablesCommand({}));
    client.destroy();
  });

  it('refuses to start with an invalid users file or policy', async () => {
    const file = writeUsersFile([{ ...alice, policies: [{ Statement: [{ Effect: 'Allow', Action: 'dynamodb:*' }] }] }]);
    await assert.rejects(startServer({ logLevel: 'silent', auth: file }), /users\[0\]\.policies: A Statement needs a Resource or NotResource/);
  });
});

describe('SigV4 signing keys', () => {
  it('sign ASCII texts as HMAC-SHA256 does, short and long, again and again', async () => {
    const { createHmac } = await import('node:crypto');
    const { signingKey } = await import('../src/server/auth/signingKeys.js');
    const key = signingKey('secret', '20261205', 'us-east-1', 'dynamodb');
    const raw = createHmac('sha256', createHmac('sha256', createHmac('sha256', createHmac('sha256', 'AWS4secret').update('20261205').digest())
      .update('us-east-1').digest()).update('dynamodb').digest()).update('aws4_request').digest();
    const texts = ['', 'AWS4-HMAC-SHA256\n20261205T000000Z\n20261205/us-east-1/dynamodb/aws4_request\n' + 'ab'.repeat(32),
      'x'.repeat(1000), 'short', 'y'.repeat(200), 'x'.repeat(63)];
    for (const text of [...texts, ...texts]) assert.equal(key.hmacHexOfAscii(text), createHmac('sha256', raw).update(text, 'utf8').digest('hex'), text);
  });
});
