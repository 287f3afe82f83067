/**
 * `--durability relaxed`: a write is acknowledged once its commit reached the
 * operating system. It must still survive kill -9 of the server, and the store must
 * reopen cleanly (never torn) however the process died.
 */
import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GetItemCommand, PutItemCommand, ScanCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { parseCliArgs } from '../src/cli/args.js';
import { openStore } from '../src/storage/open.js';
import type { LocalKVStore } from '../src/storage/kv.js';
import { createTable, startTestServer } from './helpers.js';
import { runCli, writeUntilKilled } from './cliProcess.js';
import { killWithWorkers, killWriterMidStream } from './support/killLoop.js';

const storeModule = new URL('../src/storage/open.js', import.meta.url).href;
const tempDirs: string[] = [];
function newDataDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'openddb-relaxed-'));
  tempDirs.push(dir);
  return dir;
}
after(() => {
  for (const dir of tempDirs) rmSync(dir, { recursive: true, force: true });
});

/** Every entry of the store, read start to end: a torn B-tree would throw or lose entries here. */
function allEntries(store: LocalKVStore): Map<string, string> {
  const entries = new Map<string, string>();
  for (const { key, value } of store.range({})) entries.set(key.toString(), value.toString());
  return entries;
}

describe('--durability and --flush-interval flags', () => {
  it('default to full durability and a 100 ms flush interval', () => {
    const config = parseCliArgs([], {});
    assert.equal(config.durability, 'full');
    assert.equal(config.flushIntervalMs, 100);
  });

  it('read the flags, and the environment where no flag is given', () => {
    assert.equal(parseCliArgs([], { OPENDDB_DURABILITY: 'relaxed' }).durability, 'relaxed');
    assert.equal(parseCliArgs(['--durability', 'full'], { OPENDDB_DURABILITY: 'relaxed' }).durability, 'full');
    assert.equal(parseCliArgs(['--flush-interval', '250'], {}).flushIntervalMs, 250);
    assert.equal(parseCliArgs([], { OPENDDB_FLUSH_INTERVAL: '20' }).flushIntervalMs, 20);
  });

  it('reject unknown modes, bad intervals and relaxed durability in memory', async () => {
    assert.throws(() => parseCliArgs(['--durability', 'none'], {}), /invalid durability: none \(full or relaxed\)/);
    for (const bad of ['0', '-5', '1.5', 'soon', '60001']) {
      assert.throws(() => parseCliArgs([`--flush-interval=${bad}`], {}), /invalid flush interval/);
    }
    assert.throws(() => parseCliArgs(['--durability', 'relaxed', '--in-memory'], {}), /--durability relaxed needs a data directory/);
    const { code, output } = await runCli(['--durability', 'sometimes']);
    assert.equal(code, 2);
    assert.match(output, /invalid durability: sometimes/);
  });
});

// 16 concurrent writers on a relaxed store; a key is printed once its transaction has
// resolved (acknowledged). Readers keep reading meanwhile.
const writerScript = `
const { openStore } = await import(process.env.STORE_MODULE);
const store = await openStore({ dataDir: process.env.DATA_DIR, durability: 'relaxed', flushIntervalMs: 100 });
process.stdout.write('ready\\n');
let next = 0;
async function writer() {
  for (;;) {
    const key = 'key-' + String(next++).padStart(7, '0');
    await store.transact((txn) => {
      txn.put(Buffer.from(key), Buffer.from('value of ' + key + ' ' + 'x'.repeat(500)));
      // A second key in the same transaction: both or neither must be there after the crash.
      txn.put(Buffer.from('twin-' + key), Buffer.from(key));
    });
    process.stdout.write(key + '\\n');
  }
}
for (let i = 0; i < 16; i++) writer();
async function reader() {
  for (;;) {
    for (let i = 0; i < 50; i++) store.get(Buffer.from('key-' + String(i).padStart(7, '0')));
    await new Promise((resolve) => setImmediate(resolve));
  }
}
for (let i = 0; i < 4; i++) reader();
`;

