/**
 * OpenDDB as a library: `startServer()` for test suites and embedding.
 *   const { url, close } = await startServer();           // in-memory, random port
 *   const { url } = await startServer({ port: 8000, dataDir: './data' });
 */
import type { AddressInfo } from 'node:net';
import { openStore } from './storage/open.js';
import { Database } from './engine/database.js';
import type { Clock } from './engine/clock.js';
import type { JobView } from './engine/jobs/jobRecord.js';
import { createHttpServer } from './server/server.js';
import { knownOperations } from './api/shapeValidation.js';
import { runOperation } from './api/operations.js';
import { createLogger, type Logger, type LogLevel } from './logger.js';
import type { LocalKVStore } from './storage/kv.js';
import type { Durability } from './storage/lmdb.js';
import type { ApiContext } from './api/context.js';
import { Metrics, type ProvisionedView } from './engine/metrics.js';
import { ThrottleGate } from './engine/capacity/throttleGate.js';

export { Clock } from './engine/clock.js';
export type { Durability } from './storage/lmdb.js';
export type { JobView } from './engine/jobs/jobRecord.js';
export { requiredReadCapacity, requiredWriteCapacity, type ReadWorkload, type WriteWorkload } from './engine/capacity/planning.js';

export interface ServerOptions {
  port?: number;
  host?: string;
  /** Persist under this directory; without it (or with inMemory) data lives in memory. */
  dataDir?: string;
  inMemory?: boolean;
  region?: string;
  logLevel?: LogLevel;
  /** Allowed CORS origins (comma-separated or `*`); CORS is off when undefined. */
  cors?: string;
  delayTransientStatuses?: boolean;
  /**
   * Throttle requests above each table's provisioned capacity (or on-demand maximum),
   * as DynamoDB does. Off by default; the table tag `openddb:throttle` = on | off overrides it.
   */
  throttle?: boolean;
  /**
   * When an on-disk write is acknowledged: `full` (default) once its commit is synced to
   * disk; `relaxed` once the commit reached the operating system — it survives a crash
   * of the process, but a machine crash may lose the last `flushIntervalMs`.
   */
  durability?: Durability;
  /** With `durability: 'relaxed'`: the most time an acknowledged write may stay unsynced (default 100 ms). */
  flushIntervalMs?: number;
  /** The clock the server runs on (default: a new one on the system clock). */
  clock?: Clock;
  /** Serve from this storage adapter instead of opening one (closed with the server). */
  store?: LocalKVStore;
  /** Where to log (default: stderr, at `logLevel`). */
  logger?: Logger;
  /** Serve as one worker process of a `--workers` cluster (set by the command's primary process). */
  worker?: WorkerRole;
}

/** What a `--workers` primary tells each worker process. */
export interface WorkerRole {
  /** The token the primary holds the data directory's lock with. */
  lockToken: string;
  /** Whether this worker finishes background jobs a restart cut short (see DatabaseOptions.resumeJobs). */
  resumeJobs: boolean;
}

export interface RunningServer {
  url: string;
  port: number;
  /** The server's clock: set or advance it to move time for transient statuses, idempotency windows and throttling. */
  clock: Clock;
  /** Background jobs (index builds and drops, table purges, delayed deletions) with their status, progress and last error. */
  backgroundJobs(tableName?: string): Promise<JobView[]>;
  close(): Promise<void>;
}

export const ACCOUNT_ID = '000000000000';

export async function startServer(options: ServerOptions = {}): Promise<RunningServer> {
  const logger = options.logger ?? createLogger(options.logLevel ?? 'warn');
  const inMemory = options.inMemory === true || options.dataDir === undefined;
  const worker = options.worker;
  if (worker !== undefined && inMemory) throw new Error('worker processes need a data directory: in memory, each process would have its own data');
  const store = options.store ?? (await openStore(inMemory ? { inMemory: true } : { dataDir: options.dataDir!, workerOf: worker?.lockToken, durability: options.durability, flushIntervalMs: options.flushIntervalMs }));
  let db: Database;
  try {
    db = await Database.open(store, {
      region: options.region ?? 'us-east-1',
      accountId: ACCOUNT_ID,
      delayTransientStatuses: options.delayTransientStatuses === true,
      shared: worker !== undefined,
      resumeJobs: worker?.resumeJobs ?? true,
      clock: options.clock,
      logger,
    });
  } catch (err) {
    await store.close();
    throw err;
  }
  const host = options.host ?? '127.0.0.1';
  const metrics = new Metrics(() => provisionedViews(db));
  const throttle = new ThrottleGate(metrics, options.throttle === true, () => db.clock.now());
  const ctx: ApiContext = { db, endpointAddress: '', metrics, throttle };
  const server = createHttpServer({
    handler: (operation, body, text) => runOperation(ctx, operation, body, text),
    knownOperations,
    logger,
    cors: options.cors,
    metrics,
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  const urlHost = host === '0.0.0.0' || host === '::' ? 'localhost' : host.includes(':') ? `[${host}]` : host;
  ctx.endpointAddress = `${urlHost}:${port}`;

  let closing: Promise<void> | undefined;
  const close = () => {
    closing ??= (async () => {
      // Stop accepting, let in-flight requests finish, stop background jobs, then close the store cleanly.
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeIdleConnections();
      });
      await db.close();
      await store.close();
    })();
    return closing;
  };
  return { url: `http://${urlHost}:${port}`, port, clock: db.clock, backgroundJobs: (tableName) => db.listJobs(tableName), close };
}

/** Provisioned capacity of every provisioned table and its GSIs, for the Provisioned*CapacityUnits gauges. */
function provisionedViews(db: Database): ProvisionedView[] {
  const views: ProvisionedView[] = [];
  for (const name of db.tableNames()) {
    const meta = db.findTable(name)?.meta;
    if (meta === undefined || meta.billingMode !== 'PROVISIONED') continue;
    views.push({ table: name, read: meta.provisioned.read, write: meta.provisioned.write });
    for (const index of meta.indexes ?? []) {
      if (index.kind === 'GSI' && index.provisioned !== undefined) {
        views.push({ table: name, index: index.name, read: index.provisioned.read, write: index.provisioned.write });
      }
    }
  }
  return views;
}
