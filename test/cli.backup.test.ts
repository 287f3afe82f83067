/** `openddb backup` / `openddb restore`: whole-database copies, taken while the server runs. */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CreateTableCommand, DeleteTableCommand, PutItemCommand, ScanCommand, UpdateTableCommand } from '@aws-sdk/client-dynamodb';
import { createTable, expectError, sdkClient, startTestServer } from './helpers.js';
import { runCli, spawnCli } from './cliProcess.js';

describe('openddb backup and restore', () => {
  it('copies a running server\'s database and restores it into another directory', async () => {
    const root = mkdtempSync(join(tmpdir(), 'openddb-copy-'));
    const dataDir = join(root, 'data');
    const file = join(root, 'copy.mdb');
    try {
      const proc = await spawnCli(['--port', '0', '--data-dir', dataDir, '--log-level', 'silent']);
      const client = sdkClient(proc.url);
      try {
        await createTable(client, 'Moved', ['id', 'N']);
        for (let i = 0; i < 50; i++) await client.send(new PutItemCommand({ TableName: 'Moved', Item: { id: { N: String(i) } } }));
        const backup = await runCli(['backup', '--data-dir', dataDir, file]);
        assert.equal(backup.code, 0, backup.output);
        const again = await runCli(['backup', '--data-dir', dataDir, file]);
        assert.equal(again.code, 1, 'an existing backup file is not overwritten');
        // The running server's directory cannot be restored over.
        const refused = await runCli(['restore', file, '--data-dir', dataDir, '--force']);
        assert.equal(refused.code, 1);
      } finally {
        client.destroy();
        proc.child.kill('SIGTERM');
        await new Promise((r) => proc.child.once('exit', r));
      }
      const target = join(root, 'elsewhere');
      const restore = await runCli(['restore', file, '--data-dir', target]);
      assert.equal(restore.code, 0, restore.output);
      const t = await startTestServer({ dataDir: target });
      try {
        const { Count } = await t.client.send(new ScanCommand({ TableName: 'Moved' }));
        assert.equal(Count, 50);
      } finally {
        await t.close();
      }
      const over = await runCli(['restore', file, '--data-dir', target]);
      assert.equal(over.code, 1, 'an existing database is not replaced without --force');
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });
});

describe('deletion protection', () => {
  it('keeps a protected table from DeleteTable until it is turned off', async () => {
    const t = await startTestServer();
    try {
      await t.client.send(new CreateTableCommand({
        TableName: 'Guarded', BillingMode: 'PAY_PER_REQUEST', DeletionProtectionEnabled: true,
        KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }], AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }],
      }));
      await expectError(t.client.send(new DeleteTableCommand({ TableName: 'Guarded' })), 'ValidationException', /protected against deletion/);
      await t.client.send(new UpdateTableCommand({ TableName: 'Guarded', DeletionProtectionEnabled: false }));
      await t.client.send(new DeleteTableCommand({ TableName: 'Guarded' }));
      await createTable(t.client, 'Unguarded', ['id', 'S']);
    } finally {
      await t.close();
    }
  });
});
