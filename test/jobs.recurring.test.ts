/**
 * Recurring and held jobs (engine/jobs/runner.ts) with a fake clock, and the upkeep kinds
 * built on them (engine/jobs/upkeepJobs.ts): a recurring job runs once per interval and
 * re-schedules itself, shows in the job list, retries with backoff and ends itself; with
 * two databases over one store exactly one sweeps each interval; a held job (trigger
 * delivery) has one holder, handed over when it stops.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Clock } from '../src/engine/clock.js';
import { JobRunner, type JobBatch } from '../src/engine/jobs/runner.js';
import { registerUpkeepJobs } from '../src/engine/jobs/upkeepJobs.js';
import { blindMutation } from '../src/engine/itemWrite.js';
import { MemoryStore } from '../src/storage/memory.js';
import type { Logger } from '../src/logger.js';
import type { WriteOps } from '../src/storage/kv.js';
import { capturingLogger, frozenClock, hashKeyedSpec, twoDatabases } from './support/engineFixtures.js';

const LEASE_MS = 10_000;
const EVERY_MS = 1_000;

/** A runner that only runs when told (`runDue`). */
function runner(store: MemoryStore, clock: Clock, logger: Logger = capturingLogger()): JobRunner {
  return new JobRunner({ store, clock, logger, leaseMs: LEASE_MS, pollMs: 3_600_000 });
}

/**
 * Each run counts up to `params.to` in batches of 10 keys `t<run>-<n>`; the run whose
 * number is `params.lastRun` is final. Records the runs and committed batches it saw.
 */
function ticker(failOnRun?: number) {
  const seen = { runs: [] as number[], committed: 0, failed: false };
  const handler = {
    everyMs: EVERY_MS,
    batch(txn: WriteOps, { to, lastRun }: { to: number; lastRun: number }, at: number | undefined): JobBatch<number> {
      const runKey = Buffer.from('run');
      const run = (txn.get(runKey)?.readUInt32BE(0) ?? 0) + (at === undefined ? 1 : 0);
      if (run === failOnRun && !seen.failed) {
        seen.failed = true;
        throw new Error('sweeper jammed');
      }
      const counter = Buffer.alloc(4);
      counter.writeUInt32BE(run);
      txn.put(runKey, counter);
      const from = at ?? 0;
      const next = Math.min(to, from + 10);
      for (let i = from; i < next; i++) txn.put(Buffer.from(`t${run}-${String(i).padStart(3, '0')}`), Buffer.from('x'));
      const done = next >= to;
      return { state: next, processed: next - from, done, ...(done && run === lastRun ? { final: true } : {}) };
    },
    committed(step: JobBatch<number>) {
      seen.committed += step.processed;
    },
  };
  return { handler, seen };
}

const keysOfRun = (store: MemoryStore, run: number) => [...store.range({ gte: Buffer.from(`t${run}-`), lt: Buffer.from(`t${run}.`) })].length;

describe('recurring jobs', () => {
  it('run once per interval, re-scheduling themselves, until a run is final', async () => {
    const store = new MemoryStore();
    const clock = frozenClock();
    const jobs = runner(store, clock);
    const { handler, seen } = ticker();
    jobs.register('tick', handler);
    await store.transact((txn) => jobs.enqueue(txn, { id: 'tick:1', kind: 'tick', tableId: 1, params: { to: 25, lastRun: 3 } }));
    await jobs.runDue();
    assert.equal(keysOfRun(store, 1), 25, 'the first run, in three batches');
    let [view] = await jobs.list(1);
    assert.deepEqual([view!.id, view!.status, view!.processed, view!.runAt], ['tick:1', 'PENDING', 25, clock.now() + EVERY_MS]);

    await jobs.runDue();
    clock.advance(EVERY_MS - 1);
    await jobs.runDue();
    assert.equal(keysOfRun(store, 2), 0, 'not again within the interval');
    clock.advance(1);
    await jobs.runDue();
    await jobs.runDue();
    assert.equal(keysOfRun(store, 2), 25, 'once when the interval has passed');
    [view] = await jobs.list();
    assert.deepEqual([view!.processed, view!.runAt], [50, clock.now() + EVERY_MS]);

    clock.advance(EVERY_MS);
    await jobs.runDue();
    assert.equal(keysOfRun(store, 3), 25);
    assert.deepEqual(await jobs.list(), [], 'the final run removed the job');
    clock.advance(EVERY_MS);
    await jobs.runDue();
    assert.equal(keysOfRun(store, 4), 0);
    assert.equal(seen.committed, 75, 'committed once per committed batch');
  });

  it('retries a failed run with backoff, resuming its cursor, and runs at once when the clock moves back', async () => {
    const store = new MemoryStore();
    const clock = frozenClock();
    const logger = capturingLogger();
    const jobs = runner(store, clock, logger);
    const { handler } = ticker(2);
    jobs.register('tick', handler);
    await store.transact((txn) => jobs.enqueue(txn, { id: 'tick:1', kind: 'tick', params: { to: 5, lastRun: 99 } }));
    await jobs.runDue();
    clock.advance(EVERY_MS);
    await jobs.runDue();
    assert.equal(logger.errors.length, 1);
    assert.match(logger.errors[0]!, /Background job tick:1 failed \(attempt 1\); it runs again in 1000 ms/);
    let [view] = await jobs.list();
    assert.deepEqual([view!.status, view!.attempts, view!.lastError], ['RETRYING', 1, 'sweeper jammed']);
    clock.advance(1000);
    await jobs.runDue();
    assert.equal(keysOfRun(store, 2), 5);
    [view] = await jobs.list();
    assert.deepEqual([view!.status, view!.attempts, view!.lastError, view!.runAt], ['PENDING', 0, undefined, clock.now() + EVERY_MS]);

    // The clock goes back an hour: the job is not left waiting for the hour to pass again.
    clock.advance(-3_600_000);
    await jobs.runDue();
    assert.equal(keysOfRun(store, 3), 5);
    [view] = await jobs.list();
    assert.equal(view!.runAt, clock.now() + EVERY_MS);
  });
});

