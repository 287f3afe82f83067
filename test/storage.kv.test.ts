import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { KVEntry, KVStore, LocalKVStore, RangeOptions, ReadOps, WriteOps } from '../src/storage/kv.js';
import { openStore } from '../src/storage/open.js';
import { transact } from '../src/engine/transact.js';
import { PostgresStore } from '../src/storage/postgres.js';
import { FaultInjectingStore } from './faultInjectingStore.js';
import { startPostgresCluster } from './postgresCluster.js';

const b = (...bytes: number[]): Buffer => Buffer.from(bytes);
const s = (text: string): Buffer => Buffer.from(text);
const keysOf = (entries: Iterable<KVEntry>): string[] => [...entries].map((e) => e.key.toString('hex'));
const hex = (...keys: Buffer[]): string[] => keys.map((k) => k.toString('hex'));

interface Adapter {
  name: string;
  open(): Promise<KVStore>;
  /** Answers reads outside transactions in the same turn (a LocalKVStore). */
  local?: boolean;
  skip?: string;
}

// PostgreSQL: a throw-away cluster when the server binaries are installed, else the suite skips.
const postgres = await startPostgresCluster();

const tempDirs: string[] = [];
const adapters: Adapter[] = [
  { name: 'memory', open: () => openStore({ inMemory: true }), local: true },
  {
    name: 'lmdb',
    local: true,
    open: () => {
      const dataDir = mkdtempSync(join(tmpdir(), 'openddb-kv-'));
      tempDirs.push(dataDir);
      return openStore({ dataDir });
    },
  },
  // What a networked engine does: callbacks run twice, transactions conflict (here, one
  // in four) and the engine's retry loop runs them again.
  {
    name: 'memory with replays and conflicts, through the engine retry loop',
    open: async () => throughRetries(new FaultInjectingStore({ replay: true, conflictRate: 0.25, seed: 7 })),
    local: true,
  },
  // Serialization failures are expected under load: the engine's retry loop runs them again.
  {
    name: 'postgresql, through the engine retry loop',
    open: async () => throughRetries(await PostgresStore.open({ url: postgres.cluster!.url })),
    skip: postgres.skip,
  },
];
/** `store` with its transactions run as the engine runs them (engine/transact.ts). */
function throughRetries(store: LocalKVStore): LocalKVStore;
function throughRetries(store: KVStore): KVStore;
function throughRetries(store: KVStore): KVStore {
  const wrapped: KVStore = {
    maxKeyBytes: store.maxKeyBytes,
    snapshot: <T>(fn: (txn: ReadOps) => T): T | Promise<T> => store.snapshot(fn),
    transact: <T>(fn: (txn: WriteOps) => T): Promise<T> => transact(store, fn, PATIENT_RETRY),
    close: () => store.close(),
  };
  if (!('get' in store)) return wrapped;
  const local = store as LocalKVStore;
  return { ...wrapped, get: (key: Buffer) => local.get(key), range: (options: RangeOptions) => local.range(options) } as LocalKVStore;
}
/** 200 increments of one counter at once collide a lot; the engine's default gives up sooner. */
const PATIENT_RETRY = { attempts: 60, baseDelayMs: 2, maxDelayMs: 100 };

after(async () => {
  await postgres.cluster?.stop();
  for (const dir of tempDirs) rmSync(dir, { recursive: true, force: true });
});

async function putAll(store: KVStore, keys: Buffer[]): Promise<void> {
  await store.transact((txn) => {
    for (const key of keys) txn.put(key, Buffer.concat([s('v:'), key]));
  });
}

