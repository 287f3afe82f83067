/** An acknowledged write survives kill -9 of the server process. */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CreateTableCommand, GetItemCommand, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { sdkClient, startTestServer } from './helpers.js';
import { spawnCli } from './cliProcess.js';

describe('durability', () => {
  it('keeps every acknowledged PutItem after SIGKILL mid-stream', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'openddb-kill-'));
    try {
      const proc = await spawnCli(['--port', '0', '--data-dir', dir, '--log-level', 'silent']);
      const client = sdkClient(proc.url);
      await client.send(new CreateTableCommand({
        TableName: 'events', BillingMode: 'PAY_PER_REQUEST',
        KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }], AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'N' }],
      }));
      const acknowledged: number[] = [];
      let next = 0;
      let killed = false;
      const writer = async () => {
        while (!killed) {
          const id = next++;
          try {
            await client.send(new PutItemCommand({ TableName: 'events', Item: { id: { N: String(id) }, payload: { S: 'x'.repeat(200) } } }));
            acknowledged.push(id);
          } catch {
            return; // the server is gone
          }
        }
      };
      const writers = Array.from({ length: 16 }, writer);
      while (acknowledged.length < 1500) await new Promise((r) => setTimeout(r, 5));
      proc.child.kill('SIGKILL');
      killed = true;
      await Promise.all(writers);
      client.destroy();
      await new Promise((r) => proc.child.once('exit', r));

      const t = await startTestServer({ dataDir: dir });
      try {
        for (const id of acknowledged) {
          const { Item } = await t.client.send(new GetItemCommand({ TableName: 'events', Key: { id: { N: String(id) } } }));
          assert.ok(Item, `acknowledged item ${id} is missing after kill -9`);
        }
      } finally {
        await t.close();
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