describe('relaxed durability: the store', () => {
  it('keeps every acknowledged write, and whole transactions only, after SIGKILL during heavy writes', async () => {
    const dataDir = newDataDir();
    const { acknowledged: lines } = await killWriterMidStream(writerScript, {
      env: { STORE_MODULE: storeModule, DATA_DIR: dataDir },
      enoughBytes: 60_000,
    });
    assert.ok(lines.length > 2000, `acknowledged ${lines.length} writes`);

    const store = await openStore({ dataDir, durability: 'relaxed' });
    try {
      const entries = allEntries(store);
      const missing = lines.filter((key) => !entries.get(key)?.startsWith(`value of ${key} `));
      assert.deepEqual(missing, []);
      const keys = [...entries.keys()].filter((key) => key.startsWith('key-'));
      const twins = [...entries.keys()].filter((key) => key.startsWith('twin-'));
      assert.equal(twins.length, keys.length, 'every transaction wrote both of its keys or neither');
      for (const key of keys) assert.equal(entries.get(`twin-${key}`), key);
      // The reopened store takes writes again.
      await store.transact((txn) => txn.put(Buffer.from('after'), Buffer.from('the crash')));
      assert.equal(store.get(Buffer.from('after'))?.toString(), 'the crash');
    } finally {
      await store.close();
    }
  });

  it('switches between full and relaxed durability on the same data', async () => {
    const dataDir = newDataDir();
    const modes = ['relaxed', 'full', 'relaxed', 'full'] as const;
    for (const [round, durability] of modes.entries()) {
      const store = await openStore({ dataDir, durability });
      assert.equal(allEntries(store).size, round, `the ${round} earlier writes are there (${durability})`);
      await store.transact((txn) => txn.put(Buffer.from(`round-${round}`), Buffer.from(durability)));
      await store.close();
    }
  });
});

/** Reads every acknowledged id back through a fresh server on `dir`, and scans the whole table. */
async function checkAfterRestart(dir: string, acknowledged: number[]): Promise<void> {
  const t = await startTestServer({ dataDir: dir, durability: 'relaxed' });
  try {
    for (const id of acknowledged) {
      const { Item } = await t.client.send(new GetItemCommand({ TableName: 'events', Key: { id: { N: String(id) } } }));
      assert.ok(Item, `acknowledged item ${id} is missing after kill -9`);
    }
    assert.ok((await scanCount(t.client)) >= acknowledged.length);
  } finally {
    await t.close();
  }
}

async function scanCount(client: DynamoDBClient): Promise<number> {
  let count = 0;
  let ExclusiveStartKey: Record<string, never> | undefined;
  do {
    const page = await client.send(new ScanCommand({ TableName: 'events', Select: 'COUNT', ExclusiveStartKey }));
    count += page.Count ?? 0;
    ExclusiveStartKey = page.LastEvaluatedKey as typeof ExclusiveStartKey;
  } while (ExclusiveStartKey !== undefined);
  return count;
}


const putEvent = ({ client }: { client: DynamoDBClient }, id: number) =>
  client.send(new PutItemCommand({ TableName: 'events', Item: { id: { N: String(id) }, payload: { S: 'x'.repeat(200) } } }));

describe('relaxed durability: the server', () => {
  it('keeps every acknowledged PutItem after SIGKILL mid-stream', async () => {
    const dir = newDataDir();
    const acknowledged = await writeUntilKilled(dir, {
      target: 1500,
      args: ['--durability', 'relaxed'],
      setup: ({ client }) => createTable(client, 'events', ['id', 'N']),
      write: putEvent,
    });
    await checkAfterRestart(dir, acknowledged);
  });

  it('keeps every acknowledged PutItem with --workers 2 when all processes are killed', { skip: process.platform !== 'linux' && 'reads /proc' }, async () => {
    const dir = newDataDir();
    const acknowledged = await writeUntilKilled(dir, {
      target: 1500,
      args: ['--durability', 'relaxed', '--workers', '2'],
      setup: ({ client }) => createTable(client, 'events', ['id', 'N']),
      write: putEvent,
      kill: (primary) => killWithWorkers(primary, 2),
    });
    await checkAfterRestart(dir, acknowledged);
  });
});
