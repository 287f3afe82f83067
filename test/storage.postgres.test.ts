/**
 * What the PostgreSQL adapter adds to the storage contract (storage.kv.test.ts runs that
 * against it): serialization failures reported as StorageConflict, read-through replay
 * (callbacks rerun, ranges fetched in growing chunks), and the --storage option.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import pg from 'pg';
import { StorageConflict } from '../src/storage/kv.js';
import { PostgresStore } from '../src/storage/postgres.js';
import { parseCliArgs, UsageError } from '../src/cli/args.js';
import { transact } from '../src/engine/transact.js';
import { startPostgresCluster } from './postgresCluster.js';

const postgres = await startPostgresCluster();
const b = (...bytes: number[]): Buffer => Buffer.from(bytes);

describe('PostgreSQL adapter', { skip: postgres.skip }, () => {
  let store: PostgresStore;
  let admin: pg.Client;
  before(async () => {
    store = await PostgresStore.open({ url: postgres.cluster!.url, table: 'adapter_test' });
    admin = new pg.Client({ connectionString: postgres.cluster!.url });
    await admin.connect();
  });
  after(async () => {
    await store.close();
    await admin.end();
    await postgres.cluster!.stop();
  });

  /** The statements sent while `body` runs (each `query` call is one round trip). */
  async function countingRoundTrips<T>(body: () => Promise<T>): Promise<{ result: T; statements: string[] }> {
    const sent: string[] = [];
    const original = pg.Client.prototype.query;
    pg.Client.prototype.query = function (this: pg.Client, ...args: unknown[]) {
      const config = args[0] as string | { text: string };
      sent.push(typeof config === 'string' ? config : config.text);
      return (original as (...a: unknown[]) => unknown).apply(this, args);
    } as typeof original;
    try {
      return { result: await body(), statements: sent };
    } finally {
      pg.Client.prototype.query = original;
    }
  }

  it('fetches the point reads of a run together, opening the transaction and committing in the same round trips', async () => {
    await store.transact((txn) => {
      txn.put(b(7, 1), b(11));
      txn.put(b(7, 2), b(12));
    });
    const { result, statements } = await countingRoundTrips(() =>
      store.transact((txn) => {
        const seen = [txn.get(b(7, 1)), txn.get(b(7, 2)), txn.get(b(7, 3))].map((v) => v?.[0]);
        txn.put(b(7, 3), b((seen[0] ?? 0) + (seen[1] ?? 0)));
        return seen;
      }),
    );
    assert.deepEqual(result, [11, 12, undefined]);
    assert.equal(statements.length, 2, statements.join('\n'));
    assert.match(statements[0]!, /^BEGIN ISOLATION LEVEL SERIALIZABLE; SELECT/);
    assert.match(statements[1]!, /^INSERT .*; COMMIT$/s);
    assert.deepEqual(await store.snapshot((snap) => snap.get(b(7, 3))), b(23));
  });

  it('commits a blind write in one round trip and still answers values read after a speculative miss', async () => {
    const blind = await countingRoundTrips(() => store.transact((txn) => txn.put(b(8, 1), b(1))));
    assert.equal(blind.statements.length, 1);
    assert.match(blind.statements[0]!, /^BEGIN ISOLATION LEVEL SERIALIZABLE; INSERT .*; COMMIT$/s);
    // The second key depends on the first value: the run that guessed "absent" is thrown away.
    const chained = await store.snapshot((snap) => {
      const first = snap.get(b(8, 1));
      return first === undefined ? 'guessed' : snap.get(b(7, first[0]!))?.[0];
    });
    assert.equal(chained, 11);
  });

  it('decides an unread putIfAbsent at commit: a blind insert that keeps what is there', async () => {
    await store.transact((txn) => txn.put(b(40, 2), b(2)));
    const { statements } = await countingRoundTrips(() =>
      Promise.all([store.transact((txn) => txn.putIfAbsent(b(40, 2), b(9))), store.transact((txn) => txn.putIfAbsent(b(40, 3), b(3)))]),
    );
    assert.equal(statements.length, 1, statements.join('\n'));
    assert.match(statements[0]!, /^BEGIN ISOLATION LEVEL SERIALIZABLE; INSERT .* ON CONFLICT \(head, hash\) DO NOTHING; COMMIT$/s);
    assert.deepEqual(await store.snapshot((snap) => [snap.get(b(40, 2)), snap.get(b(40, 3))]), [b(2), b(3)]);
  });

  it('reads a small table by its index, never sequentially (which would lock it all against writers)', async () => {
    const table = 'plans_test';
    const small = await PostgresStore.open({ url: postgres.cluster!.url, table, poolSize: 2 });
    try {
      // A few thousand rows, analysed: the size at which the planner would rather scan or hash the table.
      const key = (n: number) => Buffer.from([0, 0, n >> 8, n & 0xff]);
      await small.transact((txn) => {
        for (let n = 1; n <= 2000; n++) txn.put(key(n), key(n));
      });
      await admin.query(`ANALYZE ${table}`);
      // Past the five custom plans after which a connection may switch to the generic plan;
      // reads of many keys at once, which the planner would answer by hashing the whole table.
      for (let n = 1; n <= 40; n++) {
        const many = Array.from({ length: 25 }, (_, i) => key(n * 25 + i));
        assert.deepEqual(await small.snapshot((snap) => many.map((k) => snap.get(k))), many);
        await small.transact((txn) => {
          txn.put(key(n + 1500), Buffer.concat([txn.get(key(n + 1500))!, b(1)]));
          txn.delete(key(n + 1800));
        });
        await small.snapshot((snap) => [...snap.range({ gte: key(n), lt: key(n + 50), limit: 5 })]);
      }
      // Statistics reach the view within about a second of each session's last statement.
      const scans = async () => (await admin.query('SELECT seq_scan, idx_scan FROM pg_stat_user_tables WHERE relname = $1', [table])).rows[0] as { seq_scan: string; idx_scan: string };
      for (let waited = 0; Number((await scans()).idx_scan) < 160; waited += 100) {
        assert.ok(waited < 10_000, 'the index scans never showed in pg_stat_user_tables');
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      // One scan builds the primary key when the table is created; none since.
      assert.ok(Number((await scans()).seq_scan) <= 1, `sequential scans: ${(await scans()).seq_scan}`);
    } finally {
      await small.close();
    }
  });

  it('answers the first point reads of snapshots started together with one statement, each its own values', async () => {
    await store.transact((txn) => {
      for (let i = 0; i < 8; i++) txn.put(b(13, i), b(100 + i));
    });
    const { result, statements } = await countingRoundTrips(() =>
      Promise.all([
        ...Array.from({ length: 8 }, (_, i) => store.snapshot((ops) => ops.get(b(13, i))?.[0])),
        store.snapshot((ops) => ops.get(b(13, 99))), // absent
        store.snapshot((ops) => [ops.get(b(13, 1))?.[0], ops.get(b(13, 2))?.[0]]), // two keys, same statement
      ]),
    );
    assert.deepEqual(result, [100, 101, 102, 103, 104, 105, 106, 107, undefined, [101, 102]]);
    assert.equal(statements.length, 1, statements.join('\n'));
    assert.match(statements[0]!, /unnest/);

    // A snapshot that needs more than its first point reads reads again inside a transaction of its own.
    const { result: more } = await countingRoundTrips(() =>
      store.snapshot((ops) => {
        const first = ops.get(b(13, 0))?.[0];
        return first === undefined ? [] : [first, ...[...ops.range({ gte: b(13), lt: b(14), limit: 3 })].map((e) => e.value[0])];
      }),
    );
    assert.deepEqual(more, [100, 100, 101, 102]);
  });

  it('stores bytes as given, empty values included, and orders keys bytewise', async () => {
    await store.transact((txn) => {
      txn.put(b(1, 0xff), b());
      txn.put(b(1, 0x00), b(0, 0, 0));
      txn.put(b(1), b(9));
    });
    const read = await store.snapshot((snap) => [...snap.range({ gte: b(1), lt: b(2) })].map((e) => [e.key.toString('hex'), e.value.toString('hex')]));
    assert.deepEqual(read, [['01', '09'], ['0100', '000000'], ['01ff', '']]);
    const { rows } = await admin.query('SELECT key FROM adapter_test WHERE key >= $1 AND key < $2 ORDER BY key', [b(1), b(2)]);
    assert.deepEqual(rows.map((r: { key: Buffer }) => r.key.toString('hex')), ['01', '0100', '01ff']);
  });

  it('reports a serialization failure as StorageConflict and writes nothing of the loser', async () => {
    const key = b(2);
    await store.transact((txn) => txn.put(key, b(0)));
    // Another session (another node, say) has changed the key and not committed yet.
    await admin.query('BEGIN ISOLATION LEVEL SERIALIZABLE');
    await admin.query('UPDATE adapter_test SET value = $2 WHERE key = $1', [key, b(0, 9)]);
    const loser = store.transact((txn) => {
      const current = txn.get(key);
      txn.put(b(2, 1), b(1));
      txn.put(key, Buffer.concat([current ?? b(), b(1)]));
    });
    // The store read the old value and now waits for the row; the other session commits.
    for (let waited = 0; ; waited += 10) {
      const { rows } = await admin.query(`SELECT 1 FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND pid <> pg_backend_pid()`);
      if (rows.length > 0) break;
      assert.ok(waited < 10_000, 'the store never waited for the row');
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    // Handled before the commit: the store may hear of the conflict before the COMMIT's reply.
    const outcome = assert.rejects(loser, (error) => error instanceof StorageConflict);
    await admin.query('COMMIT');
    await outcome;
    const final = await store.snapshot((snap) => ({ value: [...snap.get(key)!], markers: [...snap.range({ gte: b(2, 0), lt: b(3) })].length }));
    assert.deepEqual(final, { value: [0, 9], markers: 0 });
  });

  it('runs the write transactions started together in one database transaction, one after another', async () => {
    const key = b(8);
    await store.transact((txn) => txn.put(key, b(0)));
    const appender = (value: number) =>
      store.transact((txn) => {
        const current = txn.get(key)!;
        txn.put(b(8, value), b(value));
        txn.put(key, Buffer.concat([current, b(value)]));
        // One of them fails after writing: it must leave nothing behind, the others unharmed.
        if (value === 3) throw new Error('three refused');
        return current.length;
      });
    const { result: results, statements } = await countingRoundTrips(() => Promise.allSettled([1, 2, 3, 4, 5].map(appender)));
    assert.deepEqual(results.map((r) => (r.status === 'fulfilled' ? r.value : (r.reason as Error).message)), [1, 2, 'three refused', 3, 4]);
    // Each saw the writes of those before it: one serial order, no conflict among them.
    const final = await store.snapshot((snap) => ({ value: [...snap.get(key)!], markers: [...snap.range({ gte: b(8, 0), lt: b(9) })].map((e) => e.key[1]) }));
    assert.deepEqual(final, { value: [0, 1, 2, 4, 5], markers: [1, 2, 4, 5] });
    // BEGIN with the reads, then the writes with COMMIT: two round trips for all five.
    assert.equal(statements.length, 2, statements.join('\n'));
  });

  it('runs concurrent read-modify-writes to the right total through the engine retry loop', async () => {
    const counter = b(3);
    // Two stores over one table, as two nodes: their write groups conflict with each other.
    const other = await PostgresStore.open({ url: postgres.cluster!.url, table: 'adapter_test' });
    try {
      const increment = (on: PostgresStore) =>
        transact(on, (txn) => {
          const n = txn.get(counter)?.readUInt32BE(0) ?? 0;
          const next = Buffer.alloc(4);
          next.writeUInt32BE(n + 1);
          txn.put(counter, next);
        }, { attempts: 100, baseDelayMs: 1, maxDelayMs: 50 });
      await Promise.all(Array.from({ length: 40 }, (_, i) => increment(i % 2 === 0 ? store : other)));
      assert.equal((await store.snapshot((snap) => snap.get(counter)))!.readUInt32BE(0), 40);
    } finally {
      await other.close();
    }
  });

  it('reruns the callback for each read it had not fetched, and fetches ranges in growing chunks', async () => {
    await store.transact((txn) => {
      for (let i = 0; i < 1000; i++) txn.put(b(4, i >> 8, i & 0xff), b(i & 0xff));
    });
    let runs = 0;
    const seen = await store.snapshot((snap) => {
      runs++;
      return [...snap.range({ gte: b(4), lt: b(5) })].length;
    });
    assert.equal(seen, 1000);
    // One fetch per run but the last; 16, 32, 64 ... entries per fetch: a handful, not 63.
    assert.ok(runs >= 3 && runs <= 8, `${runs} runs`);
    // In reverse, with a limit, the limit is what is asked for first.
    runs = 0;
    const last = await store.snapshot((snap) => {
      runs++;
      return [...snap.range({ gte: b(4), lt: b(5), reverse: true, limit: 3 })].map((e) => e.key.toString('hex'));
    });
    assert.deepEqual(last, ['0403e7', '0403e6', '0403e5']);
    assert.equal(runs, 2);
  });

  it('fetches what a callback that swallows errors needed, and answers what the final run returns', async () => {
    await store.transact((txn) => txn.put(b(5), b(42)));
    const value = await store.snapshot((snap) => {
      try {
        return snap.get(b(5))?.[0];
      } catch {
        return 'swallowed';
      }
    });
    assert.equal(value, 42);
  });

  it('rejects with the callback error, writing nothing, and refuses writes in a snapshot', async () => {
    await assert.rejects(
      store.transact((txn) => {
        txn.put(b(6), b(1));
        txn.get(b(6, 1));
        throw new Error('no');
      }),
      /no/,
    );
    assert.equal(await store.snapshot((snap) => snap.get(b(6))), undefined);
    await assert.rejects(Promise.resolve(store.snapshot((snap) => (snap as unknown as { put(k: Buffer, v: Buffer): void }).put(b(6), b(1)))), /read-only/);
  });

  it('keeps keys longer than a B-tree entry, ordered bytewise also where they share their first 2048 bytes', async () => {
    const long = (tail: number[], length = 4026): Buffer => {
      const key = Buffer.alloc(length, 0x5a);
      key[0] = 9;
      Buffer.from(tail).copy(key, length - tail.length);
      return key;
    };
    const keys = [long([1]), long([2]), long([1, 0], 4000), long([3], 2049), long([0xff], 2048), long([0x10], 3000)];
    await store.transact((txn) => keys.forEach((key, i) => txn.put(key, b(i))));
    const sorted = [...keys].sort(Buffer.compare);
    const forward = await store.snapshot((snap) => [...snap.range({ gte: b(9), lt: b(10) })].map((e) => e.key));
    assert.deepEqual(forward, sorted);
    const backward = await store.snapshot((snap) => [...snap.range({ gte: b(9), lt: b(10), reverse: true })].map((e) => e.key));
    assert.deepEqual(backward, [...sorted].reverse());
    // Bounds that fall between keys sharing a head.
    const middle = await store.snapshot((snap) => [...snap.range({ gte: sorted[1], lt: sorted[4] })].map((e) => e.key));
    assert.deepEqual(middle, sorted.slice(1, 4));
    assert.deepEqual(await store.snapshot((snap) => keys.map((key) => snap.get(key)?.[0])), [0, 1, 2, 3, 4, 5]);
    await store.transact((txn) => txn.delete(keys[0]!));
    assert.equal(await store.snapshot((snap) => snap.get(keys[0]!)), undefined);
    assert.deepEqual(await store.snapshot((snap) => snap.get(keys[1]!)), b(1));
  });

  it('converts a table of the first layout (key as primary key) on open, keeping its data', async () => {
    await admin.query('CREATE TABLE first_layout (key bytea PRIMARY KEY, value bytea NOT NULL)');
    await admin.query(`INSERT INTO first_layout VALUES ('\\x0102'::bytea, '\\x07'::bytea)`);
    const converted = await PostgresStore.open({ url: postgres.cluster!.url, table: 'first_layout' });
    try {
      assert.deepEqual(await converted.snapshot((snap) => snap.get(b(1, 2))), b(7));
      const longKey = Buffer.alloc(converted.maxKeyBytes, 1);
      await converted.transact((txn) => txn.put(longKey, b(8)));
      assert.deepEqual(await converted.snapshot((snap) => snap.get(longKey)), b(8));
    } finally {
      await converted.close();
    }
  });

  it('keeps serving after a connection is killed', async () => {
    await admin.query("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE pid <> pg_backend_pid() AND datname = current_database() AND backend_type = 'client backend'");
    // The pool drops the dead connections; a retry lands on a fresh one.
    let result: Buffer | undefined;
    for (let attempt = 0; attempt < 5 && result === undefined; attempt++) {
      try {
        await store.transact((txn) => txn.put(b(7), b(7)));
        result = await store.snapshot((snap) => snap.get(b(7)));
      } catch {
        // a killed connection fails the one transaction that used it
      }
    }
    assert.deepEqual(result, b(7));
  });
});

describe('--storage', () => {
  it('picks lmdb, memory or a PostgreSQL URL, from the flag or OPENDDB_STORAGE', () => {
    assert.equal(parseCliArgs([], {}).postgresUrl, undefined);
    assert.equal(parseCliArgs(['--storage', 'memory'], {}).inMemory, true);
    assert.equal(parseCliArgs(['--storage', 'lmdb'], {}).dataDir, './data');
    const url = 'postgresql://u:p@db:5432/openddb';
    const viaFlag = parseCliArgs(['--storage', url], {});
    assert.equal(viaFlag.postgresUrl, url);
    assert.equal(viaFlag.dataDir, undefined);
    assert.equal(parseCliArgs([], { OPENDDB_STORAGE: 'postgres://h/d' }).postgresUrl, 'postgres://h/d');
    assert.throws(() => parseCliArgs(['--storage', 'mysql://x'], {}), UsageError);
    assert.throws(() => parseCliArgs(['--storage', url, '--in-memory'], {}), UsageError);
    assert.equal(parseCliArgs(['--storage', url, '--workers', '2'], {}).workers, 2);
  });
});
