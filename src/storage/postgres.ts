/**
 * KVStore over PostgreSQL (13 or later): one table of (key bytea, value bytea), keyed and
 * ordered as postgresSchema.ts explains. bytea compares bytewise, the order the interface
 * asks for.
 *
 * `transact` runs in a SERIALIZABLE transaction, together with the other write
 * transactions started in the same run of the microtask queue (a write group: one after
 * another, each seeing the writes of those before it, committed together), and `snapshot`
 * in a REPEATABLE READ READ ONLY one, each driving `fn` by read-through replay
 * (readThrough.ts). Serialization failures and deadlocks reject with `StorageConflict`
 * (every transaction of the group); the engine's retry loop runs them again.
 */
import pg from 'pg';
import { keyString, type TreeEntry } from './btreeRange.js';
import { StorageConflict, type KVStore, type ReadOps, type ReplicaState, type WriteOps } from './kv.js';
import { ensureTable, statementsFor, type Statements } from './postgresSchema.js';
import { ReadThroughCache, ReplayTransaction, type MissingRead } from './readThrough.js';
import { HostSelectingPool, isHostLost, parseHostList } from './postgresHosts.js';
import { ReplicaSet } from './postgresReplicas.js';
import { PointReadBatch } from './postgresPointReads.js';

/** As long as the longest key the engine builds (LAYOUT_MAX_KEY_BYTES); see postgresSchema.ts for how. */
export const POSTGRES_MAX_KEY_BYTES = 4026;

const SNAPSHOT = 'BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY';
const SERIALIZABLE = 'BEGIN ISOLATION LEVEL SERIALIZABLE';
const SERIALIZATION_FAILURE = '40001';
const DEADLOCK_DETECTED = '40P01';

export interface PostgresStoreOptions {
  /**
   * A libpq-style connection URL: postgresql://user:password@host:port/database, or
   * several hosts (h1:5432,h2:5432) with target_session_attrs=read-write to follow the
   * primary (postgresHosts.ts).
   */
  url: string;
  /** The table holding the key space (created if missing). */
  table?: string;
  /** Connections in the pool (and in each replica's). */
  poolSize?: number;
  /** Streaming standbys of the primary for eventually consistent reads (postgresReplicas.ts). */
  readReplicas?: string[];
  /** A replica further behind than this is skipped (default 1000 ms). */
  replicaMaxLagMs?: number;
  /** How often replica lag is measured (default 1000 ms). */
  replicaPollMs?: number;
}

type Client = pg.PoolClient;

/** What one `fn` of a run came to: its value, or what it threw. */
type Outcome = { value: unknown } | { error: unknown };

interface QueuedWrite {
  fn: (txn: WriteOps) => unknown;
  resolve: (value: unknown) => void;
  reject: (error: unknown) => void;
}

/**
 * At most this many write transactions share a database transaction: a conflict makes
 * them all run again, and their reads share one run's budget of speculative point misses.
 */
const MAX_WRITE_GROUP = 16;

/** Where a transaction or snapshot runs: the primary, or a replica. */
type Source = HostSelectingPool;

export class PostgresStore implements KVStore {
  readonly maxKeyBytes = POSTGRES_MAX_KEY_BYTES;
  private closed = false;
  private replicaSet: ReplicaSet | undefined;
  private readonly pointReads = new Map<Source, PointReadBatch>();
  /** Write transactions started in this run of the microtask queue, not sent yet. */
  private writeQueue: QueuedWrite[] = [];

  private constructor(
    private readonly primary: HostSelectingPool,
    private readonly sql: Statements,
    private readonly prefix: string,
  ) {}

