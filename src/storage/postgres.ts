/**
 * KVStore over PostgreSQL (13 or later): one table of (key bytea primary key, value bytea).
 * bytea compares bytewise, so the primary key's B-tree holds keys in the order the
 * interface asks for.
 *
 * `transact` runs a SERIALIZABLE transaction and `snapshot` a REPEATABLE READ READ ONLY
 * one, each driving `fn` by read-through replay (readThrough.ts). Serialization failures
 * and deadlocks reject with `StorageConflict`; the engine's retry loop runs them again.
 */
import pg from 'pg';
import { keyString, type TreeEntry } from './btreeRange.js';
import { StorageConflict, type KVStore, type ReadOps, type WriteOps } from './kv.js';
import { ReadThroughCache, ReplayTransaction, type MissingRead } from './readThrough.js';

/**
 * PostgreSQL's B-tree refuses index entries over 2704 bytes (8 KiB pages) after
 * compression; this leaves room for the tuple and varlena headers.
 */
export const POSTGRES_MAX_KEY_BYTES = 2688;

const SERIALIZATION_FAILURE = '40001';
const DEADLOCK_DETECTED = '40P01';

export interface PostgresStoreOptions {
  /** A libpq-style connection URL: postgresql://user:password@host:port/database */
  url: string;
  /** The table holding the key space (created if missing). */
  table?: string;
  /** Connections in the pool. */
  poolSize?: number;
}

type Client = pg.PoolClient;

interface Statements {
  get: string;
  forward: string;
  forwardOpen: string;
  backward: string;
  backwardOpen: string;
  upsert: string;
  remove: string;
}

function statementsFor(table: string): Statements {
  const t = `"${table.replace(/"/g, '""')}"`;
  return {
    get: `SELECT value FROM ${t} WHERE key = $1`,
    forward: `SELECT key, value FROM ${t} WHERE key >= $1 AND key < $2 ORDER BY key LIMIT $3`,
    forwardOpen: `SELECT key, value FROM ${t} WHERE key >= $1 ORDER BY key LIMIT $2`,
    backward: `SELECT key, value FROM ${t} WHERE key >= $1 AND key < $2 ORDER BY key DESC LIMIT $3`,
    backwardOpen: `SELECT key, value FROM ${t} WHERE key >= $1 ORDER BY key DESC LIMIT $2`,
    upsert:
      `INSERT INTO ${t} (key, value) SELECT * FROM unnest($1::bytea[], $2::bytea[]) ` +
      'ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value',
    remove: `DELETE FROM ${t} WHERE key = ANY($1::bytea[])`,
  };
}

export class PostgresStore implements KVStore {
  readonly maxKeyBytes = POSTGRES_MAX_KEY_BYTES;
  private closed = false;

  private constructor(
    private readonly pool: pg.Pool,
    private readonly sql: Statements,
    private readonly prefix: string,
  ) {}

  /** Connects and creates the table if it is missing. */
  static async open(options: PostgresStoreOptions): Promise<PostgresStore> {
    const table = options.table ?? 'openddb_kv';
    const pool = new pg.Pool({ connectionString: options.url, max: options.poolSize ?? 10 });
    // An idle connection that fails (server restart) must not crash the process.
    pool.on('error', ignoreError);
    try {
      await pool.query(`CREATE TABLE IF NOT EXISTS "${table.replace(/"/g, '""')}" (key bytea PRIMARY KEY, value bytea NOT NULL)`);
    } catch (error) {
      await pool.end();
      throw error;
    }
    return new PostgresStore(pool, statementsFor(table), `openddb_${table}_`);
  }

  transact<T>(fn: (txn: WriteOps) => T): Promise<T> {
    return this.run('BEGIN ISOLATION LEVEL SERIALIZABLE', true, fn);
  }

  snapshot<T>(fn: (txn: ReadOps) => T): Promise<T> {
    return this.run('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY', false, fn);
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.pool.end();
  }

  private async run<T>(begin: string, writable: boolean, fn: (txn: WriteOps) => T): Promise<T> {
    if (this.closed) throw new Error('The store is closed');
    const client = await this.pool.connect();
    // A connection lost between two statements emits 'error': the next statement fails instead.
    client.on('error', ignoreError);
    let begun = false;
    let broken = false;
    try {
      let cache = new ReadThroughCache();
      for (;;) {
        const txn = new ReplayTransaction(cache, this.maxKeyBytes, writable);
        let outcome: { value: T } | { error: unknown };
        try {
          outcome = { value: fn(txn) };
        } catch (error) {
          outcome = { error };
        } finally {
          txn.finish();
        }
        const missing = cache.takeMissing();
        if (missing !== undefined) {
          // A snapshot's first read runs alone, outside a transaction: one round trip, all
          // most reads need. A second read starts the snapshot over, inside a transaction.
          if (!writable && !begun && cache.isEmpty()) {
            await this.fetch(client, cache, missing);
            continue;
          }
          // Begun only when there is something to read: a blind write is BEGIN, write, COMMIT.
          if (!begun) {
            await client.query(begin);
            begun = true;
            if (!cache.isEmpty()) cache = new ReadThroughCache();
          }
          await this.fetch(client, cache, missing);
          continue;
        }
        if ('error' in outcome) throw outcome.error;
        if (txn.pending.size > 0 || begun) {
          if (!begun) await client.query(begin);
          begun = true;
          await this.write(client, txn.pending);
          await client.query('COMMIT');
        }
        begun = false;
        return outcome.value;
      }
    } catch (error) {
      if (begun) broken = !(await rollback(client));
      throw asConflict(error);
    } finally {
      client.off('error', ignoreError);
      client.release(broken);
    }
  }

  private async fetch(client: Client, cache: ReadThroughCache, missing: MissingRead): Promise<void> {
    if (missing.kind === 'key') {
      const result = await this.query(client, 'get', [Buffer.from(missing.key, 'latin1')]);
      cache.addKey(missing.key, result.rows[0]?.value);
      return;
    }
    const low = Buffer.from(missing.low, 'latin1');
    const result =
      missing.high === undefined
        ? await this.query(client, missing.reverse ? 'backwardOpen' : 'forwardOpen', [low, missing.limit])
        : await this.query(client, missing.reverse ? 'backward' : 'forward', [low, Buffer.from(missing.high, 'latin1'), missing.limit]);
    const rows: TreeEntry<Buffer>[] = result.rows.map((row: { key: Buffer; value: Buffer }) => ({ key: keyString(row.key), value: row.value }));
    cache.addRange(missing, rows);
  }

  /** All of a transaction's writes in at most two statements. */
  private async write(client: Client, pending: Map<string, Buffer | null>): Promise<void> {
    const putKeys: Buffer[] = [];
    const putValues: Buffer[] = [];
    const deleted: Buffer[] = [];
    for (const [key, value] of pending) {
      if (value === null) deleted.push(Buffer.from(key, 'latin1'));
      else {
        putKeys.push(Buffer.from(key, 'latin1'));
        putValues.push(value);
      }
    }
    if (putKeys.length > 0) await this.query(client, 'upsert', [putKeys, putValues]);
    if (deleted.length > 0) await this.query(client, 'remove', [deleted]);
  }

  /** A named (prepared once per connection) statement. */
  private query(client: Client, name: keyof Statements, values: unknown[]): Promise<pg.QueryResult> {
    return client.query({ name: this.prefix + name, text: this.sql[name], values });
  }
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
