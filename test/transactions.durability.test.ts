/** kill -9 in the middle of a stream of transactions: each one is all-or-nothing after restart. */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DynamoDBDocumentClient, GetCommand, ScanCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { sdkClient, startTestServer } from './helpers.js';
import { spawnCli } from './cliProcess.js';
import { createTable } from './transactions.helpers.js';

describe('transaction durability', () => {
  it('leaves every transaction all-or-nothing after SIGKILL, and keeps every acknowledged one', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'openddb-txkill-'));
    try {
      const proc = await spawnCli(['--port', '0', '--data-dir', dir, '--log-level', 'silent']);
      const client = sdkClient(proc.url);
      const doc = DynamoDBDocumentClient.from(client);
      for (const name of ['orders', 'shipments', 'totals']) await createTable(client, name, ['id', 'N']);
      await doc.send(new TransactWriteCommand({ TransactItems: [{ Put: { TableName: 'totals', Item: { id: 0, n: 0 } } }] }));

      const acknowledged: number[] = [];
      let next = 1;
      let killed = false;
      const writer = async () => {
        while (!killed) {
          const id = next++;
          try {
            await doc.send(new TransactWriteCommand({
              TransactItems: [
                { Put: { TableName: 'orders', Item: { id, payload: 'x'.repeat(300) } } },
                { Put: { TableName: 'shipments', Item: { id, order: id } } },
                { Update: { TableName: 'totals', Key: { id: 0 }, UpdateExpression: 'ADD n :one', ExpressionAttributeValues: { ':one': 1 } } },
              ],
            }));
            acknowledged.push(id);
          } catch {
            return; // the server is gone
          }
        }
      };
      const writers = Array.from({ length: 16 }, writer);
      while (acknowledged.length < 600) await new Promise((r) => setTimeout(r, 5));
      proc.child.kill('SIGKILL');
      killed = true;
      await Promise.all(writers);
      client.destroy();
      await new Promise((r) => proc.child.once('exit', r));

      const t = await startTestServer({ dataDir: dir });
      try {
        const ids = async (table: string) => {
          const { Items } = await t.doc.send(new ScanCommand({ TableName: table, ConsistentRead: true }));
          return new Set(Items!.map((item) => item.id as number));
        };
        const orders = await ids('orders');
        const shipments = await ids('shipments');
        assert.deepEqual([...orders].sort((a, b) => a - b), [...shipments].sort((a, b) => a - b), 'no transaction is half applied');
        const { Item } = await t.doc.send(new GetCommand({ TableName: 'totals', Key: { id: 0 } }));
        assert.equal(Item!.n, orders.size, 'the counter moved exactly with the committed transactions');
        for (const id of acknowledged) assert.ok(orders.has(id), `acknowledged transaction ${id} is missing after kill -9`);
      } finally {
        await t.close();
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