  /** Connects and creates the table if it is missing. */
  static async open(options: PostgresStoreOptions): Promise<PostgresStore> {
    const table = options.table ?? 'openddb_kv';
    // Statements get their parameters written in (see inline), so the name stays plain.
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(table)) throw new Error(`Not a plain SQL table name: ${table}`);
    // A server that stopped answering fails requests (500) instead of holding them forever.
    const settings = { max: options.poolSize ?? 10, connectionTimeoutMillis: 10_000 };
    const primary = new HostSelectingPool(parseHostList(options.url), settings);
    try {
      const { client, pool } = await primary.connect();
      client.release();
      await ensureTable(pool, table);
    } catch (error) {
      await primary.end();
      throw error;
    }
    const store = new PostgresStore(primary, statementsFor(table), `openddb_${table}_`);
    if (options.readReplicas !== undefined && options.readReplicas.length > 0) {
      const replicaOptions = { urls: options.readReplicas, maxLagMs: options.replicaMaxLagMs ?? 1000, pollMs: options.replicaPollMs ?? 1000 };
      store.replicaSet = new ReplicaSet(replicaOptions, settings, () => store.walPosition());
      await store.replicaSet.poll();
    }
    return store;
  }

  /**
   * Joins the write group of this run of the microtask queue: the transactions started
   * together run one after another inside one PostgreSQL transaction (see `run`), so N
   * concurrent writes cost two round trips, not 2N.
   */
  transact<T>(fn: (txn: WriteOps) => T): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      if (this.writeQueue.length === 0) queueMicrotask(() => this.flushWrites());
      this.writeQueue.push({ fn, resolve: resolve as (value: unknown) => void, reject });
    });
  }

  snapshot<T>(fn: (txn: ReadOps) => T): Promise<T> {
    return this.run(this.primary, SNAPSHOT, false, [fn]).then(onlyOutcome<T>);
  }

  /** From a replica within the lag bound, if one is; else from the primary. */
  async staleSnapshot<T>(fn: (txn: ReadOps) => T): Promise<T> {
    const replica = this.replicaSet?.pick();
    if (replica === undefined) return this.snapshot(fn);
    let outcomes: Outcome[];
    try {
      outcomes = await this.run(replica, SNAPSHOT, false, [fn]);
    } catch (error) {
      if (!isHostLost(error)) throw error;
      // The replica went away mid-read: skip it and read from the primary (fn may rerun).
      this.replicaSet!.failed(replica);
      return this.snapshot(fn);
    }
    return onlyOutcome<T>(outcomes);
  }

  replicas(): ReplicaState[] {
    return this.replicaSet?.states() ?? [];
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.replicaSet?.close();
    await this.primary.end();
  }

  /** The primary's WAL position (pg_current_wal_lsn), for replica lag. */
  private async walPosition(): Promise<string> {
    const { client, pool } = await this.primary.connect();
    try {
      const { rows } = await client.query('SELECT pg_current_wal_lsn()::text AS lsn');
      client.release();
      return (rows[0] as { lsn: string }).lsn;
    } catch (error) {
      this.primary.lost(pool, error);
      client.release(true);
      throw error;
    }
  }

  /** Sends the queued write transactions, up to MAX_WRITE_GROUP to a database transaction. */
  private flushWrites(): void {
    const queued = this.writeQueue;
    this.writeQueue = [];
    for (let first = 0; first < queued.length; first += MAX_WRITE_GROUP) {
      const group = queued.slice(first, first + MAX_WRITE_GROUP);
      this.run(this.primary, SERIALIZABLE, true, group.map((member) => member.fn)).then(
        (outcomes) => outcomes.forEach((outcome, k) => ('error' in outcome ? group[k]!.reject(outcome.error) : group[k]!.resolve(outcome.value))),
        (error: unknown) => {
          for (const member of group) member.reject(error);
        },
      );
    }
  }

  /**
   * Runs `fns` one after another in one database transaction, by read-through replay: each
   * sees the writes of those before it that did not throw; one that throws leaves nothing
   * behind and gets its error as its outcome. Every run of the group starts over from the
   * first, until a run completes without a miss; then the writes of that run are committed
   * together. Rejects (every `fn` alike) only for the database's or the connection's errors,
   * serialization failures as `StorageConflict`.
   */
  private async run(source: Source, begin: string, writable: boolean, fns: ((txn: WriteOps) => unknown)[]): Promise<Outcome[]> {
    if (this.closed) throw new Error('The store is closed');
    // Taken from the pool when a statement of this run's own is needed: a snapshot answered
    // by the turn's combined point read never holds a connection.
    let held: { client: Client; pool: pg.Pool } | undefined;
    const connection = async (): Promise<Client> => {
      if (held === undefined) {
        held = await source.connect();
        // A connection lost between two statements emits 'error': the next statement fails instead.
        held.client.on('error', ignoreError);
      }
      return held.client;
    };
    let begun = false;
    let broken = false;
    try {
      let cache = new ReadThroughCache();
      for (;;) {
        const written = new Map<string, Buffer | null>();
        const ifAbsent = new Map<string, Buffer>();
        const outcomes = fns.map((fn): Outcome => {
          const txn = new ReplayTransaction(cache, this.maxKeyBytes, writable, written, ifAbsent);
          try {
            const value = fn(txn);
            for (const [key, write] of txn.pending) written.set(key, write);
            for (const [key, value] of txn.ifAbsent) ifAbsent.set(key, value);
            return { value };
          } catch (error) {
            return { error };
          } finally {
            txn.finish();
          }
        });
        const missing = cache.takeMissing();
        if (missing !== undefined) {
          // A snapshot's first fetch runs alone, outside a transaction: one statement, one
          // consistent view, all most reads need; point reads join the turn's combined
          // statement (postgresPointReads.ts). A second fetch starts over inside a transaction.
          if (!writable && !begun && cache.isEmpty()) {
            if (missing.kind === 'keys') {
              const found = await this.pointReadsOf(source).get(missing.keys);
              for (const key of missing.keys) cache.addKey(key, found.get(key));
            } else {
              await this.fetch(await connection(), cache, missing, undefined);
            }
            continue;
          }
          // Begun only when there is something to read, in the same round trip as that read.
          if (!begun && !cache.isEmpty()) cache = new ReadThroughCache();
          const opens = !begun;
          const client = await connection();
          // Set first: a failed round trip may have opened the transaction, so roll back.
          begun = true;
          await this.fetch(client, cache, missing, opens ? begin : undefined);
          continue;
        }
        if (written.size > 0 || ifAbsent.size > 0) {
          const opens = !begun;
          const client = await connection();
          begun = true;
          await this.writeAndCommit(client, written, ifAbsent, opens ? begin : undefined);
        } else if (begun) {
          // Nothing written: commit what answered, roll back what only failed (as before groups).
          await held!.client.query(outcomes.some((outcome) => !('error' in outcome)) ? 'COMMIT' : 'ROLLBACK');
        }
        begun = false;
        return outcomes;
      }
    } catch (error) {
      if (isHostLost(error)) {
        // A lost host seen by the combined point read (no connection of this run's own) is handled there.
        if (held !== undefined) source.lost(held.pool, error);
        broken = true;
      }
      if (begun && !broken && held !== undefined) broken = !(await rollback(held.client));
      throw asConflict(error);
    } finally {
      if (held !== undefined) {
        held.client.off('error', ignoreError);
        held.client.release(broken);
      }
    }
  }

  /** The combined point reads of a source (the primary, or a replica). */
  private pointReadsOf(source: Source): PointReadBatch {
    let batch = this.pointReads.get(source);
    if (batch === undefined) {
      batch = new PointReadBatch((keys) => this.readKeys(source, keys));
      this.pointReads.set(source, batch);
    }
    return batch;
  }

  /** One getMany statement on a pooled connection of its own. */
  private async readKeys(source: Source, keys: Buffer[]): Promise<{ key: Buffer; value: Buffer }[]> {
    if (this.closed) throw new Error('The store is closed');
    const { client, pool } = await source.connect();
    client.on('error', ignoreError);
    let broken = false;
    try {
      return (await this.query(client, 'getMany', [keys])).rows as { key: Buffer; value: Buffer }[];
    } catch (error) {
      if (isHostLost(error)) {
        source.lost(pool, error);
        broken = true;
      }
      throw error;
    } finally {
      client.off('error', ignoreError);
      client.release(broken);
    }
  }

  /** Fetches a missed read; with `begin`, opens the transaction in the same round trip. */
  private async fetch(client: Client, cache: ReadThroughCache, missing: MissingRead, begin: string | undefined): Promise<void> {
    const [name, values] = fetchStatement(missing);
    const result = begin === undefined ? await this.query(client, name, values) : await this.inline(client, [begin, this.sql[name]], [[], values]);
    const rows: TreeEntry<Buffer>[] = result.rows.map((row: { key: Buffer; value: Buffer }) => ({ key: keyString(row.key), value: row.value }));
    if (missing.kind === 'keys') {
      const found = new Map(rows.map((row) => [row.key, row.value]));
      for (const key of missing.keys) cache.addKey(key, found.get(key));
    } else {
      cache.addRange(missing, rows);
    }
  }

  /**
   * All of a transaction's writes and its COMMIT (and BEGIN, for a blind write) in one
   * round trip; large writes go as bound parameters, a statement each. Undecided
   * `putIfAbsent`s go first: a later write of the same key in the group replaces them.
   */
  private async writeAndCommit(client: Client, pending: Map<string, Buffer | null>, ifAbsent: Map<string, Buffer>, begin: string | undefined): Promise<void> {
    const putKeys: Buffer[] = [];
    const putValues: Buffer[] = [];
    const deleted: Buffer[] = [];
    const statements: [keyof Statements, unknown[]][] = [];
    let bytes = 0;
    if (ifAbsent.size > 0) {
      const keys: Buffer[] = [];
      const values: Buffer[] = [];
      for (const [key, value] of ifAbsent) {
        bytes += key.length + value.length;
        keys.push(Buffer.from(key, 'latin1'));
        values.push(value);
      }
      statements.push(['insertIfAbsent', [keys, values]]);
    }
    for (const [key, value] of pending) {
      bytes += key.length + (value?.length ?? 0);
      if (value === null) deleted.push(Buffer.from(key, 'latin1'));
      else {
        putKeys.push(Buffer.from(key, 'latin1'));
        putValues.push(value);
      }
    }
    if (putKeys.length > 0) statements.push(['upsert', [putKeys, putValues]]);
    if (deleted.length > 0) statements.push(['remove', [deleted]]);
    if (bytes <= MAX_INLINE_BYTES) {
      const texts = [...(begin === undefined ? [] : [begin]), ...statements.map(([name]) => this.sql[name]), 'COMMIT'];
      const values = [...(begin === undefined ? [] : [[]]), ...statements.map(([, v]) => v), []];
      await this.inline(client, texts, values);
      return;
    }
    if (begin !== undefined) await client.query(begin);
    for (const [name, values] of statements) await this.query(client, name, values);
    await client.query('COMMIT');
  }

  /** A named (prepared once per connection) statement. */
  private query(client: Client, name: keyof Statements, values: unknown[]): Promise<pg.QueryResult> {
    return client.query({ name: this.prefix + name, text: this.sql[name], values });
  }

  /**
   * Several statements in one simple-protocol message (one round trip), their parameters
   * written in as literals; answers the last statement's result.
   */
  private async inline(client: Client, texts: string[], values: unknown[][]): Promise<pg.QueryResult> {
    const sql = texts.map((text, i) => text.replace(/\$(\d+)/g, (_, n: string) => literal(values[i]![Number(n) - 1]))).join('; ');
    const result = (await client.query(sql)) as pg.QueryResult | pg.QueryResult[];
    return Array.isArray(result) ? result[result.length - 1]! : result;
  }
}

