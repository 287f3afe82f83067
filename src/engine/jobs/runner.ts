/**
 * The background-job runner, the one home of background work: index builds and drops,
 * table purges and delayed status changes; TTL sweeps, shard rollover and log trimming
 * (recurring kinds); trigger delivery (a held job). Each kind is registered with one
 * `register` call.
 *
 * - One owner per job across every process over the store: a runner claims a due job by
 *   writing a lease into its record in a transaction, renews it with every batch, and
 *   each batch checks in its own transaction that the lease is still its own, so a
 *   runner that lost the job (it stalled and another took over) writes nothing more.
 *   A lease that is not renewed expires and another runner takes the job over.
 * - Bounded work: a handler's `batch` runs in one transaction that also saves the
 *   job's cursor and progress; between batches the runner lets queued requests run.
 * - Failures are logged and the job runs again later, with exponential backoff; its
 *   record shows the attempts and the last error meanwhile.
 * - Recurring kinds: a run that ends does not remove its job but makes it due again one
 *   interval later, in the transaction of its last batch, until a batch says it is final.
 * - Held jobs (`hold`): work that runs continuously in one process (trigger delivery)
 *   takes the lease alone and renews it while it works; another runner takes over when
 *   the lease lapses or is handed back.
 * - Over an embedded store a lease whose holder is provably gone (leaseHolder.ts: its
 *   process was killed) is taken over at once, so a restarted server does not wait it out.
 * - `stop()` clears the timer and waits for running jobs to reach a batch boundary, then
 *   hands their leases back, so nothing runs against a store that is being closed.
 */
import { randomUUID } from 'node:crypto';
import { isLocalStore, type KVStore, type WriteOps } from '../../storage/kv.js';
import type { Logger } from '../../logger.js';
import type { Clock } from '../clock.js';
import { transact } from '../transact.js';
import { leaseHolderGone, runnerStarted, runnerStopped } from './leaseHolder.js';
import { deleteJob, jobView, readAllJobs, readJob, writeJob, type JobLease, type JobRecord, type JobView } from './jobRecord.js';

export interface JobBatch<S> {
  /** The cursor the next batch starts from. */
  state: S | undefined;
  /** Items or keys this batch handled, for the job's progress. */
  processed: number;
  /** This run's work is done. */
  done: boolean;
  /** With `done`, for a recurring kind: no further runs, its record is removed. */
  final?: boolean;
}

export interface JobHandler<P = any, S = any, R = any> {
  /**
   * Reads for the next batch, done before its transaction (from a storage snapshot), so
   * that the batch need not read in its transaction what concurrent writers write: over
   * a store with serializable transactions, such reads would make the batch and those
   * writers conflict. What it answers is `batch`'s `prepared`; a batch retried after a
   * conflict reuses it, so the batch must be correct with reads taken any time before it.
   */
  prepare?(params: P, state: S | undefined): Promise<R>;
  /**
   * One bounded batch of work inside the transaction that renews the lease and saves
   * the returned cursor. Like every transaction callback it may run more than once
   * (storage/kv.ts): a pure function of `txn`, `params`, `state` and `prepared`.
   */
  batch?(txn: WriteOps, params: P, state: S | undefined, prepared?: R): JobBatch<S>;
  /**
   * Once every batch is done (or at once, without `batch`): the rest, outside a
   * transaction (a catalog change, say). It must be safe to run twice: a runner that
   * takes a job over may repeat a `finish` whose holder stalled.
   */
  finish?(params: P): Promise<void>;
}

/**
 * A recurring kind: when a run's batches are done (its last batch not `final`), the job
 * is due again `everyMs` later, in that batch's transaction. It works in batches alone.
 */
export interface RecurringJobHandler<P = any, S = any> {
  /** As `JobHandler.batch`; a recurring kind has no `prepare`, so `prepared` stays undefined. */
  batch(txn: WriteOps, params: P, state: S | undefined, prepared?: any): JobBatch<S>;
  everyMs: number;
  /**
   * Called once a batch's transaction has committed, with what the batch returned: for
   * effects outside the store (metrics), which `batch` itself must not have.
   */
  committed?(step: JobBatch<S>, params: P): void;
}

/** What the runner knows of a kind. */
type KindHandler = JobHandler & Partial<RecurringJobHandler>;

