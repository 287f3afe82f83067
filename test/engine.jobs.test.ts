/**
 * The background-job runner (engine/jobs/runner.ts) with a fake clock: batches and
 * progress, failures logged and retried with backoff, one owner per job across runners
 * over one store (leases, takeover, fencing), and a clean stop.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Clock } from '../src/engine/clock.js';
import { JobRunner, type JobHandler } from '../src/engine/jobs/runner.js';
import { jobKey } from '../src/engine/keyspace.js';
import { MemoryStore } from '../src/storage/memory.js';
import type { Logger } from '../src/logger.js';
import type { WriteOps } from '../src/storage/kv.js';
import { capturingLogger, frozenClock } from './support/engineFixtures.js';
import { until } from './support/polling.js';

const LEASE_MS = 10_000;

/** A runner that only runs when told (`runDue`): a poll interval far beyond any test. */
function runner(store: MemoryStore, clock: Clock, logger: Logger = capturingLogger()): JobRunner {
  return new JobRunner({ store, clock, logger, leaseMs: LEASE_MS, pollMs: 3_600_000 });
}

/** Counts to `params.to` in steps of 10, writing each step's number under its own key. */
function counter(onFinish: () => Promise<void> = async () => undefined): Required<Pick<JobHandler<{ to: number }, number>, 'batch' | 'finish'>> & { finishes: number } {
  const handler = {
    finishes: 0,
    batch(txn: WriteOps, { to }: { to: number }, at: number | undefined) {
      const from = at ?? 0;
      const next = Math.min(to, from + 10);
      for (let i = from; i < next; i++) txn.put(Buffer.from(`n${String(i).padStart(4, '0')}`), Buffer.from('x'));
      return { state: next, processed: next - from, done: next >= to };
    },
    async finish() {
      handler.finishes++;
      await onFinish();
    },
  };
  return handler;
}

const enqueue = (store: MemoryStore, jobs: JobRunner, id: string, params: unknown, runAt?: number) =>
  store.transact((txn) => jobs.enqueue(txn, { id, kind: 'count', tableId: 7, params, runAt }));

const countKeys = (store: MemoryStore) => [...store.range({ gte: Buffer.from('n'), lt: Buffer.from('o') })].length;