/** Writes up to this size go inline (hex literals double them); larger ones as parameters. */
const MAX_INLINE_BYTES = 256 * 1024;

function fetchStatement(missing: MissingRead): [keyof Statements, unknown[]] {
  if (missing.kind === 'keys') return ['getMany', [missing.keys.map((key) => Buffer.from(key, 'latin1'))]];
  const low = Buffer.from(missing.low, 'latin1');
  if (missing.high === undefined) return [missing.reverse ? 'backwardOpen' : 'forwardOpen', [low, missing.limit]];
  return [missing.reverse ? 'backward' : 'forward', [low, Buffer.from(missing.high, 'latin1'), missing.limit]];
}

/** A parameter as SQL text: bytea as a hex literal, arrays of them, integers. */
function literal(value: unknown): string {
  if (Buffer.isBuffer(value)) return `'\\x${value.toString('hex')}'::bytea`;
  if (Array.isArray(value)) return `ARRAY[${value.map(literal).join(',')}]::bytea[]`;
  if (typeof value === 'number' && Number.isSafeInteger(value)) return String(value);
  throw new Error(`Cannot inline ${typeof value} into SQL`);
}

function onlyOutcome<T>(outcomes: Outcome[]): T {
  const outcome = outcomes[0]!;
  if ('error' in outcome) throw outcome.error;
  return outcome.value as T;
}

function ignoreError(): void {}

/** True if the connection is usable again. */
async function rollback(client: Client): Promise<boolean> {
  try {
    await client.query('ROLLBACK');
    return true;
  } catch {
    return false;
  }
}

function asConflict(error: unknown): unknown {
  const code = (error as { code?: unknown } | null)?.code;
  if (code === SERIALIZATION_FAILURE || code === DEADLOCK_DETECTED) {
    return new StorageConflict(`The transaction conflicted with a concurrent transaction (PostgreSQL ${String(code)})`);
  }
  return error;
}
