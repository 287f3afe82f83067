/** Triggers: a table's stream delivered to a local HTTP handler, with retries, item failures, filters and checkpoints. */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CreateTableCommand, PutItemCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { startTestServer } from './helpers.js';
import { runCli } from './cliProcess.js';
import { until } from './support/polling.js';

interface Handler {
  server: Server;
  url: string;
  /** Every request body received, in order. */
  batches: any[][];
  /** Decides each answer: [status, body]. */
  answer: (records: any[], call: number) => [number, unknown];
  /** How long each answer waits before it is sent. */
  delayMs: number;
}

async function startHandler(answer: Handler['answer'], delayMs = 0): Promise<Handler> {
  const handler = { batches: [] as any[][], answer, delayMs } as Handler;
  handler.server = createServer((req, res) => {
    let text = '';
    req.on('data', (c) => (text += c));
    req.on('end', () => {
      const records = JSON.parse(text).Records as any[];
      handler.batches.push(records);
      const [status, body] = handler.answer(records, handler.batches.length);
      setTimeout(() => {
        res.writeHead(status, { 'Content-Type': 'application/json' });
        res.end(JSON.stringify(body));
      }, handler.delayMs);
    });
  });
  await new Promise<void>((resolve) => handler.server.listen(0, '127.0.0.1', resolve));
  handler.url = `http://127.0.0.1:${(handler.server.address() as AddressInfo).port}/invoke`;
  return handler;
}


async function createOrders(client: DynamoDBClient): Promise<void> {
  await client.send(new CreateTableCommand({
    TableName: 'orders', BillingMode: 'PAY_PER_REQUEST',
    KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }], AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }],
    StreamSpecification: { StreamEnabled: true, StreamViewType: 'NEW_AND_OLD_IMAGES' },
  }));
}

const put = (client: DynamoDBClient, id: string, kind = 'keep') =>
  client.send(new PutItemCommand({ TableName: 'orders', Item: { id: { S: id }, kind: { S: kind } } }));

