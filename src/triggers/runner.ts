/**
 * Delivers one trigger's table stream to its HTTP endpoint: batch by batch, one shard's
 * records in order, a child shard after its parent. A batch that fails (a non-2xx answer,
 * a network error, a timeout) is retried with exponential backoff; with
 * ReportBatchItemFailures, delivery resumes at the first failed record. The checkpoint
 * lives in the key space, so a restart resumes where delivery stopped. Only the process
 * holding the trigger's `trigger-delivery` job (the job runner's lease) delivers.
 */
import type { Database } from '../engine/database.js';
import type { NewJob } from '../engine/jobs/runner.js';
import { newConsumerState, nextBatch, readCheckpoint, writeCheckpoint, type ConsumerBatch, type ConsumerState } from '../engine/changelog/consumer.js';
import { sequenceNumber } from '../engine/changelog/record.js';
import type { Logger } from '../logger.js';
import type { Trigger } from './config.js';
import { passes } from './filter.js';
import { lambdaRecords } from './records.js';

const POLL_MS = 50;
const BACKOFF_BASE_MS = 100;
const BACKOFF_MAX_MS = 10_000;
const DELIVERY_TIMEOUT_MS = 30_000;
/**
 * On stop, how long a delivery already sent may still finish and be checkpointed before it
 * is cut short: an endpoint that answers in time does not get the batch again after a restart.
 */
const STOP_GRACE_MS = 2_000;

/** What an endpoint's answer means for a batch. */
type Outcome = { ok: true } | { ok: false; resumeAt?: number; reason: string };

export class TriggerRunner {
  private stopped = false;
  /** Cuts a delivery short when the server stops. */
  private readonly stopping = new AbortController();
  private loop: Promise<void> | undefined;
  private wake: (() => void) | undefined;
  /** Failed attempts at the current position ("shard:counter"). */
  private attempts = { at: '', count: 0 };
  /** The held job whose lease makes this process the one that delivers. */
  private readonly delivery: NewJob;

  constructor(
    private readonly db: Database,
    private readonly trigger: Trigger,
    private readonly logger: Logger,
  ) {
    this.delivery = { id: `trigger-delivery:${trigger.name}`, kind: 'trigger-delivery', params: { trigger: trigger.name } };
  }

  start(): void {
    this.loop = this.run();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.wake?.();
    let grace: NodeJS.Timeout | undefined;
    await Promise.race([this.loop, new Promise((resolve) => (grace = setTimeout(resolve, STOP_GRACE_MS)))]);
    clearTimeout(grace);
    this.stopping.abort();
    await this.loop;
  }

  private async run(): Promise<void> {
    while (!this.stopped) {
      try {
        const waitMs = await this.round();
        await this.sleep(waitMs);
      } catch (err) {
        this.logger.error(`trigger ${this.trigger.name} failed`, err);
        await this.sleep(BACKOFF_MAX_MS);
      }
    }
  }