describe('held jobs', () => {
  it('have one holder at a time, renewed cheaply, handed over on stop', async () => {
    const store = new MemoryStore();
    const clock = frozenClock();
    const a = runner(store, clock);
    const b = runner(store, clock);
    const job = { id: 'trigger-delivery:audit', kind: 'trigger-delivery', params: { trigger: 'audit' } };
    const [first, second] = await Promise.all([a.hold(job), b.hold(job)]);
    assert.deepEqual([first, second], [true, false]);
    const [view] = await a.list();
    assert.deepEqual([view!.id, view!.status], ['trigger-delivery:audit', 'RUNNING']);
    await a.runDue(); // no handler: polling leaves a held job alone
    assert.equal((await b.list()).length, 1);

    clock.advance(LEASE_MS / 2);
    assert.equal(await a.hold(job), true, 'renewed');
    clock.advance(LEASE_MS / 2 + 1);
    assert.equal(await b.hold(job), false, 'the renewal moved the expiry on');
    await a.stop();
    assert.deepEqual(await b.list(), [], 'stopping hands the job back');
    assert.equal(await b.hold(job), true, 'the other runner takes over at once');
    assert.equal(await a.hold(job), false, 'a stopped runner holds nothing');
    await b.stop();
  });

  it('moves to another runner once the holder stops renewing', async () => {
    const store = new MemoryStore();
    const clock = frozenClock();
    const a = runner(store, clock);
    const b = runner(store, clock);
    const job = { id: 'trigger-delivery:audit', kind: 'trigger-delivery', params: {} };
    assert.equal(await a.hold(job), true);
    clock.advance(LEASE_MS - 1);
    assert.equal(await b.hold(job), false);
    clock.advance(1);
    assert.equal(await b.hold(job), true, 'the lapsed lease is taken over');
    assert.equal(await a.hold(job), false, 'the old holder learns it lost the job');
  });
});

describe('upkeep jobs over one store shared by two databases', () => {
  const spec = hashKeyedSpec('sessions');

  it('sweep each expired item once, one database per interval, and end when TTL is disabled', async () => {
    const store = new MemoryStore();
    const clock = frozenClock();
    const [a, b] = await twoDatabases(store, { delayTransientStatuses: false, clock, logger: capturingLogger(), jobTiming: { leaseMs: LEASE_MS, pollMs: 3_600_000 } });
    const deletedBy = { a: 0, b: 0 };
    registerUpkeepJobs(a, { ttlIntervalMs: EVERY_MS, shardRolloverMs: 3_600_000, onTtlDeleted: (_, n) => (deletedBy.a += n) });
    registerUpkeepJobs(b, { ttlIntervalMs: EVERY_MS, shardRolloverMs: 3_600_000, onTtlDeleted: (_, n) => (deletedBy.b += n) });
    await a.createTable(spec);
    const nowSeconds = clock.now() / 1000;
    const write = async (from: number, count: number, exp: number) => {
      const table = a.table('sessions');
      for (let i = from; i < from + count; i++) {
        const item = { id: { S: `s${i}` }, exp: { N: String(exp) } };
        await a.writeItem(table, { id: item.id }, blindMutation(() => item));
      }
    };
    const stored = (id: string) => a.getStoredItem(a.table('sessions'), { id: { S: id } }) !== undefined;
    // Either database's own timer may start a due run as well; it is still one run, by one of them.
    const sweepBoth = async () => {
      const before = { ...deletedBy };
      await Promise.all([a.jobs.runDue(), b.jobs.runDue()]);
      return [deletedBy.a - before.a, deletedBy.b - before.b];
    };
    await write(0, 1200, nowSeconds - 1);
    await write(1200, 10, nowSeconds + 3600);
    assert.deepEqual(await b.listJobs('sessions'), [], 'no upkeep before TTL is enabled');
    await a.updateTable('sessions', (meta) => ({ ...meta, ttl: { attributeName: 'exp', enabled: true, changedAt: clock.now() } }));
    const [job] = await b.listJobs('sessions');
    assert.deepEqual([job!.id, job!.kind, job!.tableId], ['ttl-sweep:1', 'ttl-sweep', 1]);
    const first = await sweepBoth();
    assert.ok(first.includes(0) && first.includes(1200), `one database swept them all: ${first}`);
    assert.deepEqual(await sweepBoth(), [0, 0], 'not again within the interval');

    await write(2000, 30, nowSeconds - 1);
    clock.advance(EVERY_MS);
    const second = await sweepBoth();
    assert.ok(second.includes(0) && second.includes(30), `one database swept: ${second}`);
    assert.deepEqual([stored('s0'), stored('s2029'), stored('s1200'), stored('s1209')], [false, false, true, true]);
    assert.equal((await a.listJobs('sessions'))[0]!.processed, 1230, 'the job counts what it deleted');

    // TTL disabled: the next run removes the job; the items left stay.
    await b.updateTable('sessions', (meta) => ({ ...meta, ttl: { attributeName: 'exp', enabled: false, changedAt: clock.now() } }));
    await write(3000, 5, nowSeconds - 1);
    clock.advance(EVERY_MS);
    assert.deepEqual(await sweepBoth(), [0, 0]);
    assert.deepEqual(await a.listJobs(), []);
    assert.ok(stored('s3000'));
    await a.close();
    await b.close();
  });
});
