/**
 * A held job's lease (engine/jobs/leaseHolder.ts) is taken over at once when its holder
 * is provably gone — a killed process, or an earlier incarnation of this one — and only
 * then; over a networked store the lease always runs out first.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import type { Clock } from '../src/engine/clock.js';
import { JobRunner } from '../src/engine/jobs/runner.js';
import { readJob, writeJob } from '../src/engine/jobs/jobRecord.js';
import { createLogger } from '../src/logger.js';
import { MemoryStore } from '../src/storage/memory.js';
import type { KVStore } from '../src/storage/kv.js';
import { frozenClock } from './support/engineFixtures.js';

const LEASE_MS = 30_000;
const JOB = { id: 'trigger-delivery:t', kind: 'trigger-delivery', params: {} };

function runnerOver(store: KVStore, clock: Clock): JobRunner {
  return new JobRunner({ store, clock, logger: createLogger('error'), leaseMs: LEASE_MS, pollMs: 3_600_000 });
}

/** The job recorded as held, for the whole lease, by `owner` in process `pid`. */
async function heldBy(store: KVStore, clock: Clock, owner: string, pid: number): Promise<void> {
  const now = clock.now();
  await store.transact((txn) => writeJob(txn, {
    ...JOB, runAt: now, createdAt: now, processed: 0, attempts: 0, lease: { owner, pid, expiresAt: now + LEASE_MS },
  }));
}

/** The pid of a process that has exited. */
async function deadPid(): Promise<number> {
  const child = spawn(process.execPath, ['-e', ''], { stdio: 'ignore' });
  await once(child, 'exit');
  return child.pid!;
}

/** The same store seen as a networked one: no reads outside transactions. */
function networked(store: MemoryStore): KVStore {
  return {
    maxKeyBytes: store.maxKeyBytes,
    transact: (fn) => store.transact(fn),
    snapshot: (fn) => store.snapshot(fn),
    close: () => store.close(),
  };
}

describe('held job leases whose holder is gone', () => {
  it('are taken over at once when the holding process was killed', async () => {
    const store = new MemoryStore();
    const clock = frozenClock();
    const pid = await deadPid();
    await heldBy(store, clock, 'killed-runner', pid);
    const runner = runnerOver(store, clock);
    assert.equal(await runner.hold(JOB), true);
    const lease = store.snapshot((ops) => readJob(ops, JOB.id))!.lease!;
    assert.deepEqual(lease, { owner: runner.owner, pid: process.pid, expiresAt: clock.now() + LEASE_MS });
    await runner.stop();
  });

  it('are taken over at once when they name this process but no runner alive in it', async () => {
    const store = new MemoryStore();
    const clock = frozenClock();
    await heldBy(store, clock, 'earlier-incarnation', process.pid);
    const runner = runnerOver(store, clock);
    assert.equal(await runner.hold(JOB), true);
    await runner.stop();
  });

  it('are not taken over while the holder lives, in another process or in this one', async () => {
    const store = new MemoryStore();
    const clock = frozenClock();
    await heldBy(store, clock, 'other-process', process.ppid);
    const runner = runnerOver(store, clock);
    assert.equal(await runner.hold(JOB), false, 'the holding process still runs');

    const holder = runnerOver(store, clock);
    await store.transact((txn) => writeJob(txn, { ...readJob(txn, JOB.id)!, lease: undefined }));
    assert.equal(await holder.hold(JOB), true);
    assert.equal(await runner.hold(JOB), false, 'a live runner of this process holds it');
    clock.advance(LEASE_MS);
    assert.equal(await runner.hold(JOB), true, 'taken over once the lease expired');
    await Promise.all([runner.stop(), holder.stop()]);
  });

  it('are taken over once the holder stopped (it handed the lease back)', async () => {
    const store = new MemoryStore();
    const clock = frozenClock();
    const holder = runnerOver(store, clock);
    const runner = runnerOver(store, clock);
    assert.equal(await holder.hold(JOB), true);
    await holder.stop();
    assert.equal(await runner.hold(JOB), true);
    await runner.stop();
  });

  it('run out over a networked store, where a pid proves nothing', async () => {
    const memory = new MemoryStore();
    const store = networked(memory);
    const clock = frozenClock();
    await heldBy(store, clock, 'killed-runner', await deadPid());
    const runner = runnerOver(store, clock);
    assert.equal(await runner.hold(JOB), false);
    clock.advance(LEASE_MS - 1);
    assert.equal(await runner.hold(JOB), false);
    clock.advance(1);
    assert.equal(await runner.hold(JOB), true);
    await runner.stop();
  });
});