describe('the job runner', () => {
  it('runs a job in bounded batches, then finishes it and removes its record', async () => {
    const store = new MemoryStore();
    const clock = frozenClock();
    const jobs = runner(store, clock);
    const handler = counter();
    jobs.register('count', handler);
    await enqueue(store, jobs, 'c1', { to: 95 });
    await enqueue(store, jobs, 'c1', { to: 5 }); // the same id again: left as it is
    assert.deepEqual((await jobs.list(7)).map((j) => [j.id, j.status, j.processed]), [['c1', 'PENDING', 0]]);
    await jobs.runDue();
    assert.equal(countKeys(store), 95);
    assert.equal(handler.finishes, 1);
    assert.deepEqual(await jobs.list(), []);
    assert.throws(() => jobs.register('count', handler), /already registered/);
  });

  it('reads for each batch before its transaction, from the state the last batch saved', async () => {
    const store = new MemoryStore();
    const clock = frozenClock();
    const jobs = runner(store, clock);
    const seen: (number | undefined)[] = [];
    const inner = counter();
    jobs.register('count', {
      // What the next batch will write, read outside its transaction.
      prepare: async (_params: { to: number }, at: number | undefined) => {
        seen.push(at);
        return store.snapshot((ops) => [...ops.range({ gte: Buffer.from('n'), lt: Buffer.from('o') })].length);
      },
      batch: (txn, params: { to: number }, at: number | undefined, keysBefore?: number) => {
        assert.equal(keysBefore, at ?? 0, 'the prepared read reflects every batch before it');
        return inner.batch(txn, params, at);
      },
    });
    await enqueue(store, jobs, 'prep', { to: 25 });
    await jobs.runDue();
    assert.deepEqual(seen, [undefined, 10, 20]);
    assert.equal(countKeys(store), 25);
  });

  it('does not run a job before its time', async () => {
    const store = new MemoryStore();
    const clock = frozenClock();
    const jobs = runner(store, clock);
    const handler = counter();
    jobs.register('count', handler);
    await enqueue(store, jobs, 'later', { to: 1 }, clock.now() + 500);
    await jobs.runDue();
    assert.equal(handler.finishes, 0);
    clock.advance(500);
    await jobs.runDue();
    assert.equal(handler.finishes, 1);
  });

  it('wakes up when a delayed job falls due, without waiting for the next poll', async () => {
    const store = new MemoryStore();
    const clock = new Clock(); // the system clock: this runner waits in real time
    const jobs = new JobRunner({ store, clock, logger: capturingLogger(), leaseMs: LEASE_MS, pollMs: 3_600_000 });
    const handler = counter();
    jobs.register('count', handler);
    await enqueue(store, jobs, 'soon', { to: 1 }, clock.now() + 50);
    jobs.start(true);
    for (let i = 0; i < 100 && handler.finishes === 0; i++) await new Promise((resolve) => setTimeout(resolve, 10));
    assert.equal(handler.finishes, 1);
    await jobs.stop();
  });

  it('logs a failure, shows it, and runs the job again after a growing backoff, from where it stopped', async () => {
    const store = new MemoryStore();
    const clock = frozenClock();
    const logger = capturingLogger();
    const jobs = runner(store, clock, logger);
    const inner = counter();
    let failuresLeft = 2;
    jobs.register('count', {
      batch: (txn, params, at) => {
        // Fails on its third batch, twice.
        if (at === 20 && failuresLeft > 0) {
          failuresLeft--;
          throw new Error('disk on fire');
        }
        return inner.batch(txn, params, at);
      },
      finish: (params) => inner.finish(params),
    });
    await enqueue(store, jobs, 'flaky', { to: 50 });
    await jobs.runDue();
    assert.equal(logger.errors.length, 1);
    assert.match(logger.errors[0]!, /Background job flaky failed \(attempt 1\); it runs again in 1000 ms/);
    assert.equal((logger.details[0] as Error).message, 'disk on fire');
    let [view] = await jobs.list();
    assert.deepEqual([view!.status, view!.attempts, view!.lastError, view!.processed, view!.runAt], ['RETRYING', 1, 'disk on fire', 20, clock.now() + 1000]);
    await jobs.runDue(); // not yet
    assert.equal(logger.errors.length, 1);
    clock.advance(1000);
    await jobs.runDue();
    [view] = await jobs.list();
    assert.deepEqual([view!.attempts, view!.runAt], [2, clock.now() + 2000]);
    clock.advance(2000);
    await jobs.runDue();
    assert.deepEqual(await jobs.list(), []);
    assert.equal(countKeys(store), 50, 'the batches before the failure were not repeated or lost');
    assert.equal(inner.finishes, 1);
  });

  it('gives each job one owner: another runner takes it over only once the lease expires', async () => {
    const store = new MemoryStore();
    const clock = frozenClock();
    const first = runner(store, clock);
    const second = runner(store, clock);
    let unstick!: () => void;
    const stuck = new Promise<void>((resolve) => (unstick = resolve));
    const hanging = counter(() => stuck); // its holder stalls in finish and stops renewing
    const healthy = counter();
    first.register('count', hanging);
    second.register('count', healthy);
    await enqueue(store, first, 'one', { to: 30 });

    const firstRun = first.runDue();
    await until(() => hanging.finishes === 1, 'the first runner reaches finish');
    assert.equal((await second.list())[0]!.status, 'RUNNING');
    await second.runDue();
    assert.equal(healthy.finishes, 0, 'the lease is held');
    clock.advance(LEASE_MS);
    await second.runDue();
    assert.equal(healthy.finishes, 1, 'taken over after the lease expired');
    assert.deepEqual(await second.list(), []);
    unstick();
    await firstRun;
    assert.deepEqual(await first.list(), [], 'the stalled holder left the record alone');
    assert.equal(countKeys(store), 30);
  });

  it('fences a runner that lost its lease: it writes no further batch', async () => {
    const store = new MemoryStore();
    const clock = frozenClock();
    const jobs = runner(store, clock);
    const inner = counter();
    let batches = 0;
    jobs.register('count', {
      batch: (txn, params, at) => {
        batches++;
        // After the second batch commits, another process takes the job (simulated here).
        if (batches === 2) void Promise.resolve().then(() => store.transact((t) => {
          const record = JSON.parse(t.get(jobKey('fenced'))!.toString());
          t.put(jobKey('fenced'), Buffer.from(JSON.stringify({ ...record, lease: { owner: 'someone else', expiresAt: clock.now() + LEASE_MS } })));
        }));
        return inner.batch(txn, params, at);
      },
      finish: (params) => inner.finish(params),
    });
    await enqueue(store, jobs, 'fenced', { to: 100 });
    await jobs.runDue();
    assert.equal(countKeys(store), 20, 'only the two batches it owned');
    assert.equal(inner.finishes, 0);
    assert.equal((await jobs.list())[0]!.processed, 20);
  });

  it('stops at a batch boundary, hands the lease back, and fires no timer afterwards', async () => {
    const store = new MemoryStore();
    const clock = frozenClock();
    const jobs = new JobRunner({ store, clock, logger: capturingLogger(), leaseMs: LEASE_MS, pollMs: 5 });
    const handler = counter();
    jobs.register('count', handler);
    jobs.start(true);
    await enqueue(store, jobs, 'long', { to: 100_000 });
    jobs.wake();
    while ((await jobs.list())[0]?.processed === 0) await new Promise((resolve) => setTimeout(resolve, 1));
    await jobs.stop();
    await store.close(); // anything the runner did from here on would fail
    const [view] = await jobs.list();
    assert.equal(view!.status, 'PENDING', 'the lease was handed back');
    assert.ok(view!.processed > 0 && view!.processed < 100_000);
    await new Promise((resolve) => setTimeout(resolve, 50)); // ten poll intervals
    assert.equal((await jobs.list())[0]!.processed, view!.processed);
  });
});
