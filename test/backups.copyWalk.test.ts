/**
 * The backup copy walk against writes that land between reading a page (from a snapshot)
 * and storing it: every item must end up in the backup as it was at the moment.
 * Driven step by step on one store, so each interleaving is exact.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { MemoryStore } from '../src/storage/memory.js';
import type { ItemChange } from '../src/engine/table.js';
import { indexPrefix } from '../src/engine/keyspace.js';
import { encodeStoredItem } from '../src/engine/storedItem.js';
import { backupItems, copyBatch, readCopyPage, snapshotCopyObserver, startCopy, type CopyPage, type CopyState } from '../src/engine/backups/snapshotCopy.js';

const TABLE = 3;
const BACKUP = 1;
const observer = snapshotCopyObserver([BACKUP]);

const keyOf = (n: number) => Buffer.concat([indexPrefix(TABLE, 0), Buffer.from(`item${String(n).padStart(5, '0')}`)]);
const stored = (n: number, version: number) => encodeStoredItem({ id: { N: String(n) }, v: { N: String(version) } }, 20);

/** A write through the observer, as the table's write path makes it (undefined: delete). */
function write(store: MemoryStore, n: number, version: number | undefined): Promise<void> {
  return store.transact((txn) => {
    const key = keyOf(n);
    const next = version === undefined ? undefined : stored(n, version);
    observer(txn, { storageKey: key, stored: txn.get(key), nextStored: next } as ItemChange);
    if (next === undefined) txn.delete(key);
    else txn.put(key, next);
  });
}

/** The versions the backup holds, by item number. */
function backupVersions(store: MemoryStore): Map<number, string> {
  const held = new Map<number, string>();
  for (const { stored: value } of store.snapshot((ops) => backupItems(ops, BACKUP, undefined, 100_000))) {
    const item = JSON.parse(value.toString('utf8', 4)) as { id: { N: string }; v: { N: string } };
    held.set(Number(item.id.N), item.v.N);
  }
  return held;
}

async function seed(store: MemoryStore, count: number): Promise<void> {
  await store.transact((txn) => {
    for (let n = 0; n < count; n++) txn.put(keyOf(n), stored(n, 0));
  });
  await store.transact((txn) => startCopy(txn, BACKUP)); // the backup's moment
}

const readPage = (store: MemoryStore, state: CopyState | undefined): CopyPage | undefined =>
  store.snapshot((ops) => readCopyPage(ops, TABLE, BACKUP, state));

async function tallyToEnd(store: MemoryStore, state: CopyState): Promise<CopyState> {
  let current = state;
  for (;;) {
    const step = await store.transact((txn) => copyBatch(txn, BACKUP, current, undefined));
    current = step.state!;
    if (step.done) return current;
  }
}

describe('the backup copy walk', () => {
  it('keeps the moment\'s state of items written before, between and after a page is read and stored', async () => {
    const store = new MemoryStore();
    await seed(store, 4);
    await write(store, 1, 1); // after the moment, before the page is read
    const page = readPage(store, undefined)!;
    assert.deepEqual(page.copies.map((c) => c.suffix.toString()), ['item00000', 'item00002', 'item00003'], 'item 1 was saved already');
    await write(store, 2, 2); // between the read and the store
    await write(store, 3, undefined);
    await write(store, 7, 1); // created after the moment
    const step = await store.transact((txn) => copyBatch(txn, BACKUP, undefined, page));
    assert.equal(step.state!.phase, 'tally');
    await write(store, 0, 3); // after the walk
    const done = await tallyToEnd(store, step.state!);
    assert.equal(done.itemCount, 4);
    assert.deepEqual([...backupVersions(store)], [[0, '0'], [1, '0'], [2, '0'], [3, '0']]);
  });

  it('walks several pages while writes hit items behind, inside and ahead of the cursor', async () => {
    const store = new MemoryStore();
    const count = 1234;
    await seed(store, count);
    let state: CopyState | undefined;
    let version = 1;
    for (let pages = 0; state?.phase !== 'tally'; pages++) {
      assert.ok(pages < 10, 'the walk ends');
      const page = readPage(store, state)!;
      // One write behind the page, one inside it, one ahead of it, and a new item.
      const first = page.last === undefined ? count : Number(page.copies[0]?.suffix.toString().slice(4) ?? count);
      for (const n of [first - 1, first + 5, first + 700]) if (n >= 0 && n < count) await write(store, n, version++);
      await write(store, count + pages, version++);
      state = (await store.transact((txn) => copyBatch(txn, BACKUP, state, page))).state!;
    }
    const done = await tallyToEnd(store, state);
    assert.equal(done.itemCount, count);
    const held = backupVersions(store);
    assert.equal(held.size, count);
    assert.deepEqual([...held.values()].filter((v) => v !== '0'), []);
  });
});