export interface NewJob {
  id: string;
  kind: string;
  tableId?: number;
  params: unknown;
  /** Clock time (ms) before which it does not run (default: now). */
  runAt?: number;
}

export interface JobRunnerOptions {
  store: KVStore;
  clock: Clock;
  logger: Logger;
  /** How long a claim lasts without renewal. */
  leaseMs?: number;
  /** How often the store is looked at for due jobs and expired leases. */
  pollMs?: number;
  /** Jobs this runner works on at once. */
  concurrency?: number;
}

const LEASE_MS = 30_000;
const POLL_MS = 1_000;
const CONCURRENCY = 2;
const FIRST_RETRY_MS = 1_000;
const MAX_RETRY_MS = 5 * 60_000;

/** The job's record is gone or another runner holds its lease: this runner stops working on it. */
class LeaseLost extends Error {}

export class JobRunner {
  /** This runner's identity in leases. */
  readonly owner = randomUUID();
  private readonly handlers = new Map<string, KindHandler>();
  /** Jobs being worked on here, by id. */
  private readonly running = new Map<string, Promise<void>>();
  private readonly store: KVStore;
  private readonly clock: Clock;
  private readonly logger: Logger;
  private readonly leaseMs: number;
  private readonly pollMs: number;
  private readonly concurrency: number;
  private timer: NodeJS.Timeout | undefined;
  private started = false;
  private stopped = false;
  /** The poll in progress; another is not started meanwhile, only asked for. */
  private polling: Promise<void> | undefined;
  private pollAgain = false;
  /** When the earliest job not yet due becomes due (clock ms), as the last poll saw. */
  private nextDue = Infinity;
  /** Held jobs (`hold`) by id: when this runner's lease on each expires (clock ms). */
  private readonly held = new Map<string, number>();
  /** Whether a lease's holder may be found gone before the lease expires (an embedded store). */
  private readonly holdersCanBeChecked: boolean;

  constructor(options: JobRunnerOptions) {
    this.store = options.store;
    this.clock = options.clock;
    this.logger = options.logger;
    this.leaseMs = options.leaseMs ?? LEASE_MS;
    this.pollMs = options.pollMs ?? POLL_MS;
    this.concurrency = options.concurrency ?? CONCURRENCY;
    this.holdersCanBeChecked = isLocalStore(this.store);
    runnerStarted(this.owner);
  }

  /** Adds a kind of job. */
  register(kind: string, handler: JobHandler | RecurringJobHandler): void {
    if (this.handlers.has(kind)) throw new Error(`A handler for ${kind} jobs is already registered`);
    this.handlers.set(kind, handler);
  }

  /**
   * Records a job inside the caller's transaction (so it exists exactly when the change
   * that needs it commits); a job with the same id already recorded is left as it is.
   * Call `wake()` once the transaction has committed.
   */
  enqueue(txn: WriteOps, job: NewJob): void {
    if (readJob(txn, job.id) !== undefined) return;
    const now = this.clock.now();
    writeJob(txn, {
      id: job.id,
      kind: job.kind,
      ...(job.tableId === undefined ? {} : { tableId: job.tableId }),
      params: job.params,
      runAt: job.runAt ?? now,
      createdAt: now,
      processed: 0,
      attempts: 0,
    });
  }

  /** Begins polling: at once with `immediately`, else after one poll interval. */
  start(immediately: boolean): void {
    this.started = true;
    if (immediately) this.wake();
    else this.schedule(this.pollMs);
  }

  /** Looks for due jobs soon (after new ones were enqueued). */
  wake(): void {
    if (this.started && !this.stopped) this.schedule(0);
  }

  /**
   * Claims every due job it can and runs them; resolves when those runs have ended
   * (each done, failed or handed over). For tests and test controls.
   */
  async runDue(): Promise<void> {
    await this.poll();
    await Promise.allSettled([...this.running.values()]);
  }

  /** The jobs in the store (every runner's), optionally only those of one table. */
  async list(tableId?: number): Promise<JobView[]> {
    const records = await this.store.snapshot(readAllJobs);
    const now = this.clock.now();
    return records.filter((r) => tableId === undefined || r.tableId === tableId).map((r) => jobView(r, now));
  }