describe('triggers', () => {
  it('delivers Lambda events, retries a failed batch, resumes at a reported item failure, and filters', async () => {
    let failedItemOnce = false;
    const handler = await startHandler((records, call) => {
      if (call === 1) return [500, { errorMessage: 'boom' }];
      const k3 = records.find((r) => r.dynamodb.Keys.id.S === 'k3');
      if (k3 !== undefined && !failedItemOnce) {
        failedItemOnce = true;
        return [200, { batchItemFailures: [{ itemIdentifier: k3.dynamodb.SequenceNumber }] }];
      }
      return [200, {}];
    });
    const t = await startTestServer({
      triggers: [{
        Name: 'orders-fn', TableName: 'orders', Endpoint: handler.url, BatchSize: 10, StartingPosition: 'TRIM_HORIZON',
        FunctionResponseTypes: ['ReportBatchItemFailures'],
        FilterCriteria: { Filters: [{ Pattern: JSON.stringify({ dynamodb: { NewImage: { kind: { S: ['keep'] } } } }) }] },
      }],
    });
    try {
      await createOrders(t.client);
      // One partition key: one shard, so the batch order is the write order.
      for (const id of ['k1', 'k2', 'k3', 'k4']) await t.client.send(new PutItemCommand({ TableName: 'orders', Item: { id: { S: 'same' }, n: { S: id }, kind: { S: 'keep' } } }));
      await put(t.client, 'k3');
      await put(t.client, 'skip-me', 'drop');
      await until(() => handler.batches.flat().some((r) => r.dynamodb.Keys.id.S === 'k3') && failedItemOnce && handler.batches.length >= 3, 'deliveries');
      await new Promise((r) => setTimeout(r, 300));
      const delivered = handler.batches.flat();
      assert.ok(delivered.every((r) => r.dynamodb.NewImage.kind.S === 'keep'), 'filtered records are not delivered');
      const first = delivered[0];
      assert.equal(first.eventSource, 'aws:dynamodb');
      assert.equal(first.eventVersion, '1.1');
      assert.match(first.eventSourceARN, /^arn:aws:dynamodb:us-east-1:000000000000:table\/orders\/stream\//);
      assert.equal(typeof first.dynamodb.ApproximateCreationDateTime, 'number');
      // The failed first batch came again; the item failure made k3 come twice.
      const same = handler.batches.map((b) => b.filter((r) => r.dynamodb.Keys.id.S === 'same').map((r) => r.dynamodb.NewImage.n.S));
      assert.deepEqual(same[0], ['k1', 'k2', 'k3', 'k4']);
      assert.deepEqual(same.slice(1).flat().filter((n, i, all) => all.indexOf(n) === i), ['k1', 'k2', 'k3', 'k4']);
      assert.equal(delivered.filter((r) => r.dynamodb.Keys.id.S === 'k3').length, 2);
    } finally {
      await t.close();
      handler.server.close();
    }
  });

  it('lets a delivery already sent finish when the server stops, so a restart does not send it again', async () => {
    const handler = await startHandler(() => [200, {}], 300);
    const dir = mkdtempSync(join(tmpdir(), 'openddb-triggers-'));
    const options = { dataDir: join(dir, 'data'), triggers: [{ Name: 'slow', TableName: 'orders', Endpoint: handler.url, StartingPosition: 'TRIM_HORIZON' as const, BatchSize: 1 }] };
    try {
      let t = await startTestServer(options);
      await createOrders(t.client);
      await put(t.client, 'a');
      await until(() => handler.batches.length === 1, 'the delivery is sent');
      await t.close(); // while the endpoint has not answered yet
      t = await startTestServer(options);
      try {
        await put(t.client, 'b');
        await until(() => handler.batches.length >= 2, 'the next delivery');
        await new Promise((r) => setTimeout(r, 500));
        assert.deepEqual(handler.batches.map((b) => b[0].dynamodb.Keys.id.S), ['a', 'b']);
      } finally {
        await t.close();
      }
    } finally {
      handler.server.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('keeps its checkpoint across a restart, configured from a file', async () => {
    const handler = await startHandler(() => [200, {}]);
    const dir = mkdtempSync(join(tmpdir(), 'openddb-triggers-'));
    const file = join(dir, 'triggers.json');
    writeFileSync(file, JSON.stringify({ Triggers: [{ Name: 'audit', TableName: 'orders', Endpoint: handler.url, StartingPosition: 'TRIM_HORIZON', BatchSize: 1 }] }));
    try {
      let t = await startTestServer({ dataDir: join(dir, 'data'), triggersFile: file });
      await createOrders(t.client);
      await put(t.client, 'a');
      await put(t.client, 'b');
      await until(() => handler.batches.length === 2, 'two deliveries');
      await t.close();
      t = await startTestServer({ dataDir: join(dir, 'data'), triggersFile: file });
      try {
        await put(t.client, 'c');
        await until(() => handler.batches.length === 3, 'the third delivery');
        await new Promise((r) => setTimeout(r, 200));
        const ids = handler.batches.map((b) => b[0].dynamodb.Keys.id.S);
        assert.deepEqual([...ids.slice(0, 2).sort(), ids[2]], ['a', 'b', 'c'], 'nothing delivered twice after the restart');
      } finally {
        await t.close();
      }
      writeFileSync(file, JSON.stringify({ Triggers: [{ Name: 'bad', TableName: 'orders', Endpoint: 'ftp://x' }] }));
      const refused = await runCli(['--in-memory', '--port', '0', '--triggers', file]);
      assert.equal(refused.code, 1);
      assert.match(refused.output, /Endpoint must be an http\(s\) URL/);
    } finally {
      handler.server.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('server.changes() yields the table\'s changes as they happen', async () => {
    const t = await startTestServer();
    try {
      await createOrders(t.client);
      const seen: string[] = [];
      const reading = (async () => {
        for await (const record of t.server.changes('orders')) {
          seen.push(`${record.eventName}:${(record.dynamodb as any).Keys.id.S}`);
          if (seen.length === 3) break;
        }
      })();
      await new Promise((r) => setTimeout(r, 100));
      await put(t.client, 'x');
      await put(t.client, 'x', 'other');
      await put(t.client, 'y');
      await reading;
      assert.deepEqual(seen.sort(), ['INSERT:x', 'INSERT:y', 'MODIFY:x']);
    } finally {
      await t.close();
    }
  });
});
