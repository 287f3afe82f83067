/**
 * The server bundle `npm run build` makes for the `openddb` command (scripts/bundle-server.mjs):
 * it must serve like the modules it bundles, in memory and on disk, console included, and
 * the command must never run a bundle older than the compiled modules.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { GetItemCommand, PutItemCommand, QueryCommand } from '@aws-sdk/client-dynamodb';
import { bundleIsCurrent } from '../src/cli/serverModule.js';
import type { RunningServer } from '../src/index.js';
import { createTable, sdkClient } from './helpers.js';

const BUNDLE = fileURLToPath(new URL('../src/bundle/index.js', import.meta.url));
const CONSOLE_BUILT = existsSync(fileURLToPath(new URL('../console/index.html', import.meta.url)));
const skip = existsSync(BUNDLE) ? false : 'no server bundle: built by `npm run build`, not by `tsc` alone';

describe('server bundle', { skip }, () => {
  let bundle: typeof import('../src/index.js');
  const dirs: string[] = [];

  before(async () => {
    bundle = (await import(BUNDLE)) as typeof import('../src/index.js');
  });
  after(() => {
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  });

  async function roundTrip(server: RunningServer): Promise<void> {
    const client = sdkClient(server.url);
    try {
      await createTable(client, 'bundled', ['pk', 'S'], ['sk', 'N']);
      for (let n = 0; n < 3; n++) {
        await client.send(new PutItemCommand({ TableName: 'bundled', Item: { pk: { S: 'p' }, sk: { N: String(n) }, v: { S: `value ${n}` } } }));
      }
      const got = await client.send(new GetItemCommand({ TableName: 'bundled', Key: { pk: { S: 'p' }, sk: { N: '1' } } }));
      assert.deepEqual(got.Item, { pk: { S: 'p' }, sk: { N: '1' }, v: { S: 'value 1' } });
      const page = await client.send(new QueryCommand({ TableName: 'bundled', KeyConditionExpression: 'pk = :p', ExpressionAttributeValues: { ':p': { S: 'p' } }, ScanIndexForward: false }));
      assert.deepEqual(page.Items?.map((i) => i.sk?.N), ['2', '1', '0']);
    } finally {
      client.destroy();
    }
  }

  it('serves in memory, with the console assets found from the bundle', async () => {
    const server = await bundle.startServer({ inMemory: true, port: 0, logLevel: 'silent' });
    try {
      await roundTrip(server);
      if (CONSOLE_BUILT) {
        const page = await fetch(`${server.url}/console`);
        assert.equal(page.status, 200);
        assert.match(await page.text(), /<html/i);
      }
    } finally {
      await server.close();
    }
  });

  it('serves on disk (the storage engine loaded from its own chunk)', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'openddb-bundle-'));
    dirs.push(dataDir);
    const server = await bundle.startServer({ dataDir, port: 0, logLevel: 'silent' });
    try {
      await roundTrip(server);
    } finally {
      await server.close();
    }
  });
});

describe('which server module the command loads', () => {
  it('the bundle only when it is at least as new as the compiled modules', () => {
    assert.equal(bundleIsCurrent(2000, 1000), true);
    assert.equal(bundleIsCurrent(1000, 1000), true);
    assert.equal(bundleIsCurrent(1000, 2000), false, 'a stale bundle (tsc ran after it) never runs');
    assert.equal(bundleIsCurrent(undefined, 1000), false);
    assert.equal(bundleIsCurrent(1000, undefined), false);
  });
});
