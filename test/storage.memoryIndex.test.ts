/**
 * The in-memory store answers point reads from a map of the keys it wrote or read, beside
 * its tree (memory.ts): gets must agree with ranges through puts, deletes, overwrites,
 * copies restored and clears (which start the map empty), and keep agreeing once the map
 * is full and other keys are read from the tree.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { MemoryStore } from '../src/storage/memory.js';

const key = (n: number): Buffer => Buffer.from(`k${String(n).padStart(4, '0')}`);
const value = (n: number, version: number): Buffer => Buffer.from(`v${n}.${version}`);

/** Every get of keys 0..span-1, and the whole range, against what the model says. */
function assertHolds(store: MemoryStore, model: Map<number, Buffer>, span: number): void {
  for (let n = 0; n < span; n++) assert.deepEqual(store.get(key(n)), model.get(n), `key ${n}`);
  const ranged = [...store.range({})].map((entry) => [entry.key.toString(), entry.value.toString()]);
  const expected = [...model.keys()].sort((a, b) => a - b).map((n) => [key(n).toString(), model.get(n)!.toString()]);
  assert.deepEqual(ranged, expected);
}

async function churn(store: MemoryStore, model: Map<number, Buffer>, span: number, round: number): Promise<void> {
  await store.transact((txn) => {
    for (let n = round % 3; n < span; n += 3) {
      if ((n + round) % 4 === 0) {
        txn.delete(key(n));
        model.delete(n);
      } else {
        txn.put(key(n), value(n, round));
        model.set(n, value(n, round));
      }
    }
  });
}

describe('in-memory store: point reads by key', () => {
  for (const [name, limit] of [['with every key in the map', undefined], ['once the map is full, other keys from the tree', 40]] as const) {
    it(`agrees with ranges through writes, deletes, restored copies and clears, ${name}`, async () => {
      const store = new MemoryStore(undefined, limit);
      const span = 120;
      let model = new Map<number, Buffer>();
      for (let round = 0; round < 6; round++) {
        await churn(store, model, span, round);
        assertHolds(store, model, span);
      }
      await store.saveCopy('before');
      const saved = new Map(model);
      for (let round = 6; round < 9; round++) await churn(store, model, span, round);
      assertHolds(store, model, span);
      assert.equal(await store.restoreCopy('before'), true);
      model = saved;
      assertHolds(store, model, span);
      await churn(store, model, span, 9);
      assertHolds(store, model, span);
      await store.clearAll();
      model.clear();
      assertHolds(store, model, span);
      await churn(store, model, span, 10);
      assertHolds(store, model, span);
    });
  }

  it('sees a transaction\'s own writes over the committed ones, and only after commit from outside', async () => {
    const store = new MemoryStore();
    await store.transact((txn) => txn.put(key(1), value(1, 0)));
    await store.transact((txn) => {
      txn.put(key(1), value(1, 1));
      txn.delete(key(2));
      assert.deepEqual(txn.get(key(1)), value(1, 1));
      assert.deepEqual(store.get(key(1)), value(1, 0));
    });
    assert.deepEqual(store.get(key(1)), value(1, 1));
    await assert.rejects(store.transact((txn) => {
      txn.put(key(1), value(1, 2));
      throw new Error('abandoned');
    }), /abandoned/);
    assert.deepEqual(store.get(key(1)), value(1, 1));
  });
});
