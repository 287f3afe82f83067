/** The `openddb` command line: flags, DynamoDB Local aliases, shutdown, data-dir exclusivity. */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ListTablesCommand } from '@aws-sdk/client-dynamodb';
import { parseCliArgs } from '../src/cli/args.js';
import { createTable, sdkClient } from './helpers.js';
import { runCli, spawnCli } from './cliProcess.js';

describe('cli arguments', () => {
  it('has the documented defaults', () => {
    const c = parseCliArgs([], {});
    assert.equal(c.port, 8000);
    assert.equal(c.host, '127.0.0.1');
    assert.equal(c.dataDir, './data');
    assert.equal(c.inMemory, false);
    assert.equal(c.region, 'us-east-1');
  });

  it('accepts DynamoDB Local flags as aliases', () => {
    const c = parseCliArgs(['-port', '9000', '-dbPath', '/tmp/x', '-sharedDb', '-cors', '*', '-delayTransientStatuses'], {});
    assert.equal(c.port, 9000);
    assert.equal(c.dataDir, '/tmp/x');
    assert.equal(c.cors, '*');
    assert.equal(c.delayTransientStatuses, true);
    assert.equal(parseCliArgs(['-inMemory'], {}).inMemory, true);
  });

  it('reads environment variables, flags win', () => {
    const env = { OPENDDB_PORT: '7000', OPENDDB_HOST: '0.0.0.0', OPENDDB_IN_MEMORY: '1', OPENDDB_REGION: 'eu-west-1' };
    const c = parseCliArgs(['--port', '7001'], env);
    assert.equal(c.port, 7001);
    assert.equal(c.host, '0.0.0.0');
    assert.equal(c.inMemory, true);
    assert.equal(c.dataDir, undefined);
    assert.equal(c.region, 'eu-west-1');
  });

  it('rejects unknown flags and bad values', () => {
    assert.throws(() => parseCliArgs(['--nope'], {}));
    assert.throws(() => parseCliArgs(['--port', 'abc'], {}));
    assert.throws(() => parseCliArgs(['--log-level', 'loud'], {}));
  });
});

describe('cli process', () => {
  it('serves, refuses a second server on the same data dir, and stops cleanly on SIGTERM', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'openddb-cli-'));
    try {
      const first = await spawnCli(['--port', '0', '--data-dir', dir]);
      const client = sdkClient(first.url);
      await createTable(client, 'kept', ['id', 'S']);
      const second = await runCli(['--port', '0', '--data-dir', dir]);
      assert.equal(second.code, 1);
      assert.match(second.output, /in use by another OpenDDB process/);

      const exited = new Promise<number | null>((r) => first.child.once('exit', r));
      first.child.kill('SIGTERM');
      assert.equal(await exited, 0);
      client.destroy();

      const again = await spawnCli(['--port', '0', '--data-dir', dir]);
      const client2 = sdkClient(again.url);
      const { TableNames } = await client2.send(new ListTablesCommand({}));
      assert.deepEqual(TableNames, ['kept']);
      client2.destroy();
      again.child.kill('SIGINT');
      await new Promise((r) => again.child.once('exit', r));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('prints help', async () => {
    const { code, output } = await runCli(['--help']);
    assert.equal(code, 0);
    assert.match(output, /--data-dir/);
  });
});
