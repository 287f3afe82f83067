/**
 * The HTTP front as DynamoDB's: health check naming the Host, CORS on by default,
 * compressed requests and responses (CRC32 over the bytes sent), content types
 * answered in kind, and what lies outside the protocol.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { connect } from 'node:net';
import { crc32, deflateRawSync, deflateSync, gunzipSync, gzipSync, inflateSync } from 'node:zlib';
import { GetItemCommand, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { createTable, startTestServer, type TestContext } from './helpers.js';
import { exchange } from './rawHttp.js';

const BIG = 'x'.repeat(6000);

describe('HTTP front', () => {
  let t: TestContext;
  before(async () => {
    t = await startTestServer();
    await createTable(t.client, 'front', ['id', 'S']);
    await t.client.send(new PutItemCommand({ TableName: 'front', Item: { id: { S: 'big' }, payload: { S: BIG } } }));
  });
  after(() => t.close());

  const getBig = JSON.stringify({ TableName: 'front', Key: { id: { S: 'big' } } });

  describe('health check', () => {
    it('names the Host the client used', async () => {
      const res = await exchange(t.server.url, { method: 'GET', headers: { Host: 'dynamodb.example.test:8000' } });
      assert.equal(res.status, 200);
      assert.equal(res.raw.toString(), 'healthy: dynamodb.example.test:8000');
      const direct = await fetch(t.server.url + '/');
      assert.equal(await direct.text(), `healthy: ${new URL(t.server.url).host}`);
    });
  });

  describe('CORS', () => {
    it('is on for every origin by default, and costs SDK clients (no Origin) nothing', async () => {
      const res = await exchange(t.server.url, { target: 'ListTables', body: '{}', headers: { Origin: 'https://app.example.test' } });
      assert.equal(res.status, 200);
      assert.equal(res.headers['access-control-allow-origin'], '*');
      assert.match(String(res.headers['access-control-expose-headers']), /x-amzn-RequestId/);
      const plain = await exchange(t.server.url, { target: 'ListTables', body: '{}' });
      assert.equal(plain.headers['access-control-allow-origin'], undefined);
    });

    it('answers a preflight with the methods and the headers asked for', async () => {
      const res = await exchange(t.server.url, {
        method: 'OPTIONS',
        headers: { Origin: 'https://app.example.test', 'Access-Control-Request-Method': 'POST', 'Access-Control-Request-Headers': 'content-type,x-amz-target,authorization', 'Content-Type': null, Authorization: null },
      });
      assert.equal(res.status, 200);
      assert.equal(res.headers['access-control-allow-origin'], '*');
      assert.match(String(res.headers['access-control-allow-methods']), /POST/);
      assert.equal(res.headers['access-control-allow-headers'], 'content-type,x-amz-target,authorization');
      assert.ok(Number(res.headers['access-control-max-age']) > 0);
    });

    it('--cors narrows it to listed origins, --cors none turns it off', async () => {
      const narrow = await startTestServer({ cors: 'https://a.example.test, https://b.example.test' });
      const off = await startTestServer({ cors: 'none' });
      try {
        const allowed = await exchange(narrow.server.url, { target: 'ListTables', body: '{}', headers: { Origin: 'https://b.example.test' } });
        assert.equal(allowed.headers['access-control-allow-origin'], 'https://b.example.test');
        assert.equal(allowed.headers['vary'], 'Origin');
        const other = await exchange(narrow.server.url, { target: 'ListTables', body: '{}', headers: { Origin: 'https://evil.example.test' } });
        assert.equal(other.status, 200);
        assert.equal(other.headers['access-control-allow-origin'], undefined);
        const preflight = await exchange(narrow.server.url, { method: 'OPTIONS', headers: { Origin: 'https://evil.example.test' } });
        assert.equal(preflight.status, 404);

        const plain = await exchange(off.server.url, { target: 'ListTables', body: '{}', headers: { Origin: 'https://a.example.test' } });
        assert.equal(plain.status, 200);
        assert.equal(plain.headers['access-control-allow-origin'], undefined);
        const offPreflight = await exchange(off.server.url, { method: 'OPTIONS', headers: { Origin: 'https://a.example.test' } });
        assert.equal(offPreflight.status, 404);
      } finally {
        await narrow.close();
        await off.close();
      }
    });
  });

  describe('compressed requests', () => {
    const put = (id: string) => JSON.stringify({ TableName: 'front', Item: { id: { S: id }, v: { S: `value ${id}` } } });
    const stored = async (id: string) => (await t.client.send(new GetItemCommand({ TableName: 'front', Key: { id: { S: id } } }))).Item;

    it('accepts gzip, deflate (zlib-wrapped) and raw deflate bodies', async () => {
      const bodies: [string, string, Buffer][] = [
        ['gzip', 'g', gzipSync(put('g'))],
        ['deflate', 'd', deflateSync(put('d'))],
        ['deflate', 'r', deflateRawSync(put('r'))],
        ['x-gzip', 'x', gzipSync(put('x'))],
      ];
      for (const [encoding, id, body] of bodies) {
        const res = await exchange(t.server.url, { target: 'PutItem', body, headers: { 'Content-Encoding': encoding } });
        assert.equal(res.status, 200, `${encoding}: ${res.raw}`);
        assert.deepEqual(await stored(id), { id: { S: id }, v: { S: `value ${id}` } });
      }
    });

    it('refuses a body that does not decompress, and stores nothing', async () => {
      const broken = gzipSync(put('broken')).subarray(0, 20);
      for (const encoding of ['gzip', 'deflate']) {
        const res = await exchange(t.server.url, { target: 'PutItem', body: broken, headers: { 'Content-Encoding': encoding } });
        assert.equal(res.status, 400);
        assert.equal(JSON.parse(res.raw.toString()).__type, 'com.amazon.coral.service#SerializationException');
      }
      assert.equal(await stored('broken'), undefined);
    });

    it('reads a body under an unknown encoding as sent', async () => {
      const plain = await exchange(t.server.url, { target: 'PutItem', body: put('identity'), headers: { 'Content-Encoding': 'identity' } });
      assert.equal(plain.status, 200);
      const brotli = await exchange(t.server.url, { target: 'PutItem', body: gzipSync(put('br')), headers: { 'Content-Encoding': 'br' } });
      assert.equal(brotli.status, 400);
      assert.equal(JSON.parse(brotli.raw.toString()).__type, 'com.amazon.coral.service#SerializationException');
      assert.equal(await stored('br'), undefined);
    });
  });

  describe('compressed responses', () => {
    it('gzips a large answer for a client that accepts gzip, CRC32 over the bytes sent', async () => {
      const res = await exchange(t.server.url, { target: 'GetItem', body: getBig, headers: { 'Accept-Encoding': 'gzip, deflate' } });
      assert.equal(res.status, 200);
      assert.equal(res.headers['content-encoding'], 'gzip');
      assert.equal(Number(res.headers['content-length']), res.raw.length);
      assert.equal(res.headers['x-amz-crc32'], String(crc32(res.raw)));
      assert.ok(res.raw.length < BIG.length / 4);
      assert.equal(JSON.parse(gunzipSync(res.raw).toString()).Item.payload.S, BIG);
    });

    it('deflates for a client that accepts only deflate', async () => {
      const res = await exchange(t.server.url, { target: 'GetItem', body: getBig, headers: { 'Accept-Encoding': 'deflate' } });
      assert.equal(res.headers['content-encoding'], 'deflate');
      assert.equal(res.headers['x-amz-crc32'], String(crc32(res.raw)));
      assert.equal(JSON.parse(inflateSync(res.raw).toString()).Item.payload.S, BIG);
    });

    it('leaves small answers, clients that do not ask, and refused codings uncompressed', async () => {
      const cases: [string, Record<string, string>][] = [
        ['{}', { 'Accept-Encoding': 'gzip' }],
        [getBig, {}],
        [getBig, { 'Accept-Encoding': 'gzip;q=0, identity' }],
        [getBig, { 'Accept-Encoding': 'br' }],
      ];
      for (const [body, headers] of cases) {
        const res = await exchange(t.server.url, { target: body === '{}' ? 'ListTables' : 'GetItem', body, headers });
        assert.equal(res.headers['content-encoding'], undefined, JSON.stringify(headers));
        assert.equal(res.headers['x-amz-crc32'], String(crc32(res.raw)));
        JSON.parse(res.raw.toString());
      }
    });

    it('compresses errors too, in the request protocol', async () => {
      const body = JSON.stringify({ TableName: 'front', Key: { id: { S: 'x' } }, ProjectionExpression: 'a'.repeat(3000) + ' +' });
      const res = await exchange(t.server.url, { target: 'GetItem', body, headers: { 'Accept-Encoding': 'gzip', 'Content-Type': 'application/x-amz-json-1.1' } });
      assert.equal(res.status, 400);
      assert.equal(res.headers['content-type'], 'application/x-amz-json-1.1');
      const text = res.headers['content-encoding'] === 'gzip' ? gunzipSync(res.raw).toString() : res.raw.toString();
      assert.equal(JSON.parse(text).__type, 'com.amazon.coral.validate#ValidationException');
      assert.equal(res.headers['x-amz-crc32'], String(crc32(res.raw)));
    });

    it('the SDK (which asks for no compression) reads large items unchanged', async () => {
      const { Item } = await t.client.send(new GetItemCommand({ TableName: 'front', Key: { id: { S: 'big' } } }));
      assert.equal(Item?.payload?.S, BIG);
    });
  });

  describe('content types', () => {
    it('answers JSON 1.0 and 1.1 in kind, plain application/json as 1.0', async () => {
      for (const [sent, answered] of [
        ['application/x-amz-json-1.0', 'application/x-amz-json-1.0'],
        ['application/x-amz-json-1.1', 'application/x-amz-json-1.1'],
        ['application/x-amz-json-1.1; charset=utf-8', 'application/x-amz-json-1.1'],
        ['application/json', 'application/x-amz-json-1.0'],
      ]) {
        const res = await exchange(t.server.url, { target: 'ListTables', body: '{}', headers: { 'Content-Type': sent! } });
        assert.equal(res.status, 200, sent);
        assert.equal(res.headers['content-type'], answered, sent);
      }
    });

    it('answers a missing or foreign content type as an unknown operation (404)', async () => {
      for (const type of [null, 'text/plain', 'application/xml', 'application/x-www-form-urlencoded']) {
        const res = await exchange(t.server.url, { target: 'PutItem', body: JSON.stringify({ TableName: 'front', Item: { id: { S: 'typed' } } }), headers: { 'Content-Type': type } });
        assert.equal(res.status, 404, String(type));
        assert.equal(res.raw.toString(), '<UnknownOperationException/>\n');
      }
      const { Item } = await t.client.send(new GetItemCommand({ TableName: 'front', Key: { id: { S: 'typed' } } }));
      assert.equal(Item, undefined);
    });
  });

  describe('outside the protocol', () => {
    it('answers other methods and paths as an unknown operation (404)', async () => {
      for (const [method, path] of [['PUT', '/'], ['DELETE', '/'], ['PATCH', '/'], ['GET', '/nowhere'], ['HEAD', '/x']]) {
        const res = await exchange(t.server.url, { method, path, headers: { 'Content-Type': null } });
        assert.equal(res.status, 404, `${method} ${path}`);
        if (method !== 'HEAD') assert.equal(res.raw.toString(), '<UnknownOperationException/>\n');
      }
    });

    it('answers an oversized request line or header block 400, not 431, and keeps serving', async () => {
      const { hostname, port } = new URL(t.server.url);
      const send = (text: string) => new Promise<string>((resolve) => {
        const socket = connect(Number(port), hostname);
        let received = '';
        socket.on('data', (c) => (received += c.toString()));
        socket.on('error', () => resolve(received));
        socket.on('close', () => resolve(received));
        socket.write(text);
      });
      const longHeader = await send(`POST / HTTP/1.1\r\nHost: x\r\nX-Big: ${'a'.repeat(80_000)}\r\n\r\n`);
      assert.match(longHeader, /^HTTP\/1\.1 400 Bad Request/);
      const longLine = await send(`GET /${'b'.repeat(80_000)} HTTP/1.1\r\nHost: x\r\n\r\n`);
      assert.match(longLine, /^HTTP\/1\.1 400 Bad Request/);
      const garbage = await send('NOT HTTP AT ALL\r\n\r\n');
      assert.match(garbage, /^HTTP\/1\.1 400 Bad Request/);
      const res = await exchange(t.server.url, { target: 'ListTables', body: '{}' });
      assert.equal(res.status, 200);
    });
  });
});
