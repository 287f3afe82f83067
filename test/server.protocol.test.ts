/** The wire protocol, exercised with raw HTTP: framing, errors, headers, limits. */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { connect } from 'node:net';
import { gzipSync, crc32 } from 'node:zlib';
import { rawRequest, startTestServer, type TestContext } from './helpers.js';

describe('wire protocol', () => {
  let t: TestContext;
  before(async () => {
    t = await startTestServer({ cors: '*' });
  });
  after(() => t.close());

  it('answers a well-formed request with request id and CRC32 of the body', async () => {
    const res = await rawRequest(t.server.url, 'ListTables', '{}');
    assert.equal(res.status, 200);
    assert.equal(res.headers.get('content-type'), 'application/x-amz-json-1.0');
    assert.match(res.headers.get('x-amzn-requestid') ?? '', /^[A-Z0-9]{52}$/);
    assert.equal(res.headers.get('x-amz-crc32'), String(crc32(Buffer.from(res.text))));
    assert.deepEqual(res.json, { TableNames: [] });
  });

  it('accepts application/x-amz-json-1.1', async () => {
    const res = await rawRequest(t.server.url, 'ListTables', '{}', { 'Content-Type': 'application/x-amz-json-1.1' });
    assert.equal(res.status, 200);
  });

  it('puts request id and CRC32 on errors too', async () => {
    const res = await rawRequest(t.server.url, 'DescribeTable', '{"TableName":"missing"}');
    assert.equal(res.status, 400);
    assert.equal(res.headers.get('x-amz-crc32'), String(crc32(Buffer.from(res.text))));
    assert.ok(res.headers.get('x-amzn-requestid'));
    assert.deepEqual(res.json, {
      __type: 'com.amazonaws.dynamodb.v20120810#ResourceNotFoundException',
      message: 'Requested resource not found: Table: missing not found',
    });
  });

  it('rejects malformed JSON with SerializationException', async () => {
    const res = await rawRequest(t.server.url, 'ListTables', '{"Limit": ');
    assert.equal(res.status, 400);
    assert.equal(res.json.__type, 'com.amazon.coral.service#SerializationException');
  });

  it('rejects a JSON body that is not an object', async () => {
    for (const body of ['[]', '"x"', '42', 'null']) {
      const res = await rawRequest(t.server.url, 'ListTables', body);
      assert.equal(res.status, 400, body);
      assert.equal(res.json.__type, 'com.amazon.coral.service#SerializationException', body);
    }
  });

  it('rejects unknown operations and a missing target', async () => {
    let res = await rawRequest(t.server.url, 'FlyToTheMoon', '{}');
    assert.equal(res.status, 400);
    assert.equal(res.json.__type, 'com.amazon.coral.service#UnknownOperationException');
    res = await rawRequest(t.server.url, undefined, '{}');
    assert.equal(res.json.__type, 'com.amazon.coral.service#UnknownOperationException');
  });

  it('requires an Authorization header', async () => {
    const res = await fetch(t.server.url, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-amz-json-1.0', 'X-Amz-Target': 'DynamoDB_20120810.ListTables' },
      body: '{}',
    });
    const json = await res.json();
    assert.equal(res.status, 400);
    assert.deepEqual(json, {
      __type: 'com.amazon.coral.service#MissingAuthenticationTokenException',
      message: 'Request is missing Authentication Token',
    });
  });

  it('rejects a malformed Authorization header with IncompleteSignatureException', async () => {
    const res = await rawRequest(t.server.url, 'ListTables', '{}', { Authorization: 'AWS4-HMAC-SHA256 Credential=abc', 'X-Amz-Date': '' });
    assert.equal(res.status, 400);
    assert.equal(res.json.__type, 'com.amazon.coral.service#IncompleteSignatureException');
    assert.equal(
      res.json.message,
      "Authorization header requires 'Signature' parameter. Authorization header requires 'SignedHeaders' parameter. Authorization=AWS4-HMAC-SHA256 Credential=abc",
    );
  });

  it('accepts gzip-compressed request bodies', async () => {
    const body = gzipSync(Buffer.from('{"Limit": 5}'));
    const res = await rawRequest(t.server.url, 'ListTables', body, { 'Content-Encoding': 'gzip' });
    assert.equal(res.status, 200);
    assert.deepEqual(res.json, { TableNames: [] });
  });

  it('refuses bodies over 16 MB with 413', async () => {
    const body = Buffer.alloc(16 * 1024 * 1024 + 10, 0x20);
    const res = await rawRequest(t.server.url, 'ListTables', body);
    assert.equal(res.status, 413);
    assert.equal(res.json.__type, 'com.amazon.coral.service#RequestEntityTooLargeException');
  });

  it('answers GET / as a health check', async () => {
    const res = await fetch(t.server.url + '/');
    assert.equal(res.status, 200);
    assert.match(await res.text(), /healthy/);
  });

  it('answers CORS preflight when CORS is on', async () => {
    const res = await fetch(t.server.url, {
      method: 'OPTIONS',
      headers: { Origin: 'http://example.test', 'Access-Control-Request-Method': 'POST', 'Access-Control-Request-Headers': 'x-amz-target' },
    });
    assert.equal(res.status, 200);
    assert.equal(res.headers.get('access-control-allow-origin'), '*');
    assert.match(res.headers.get('access-control-allow-headers') ?? '', /x-amz-target/);
  });

  it('validates request structure before table existence', async () => {
    const res = await rawRequest(t.server.url, 'DescribeTable', '{"TableName":"x"}');
    assert.equal(res.json.__type, 'com.amazon.coral.validate#ValidationException');
    assert.equal(
      res.json.message,
      "1 validation error detected: Value 'x' at 'tableName' failed to satisfy constraint: Member must have length greater than or equal to 3",
    );
  });

  it('keeps serving after bad requests', async () => {
    for (let i = 0; i < 20; i++) await rawRequest(t.server.url, 'PutItem', '{"TableName":{"S":1},"Item":[1,2]}');
    const res = await rawRequest(t.server.url, 'ListTables', '{}');
    assert.equal(res.status, 200);
  });

  it('answers pipelined requests on one connection in order, reads and writes mixed', async () => {
    const url = new URL(t.server.url);
    const request = (target: string, body: object) => {
      const text = JSON.stringify(body);
      return `POST / HTTP/1.1\r\nHost: ${url.host}\r\nContent-Type: application/x-amz-json-1.0\r\n` +
        `X-Amz-Target: DynamoDB_20120810.${target}\r\nX-Amz-Date: 20260101T000000Z\r\n` +
        'Authorization: AWS4-HMAC-SHA256 Credential=test/20260101/us-east-1/dynamodb/aws4_request, SignedHeaders=host, Signature=abc\r\n' +
        `Content-Length: ${Buffer.byteLength(text)}\r\n\r\n${text}`;
    };
    await rawRequest(t.server.url, 'CreateTable', JSON.stringify({
      TableName: 'pipelined', BillingMode: 'PAY_PER_REQUEST',
      KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }], AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }],
    }));
    const get = (id: string) => request('GetItem', { TableName: 'pipelined', Key: { id: { S: id } } });
    const put = (id: string) => request('PutItem', { TableName: 'pipelined', Item: { id: { S: id }, v: { S: `value ${id}` } } });
    await rawRequest(t.server.url, 'PutItem', JSON.stringify({ TableName: 'pipelined', Item: { id: { S: 'a' }, v: { S: 'value a' } } }));
    const socket = connect(Number(url.port), url.hostname);
    let received = '';
    socket.on('data', (chunk) => (received += chunk.toString('utf8')));
    // Reads answer at the end of the event-loop turn, writes after their commit: the
    // answers must still come back in the order of the requests.
    socket.write(get('a') + put('b') + get('a') + request('ListTables', {}) + get('missing') + put('c') + get('a'));
    const bodies: unknown[] = [];
    await new Promise<void>((resolve, reject) => {
      const parse = () => {
        for (;;) {
          const head = received.indexOf('\r\n\r\n');
          if (head < 0) return;
          const length = Number(/content-length: (\d+)/i.exec(received.slice(0, head))![1]);
          if (received.length < head + 4 + length) return;
          bodies.push(JSON.parse(received.slice(head + 4, head + 4 + length)));
          received = received.slice(head + 4 + length);
          if (bodies.length === 7) return resolve();
        }
      };
      socket.on('data', parse);
      socket.on('error', reject);
    });
    socket.destroy();
    const itemA = { Item: { id: { S: 'a' }, v: { S: 'value a' } } };
    assert.ok((bodies[3] as { TableNames: string[] }).TableNames.includes('pipelined'));
    bodies[3] = 'tables';
    assert.deepEqual(bodies, [itemA, {}, itemA, 'tables', {}, {}, itemA]);
    for (const id of ['b', 'c']) {
      const res = await rawRequest(t.server.url, 'GetItem', JSON.stringify({ TableName: 'pipelined', Key: { id: { S: id } } }));
      assert.deepEqual(res.json, { Item: { id: { S: id }, v: { S: `value ${id}` } } });
    }
  });

  it('gives every connection its own answer when many read at once', async () => {
    await rawRequest(t.server.url, 'CreateTable', JSON.stringify({
      TableName: 'many', BillingMode: 'PAY_PER_REQUEST',
      KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }], AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'N' }],
    }));
    await Promise.all(Array.from({ length: 50 }, (_, i) =>
      rawRequest(t.server.url, 'PutItem', JSON.stringify({ TableName: 'many', Item: { id: { N: String(i) }, v: { N: String(i * 7) } } }))));
    for (let round = 0; round < 5; round++) {
      const answers = await Promise.all(Array.from({ length: 50 }, (_, i) =>
        rawRequest(t.server.url, 'GetItem', JSON.stringify({ TableName: 'many', Key: { id: { N: String(i) } } }))));
      answers.forEach((res, i) => assert.deepEqual(res.json, { Item: { id: { N: String(i) }, v: { N: String(i * 7) } } }));
    }
  });
});
