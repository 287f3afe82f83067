/**
 * Connections to one of several PostgreSQL hosts: libpq's multi-host URLs
 * (postgresql://h1:5432,h2:5432/db?target_session_attrs=read-write), which the `pg`
 * client does not follow itself. Hosts are tried in order and the first that connects
 * and has the wanted role serves a pool. When a statement fails in a way that says the
 * host is gone or no longer the primary, the pool is dropped and the next request picks
 * a host again: after a standby's promotion a node finds the new primary by itself,
 * while requests caught in between fail (the server answers them with a retryable 500)
 * rather than wait.
 */
import pg from 'pg';

/** What a host must be to serve: libpq's target_session_attrs values this adapter follows. */
type SessionTarget = 'any' | 'read-write';

export interface HostList {
  /** One single-host URL per host, in the order given. */
  urls: string[];
  target: SessionTarget;
  /** host:port of each, for logs and metrics (no credentials). */
  names: string[];
}

const URL_PARTS = /^(postgres(?:ql)?:\/\/)(?:([^@/?#]*)@)?([^/?#]*)(.*)$/i;

/** Splits a libpq-style URL into one URL per host; `target_session_attrs` is taken out. */
export function parseHostList(url: string): HostList {
  const parts = URL_PARTS.exec(url);
  if (parts === null) throw new Error('Not a postgresql:// URL');
  const [, scheme, userInfo, hostText, rest] = parts as unknown as [string, string, string | undefined, string, string];
  const [path, query = ''] = splitOnce(rest, '?');
  const params = new URLSearchParams(query);
  const attrs = params.get('target_session_attrs') ?? 'any';
  params.delete('target_session_attrs');
  // 'primary' is 'read-write' on PostgreSQL (no hot-standby writes); the standby targets belong to replicas.
  if (attrs !== 'any' && attrs !== 'read-write' && attrs !== 'primary') {
    throw new Error(`Unsupported target_session_attrs: ${attrs} (any, read-write or primary)`);
  }
  const hosts = hostText === '' ? ['localhost'] : hostText.split(',');
  const remaining = params.toString();
  const tail = path + (remaining === '' ? '' : `?${remaining}`);
  return {
    urls: hosts.map((host) => `${scheme}${userInfo === undefined ? '' : `${userInfo}@`}${host}${tail}`),
    target: attrs === 'any' ? 'any' : 'read-write',
    names: hosts.map((host) => (/:\d+$/.test(host) ? host : `${host}:5432`)),
  };
}

function splitOnce(text: string, separator: string): [string, string?] {
  const at = text.indexOf(separator);
  return at < 0 ? [text] : [text.slice(0, at), text.slice(at + 1)];
}

export interface PoolSettings {
  max: number;
  connectionTimeoutMillis: number;
}

/** A pool over whichever host of a list currently fits; see the module comment. */
export class HostSelectingPool {
  private current: { pool: pg.Pool; name: string } | undefined;
  private selecting: Promise<{ pool: pg.Pool; name: string }> | undefined;
  private closed = false;

  constructor(
    private readonly hosts: HostList,
    private readonly settings: PoolSettings,
  ) {}

  /** host:port of the host serving now, if one was chosen. */
  get hostName(): string | undefined {
    return this.current?.name;
  }

  /** A connection to a fitting host; call `lost` with what failed on it, then release it. */
  async connect(): Promise<{ client: pg.PoolClient; pool: pg.Pool }> {
    if (this.closed) throw new Error('The store is closed');
    const chosen = this.current ?? (await (this.selecting ??= this.select().finally(() => (this.selecting = undefined))));
    try {
      return { client: await chosen.pool.connect(), pool: chosen.pool };
    } catch (error) {
      this.lost(chosen.pool, error);
      throw error;
    }
  }

  /** A statement on `pool` failed with `error`: if it says the host is gone or demoted, pick again. */
  lost(pool: pg.Pool, error: unknown): void {
    if (!isHostLost(error) || this.current?.pool !== pool) return;
    this.current = undefined;
    void pool.end().catch(() => {});
  }

  async end(): Promise<void> {
    this.closed = true;
    const current = this.current;
    this.current = undefined;
    await this.selecting?.then((chosen) => chosen.pool.end(), () => {});
    if (current !== undefined) await current.pool.end();
  }

  private async select(): Promise<{ pool: pg.Pool; name: string }> {
    const failures: string[] = [];
    for (let i = 0; i < this.hosts.urls.length; i++) {
      const url = this.hosts.urls[i]!;
      const name = this.hosts.names[i]!;
      // One host and no role to check: nothing to choose (the pool reconnects by itself).
      if (this.hosts.urls.length === 1 && this.hosts.target === 'any') return this.install(url, name);
      try {
        if (await this.fits(url)) return this.install(url, name);
        failures.push(`${name}: in recovery (a standby)`);
      } catch (error) {
        failures.push(`${name}: ${(error as Error).message}`);
      }
    }
    throw new Error(`No PostgreSQL host fits target_session_attrs=${this.hosts.target}: ${failures.join('; ')}`);
  }

  private async fits(url: string): Promise<boolean> {
    const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: this.settings.connectionTimeoutMillis });
    client.on('error', () => {});
    await client.connect();
    try {
      if (this.hosts.target === 'any') return true;
      const { rows } = await client.query('SELECT pg_is_in_recovery() AS standby');
      return rows[0]?.standby === false;
    } finally {
      await client.end().catch(() => {});
    }
  }

  private install(url: string, name: string): { pool: pg.Pool; name: string } {
    const pool = new pg.Pool({ connectionString: url, max: this.settings.max, connectionTimeoutMillis: this.settings.connectionTimeoutMillis, keepAlive: true });
    // An idle connection that fails (server restart) must not crash the process.
    pool.on('error', () => {});
    // Queued ahead of the connection's first statement; a failure shows on that statement.
    pool.on('connect', (client) => void client.query(INDEX_ONLY_PLANS).catch(() => {}));
    if (this.closed) {
      void pool.end();
      throw new Error('The store is closed');
    }
    this.current = { pool, name };
    return this.current;
  }
}

/**
 * Every statement of the adapter finds its rows by primary key. Left to itself, the
 * planner reads a small table sequentially (or hashes it whole, for the point-read join),
 * and under SERIALIZABLE a sequential scan locks the whole relation against writers: every
 * concurrent write to any key then conflicts with it ("Serializable Isolation Level" in
 * PostgreSQL's manual). So the adapter's sessions plan index scans in nested loops only.
 */
const INDEX_ONLY_PLANS = 'SET enable_seqscan = off; SET enable_hashjoin = off; SET enable_mergejoin = off';

/**
 * Errors that say a host can no longer serve: the connection failed or was cut (no
 * SQLSTATE, or class 08), the server is shutting down or starting (57P01..57P03), or a
 * write reached a server that is now read-only (25006: a demoted primary).
 */
export function isHostLost(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code !== 'string' || !/^[0-9A-Z]{5}$/.test(code)) return true;
  return code.startsWith('08') || code === '57P01' || code === '57P02' || code === '57P03' || code === '25006';
}