for (const adapter of adapters) {
  describe(`KVStore contract: ${adapter.name}`, { skip: adapter.skip }, () => {
    let store: KVStore;
    before(async () => {
      store = await adapter.open();
    });
    after(() => store.close());
    const get = async (key: Buffer): Promise<Buffer | undefined> => store.snapshot((txn) => txn.get(key));
    const rangeOf = async (options: RangeOptions): Promise<KVEntry[]> => store.snapshot((txn) => [...txn.range(options)]);

    // Each test works under its own one-byte prefix so tests stay independent.
    let nextPrefix = 1;
    const prefixed = (prefix: number, keys: number[][]): Buffer[] => keys.map((k) => b(prefix, ...k));

    it('puts, gets, overwrites and deletes', async () => {
      const key = b(nextPrefix++, 1);
      assert.equal((await get(key)), undefined);
      await store.transact((txn) => txn.put(key, s('one')));
      assert.deepEqual((await get(key)), s('one'));
      await store.transact((txn) => txn.put(key, s('two')));
      assert.deepEqual((await get(key)), s('two'));
      await store.transact((txn) => txn.put(key, Buffer.alloc(0)));
      assert.deepEqual((await get(key)), Buffer.alloc(0));
      await store.transact((txn) => txn.delete(key));
      assert.equal((await get(key)), undefined);
      await store.transact((txn) => txn.delete(key)); // deleting a missing key is fine
    });

    it('returns the value of fn', async () => {
      assert.equal(await store.transact(() => 42), 42);
    });

    it('keeps returned buffers valid and copies the buffers it is given', async () => {
      const p = nextPrefix++;
      const scratch = Buffer.alloc(300, 1);
      const big = Buffer.alloc(100_000, 3);
      await store.transact((txn) => {
        txn.put(b(p, 1), scratch);
        txn.put(b(p, 2), Buffer.alloc(300, 2));
        txn.put(b(p, 3), big);
        txn.put(b(p, 4), Buffer.alloc(100_000, 4));
      });
      scratch.fill(9); // the caller reuses its buffer
      big.fill(9);
      const first = (await get(b(p, 1)))!;
      const firstBig = (await get(b(p, 3)))!;
      const fromRange = await rangeOf({ gte: b(p), lt: b(p + 1) });
      await get(b(p, 2));
      await get(b(p, 4));
      await rangeOf({ gte: b(p), lt: b(p + 1), reverse: true });
      assert.ok(first.length === 300 && first.every((x) => x === 1));
      assert.ok(firstBig.length === 100_000 && firstBig.every((x) => x === 3));
      assert.deepEqual(fromRange.map((e) => [e.value.length, e.value[0]]), [[300, 1], [300, 2], [100_000, 3], [100_000, 4]]);
    });

    it('ranges forward and reverse with an inclusive lower and exclusive upper bound', async () => {
      const p = nextPrefix++;
      const keys = prefixed(p, [[1], [2], [3], [4], [5]]);
      await putAll(store, keys);
      const [k1, k2, k3, k4, k5] = keys;
      assert.deepEqual(keysOf((await rangeOf({ gte: k2, lt: k4 }))), hex(k2, k3));
      assert.deepEqual(keysOf((await rangeOf({ gte: k2, lt: k4, reverse: true }))), hex(k3, k2));
      // bounds that are not keys themselves
      assert.deepEqual(keysOf((await rangeOf({ gte: b(p, 1, 0), lt: b(p, 4, 0) }))), hex(k2, k3, k4));
      assert.deepEqual(keysOf((await rangeOf({ gte: b(p, 1, 0), lt: b(p, 4, 0), reverse: true }))), hex(k4, k3, k2));
      // open-ended on one side
      assert.deepEqual(keysOf((await rangeOf({ gte: k4, lt: b(p + 1) }))), hex(k4, k5));
      assert.deepEqual(keysOf((await rangeOf({ gte: b(p), lt: k2, reverse: true }))), hex(k1));
      assert.deepEqual(keysOf((await rangeOf({ gte: k4, limit: 2 }))), hex(k4, k5));
      assert.deepEqual(keysOf((await rangeOf({ lt: k2, reverse: true, limit: 1 }))), hex(k1));
      // entries carry their values
      assert.deepEqual((await rangeOf({ gte: k3, lt: k4 }))[0]?.value, Buffer.concat([s('v:'), k3]));
      // empty and inverted ranges
      assert.deepEqual(keysOf((await rangeOf({ gte: k3, lt: k3 }))), []);
      assert.deepEqual(keysOf((await rangeOf({ gte: k4, lt: k2 }))), []);
      assert.deepEqual(keysOf((await rangeOf({ gte: k4, lt: k2, reverse: true }))), []);
      assert.deepEqual(keysOf((await rangeOf({ lt: Buffer.alloc(0) }))), []);
    });

    it('ranges without an upper bound from the very end of the key space', async () => {
      // Prefix 0xff is used only here, so these are the greatest keys in the store.
      const keys = prefixed(0xff, [[1], [2], [0xff]]);
      await putAll(store, keys);
      assert.deepEqual(keysOf((await rangeOf({ gte: b(0xff), reverse: true }))), hex(...keys).reverse());
      assert.deepEqual(keysOf((await rangeOf({ reverse: true, limit: 2 }))), hex(keys[2]!, keys[1]!));
      assert.deepEqual(keysOf((await rangeOf({ gte: b(0xff, 2) }))), hex(keys[1]!, keys[2]!));
      assert.deepEqual(keysOf((await rangeOf({ gte: Buffer.alloc(0), limit: 1 }))).length, 1);
    });

    it('applies limits in both directions', async () => {
      const p = nextPrefix++;
      const keys = prefixed(p, [[1], [2], [3], [4], [5]]);
      await putAll(store, keys);
      const all = { gte: b(p), lt: b(p + 1) };
      assert.deepEqual(keysOf((await rangeOf({ ...all, limit: 2 }))), hex(keys[0]!, keys[1]!));
      assert.deepEqual(keysOf((await rangeOf({ ...all, limit: 2, reverse: true }))), hex(keys[4]!, keys[3]!));
      assert.deepEqual(keysOf((await rangeOf({ ...all, limit: 0 }))), []);
      assert.deepEqual(keysOf((await rangeOf({ ...all, limit: 99 }))).length, 5);
    });

    it('orders binary keys by unsigned bytes, including 0x00 and 0xff', async () => {
      const p = nextPrefix++;
      const inPrefix = prefixed(p, [[], [0x00], [0x00, 0x00], [0x00, 0xff], [0x01], [0x7f], [0x80], [0xff], [0xff, 0x00], [0xff, 0xff]]);
      const outside = [b(p - 1, 0xff, 0xff), b(p + 1), b(p + 1, 0x00)];
      await putAll(store, [...outside, ...inPrefix].reverse());
      // prefix p: [p] <= key < [p + 1]
      assert.deepEqual(keysOf((await rangeOf({ gte: b(p), lt: b(p + 1) }))), hex(...inPrefix));
      assert.deepEqual(keysOf((await rangeOf({ gte: b(p), lt: b(p + 1), reverse: true }))), hex(...inPrefix).reverse());
      // prefix [p, 0xff]: its successor is [p + 1]
      const ffPrefix = hex(...prefixed(p, [[0xff], [0xff, 0x00], [0xff, 0xff]]));
      assert.deepEqual(keysOf((await rangeOf({ gte: b(p, 0xff), lt: b(p + 1) }))), ffPrefix);
      assert.deepEqual(keysOf((await rangeOf({ gte: b(p, 0xff), lt: b(p + 1), reverse: true }))), [...ffPrefix].reverse());
      // prefix [p, 0x00]
      const zeroPrefix = hex(...prefixed(p, [[0x00], [0x00, 0x00], [0x00, 0xff]]));
      assert.deepEqual(keysOf((await rangeOf({ gte: b(p, 0x00), lt: b(p, 0x01) }))), zeroPrefix);
      assert.deepEqual(keysOf((await rangeOf({ gte: b(p, 0x00), lt: b(p, 0x01), reverse: true }))), [...zeroPrefix].reverse());
    });

    it('enforces the key length limits', async () => {
      const p = nextPrefix++;
      const longest = Buffer.alloc(store.maxKeyBytes, 0xab);
      longest[0] = p;
      await store.transact((txn) => txn.put(longest, s('ok')));
      assert.deepEqual((await get(longest)), s('ok'));
      await assert.rejects(store.transact((txn) => txn.put(Buffer.alloc(store.maxKeyBytes + 1, p), s('x'))));
      await assert.rejects(store.transact((txn) => txn.put(Buffer.alloc(0), s('x'))));
    });

    it('lets reads inside a transaction see its own writes and deletes', async () => {
      const p = nextPrefix++;
      const [k1, k2, k3, k4, k5] = prefixed(p, [[1], [2], [3], [4], [5]]) as [Buffer, Buffer, Buffer, Buffer, Buffer];
      await putAll(store, [k1, k3, k5]);
      const all = { gte: b(p), lt: b(p + 1) };
      const seen = await store.transact((txn) => {
        txn.put(k2, s('new2'));
        txn.put(k3, s('new3'));
        txn.delete(k5);
        txn.put(k4, s('gone'));
        txn.delete(k4);
        return {
          get: [txn.get(k2), txn.get(k3), txn.get(k4), txn.get(k5), txn.get(k1)],
          forward: keysOf(txn.range(all)),
          reverse: keysOf(txn.range({ ...all, reverse: true })),
          limited: keysOf(txn.range({ ...all, limit: 2 })),
          reverseLimited: keysOf(txn.range({ ...all, reverse: true, limit: 2 })),
          bounded: keysOf(txn.range({ gte: k2, lt: k5, reverse: true })),
          values: [...txn.range(all)].map((e) => e.value.toString()),
        };
      });
      assert.deepEqual(seen.get, [s('new2'), s('new3'), undefined, undefined, Buffer.concat([s('v:'), k1])]);
      assert.deepEqual(seen.forward, hex(k1, k2, k3));
      assert.deepEqual(seen.reverse, hex(k3, k2, k1));
      assert.deepEqual(seen.limited, hex(k1, k2));
      assert.deepEqual(seen.reverseLimited, hex(k3, k2));
      assert.deepEqual(seen.bounded, hex(k3, k2));
      assert.deepEqual(seen.values, [Buffer.concat([s('v:'), k1]).toString(), 'new2', 'new3']);
      // and all of it was committed
      assert.deepEqual(keysOf((await rangeOf(all))), hex(k1, k2, k3));
    });

    it('puts if absent: keeps a value committed or written before it, and reads see what is kept', async () => {
      const p = nextPrefix++;
      const [k1, k2, k3, k4, k5, k6, k7] = prefixed(p, [[1], [2], [3], [4], [5], [6], [7]]) as [Buffer, Buffer, Buffer, Buffer, Buffer, Buffer, Buffer];
      await putAll(store, [k1, k2]);
      const all = { gte: b(p), lt: b(p + 1) };
      const committed1 = Buffer.concat([s('v:'), k1]);
      // Ranged before any point read: an undecided putIfAbsent must still show in the range.
      const ranged = await store.transact((txn) => {
        txn.putIfAbsent(k1, s('not kept'));
        txn.putIfAbsent(k7, s('new7'));
        return [...txn.range(all)].map((e) => [e.key.toString('hex'), e.value.toString()]);
      });
      assert.deepEqual(ranged, [[hex(k1)[0], committed1.toString()], [hex(k2)[0], Buffer.concat([s('v:'), k2]).toString()], [hex(k7)[0], 'new7']]);
      const seen = await store.transact((txn) => {
        txn.putIfAbsent(k1, s('not kept')); // committed: kept
        txn.delete(k2);
        txn.putIfAbsent(k2, s('new2')); // deleted in this transaction: put
        txn.putIfAbsent(k3, s('new3')); // absent: put
        txn.putIfAbsent(k3, s('not kept')); // the first one stays
        txn.put(k4, s('new4'));
        txn.putIfAbsent(k4, s('not kept')); // written in this transaction: kept
        txn.putIfAbsent(k5, s('gone'));
        txn.delete(k5); // a later delete wins
        txn.putIfAbsent(k6, s('not kept'));
        txn.put(k6, s('new6')); // a later put wins
        return {
          get: [k1, k2, k3, k4, k5, k6].map((k) => txn.get(k)?.toString()),
          reverse: keysOf(txn.range({ ...all, reverse: true })),
        };
      });
      const expected = [committed1.toString(), 'new2', 'new3', 'new4', undefined, 'new6'];
      assert.deepEqual(seen.get, expected);
      assert.deepEqual(seen.reverse, hex(k7, k6, k4, k3, k2, k1));
      // and so it was committed
      assert.deepEqual((await rangeOf(all)).map((e) => e.value.toString()), [committed1.toString(), 'new2', 'new3', 'new4', 'new6', 'new7']);
      // Transactions started together: the first putIfAbsent of a key is kept, a put after one replaces it.
      const [k8, k9] = prefixed(p, [[8], [9]]) as [Buffer, Buffer];
      await Promise.all([
        store.transact((txn) => txn.putIfAbsent(k8, s('first'))),
        store.transact((txn) => txn.putIfAbsent(k8, s('second'))),
        store.transact((txn) => txn.putIfAbsent(k9, s('not kept'))),
        store.transact((txn) => txn.put(k9, s('put'))),
      ]);
      // A conflict and its retry may reorder the first two (their order is not given); never both.
      assert.ok(['first', 'second'].includes((await get(k8))!.toString()));
      assert.equal((await get(k9))!.toString(), 'put');
    });

    it('allows writes while iterating a range inside a transaction', async () => {
      const p = nextPrefix++;
      const keys = prefixed(p, [[1], [2], [3], [4], [5], [6]]);
      await putAll(store, keys);
      const all = { gte: b(p), lt: b(p + 1) };
      const visited = await store.transact((txn) => {
        const seen: string[] = [];
        for (const { key } of txn.range(all)) {
          seen.push(key.toString('hex'));
          txn.delete(key);
          txn.put(Buffer.concat([key, b(0)]), s('copy'));
        }
        return seen;
      });
      assert.deepEqual(visited, hex(...keys));
      assert.deepEqual(keysOf((await rangeOf(all))), hex(...keys.map((k) => Buffer.concat([k, b(0)]))));
    });

    it('writes nothing when fn throws, and rejects with its error', async () => {
      const p = nextPrefix++;
      const [k1, k2] = prefixed(p, [[1], [2]]) as [Buffer, Buffer];
      await putAll(store, [k1]);
      const failure = new Error('changed my mind');
      await assert.rejects(
        store.transact((txn) => {
          txn.put(k2, s('x'));
          txn.delete(k1);
          throw failure;
        }),
        (error) => error === failure,
      );
      assert.equal((await get(k2)), undefined);
      assert.deepEqual((await get(k1)), Buffer.concat([s('v:'), k1]));
    });

    // Small and large batches may take different commit paths (LMDB: writer thread / main thread).
    for (const concurrent of [3, 50]) it(`keeps a failed transaction from affecting ${concurrent} concurrent ones`, async () => {
      const p = nextPrefix++;
      const results = await Promise.allSettled(
        Array.from({ length: concurrent }, (_, i) =>
          store.transact((txn) => {
            txn.put(b(p, i), s('x'));
            if (i % 5 === 0) throw new Error(`fail ${i}`);
            return i;
          }),
        ),
      );
      assert.equal(results.filter((r) => r.status === 'rejected').length, Math.ceil(concurrent / 5));
      const committed = (await rangeOf({ gte: b(p), lt: b(p + 1) })).map((e) => e.key[1]);
      assert.deepEqual(committed, Array.from({ length: concurrent }, (_, i) => i).filter((i) => i % 5 !== 0));
    });

    it('serialises read-modify-write transactions, 200 at once and in waves of every size', async () => {
      const counter = b(nextPrefix++);
      const increment = () =>
        store.transact((txn) => {
          const current = txn.get(counter)?.readUInt32BE(0) ?? 0;
          const next = Buffer.alloc(4);
          next.writeUInt32BE(current + 1);
          txn.put(counter, next);
          return current + 1;
        });
      const all: Promise<number>[] = [];
      // Each wave lands in a later event-loop turn, often while the previous batch commits.
      for (const size of [200, 1, 2, 9, 1, 30, 4, 7, 8, 1, 12, 3]) {
        for (let i = 0; i < size; i++) all.push(increment());
        await new Promise((resolve) => setImmediate(resolve));
      }
      const seen = await Promise.all(all);
      assert.equal((await get(counter))?.readUInt32BE(0), all.length);
      assert.deepEqual([...seen].sort((x, y) => x - y), Array.from({ length: all.length }, (_, i) => i + 1));
    });

    it('rejects use of a transaction after fn returned', async () => {
      let escaped: { put(key: Buffer, value: Buffer): void } | undefined;
      await store.transact((txn) => {
        escaped = txn;
      });
      assert.throws(() => escaped!.put(b(nextPrefix++), s('late')), /already finished/);
    });

    it('makes committed writes visible to reads once transact resolves', async () => {
      const key = b(nextPrefix++);
      for (let i = 0; i < 20; i++) {
        await store.transact((txn) => txn.put(key, b(i)));
        assert.deepEqual((await get(key)), b(i));
      }
    });

    it('reads one consistent snapshot', async () => {
      const p = nextPrefix++;
      const keys = prefixed(p, [[1], [2], [3]]);
      await putAll(store, keys);
      const read = await store.snapshot((snap) => ({
        one: snap.get(keys[0]!),
        missing: snap.get(b(p, 9)),
        all: keysOf(snap.range({ gte: b(p), lt: b(p + 1), reverse: true, limit: 2 })),
      }));
      assert.deepEqual(read, { one: Buffer.concat([s('v:'), keys[0]!]), missing: undefined, all: hex(keys[2]!, keys[1]!) });
    });

    // A networked adapter has no reads outside a transaction, so no such iterator to keep.
    it('keeps a range iterator on the data it started with while commits land', { skip: adapter.local !== true }, async () => {
      const p = nextPrefix++;
      const keys = prefixed(p, [[1], [2], [3], [4]]);
      await putAll(store, keys);
      const iterator = (store as LocalKVStore).range({ gte: b(p), lt: b(p + 1) })[Symbol.iterator]();
      assert.deepEqual(iterator.next().value?.key, keys[0]);
      await store.transact((txn) => {
        txn.delete(keys[2]!);
        txn.put(b(p, 2, 5), s('inserted'));
        for (let i = 0; i < 200; i++) txn.put(b(p, 3, i), s('more')); // forces B-tree node splits
      });
      const rest: Buffer[] = [];
      for (let step = iterator.next(); !step.done; step = iterator.next()) rest.push(step.value.key);
      assert.deepEqual(hex(...rest), hex(keys[1]!, keys[2]!, keys[3]!));
    });
  });
}
