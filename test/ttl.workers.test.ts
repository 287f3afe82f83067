/** With --workers, one process sweeps: every expired item is deleted once, with one REMOVE record. */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CreateTableCommand, PutItemCommand, ScanCommand, UpdateTimeToLiveCommand } from '@aws-sdk/client-dynamodb';
import { sdkClient } from './helpers.js';
import { spawnCli } from './cliProcess.js';
import { readStream, streamsClient } from './streams.helpers.js';

describe('TTL with --workers', () => {
  it('sweeps each expired item exactly once', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'openddb-ttl-workers-'));
    const proc = await spawnCli(['--port', '0', '--data-dir', dir, '--log-level', 'silent', '--workers', '2', '--ttl-interval', '100ms']);
    const clients = Array.from({ length: 4 }, () => sdkClient(proc.url));
    const streams = streamsClient(proc.url);
    try {
      const client = clients[0]!;
      const { TableDescription } = await client.send(new CreateTableCommand({
        TableName: 'carts', BillingMode: 'PAY_PER_REQUEST',
        KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }], AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }],
        StreamSpecification: { StreamEnabled: true, StreamViewType: 'KEYS_ONLY' },
      }));
      await client.send(new UpdateTimeToLiveCommand({ TableName: 'carts', TimeToLiveSpecification: { Enabled: true, AttributeName: 'ttl' } }));
      const expired = String(Math.floor(Date.now() / 1000) - 10);
      await Promise.all(Array.from({ length: 60 }, (_, i) =>
        clients[i % clients.length]!.send(new PutItemCommand({ TableName: 'carts', Item: { id: { S: `c${i}` }, ttl: { N: expired } } }))));
      for (let i = 0; ; i++) {
        const { Count } = await client.send(new ScanCommand({ TableName: 'carts', Select: 'COUNT' }));
        if (Count === 0) break;
        assert.ok(i < 200, 'the expired items are swept');
        await new Promise((r) => setTimeout(r, 50));
      }
      const removes = (await readStream(streams, TableDescription!.LatestStreamArn!)).filter((r) => r.eventName === 'REMOVE');
      assert.equal(removes.length, 60);
      assert.equal(new Set(removes.map((r) => r.dynamodb!.Keys!.id!.S)).size, 60);
      assert.ok(removes.every((r) => r.userIdentity?.PrincipalId === 'dynamodb.amazonaws.com'));
    } finally {
      for (const c of clients) c.destroy();
      streams.destroy();
      const exited = new Promise((resolve) => proc.child.once('exit', resolve));
      proc.child.kill('SIGTERM');
      await exited;
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
