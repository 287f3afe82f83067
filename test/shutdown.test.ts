/**
 * SIGTERM / SIGINT while 16 keep-alive clients keep writing: the real `openddb`
 * command stops in bounded time and exits 0 (single process and `--workers 2`), and
 * every write it acknowledged is there when the directory is opened again.
 */
import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CreateTableCommand, PutItemCommand, ScanCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { startServer } from '../src/index.js';
import { parseCliArgs } from '../src/cli/args.js';
import { sdkClient } from './helpers.js';
import { writeUntilKilled } from './cliProcess.js';

const tempDirs: string[] = [];
function newDataDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'openddb-shutdown-'));
  tempDirs.push(dir);
  return dir;
}
after(() => {
  for (const dir of tempDirs) rmSync(dir, { recursive: true, force: true });
});

const TABLE = 'writes';

async function createWritesTable(client: DynamoDBClient): Promise<void> {
  await client.send(new CreateTableCommand({
    TableName: TABLE, BillingMode: 'PAY_PER_REQUEST',
    KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }], AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'N' }],
  }));
}

/** Every id stored in the table, read by an in-process server on the directory. */
async function storedIds(dataDir: string, table = TABLE): Promise<Set<number>> {
  const server = await startServer({ dataDir, logLevel: 'silent' });
  const client = sdkClient(server.url);
  const ids = new Set<number>();
  try {
    let start: Record<string, any> | undefined;
    do {
      const page = await client.send(new ScanCommand({ TableName: table, ExclusiveStartKey: start }));
      for (const item of page.Items ?? []) ids.add(Number(item.id!.N));
      start = page.LastEvaluatedKey;
    } while (start);
  } finally {
    client.destroy();
    await server.close();
  }
  return ids;
}

interface Stopped {
  acknowledged: number[];
  code: number | null;
  signal: NodeJS.Signals | null;
  /** From the signal to the process's exit. */
  ms: number;
}

/** Writes with 16 keep-alive writers, signals the server mid-stream, waits for it to exit. */
async function signalUnderLoad(dataDir: string, signal: NodeJS.Signals, args: string[] = []): Promise<Stopped> {
  let exit!: Promise<{ code: number | null; signal: NodeJS.Signals | null; ms: number }>;
  const acknowledged = await writeUntilKilled(dataDir, {
    target: 500,
    args: ['--shutdown-timeout', '3s', ...args],
    setup: ({ client }) => createWritesTable(client),
    write: ({ client }, id) => client.send(new PutItemCommand({ TableName: TABLE, Item: { id: { N: String(id) }, payload: { S: 'x'.repeat(100) } } })),
    kill: (child) => {
      const sent = Date.now();
      exit = new Promise((resolve) => child.once('exit', (code, sig) => resolve({ code, signal: sig, ms: Date.now() - sent })));
      child.kill(signal);
    },
  });
  return { acknowledged, ...(await exit) };
}

async function assertAllStored(dataDir: string, acknowledged: number[]): Promise<void> {
  const ids = await storedIds(dataDir);
  const missing = acknowledged.filter((id) => !ids.has(id));
  assert.deepEqual(missing, [], `${missing.length} of ${acknowledged.length} acknowledged writes are missing`);
}

describe('stopping under load', () => {
  it('--shutdown-timeout reads milliseconds and units, and the environment', () => {
    assert.equal(parseCliArgs([], {}).shutdownTimeoutMs, 5000);
    assert.equal(parseCliArgs(['--shutdown-timeout', '2500'], {}).shutdownTimeoutMs, 2500);
    assert.equal(parseCliArgs(['--shutdown-timeout', '750ms'], {}).shutdownTimeoutMs, 750);
    assert.equal(parseCliArgs(['--shutdown-timeout=1.5s'], {}).shutdownTimeoutMs, 1500);
    assert.equal(parseCliArgs([], { OPENDDB_SHUTDOWN_TIMEOUT: '10s' }).shutdownTimeoutMs, 10_000);
    for (const bad of ['soon', '-1', '0', '2h', '']) {
      assert.throws(() => parseCliArgs([`--shutdown-timeout=${bad}`], {}), /invalid shutdown timeout/, bad);
    }
  });

  it('SIGTERM to a single process: exits 0 within the deadline, every acknowledged write kept', async (t) => {
    const dir = newDataDir();
    const stopped = await signalUnderLoad(dir, 'SIGTERM');
    t.diagnostic(`stopped in ${stopped.ms} ms after ${stopped.acknowledged.length} acknowledged writes`);
    assert.equal(stopped.signal, null);
    assert.equal(stopped.code, 0);
    assert.ok(stopped.ms < 3_000 + 2_000, `took ${stopped.ms} ms to stop`);
    await assertAllStored(dir, stopped.acknowledged);
  });

  it('SIGINT to a single process does the same', async (t) => {
    const dir = newDataDir();
    const stopped = await signalUnderLoad(dir, 'SIGINT');
    t.diagnostic(`stopped in ${stopped.ms} ms after ${stopped.acknowledged.length} acknowledged writes`);
    assert.equal(stopped.code, 0);
    assert.ok(stopped.ms < 5_000, `took ${stopped.ms} ms to stop`);
    await assertAllStored(dir, stopped.acknowledged);
  });

  it('SIGTERM to a --workers 2 primary: every worker drains, the primary exits 0', { skip: process.platform === 'win32' }, async (t) => {
    const dir = newDataDir();
    const stopped = await signalUnderLoad(dir, 'SIGTERM', ['--workers', '2']);
    t.diagnostic(`stopped in ${stopped.ms} ms after ${stopped.acknowledged.length} acknowledged writes`);
    assert.equal(stopped.signal, null);
    assert.equal(stopped.code, 0);
    assert.ok(stopped.ms < 3_000 + 4_000, `took ${stopped.ms} ms to stop`);
    await assertAllStored(dir, stopped.acknowledged);
  });
});
