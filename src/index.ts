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
import { DEFAULT_SHUTDOWN_TIMEOUT_MS } from './server/drain.js';
import { knownOperations } from './api/shapeValidation.js';
import { runOperation } from './api/operations.js';
import { createLogger, type Logger, type LogLevel } from './logger.js';
import { isLocalStore, type KVStore } from './storage/kv.js';
import type { ApiContext } from './api/context.js';
import { Metrics, type ProvisionedView } from './engine/metrics.js';
import { ThrottleGate } from './engine/capacity/throttleGate.js';
import { rollShards } from './engine/changelog/maintenance.js';
import { DEFAULT_SHARD_ROLLOVER_MS, DEFAULT_TTL_INTERVAL_MS, startBackgroundWork } from './engine/background.js';
import type { Controls } from './server/controls.js';
import { loadTriggersFile, toTrigger, type TriggerConfig } from './triggers/config.js';
import { TriggerRunner } from './triggers/runner.js';
import { changes } from './triggers/changes.js';
import type { StartingPosition } from './engine/changelog/consumer.js';
import { consoleRoute } from './console/serve.js';

export type { TriggerConfig } from './triggers/config.js';

export { Clock } from './engine/clock.js';
export type { JobView } from './engine/jobs/jobRecord.js';
export { requiredReadCapacity, requiredWriteCapacity, type ReadWorkload, type WriteWorkload } from './engine/capacity/planning.js';

export interface ServerOptions {
  port?: number;
  host?: string;
  /** Persist under this directory; without it (or with inMemory) data lives in memory. */
  dataDir?: string;
  inMemory?: boolean;
  /** Keep the data in this PostgreSQL database instead (postgresql://user:password@host:port/db). */
  postgresUrl?: string;
  region?: string;
  logLevel?: LogLevel;
  /** Allowed CORS origins: `*` (the default, every origin), a comma-separated list, or `none` (off). */
  cors?: string;
  /**
   * How long `close()` lets requests in flight finish, in milliseconds (default 5000).
   * Past it the remaining connections are cut; the store still closes cleanly.
   */
  shutdownTimeoutMs?: number;
  delayTransientStatuses?: boolean;
  /**
   * Throttle requests above each table's provisioned capacity (or on-demand maximum),
   * as DynamoDB does. Off by default; the table tag `openddb:throttle` = on | off overrides it.
   */
  throttle?: boolean;
  /** The clock the server runs on (default: a new one on the system clock). */
  clock?: Clock;
  /** Serve from this storage adapter instead of opening one (closed with the server). */
  store?: KVStore;
  /** Where to log (default: stderr, at `logLevel`). */
  logger?: Logger;
  /** Serve the web console at GET /console (default true). */
  console?: boolean;
  /** Serve as one worker process of a `--workers` cluster (set by the command's primary process). */
  worker?: WorkerRole;
  /** How often the TTL sweeper runs, in ms (default 30 s). */
  ttlIntervalMs?: number;
  /** How old open stream shards get before they roll over to children, in ms (default 4 hours). */
  streamShardRolloverMs?: number;
  /** A JSON file of triggers: table streams delivered to HTTP endpoints (see docs/streams.md). */
  triggersFile?: string;
  /** Triggers given directly (added to those of `triggersFile`). */
  triggers?: TriggerConfig[];
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
  /** Background jobs (index builds and drops, table purges, delayed deletions) with their status, progress and last error. */
  backgroundJobs(tableName?: string): Promise<JobView[]>;
  close(): Promise<void>;
  /** The server's clock (transient statuses, idempotency windows, throttling, TTL, stream retention, iterator expiry): tests set or advance it. */
  clock: Clock;
  /** Closes the table's open stream shards and opens their children now (as the rollover schedule does). */
  rollStreamShards(table: string): Promise<boolean>;
  /** Runs the TTL sweep of a table now; resolves with how many expired items it deleted. */
  sweepTtl(table: string): Promise<number>;
  /**
   * The table's stream as it happens (the table needs a stream enabled):
   * `for await (const record of server.changes('Table'))`. Ends when the server closes.
   */
  changes(table: string, options?: { startingPosition?: StartingPosition }): AsyncIterable<Record<string, unknown>>;
}

export const ACCOUNT_ID = '000000000000';

export { DEFAULT_SHUTDOWN_TIMEOUT_MS };

export async function startServer(options: ServerOptions = {}): Promise<RunningServer> {
  const logger = options.logger ?? createLogger(options.logLevel ?? 'warn');
  const triggers = [...(options.triggersFile !== undefined ? loadTriggersFile(options.triggersFile) : []), ...(options.triggers ?? [])].map(toTrigger);
  const inMemory = options.inMemory === true || options.dataDir === undefined;
  const worker = options.worker;
  if (worker !== undefined && inMemory) throw new Error('worker processes need a data directory: in memory, each process would have its own data');
  if (worker !== undefined && options.postgresUrl !== undefined) throw new Error('worker processes over PostgreSQL are not supported yet');
  const store =
    options.store ??
    (await openStore(
      options.postgresUrl !== undefined ? { postgresUrl: options.postgresUrl } : inMemory ? { inMemory: true } : { dataDir: options.dataDir!, workerOf: worker?.lockToken },
    ));
  let db: Database;
  try {
    db = await Database.open(store, {
      region: options.region ?? 'us-east-1',
      accountId: ACCOUNT_ID,
      delayTransientStatuses: options.delayTransientStatuses === true,
      // Other nodes may serve the same networked store: its catalog is read, not assumed.
      shared: worker !== undefined || !isLocalStore(store),
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
  const background = startBackgroundWork(db, {
    ttlIntervalMs: options.ttlIntervalMs ?? DEFAULT_TTL_INTERVAL_MS,
    shardRolloverMs: options.streamShardRolloverMs ?? DEFAULT_SHARD_ROLLOVER_MS,
    onTtlDeleted: (table, count) => metrics.ttlDeleted(table, count),
    onError: (err) => logger.error('background work failed', err),
  });
  const runners = triggers.map((trigger) => new TriggerRunner(db, trigger, () => background.holdLease(), logger));
  for (const runner of runners) runner.start();
  const controls: Controls = {
    clock: db.clock,
    sweepTtl: (table) => background.sweepTtlNow(table),
    rollStreamShards: (table) => rollShards(db, table),
  };
  const { server, drain } = createHttpServer({
    handler: (operation, body, text) => runOperation(ctx, operation, body, text),
    knownOperations,
    logger,
    cors: options.cors,
    metrics,
    controls,
    console: options.console === false ? undefined : consoleRoute(),
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
      // Stop accepting, answer the requests already read (closing each connection
      // after its answer), stop background work, then close the store cleanly.
      await drain.close(options.shutdownTimeoutMs ?? DEFAULT_SHUTDOWN_TIMEOUT_MS);
      await Promise.all(runners.map((runner) => runner.stop()));
      await background.stop();
      await db.close();
      await store.close();
    })();
    return closing;
  };
  return {
    url: `http://${urlHost}:${port}`,
    port,
    close,
    ...controls,
    backgroundJobs: (tableName) => db.listJobs(tableName),
    changes: (table, changeOptions) => changes(db, table, changeOptions?.startingPosition ?? 'LATEST', () => closing !== undefined),
  };
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