  /** One delivery attempt; returns how long to wait before the next. */
  private async round(): Promise<number> {
    if (!(await this.db.jobs.hold(this.delivery))) return POLL_MS * 10;
    const table = this.db.findTable(this.trigger.table);
    if (table === undefined) return POLL_MS * 10;
    const tableId = table.meta.id;
    const state = (await this.db.read((ops) => readCheckpoint(ops, tableId, this.trigger.name))) ?? newConsumerState();
    const before = JSON.stringify(state);
    const batch = await nextBatch(this.db, this.trigger.table, state, this.trigger.startingPosition, this.trigger.batchSize);
    if (batch === undefined) {
      if (JSON.stringify(state) !== before) await this.save(tableId, state);
      return POLL_MS;
    }
    const waited = this.db.clock.now() - batch.records[0]!.time;
    if (batch.records.length < this.trigger.batchSize && waited < this.trigger.batchingWindowMs) {
      return Math.min(POLL_MS, this.trigger.batchingWindowMs - waited);
    }
    // Stopping: a delivery already sent may finish (see stop), but no new one starts.
    if (this.stopped) return 0;
    const records = lambdaRecords(batch, table.meta.arn, this.db.options.region).filter((r) => passes(this.trigger.filters, r));
    const outcome = records.length === 0 ? { ok: true as const } : await this.deliver(records, batch);
    if (this.stopped && !outcome.ok) return 0; // cut short: the batch is delivered again after a restart
    if (outcome.ok) {
      this.attempts = { at: '', count: 0 };
      state.positions[batch.shard.no] = batch.next;
      await this.save(tableId, state);
      return 0;
    }
    if (outcome.resumeAt !== undefined) {
      state.positions[batch.shard.no] = outcome.resumeAt;
      await this.save(tableId, state);
    }
    const at = `${batch.shard.no}:${state.positions[batch.shard.no]}`;
    this.attempts = { at, count: this.attempts.at === at ? this.attempts.count + 1 : 1 };
    const { maxRetries } = this.trigger;
    if (maxRetries >= 0 && this.attempts.count > maxRetries) {
      this.logger.warn(`trigger ${this.trigger.name}: skipping a batch after ${maxRetries} retries (${outcome.reason})`);
      state.positions[batch.shard.no] = batch.next;
      await this.save(tableId, state);
      this.attempts = { at: '', count: 0 };
      return 0;
    }
    this.logger.warn(`trigger ${this.trigger.name}: delivery failed (${outcome.reason}); retry ${this.attempts.count}`);
    return Math.min(BACKOFF_BASE_MS * 2 ** (this.attempts.count - 1), BACKOFF_MAX_MS);
  }

  private async deliver(records: Record<string, unknown>[], batch: ConsumerBatch): Promise<Outcome> {
    let response: Response;
    try {
      response = await fetch(this.trigger.endpoint, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ Records: records }),
        signal: AbortSignal.any([AbortSignal.timeout(DELIVERY_TIMEOUT_MS), this.stopping.signal]),
      });
    } catch (err) {
      return { ok: false, reason: (err as Error).message };
    }
    const text = await response.text().catch(() => '');
    if (!response.ok) return { ok: false, reason: `HTTP ${response.status}` };
    if (!this.trigger.reportsItemFailures) return { ok: true };
    return itemFailures(text, batch);
  }

  private save(tableId: number, state: ConsumerState): Promise<void> {
    return this.db.store.transact((txn) => writeCheckpoint(txn, tableId, this.trigger.name, state));
  }

  private sleep(ms: number): Promise<void> {
    if (ms <= 0 || this.stopped) return Promise.resolve();
    return new Promise((resolve) => {
      const timer = setTimeout(resolve, ms);
      this.wake = () => {
        clearTimeout(timer);
        resolve();
      };
    });
  }
}

/**
 * Reads {"batchItemFailures": [{"itemIdentifier": "<SequenceNumber>"}]}: delivery resumes at
 * the earliest failed record. An identifier that is not one of the batch's fails it all.
 */
function itemFailures(text: string, batch: ConsumerBatch): Outcome {
  let body: unknown;
  try {
    body = text === '' ? {} : JSON.parse(text);
  } catch {
    return { ok: true }; // a plain answer: the whole batch succeeded
  }
  const failures = (body as { batchItemFailures?: unknown } | null)?.batchItemFailures;
  if (!Array.isArray(failures) || failures.length === 0) return { ok: true };
  const counters = failures.map((f) => {
    const id = (f as { itemIdentifier?: unknown } | null)?.itemIdentifier;
    return batch.records.find((r) => sequenceNumber(batch.shard.no, r.counter) === id)?.counter;
  });
  if (counters.some((c) => c === undefined)) return { ok: false, reason: 'unknown itemIdentifier in batchItemFailures' };
  return { ok: false, resumeAt: Math.min(...(counters as number[])), reason: `${failures.length} failed records` };
}
