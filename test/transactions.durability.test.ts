/** kill -9 in the middle of a stream of transactions: each one is all-or-nothing after restart. */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GetCommand, ScanCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { createTable, startTestServer } from './helpers.js';
import { writeUntilKilled } from './cliProcess.js';

describe('transaction durability', () => {
  it('leaves every transaction all-or-nothing after SIGKILL, and keeps every acknowledged one', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'openddb-txkill-'));
    try {
      const acknowledged = await writeUntilKilled(dir, {
        target: 600,
        firstId: 1,
        setup: async ({ client, doc }) => {
          for (const name of ['orders', 'shipments', 'totals']) await createTable(client, name, ['id', 'N']);
          await doc.send(new TransactWriteCommand({ TransactItems: [{ Put: { TableName: 'totals', Item: { id: 0, n: 0 } } }] }));
        },
        write: ({ doc }, id) =>
          doc.send(new TransactWriteCommand({
            TransactItems: [
              { Put: { TableName: 'orders', Item: { id, payload: 'x'.repeat(300) } } },
              { Put: { TableName: 'shipments', Item: { id, order: id } } },
              { Update: { TableName: 'totals', Key: { id: 0 }, UpdateExpression: 'ADD n :one', ExpressionAttributeValues: { ':one': 1 } } },
            ],
          })),
      });

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
