/** An acknowledged write survives kill -9 of the server process. */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GetItemCommand, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { createTable, startTestServer } from './helpers.js';
import { writeUntilKilled } from './cliProcess.js';

describe('durability', () => {
  it('keeps every acknowledged PutItem after SIGKILL mid-stream', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'openddb-kill-'));
    try {
      const acknowledged = await writeUntilKilled(dir, {
        target: 1500,
        setup: ({ client }) => createTable(client, 'events', ['id', 'N']),
        write: ({ client }, id) =>
          client.send(new PutItemCommand({ TableName: 'events', Item: { id: { N: String(id) }, payload: { S: 'x'.repeat(200) } } })),
      });

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
