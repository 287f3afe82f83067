import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openStore } from '../src/storage/open.js';
import { killWriterMidStream } from './support/killLoop.js';

const storeModule = new URL('../src/storage/open.js', import.meta.url).href;
const tempDirs: string[] = [];
function newDataDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'openddb-durability-'));
  tempDirs.push(dir);
  return dir;
}
after(() => {
  for (const dir of tempDirs) rmSync(dir, { recursive: true, force: true });
});

const valueOf = (key: string): Buffer => Buffer.from(`value of ${key}`);

// 16 concurrent writers; a key is printed only once its transaction has resolved.
// READERS readers keep reading meanwhile (the LMDB store then commits on its writer
// thread rather than the main thread).
const writerScript = `
const { openStore } = await import(process.env.STORE_MODULE);
const store = await openStore({ dataDir: process.env.DATA_DIR });
process.stdout.write('ready\\n');
let next = 0;
async function writer() {
  for (;;) {
    const key = 'key-' + next++;
    await store.transact((txn) => txn.put(Buffer.from(key), Buffer.from('value of ' + key)));
    process.stdout.write(key + '\\n');
  }
}
for (let i = 0; i < 16; i++) writer();
async function reader() {
  for (;;) {
    for (let i = 0; i < 50; i++) store.get(Buffer.from('key-' + i));
    await new Promise((resolve) => setImmediate(resolve));
  }
}
for (let i = 0; i < Number(process.env.READERS); i++) reader();
`;

describe('LMDB durability', () => {
  for (const readers of [0, 4]) it(`keeps every acknowledged write when the process is killed with SIGKILL (${readers} readers)`, async () => {
    const dataDir = newDataDir();
    const { acknowledged: lines } = await killWriterMidStream(writerScript, {
      env: { STORE_MODULE: storeModule, DATA_DIR: dataDir, READERS: String(readers) },
      enoughBytes: 40_000,
      // While it runs, the data directory is locked against other processes.
      whileRunning: (child) => assert.rejects(
        openStore({ dataDir }),
        new RegExp(`^Error: data directory .* is in use by another OpenDDB process \\(pid ${child.pid}\\)$`),
      ),
    });
    assert.ok(lines.length > 1000, `acknowledged ${lines.length} writes`);

    // The dead writer's lock is stale and taken over.
    const store = await openStore({ dataDir });
    try {
      const missing = lines.filter((key) => !valueOf(key).equals(store.get(Buffer.from(key)) ?? Buffer.alloc(0)));
      assert.deepEqual(missing, []);
    } finally {
      await store.close();
    }
  });
});

describe('data directory lock', () => {
  const lockFile = (dataDir: string): string => join(dataDir, 'openddb.lock');

  it('refuses a second open while the first is open, and allows it after close', async () => {
    const dataDir = join(newDataDir(), 'nested', 'data');
    const first = await openStore({ dataDir });
    assert.equal(readFileSync(lockFile(dataDir), 'utf8').trim(), String(process.pid));
    await assert.rejects(openStore({ dataDir }), {
      message: `data directory ${dataDir} is already open in this process (pid ${process.pid})`,
    });
    await first.close();
    assert.equal(existsSync(lockFile(dataDir)), false);
    const second = await openStore({ dataDir });
    await second.close();
  });

  it('refuses a data directory locked by another live process', async () => {
    const dataDir = newDataDir();
    const sleeper = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 60_000)'], { stdio: 'ignore' });
    try {
      writeFileSync(lockFile(dataDir), `${sleeper.pid}\n`);
      await assert.rejects(openStore({ dataDir }), {
        message: `data directory ${dataDir} is in use by another OpenDDB process (pid ${sleeper.pid})`,
      });
      assert.equal(readFileSync(lockFile(dataDir), 'utf8'), `${sleeper.pid}\n`);
    } finally {
      sleeper.kill('SIGKILL');
    }
  });

  it('takes over a lock left by a dead process, and a leftover of our own pid', async () => {
    const deadPid = spawnSync(process.execPath, ['-e', '']).pid!;
    for (const leftover of [`${deadPid}\n`, `${process.pid}\n`, '']) {
      const dataDir = newDataDir();
      writeFileSync(lockFile(dataDir), leftover);
      const store = await openStore({ dataDir });
      assert.equal(readFileSync(lockFile(dataDir), 'utf8'), `${process.pid}\n`);
      await store.close();
      assert.equal(existsSync(lockFile(dataDir)), false);
    }
  });

  it('persists data across close and reopen', async () => {
    const dataDir = newDataDir();
    const first = await openStore({ dataDir });
    await first.transact((txn) => txn.put(Buffer.from('kept'), Buffer.from('yes')));
    await first.close();
    const second = await openStore({ dataDir });
    assert.deepEqual(second.get(Buffer.from('kept')), Buffer.from('yes'));
    await second.close();
  });
});
