/**
 * Read replicas for eventually consistent reads: PostgreSQL streaming standbys of the
 * primary. Every `pollMs` each replica's replay position is compared with the primary's
 * WAL position; a replica serves reads while it answers and its lag is within `maxLagMs`.
 *
 * Lag is an upper bound on how old the newest commit missing from the replica can be:
 * 0 when it has replayed everything the primary had written when polled, else the lesser
 * of (a) the age of the last transaction it replayed (PostgreSQL's usual measure, which
 * alone would call a replica of an idle primary far behind) and (b) the time since the
 * poll that last found it caught up. It is as fresh as the last poll (~`pollMs`).
 */
import type pg from 'pg';
import type { ReplicaState } from './kv.js';
import { HostSelectingPool, parseHostList, type PoolSettings } from './postgresHosts.js';

interface Replica {
  pool: HostSelectingPool;
  name: string;
  lagMs: number | undefined;
  lagBytes: number | undefined;
  /** When (ms) a poll last found it caught up with the primary. */
  caughtUpAt: number | undefined;
  /** When (ms) it last answered a poll. */
  polledAt: number;
  /** Set by a failed read or poll; cleared by the next successful poll. */
  down: boolean;
}

export interface ReplicaOptions {
  urls: string[];
  /** A replica further behind than this (ms) is skipped. */
  maxLagMs: number;
  pollMs: number;
}

/** Asks the primary where its WAL is (pg_current_wal_lsn), as text. */
export type PrimaryPosition = () => Promise<string>;

export class ReplicaSet {
  private readonly replicas: Replica[];
  private readonly timer: NodeJS.Timeout;
  private next = 0;
  private polling: Promise<void> | undefined;

  constructor(
    private readonly options: ReplicaOptions,
    settings: PoolSettings,
    private readonly primaryPosition: PrimaryPosition,
  ) {
    this.replicas = options.urls.map((url) => {
      const hosts = parseHostList(url);
      return { pool: new HostSelectingPool(hosts, settings), name: hosts.names.join(','), lagMs: undefined, lagBytes: undefined, caughtUpAt: undefined, polledAt: 0, down: true };
    });
    this.timer = setInterval(() => void this.poll(), options.pollMs);
    this.timer.unref();
    void this.poll();
  }

  /** A replica fit to serve a read now (round robin among those), or undefined. */
  pick(): HostSelectingPool | undefined {
    const now = Date.now();
    for (let tried = 0; tried < this.replicas.length; tried++) {
      const replica = this.replicas[this.next++ % this.replicas.length]!;
      if (this.serving(replica, now)) return replica.pool;
    }
    return undefined;
  }

  /** A read on this replica failed: skip it until a poll finds it well again. */
  failed(pool: HostSelectingPool): void {
    const replica = this.replicas.find((r) => r.pool === pool);
    if (replica !== undefined) replica.down = true;
  }

  states(): ReplicaState[] {
    const now = Date.now();
    return this.replicas.map((r) => ({ name: r.name, lagMs: r.lagMs, lagBytes: r.lagBytes, serving: this.serving(r, now) }));
  }

  /** One poll of every replica (also the first, awaited by `open`). */
  poll(): Promise<void> {
    this.polling ??= this.pollAll().finally(() => (this.polling = undefined));
    return this.polling;
  }

  async close(): Promise<void> {
    clearInterval(this.timer);
    await this.polling;
    await Promise.all(this.replicas.map((r) => r.pool.end()));
  }

  private serving(replica: Replica, now: number): boolean {
    // A replica whose polls stopped answering is not trusted on an old measure.
    const fresh = now - replica.polledAt <= 3 * this.options.pollMs;
    return !replica.down && fresh && replica.lagMs !== undefined && replica.lagMs <= this.options.maxLagMs;
  }

  private async pollAll(): Promise<void> {
    let primary: string;
    const sampledAt = Date.now();
    try {
      primary = await this.primaryPosition();
    } catch {
      return; // No primary to compare with: keep the last measures (they age out).
    }
    await Promise.all(this.replicas.map((replica) => this.pollOne(replica, primary, sampledAt)));
  }

  private async pollOne(replica: Replica, primary: string, sampledAt: number): Promise<void> {
    let connection: { client: pg.PoolClient; pool: pg.Pool } | undefined;
    try {
      connection = await replica.pool.connect();
      const { rows } = await connection.client.query(
        `SELECT pg_is_in_recovery() AS standby,
                pg_wal_lsn_diff($1::pg_lsn, pg_last_wal_replay_lsn())::float8 AS behind,
                (extract(epoch FROM now() - pg_last_xact_replay_timestamp()) * 1000)::float8 AS replay_age`,
        [primary],
      );
      connection.client.release();
      connection = undefined;
      const row = rows[0] as { standby: boolean; behind: number | null; replay_age: number | null };
      // A promoted former replica no longer follows this primary: never read from it.
      if (!row.standby || row.behind === null) {
        replica.down = true;
        return;
      }
      const now = Date.now();
      replica.lagBytes = Math.max(0, row.behind);
      if (row.behind <= 0) {
        replica.caughtUpAt = sampledAt;
        replica.lagMs = 0;
      } else {
        const sinceCaughtUp = replica.caughtUpAt === undefined ? Infinity : now - replica.caughtUpAt;
        replica.lagMs = Math.max(0, Math.min(row.replay_age ?? Infinity, sinceCaughtUp));
      }
      replica.polledAt = now;
      replica.down = false;
    } catch (error) {
      if (connection !== undefined) {
        replica.pool.lost(connection.pool, error);
        connection.client.release(true);
      }
      replica.down = true;
    }
  }
}