  /**
   * Takes or renews this runner's lease on a held job — work that runs continuously in
   * the one process holding it (trigger delivery) rather than in batches — recording the
   * job if it is missing. True while this runner holds it; the lease is written again
   * once a third of it has passed, so calling this often is cheap. Not for a kind
   * registered with a handler.
   */
  async hold(job: NewJob): Promise<boolean> {
    if (this.stopped) return false;
    const now = this.clock.now();
    const until = this.held.get(job.id);
    if (until !== undefined && now < until - (2 * this.leaseMs) / 3) return true;
    const holding = await transact(this.store, (txn) => {
      this.enqueue(txn, job);
      return this.claim(txn, job.id) !== undefined;
    });
    if (holding && !this.stopped) this.held.set(job.id, now + this.leaseMs);
    else this.held.delete(job.id);
    return holding && !this.stopped;
  }

  /** Stops polling, lets running jobs reach a batch boundary and hands their leases back. */
  async stop(): Promise<void> {
    this.stopped = true;
    runnerStopped(this.owner);
    clearTimeout(this.timer);
    this.timer = undefined;
    await this.polling;
    await Promise.allSettled([...this.running.values()]);
    await this.releaseHeld();
  }

  private schedule(ms: number): void {
    if (this.stopped) return;
    clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = undefined;
      void this.poll();
    }, ms);
    this.timer.unref();
  }

  private poll(): Promise<void> {
    if (this.polling !== undefined) {
      this.pollAgain = true;
      return this.polling;
    }
    this.polling = this.pollOnce()
      .catch((error: unknown) => this.logger.error('Looking for background jobs failed', error))
      .finally(() => {
        this.polling = undefined;
        if (this.pollAgain) {
          this.pollAgain = false;
          this.schedule(0);
        } else if (this.started) {
          // A job due before the next regular poll (a delayed deletion) is looked at on time.
          this.schedule(Math.max(0, Math.min(this.pollMs, this.nextDue - this.clock.now())));
        }
      });
    return this.polling;
  }

  private async pollOnce(): Promise<void> {
    if (this.stopped) return;
    const records = await this.store.snapshot(readAllJobs);
    const now = this.clock.now();
    this.nextDue = records.reduce((next, r) => (!this.due(r, now) && this.handlers.has(r.kind) ? Math.min(next, r.runAt) : next), Infinity);
    for (const record of records) {
      if (this.stopped || this.running.size >= this.concurrency) return;
      if (this.running.has(record.id) || !this.handlers.has(record.kind) || !this.claimable(record, now)) continue;
      const claimed = await transact(this.store, (txn) => this.claim(txn, record.id));
      if (claimed !== undefined) this.launch(claimed);
    }
  }

  private claimable(record: JobRecord | undefined, now: number): record is JobRecord {
    if (record === undefined || !this.due(record, now)) return false;
    const lease = record.lease;
    if (lease === undefined || lease.expiresAt <= now || lease.owner === this.owner) return true;
    return this.holdersCanBeChecked && leaseHolderGone(lease);
  }

  /**
   * Whether the job's time has come. A recurring job due further ahead than one interval
   * (plus its backoff) was scheduled by a clock since moved back, or with a longer
   * interval: it runs now rather than wait out the difference.
   */
  private due(record: JobRecord, now: number): boolean {
    if (record.runAt <= now) return true;
    const every = this.handlers.get(record.kind)?.everyMs;
    return every !== undefined && record.runAt - now > every + (record.attempts > 0 ? retryDelay(record.attempts) : 0);
  }

  private claim(txn: WriteOps, id: string): JobRecord | undefined {
    const record = readJob(txn, id);
    const now = this.clock.now();
    if (!this.claimable(record, now)) return undefined;
    const claimed = { ...record, lease: this.lease(now) };
    writeJob(txn, claimed);
    return claimed;
  }

  private launch(record: JobRecord): void {
    const run = this.run(record).finally(() => {
      this.running.delete(record.id);
      this.wake();
    });
    this.running.set(record.id, run);
  }

  private async run(record: JobRecord): Promise<void> {
    const handler = this.handlers.get(record.kind)!;
    try {
      if (handler.batch !== undefined && record.batchesDone !== true) {
        // The lease fences the record: its state changes only through this loop's batches.
        let state: unknown = record.state;
        for (;;) {
          if (this.stopped) return await this.release(record.id);
          const prepared: unknown = await handler.prepare?.(record.params, state);
          const step = await transact(this.store, (txn) => this.runBatch(txn, record.id, handler, prepared));
          state = step.state;
          handler.committed?.(step, record.params);
          if (step.done && handler.finish === undefined) return; // completed in the batch's transaction
          if (step.done) break;
          await yieldToTraffic();
        }
      }
      if (this.stopped) return await this.release(record.id);
      await handler.finish?.(record.params);
      await transact(this.store, (txn) => {
        if (this.owned(txn, record.id) !== undefined) deleteJob(txn, record.id);
      });
    } catch (error) {
      if (error instanceof LeaseLost) return;
      await this.failed(record, error);
    }
  }

  /**
   * One batch, fenced by the lease, which it renews, saving the cursor and progress. The
   * last batch of a job without `finish` completes it: the record is removed, or, for a
   * recurring kind, due again one interval later.
   */
  private runBatch(txn: WriteOps, id: string, handler: KindHandler, prepared: unknown): JobBatch<unknown> {
    const current = this.owned(txn, id);
    if (current === undefined) throw new LeaseLost();
    const step = handler.batch!(txn, current.params, current.state, prepared);
    const processed = current.processed + step.processed;
    const now = this.clock.now();
    if (step.done && handler.finish === undefined) {
      if (handler.everyMs === undefined || step.final === true) deleteJob(txn, id);
      else writeJob(txn, { ...current, state: undefined, processed, attempts: 0, lastError: undefined, runAt: now + handler.everyMs, lease: undefined });
      return step;
    }
    writeJob(txn, {
      ...current,
      state: step.state,
      processed,
      ...(step.done ? { batchesDone: true } : {}),
      lease: this.lease(now),
    });
    return step;
  }

  private lease(now: number): JobLease {
    return { owner: this.owner, pid: process.pid, expiresAt: now + this.leaseMs };
  }

  /** The job's record if this runner still holds its lease. */
  private owned(txn: WriteOps, id: string): JobRecord | undefined {
    const record = readJob(txn, id);
    return record?.lease?.owner === this.owner ? record : undefined;
  }

  private async failed(record: JobRecord, error: unknown): Promise<void> {
    const attempts = record.attempts + 1;
    const delay = retryDelay(attempts);
    this.logger.error(`Background job ${record.id} failed (attempt ${attempts}); it runs again in ${delay} ms`, error);
    try {
      await transact(this.store, (txn) => {
        const current = this.owned(txn, record.id);
        if (current === undefined) return;
        writeJob(txn, {
          ...current,
          attempts: current.attempts + 1,
          lastError: error instanceof Error ? error.message : String(error),
          runAt: this.clock.now() + delay,
          lease: undefined,
        });
      });
    } catch (recordError) {
      // The lease then runs out and the job is picked up again all the same.
      this.logger.error(`Recording the failure of background job ${record.id} failed`, recordError);
    }
  }

  /** Hands the lease back (stopping): the next runner need not wait for it to expire. */
  private async release(id: string): Promise<void> {
    await transact(this.store, (txn) => {
      const current = this.owned(txn, id);
      if (current !== undefined) writeJob(txn, { ...current, lease: undefined });
    });
  }

  /** Removes the held jobs this runner holds (stopping): a runner that still wants one records it again. */
  private async releaseHeld(): Promise<void> {
    const ids = [...this.held.keys()];
    this.held.clear();
    if (ids.length === 0) return;
    try {
      await transact(this.store, (txn) => {
        for (const id of ids) if (this.owned(txn, id) !== undefined) deleteJob(txn, id);
      });
    } catch (error) {
      // The leases then run out and another runner takes the jobs all the same.
      this.logger.error('Handing back held background jobs failed', error);
    }
  }
}

/** The wait before the `attempts`-th retry of a failed job: 1 s, 2 s, 4 s ... up to 5 minutes. */
function retryDelay(attempts: number): number {
  return Math.min(MAX_RETRY_MS, FIRST_RETRY_MS * 2 ** (attempts - 1));
}

/** Lets queued requests run between background batches. */
function yieldToTraffic(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}
