/**
 * The one scheduler of background upkeep: TTL sweeps, stream shard rollover, change
 * log trimming and folding point-in-time-recovery history older than its window, each a plain function doing bounded batches, called here on timers.
 * With several processes over one store, a lease kept in the key space makes exactly
 * one of them do the work; another takes over when the holder stops renewing it.
 */
import { randomUUID } from 'node:crypto';
import type { Database } from './database.js';
import { counterKey } from './keyspace.js';
import { rollDueShards, trimLogBatch } from './changelog/maintenance.js';
import { sweepTtl } from './ttl/sweep.js';

export interface BackgroundOptions {
  /** How often expired items are swept (DynamoDB-like default: every minute at most). */
  ttlIntervalMs: number;
  /** How old open stream shards get before they are closed and replaced by children. */
  shardRolloverMs: number;
  /** Told how many items each TTL sweep of a table deleted. */
  onTtlDeleted(table: string, count: number): void;
  /** Told about a failed round (the next round tries again). */
  onError(err: unknown): void;
}

export const DEFAULT_TTL_INTERVAL_MS = 30_000;
export const DEFAULT_SHARD_ROLLOVER_MS = 4 * 60 * 60 * 1000;

const LEASE_KEY = counterKey('background-lease');
/** Trimming batches per round and table: trimming never crowds out traffic. */
const TRIM_BATCHES_PER_ROUND = 4;

export interface BackgroundWork {
  /** Takes or renews the lease on background work (always true for a single process). */
  holdLease(): Promise<boolean>;
  /** Runs the TTL sweep of one table now (test control); returns how many items it deleted. */
  sweepTtlNow(table: string): Promise<number>;
  stop(): Promise<void>;
}

export function startBackgroundWork(db: Database, options: BackgroundOptions): BackgroundWork {
  const holder = randomUUID();
  const leaseMs = 3 * Math.max(options.ttlIntervalMs, upkeepInterval(options));
  let stopped = false;
  const running = new Set<Promise<void>>();

  /** Takes or renews the lease; false while another process holds it. */
  let heldUntil = 0;
  const holdLease = async (): Promise<boolean> => {
    if (!db.options.shared) return true;
    const now = db.clock.now();
    // Renewed once a third of the lease has passed, not on every call.
    if (now < heldUntil - (2 * leaseMs) / 3) return true;
    return db.store.transact((txn) => {
      const current = txn.get(LEASE_KEY);
      const lease = current === undefined ? undefined : JSON.parse(current.toString('utf8')) as { holder: string; until: number };
      if (lease !== undefined && lease.holder !== holder && lease.until > now) return false;
      txn.put(LEASE_KEY, Buffer.from(JSON.stringify({ holder, until: now + leaseMs }), 'utf8'));
      heldUntil = now + leaseMs;
      return true;
    });
  };

  const sweepTtlNow = async (table: string): Promise<number> => {
    const deleted = await sweepTtl(db, table);
    options.onTtlDeleted(table, deleted);
    return deleted;
  };

  /** Runs one round unless the previous one is still going or the process does not hold the lease. */
  const every = (ms: number, round: () => Promise<void>) => {
    let busy = false;
    const timer = setInterval(() => {
      if (busy || stopped) return;
      busy = true;
      let done: Promise<void> | undefined;
      done = (async () => {
        try {
          if (await holdLease()) await round();
        } catch (err) {
          if (!stopped) options.onError(err);
        } finally {
          busy = false;
          running.delete(done!);
        }
      })();
      running.add(done);
    }, ms);
    timer.unref();
    return timer;
  };

  const timers = [
    every(options.ttlIntervalMs, async () => {
      for (const name of db.tableNames()) {
        if (stopped) return;
        if (db.findTable(name)?.meta.ttl?.enabled === true) await sweepTtlNow(name);
      }
    }),
    every(upkeepInterval(options), async () => {
      await rollDueShards(db, options.shardRolloverMs);
      for (const name of db.tableNames()) {
        for (let i = 0; i < TRIM_BATCHES_PER_ROUND && !stopped; i++) if (await trimLogBatch(db, name)) break;
        for (let i = 0; i < TRIM_BATCHES_PER_ROUND && !stopped; i++) if (await db.pitr.foldBatch(name)) break;
      }
    }),
  ];

  return {
    holdLease,
    sweepTtlNow,
    async stop() {
      stopped = true;
      for (const timer of timers) clearInterval(timer);
      await Promise.all(running);
    },
  };
}

/** Rollover is checked a few times per rollover period, and at least every minute. */
function upkeepInterval(options: BackgroundOptions): number {
  return Math.max(50, Math.min(options.shardRolloverMs / 4, 60_000));
}
