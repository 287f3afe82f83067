/**
 * Stopping the HTTP front in bounded time: the request already read is answered
 * with `Connection: close`, idle keep-alive connections close at once, a request
 * arriving on a draining connection is not run, and a deadline ends the drain.
 * An HTTP front with a handler the test holds open makes every step deterministic.
 */
import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { connect, type Socket } from 'node:net';
import { connect as connectTls } from 'node:tls';
import type { AddressInfo } from 'node:net';
import { createHttpServer, type HttpFront, type TlsOptions } from '../src/server/server.js';
import { createLogger } from '../src/logger.js';
import { startServer } from '../src/index.js';
import { sdkClient } from './helpers.js';
import { CreateTableCommand, PutItemCommand } from '@aws-sdk/client-dynamodb';

interface Held {
  front: HttpFront;
  port: number;
  calls: string[];
  release(): void;
}

const fronts: HttpFront[] = [];
// A failed test must not leave a server keeping the process alive.
after(() => {
  for (const { server } of fronts) {
    server.closeAllConnections();
    server.close();
  }
});

const fixture = (name: string) => readFileSync(new URL(`../../test/fixtures/${name}`, import.meta.url));

/** An HTTP front whose GetItem handler waits until released; ListTables answers at once. */
async function heldFront(tls?: TlsOptions): Promise<Held> {
  const calls: string[] = [];
  let release!: () => void;
  const gate = new Promise<void>((resolve) => (release = resolve));
  const front = createHttpServer({
    handler: async (operation) => {
      calls.push(operation);
      if (operation === 'GetItem') await gate;
      return '{}';
    },
    knownOperations: new Set(['GetItem', 'ListTables']),
    logger: createLogger('silent'),
    cors: undefined,
  }, tls);
  fronts.push(front);
  await new Promise<void>((resolve) => front.server.listen(0, '127.0.0.1', resolve));
  return { front, port: (front.server.address() as AddressInfo).port, calls, release };
}

function request(target: string): string {
  return 'POST / HTTP/1.1\r\nHost: test\r\nContent-Type: application/x-amz-json-1.0\r\n' +
    `X-Amz-Target: DynamoDB_20120810.${target}\r\nX-Amz-Date: 20260101T000000Z\r\n` +
    'Authorization: AWS4-HMAC-SHA256 Credential=a/20260101/us-east-1/dynamodb/aws4_request, SignedHeaders=host, Signature=abc\r\n' +
    'Content-Length: 2\r\n\r\n{}';
}

/** A raw keep-alive connection that collects what the server sends and notes when it closes. */
function rawConnection(port: number, tls = false): { socket: Socket; received: () => string; closed: Promise<void> } {
  const socket = tls ? connectTls({ port, host: '127.0.0.1', rejectUnauthorized: false }) : connect(port, '127.0.0.1');
  let text = '';
  socket.on('data', (chunk) => (text += chunk.toString()));
  socket.on('error', () => undefined);
  const closed = new Promise<void>((resolve) => socket.once('close', () => resolve()));
  return { socket, received: () => text, closed };
}

async function until(what: string, condition: () => boolean, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

const responses = (text: string) => text.split('HTTP/1.1 ').length - 1;

describe('draining the HTTP front', () => {
  // Over TLS the requests arrive on TLS sockets, not on the TCP sockets under them.
  for (const tls of [false, true]) {
    it(`answers the request in flight with Connection: close, closes idle connections at once, runs nothing new${tls ? ' (TLS)' : ''}`, async () => {
      const held = await heldFront(tls ? { cert: fixture('tls-cert.pem'), key: fixture('tls-key.pem') } : undefined);
      const idle = rawConnection(held.port, tls);
      idle.socket.write(request('ListTables'));
      await until('the idle connection to be answered', () => responses(idle.received()) === 1);
      assert.match(idle.received(), /Connection: keep-alive/i);

      const busy = rawConnection(held.port, tls);
      busy.socket.write(request('GetItem'));
      await until('the held request to start', () => held.calls.includes('GetItem'));

      const closing = held.front.drain.close(5_000);
      await idle.closed; // idle: closed at once, before the held request is answered
      assert.equal(responses(busy.received()), 0);

      // A request sent on the draining connection behind the one in flight is not run.
      busy.socket.write(request('ListTables'));
      await new Promise((r) => setTimeout(r, 50));
      held.release();
      await busy.closed;
      await closing;
      assert.equal(responses(busy.received()), 1, busy.received());
      assert.match(busy.received(), /^HTTP\/1\.1 200 OK/);
      assert.match(busy.received(), /Connection: close/i);
      assert.deepEqual(held.calls, ['ListTables', 'GetItem']);
      assert.equal(held.front.server.listening, false);
    });
  }

  it('cuts what is left at the deadline', async () => {
    const held = await heldFront();
    const stuck = rawConnection(held.port);
    stuck.socket.write(request('GetItem'));
    await until('the held request to start', () => held.calls.includes('GetItem'));
    const started = Date.now();
    const closing = held.front.drain.close(300);
    await stuck.closed;
    const cutAfter = Date.now() - started;
    assert.ok(cutAfter >= 250 && cutAfter < 2_000, `cut after ${cutAfter} ms`);
    held.release(); // the handler ends: close() resolves without waiting out its grace period
    await closing;
    assert.ok(Date.now() - started < 2_000);
  });

  it('refuses connections once draining', async () => {
    const held = await heldFront();
    await held.front.drain.close(1_000);
    const late = rawConnection(held.port);
    await late.closed;
    assert.equal(late.received(), '');
  });

  it('library close() finishes in bounded time while keep-alive clients keep writing', async () => {
    const server = await startServer({ logLevel: 'silent', shutdownTimeoutMs: 3_000 });
    const client = sdkClient(server.url);
    await client.send(new CreateTableCommand({
      TableName: 'drain', BillingMode: 'PAY_PER_REQUEST',
      KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }], AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'N' }],
    }));
    let stop = false;
    let acknowledged = 0;
    let next = 0;
    const writer = async () => {
      while (!stop) {
        try {
          await client.send(new PutItemCommand({ TableName: 'drain', Item: { id: { N: String(next++) } } }));
          acknowledged++;
        } catch {
          return; // the server is going away
        }
      }
    };
    const writers = Array.from({ length: 20 }, writer);
    let took: number;
    try {
      await until('writes to flow', () => acknowledged >= 50, 30_000);
    } finally {
      const started = Date.now();
      await server.close();
      took = Date.now() - started;
      stop = true;
      await Promise.all(writers);
      client.destroy();
    }
    assert.ok(took < 2_500, `close() took ${took} ms under load`);
  });
});
