/**
 * Input DynamoDB refuses: malformed UTF-8 and lone surrogate escapes, fractions and
 * out-of-range numbers in integer members, hostile nesting depth, and uploads over
 * the 16 MB limit (whose 413 the client must be able to read).
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { request } from 'node:http';
import { connect } from 'node:net';
import { GetItemCommand, ScanCommand } from '@aws-sdk/client-dynamodb';
import { createTable, rawRequest, startTestServer, type TestContext } from './helpers.js';
import { SIGNED_HEADERS } from './rawHttp.js';
import { MAX_JSON_DEPTH, parseRequestJson } from '../src/server/requestJson.js';

const SERIALIZATION = 'com.amazon.coral.service#SerializationException';

describe('strict input', () => {
  let t: TestContext;
  before(async () => {
    t = await startTestServer();
    await createTable(t.client, 'strict', ['id', 'S']);
  });
  after(() => t.close());

  const stored = async (id: string) => (await t.client.send(new GetItemCommand({ TableName: 'strict', Key: { id: { S: id } } }))).Item;
  /** A PutItem body whose `v` string is `value` exactly as given (raw JSON string content). */
  const putWithRawString = (id: string, value: Buffer | string) => Buffer.concat([
    Buffer.from(`{"TableName":"strict","Item":{"id":{"S":"${id}"},"v":{"S":"`),
    Buffer.from(value as string),
    Buffer.from('"}}}'),
  ]);

  describe('text encoding', () => {
    it('refuses malformed UTF-8 with a SerializationException and stores nothing', async () => {
      const bad: [string, Buffer][] = [
        ['stray continuation byte', Buffer.from([0x61, 0x80, 0x62])],
        ['invalid start byte', Buffer.from([0xff])],
        ['truncated sequence', Buffer.from([0xe2, 0x82])],
        ['overlong encoding', Buffer.from([0xc0, 0xaf])],
        ['UTF-8 encoded surrogate', Buffer.from([0xed, 0xa0, 0x80])],
      ];
      for (const [what, bytes] of bad) {
        const res = await rawRequest(t.server.url, 'PutItem', putWithRawString(what.replace(/ /g, '-'), bytes));
        assert.equal(res.status, 400, what);
        assert.equal(res.json.__type, SERIALIZATION, what);
        assert.equal(await stored(what.replace(/ /g, '-')), undefined, what);
      }
    });

    it('refuses lone surrogate escapes and stores nothing', async () => {
      for (const [id, escape] of [
        ['lone-high', '\\ud800'],
        ['lone-high-at-end', 'abc\\uDBFF'],
        ['lone-low', '\\udc00x'],
        ['high-then-letter', '\\ud83dx\\ude00'],
        ['high-then-high', '\\ud83d\\ud83d'],
        ['swapped', '\\ude00\\ud83d'],
      ]) {
        const res = await rawRequest(t.server.url, 'PutItem', putWithRawString(id!, escape!));
        assert.equal(res.status, 400, id);
        assert.equal(res.json.__type, SERIALIZATION, id);
        assert.equal(await stored(id!), undefined, id);
      }
      // Also in a key, a name, an expression value: anywhere in the body.
      const inName = await rawRequest(t.server.url, 'PutItem', '{"TableName":"strict","Item":{"id":{"S":"n"},"\\ud800":{"S":"v"}}}');
      assert.equal(inName.json.__type, SERIALIZATION);
    });

    it('accepts surrogate pairs, escaped backslashes before a u, and plain non-ASCII text', async () => {
      for (const [id, raw, expected] of [
        ['pair', '\\ud83d\\ude00', '😀'],
        ['pair-upper', '\\uD83D\\uDE00!', '😀!'],
        ['escaped-backslash', '\\\\ud800', '\\ud800'],
        ['bmp-escape', '\\u00e9\\u4eba', 'é人'],
        ['raw-utf8', 'é人😀', 'é人😀'],
      ]) {
        const res = await rawRequest(t.server.url, 'PutItem', putWithRawString(id!, raw!));
        assert.equal(res.status, 200, `${id}: ${res.text}`);
        assert.equal((await stored(id!))?.v?.S, expected, id);
      }
    });
  });

  describe('integer members', () => {
    const scan = (limitText: string) => Buffer.from(`{"TableName":"strict","Limit":${limitText}}`);

    it('refuses fractions and numbers out of range in Integer members', async () => {
      for (const limit of ['1.5', '0.5', '1e400', '-1e400', '9007199254740993', '2147483648', '1E+10']) {
        const res = await rawRequest(t.server.url, 'Scan', scan(limit));
        assert.equal(res.status, 400, limit);
        assert.equal(res.json.__type, SERIALIZATION, limit);
        assert.equal(res.json.message, 'NUMBER_VALUE cannot be converted to Integer', limit);
      }
      for (const [segment, total] of [['0.5', '2'], ['0', '2.5'], ['1e400', '2']]) {
        const res = await rawRequest(t.server.url, 'Scan', `{"TableName":"strict","Segment":${segment},"TotalSegments":${total}}`);
        assert.equal(res.json.__type, SERIALIZATION, `${segment}/${total}`);
      }
    });

    it('refuses them in Long members (capacity units) too', async () => {
      const table = (units: string) => JSON.stringify({
        TableName: 'strict-units', KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
        AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }],
      }).replace(/}$/, `,"ProvisionedThroughput":{"ReadCapacityUnits":${units},"WriteCapacityUnits":1}}`);
      for (const units of ['1.5', '1e400', '9007199254740993']) {
        const res = await rawRequest(t.server.url, 'CreateTable', table(units));
        assert.equal(res.status, 400, units);
        assert.equal(res.json.__type, SERIALIZATION, units);
        assert.equal(res.json.message, 'NUMBER_VALUE cannot be converted to Long', units);
      }
      const listed = await rawRequest(t.server.url, 'ListTables', '{}');
      assert.deepEqual(listed.json.TableNames, ['strict']);
    });

    it('still accepts whole numbers, written with an exponent or not', async () => {
      for (const limit of ['1', '2147483647', '1e2', '1.0']) {
        const res = await rawRequest(t.server.url, 'Scan', scan(limit));
        assert.equal(res.status, 200, `${limit}: ${res.text}`);
      }
    });
  });

  describe('nesting depth', () => {
    it('refuses a body nested beyond the bound before parsing it', () => {
      const nested = (depth: number) => Buffer.from(`{"Unknown":${'['.repeat(depth - 1)}${']'.repeat(depth - 1)}}`);
      assert.doesNotThrow(() => parseRequestJson(nested(MAX_JSON_DEPTH)));
      assert.throws(() => parseRequestJson(nested(MAX_JSON_DEPTH + 1)), /Nesting Levels have exceeded supported limits/);
      // At every alignment of the bytes in memory (the count reads four at a time).
      for (let offset = 0; offset < 8; offset++) {
        const padded = (depth: number) => {
          const text = nested(depth);
          const memory = Buffer.alloc(text.length + 16, 0x20);
          text.copy(memory, offset);
          return memory.subarray(offset, offset + text.length);
        };
        assert.doesNotThrow(() => parseRequestJson(padded(MAX_JSON_DEPTH)), `offset ${offset}`);
        assert.throws(() => parseRequestJson(padded(MAX_JSON_DEPTH + 1)), /Nesting Levels/, `offset ${offset}`);
      }
      // Brackets inside strings are not nesting.
      assert.doesNotThrow(() => parseRequestJson(Buffer.from(`{"TableName":"${'['.repeat(2000)}\\"{"}`)));
    });

    it('judges depth alike whether the body is parsed first (up to 8192 openings) or walked first (more)', () => {
      // `depth` levels, then `width` sibling empty objects that add openings but no depth.
      const body = (depth: number, width: number, closed = true) => {
        const siblings = Array.from({ length: width }, () => '{}').join(',');
        return Buffer.from(`{"Unknown":${'['.repeat(depth - 2)}[${siblings}]${closed ? ']'.repeat(depth - 2) : ''}}`);
      };
      for (const width of [0, 1_000, 10_000]) {
        assert.doesNotThrow(() => parseRequestJson(body(MAX_JSON_DEPTH - 1, width)), `width ${width}`);
        assert.throws(() => parseRequestJson(body(MAX_JSON_DEPTH + 5, width)), /Nesting Levels/, `width ${width}`);
        // Malformed and too deep: the depth is reported, as a streaming reader meets it first.
        assert.throws(() => parseRequestJson(body(MAX_JSON_DEPTH + 5, width, false)), /Nesting Levels/, `unclosed, width ${width}`);
        assert.throws(() => parseRequestJson(body(MAX_JSON_DEPTH - 1, width, false)), /Start of structure/, `unclosed shallow, width ${width}`);
      }
      // Escaped quotes and backslashes inside strings do not end them (the text walk, past 8192 openings).
      const tricky = (depth: number) => Buffer.from(`{"TableName":"a\\\\\\"${'['.repeat(9000)}\\\\","Unknown":${'['.repeat(depth)}${']'.repeat(depth)}}`);
      assert.doesNotThrow(() => parseRequestJson(tricky(MAX_JSON_DEPTH - 1)));
      assert.throws(() => parseRequestJson(tricky(MAX_JSON_DEPTH)), /Nesting Levels/);
    });

    it('answers a million-deep body in an unknown member at once, and keeps serving', async () => {
      const depth = 1_000_000;
      const body = `{"TableName":"strict","Unknown":${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}}`;
      const started = performance.now();
      const res = await rawRequest(t.server.url, 'Scan', body);
      const elapsed = performance.now() - started;
      assert.equal(res.status, 400);
      assert.equal(res.json.__type, 'com.amazon.coral.validate#ValidationException');
      // Parsing it in full takes one to three seconds here; refusing it is a scan of the bytes.
      const bytes = Buffer.from(body);
      const scanOnly = performance.now();
      assert.throws(() => parseRequestJson(bytes), /Nesting Levels/);
      const refusing = performance.now() - scanOnly;
      assert.ok(refusing < 500, `refusing took ${refusing} ms`);
      assert.ok(elapsed < 5_000, `answered after ${elapsed} ms`);
      const ok = await t.client.send(new ScanCommand({ TableName: 'strict', Limit: 1 }));
      assert.equal(ok.$metadata.httpStatusCode, 200);
    });
  });

  describe('bodies over 16 MB', () => {
    /** Streams `total` bytes in chunks, the way a slow client uploads, and reads the answer. */
    const upload = (total: number, chunked: boolean) => new Promise<{ status: number; body: string }>((resolve, reject) => {
      const { hostname, port } = new URL(t.server.url);
      const headers: Record<string, string | number> = { ...SIGNED_HEADERS, 'X-Amz-Target': 'DynamoDB_20120810.PutItem' };
      if (!chunked) headers['Content-Length'] = total;
      const req = request({ hostname, port, method: 'POST', path: '/', headers, agent: false }, (res) => {
        let body = '';
        res.on('data', (c) => (body += c.toString()));
        res.on('end', () => resolve({ status: res.statusCode!, body }));
      });
      req.on('error', reject);
      const chunk = Buffer.alloc(256 * 1024, 0x20);
      let sent = 0;
      const pump = () => {
        while (sent < total) {
          const size = Math.min(chunk.length, total - sent);
          sent += size;
          if (!req.write(size === chunk.length ? chunk : chunk.subarray(0, size))) return void req.once('drain', pump);
        }
        req.end();
      };
      pump();
    });

    /** A client that sends its whole request before it reads anything, as many do. */
    const sendAllThenRead = (total: number) => new Promise<string>((resolve) => {
      const { hostname, port } = new URL(t.server.url);
      const head = 'POST / HTTP/1.1\r\nHost: x\r\n' + Object.entries({ ...SIGNED_HEADERS, 'X-Amz-Target': 'DynamoDB_20120810.PutItem' })
        .map(([k, v]) => `${k}: ${v}\r\n`).join('') + `Content-Length: ${total}\r\n\r\n`;
      const socket = connect(Number(port), hostname);
      let received = '';
      socket.on('data', (c) => (received += c.toString()));
      socket.on('error', () => undefined);
      socket.on('close', () => resolve(received));
      socket.pause(); // read nothing until everything is sent
      socket.write(head);
      socket.write(Buffer.alloc(total, 0x20), () => {
        socket.resume();
        setTimeout(() => socket.end(), 200);
      });
    });

    it('lets a client that reads only after sending everything see the 413', async () => {
      for (let round = 0; round < 3; round++) {
        const answer = await sendAllThenRead(16 * 1024 * 1024 + 2 * 1024 * 1024);
        assert.match(answer, /^HTTP\/1\.1 413 /, `round ${round}: ${answer.slice(0, 80)}`);
        assert.match(answer, /RequestEntityTooLargeException/);
      }
    });

    it('lets the client read the 413, with a declared length and chunked', async () => {
      for (let round = 0; round < 3; round++) {
        for (const chunked of [false, true]) {
          const res = await upload(16 * 1024 * 1024 + 300 * 1024, chunked);
          assert.equal(res.status, 413, `round ${round}, chunked ${chunked}`);
          assert.equal(JSON.parse(res.body).__type, 'com.amazon.coral.service#RequestEntityTooLargeException');
        }
      }
    });
  });
});
