import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openStore } from '../src/storage/open.js';

const tempDirs: string[] = [];
after(() => {
  for (const dir of tempDirs) rmSync(dir, { recursive: true, force: true });
});

describe('LMDB store', () => {
  it('grows the memory map for a data set far beyond its initial size', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'openddb-lmdb-'));
    tempDirs.push(dataDir);
    const store = await openStore({ dataDir });
    const valueFor = (i: number): Buffer => Buffer.alloc(8192, i & 0xff);
    const keyFor = (i: number): Buffer => {
      const key = Buffer.alloc(4);
      key.writeUInt32BE(i);
      return key;
    };
    const count = 32_000; // ~256 MiB of values
    const perTransaction = 1000;
    const batches: Promise<void>[] = [];
    for (let start = 0; start < count; start += perTransaction) {
      batches.push(
        store.transact((txn) => {
          for (let i = start; i < start + perTransaction; i++) txn.put(keyFor(i), valueFor(i));
        }),
      );
    }
    await Promise.all(batches);
    assert.ok(statSync(join(dataDir, 'openddb.mdb')).size > 256 * 1024 * 1024);
    for (const i of [0, 1, 12_345, count - 1]) assert.deepEqual(store.get(keyFor(i)), valueFor(i));
    let seen = 0;
    for (const { key } of store.range({})) assert.equal(key.readUInt32BE(0), seen++);
    assert.equal(seen, count);
    await store.close();
  });

  it('maps the file once as it grows, so its pages are not counted in RSS several times (Linux)', { skip: process.platform !== 'linux' }, async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'openddb-lmdb-'));
    tempDirs.push(dataDir);
    const file = join(dataDir, 'openddb.mdb');
    const store = await openStore({ dataDir });
    for (let batch = 0; batch < 8; batch++) {
      await store.transact((txn) => {
        for (let i = 0; i < 256; i++) txn.put(Buffer.from(`k${batch}-${i}`), Buffer.alloc(8192, i));
      });
    }
    assert.ok(statSync(file).size > 16 * 1024 * 1024);
    const mappings = readFileSync('/proc/self/maps', 'utf8').split('\n').filter((line) => line.endsWith(file));
    assert.equal(mappings.length, 1, mappings.join('\n'));
    await store.close();
  });

  it('opens and works under an address-space limit, reserving no more than it may map (Linux)', { skip: process.platform !== 'linux' }, () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'openddb-lmdb-'));
    tempDirs.push(dataDir);
    const openUrl = new URL('../src/storage/open.js', import.meta.url).href;
    const mapSizeUrl = new URL('../src/storage/mapSize.js', import.meta.url).href;
    const script = `
      const { openStore } = await import(${JSON.stringify(openUrl)});
      const { reservedMapSize } = await import(${JSON.stringify(mapSizeUrl)});
      const store = await openStore({ dataDir: ${JSON.stringify(dataDir)} });
      await store.transact((txn) => txn.put(Buffer.from('k'), Buffer.from('v')));
      console.log(String(reservedMapSize()), store.get(Buffer.from('k')).toString());
      await store.close();`;
    // 8 GB of address space: enough for Node, not for a 256 GiB reservation.
    const output = execFileSync('bash', ['-c', 'ulimit -v 8000000 && exec "$0" --input-type=module -e "$1"', process.execPath, script], { encoding: 'utf8' });
    assert.equal(output.trim(), 'undefined v');
  });
});
