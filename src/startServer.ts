/**
 * `startServer()`: an OpenDDB server in this process — storage, engine, the HTTP and
 * in-process fronts, background jobs, triggers and test controls wired together.
 */
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import { openStore } from './storage/open.js';
import { Database } from './engine/database.js';
import type { Clock } from './engine/clock.js';
import type { JobView } from './engine/jobs/jobRecord.js';
import { readFileSync } from 'node:fs';
import type { Server } from 'node:http';
import { createHttpServer, type TlsOptions } from './server/server.js';
import { DEFAULT_SHUTDOWN_TIMEOUT_MS } from './server/drain.js';
import { knownOperations } from './api/shapeValidation.js';
import { runOperation } from './api/operations.js';
import { createLogger, type Logger, type LogLevel } from './logger.js';
import { isLocalStore, type KVStore, type LocalKVStore } from './storage/kv.js';
import type { Durability } from './storage/lmdb.js';
import type { ApiContext } from './api/context.js';
import type { Caller } from './api/authorization/caller.js';
import { Metrics } from './engine/metrics.js';
import type { ProvisionedView } from './engine/metricCells.js';
import { ThrottleGate } from './engine/capacity/throttleGate.js';
import { rollShards } from './engine/changelog/maintenance.js';
import { DEFAULT_SHARD_ROLLOVER_MS, DEFAULT_TTL_INTERVAL_MS, registerUpkeepJobs } from './engine/jobs/upkeepJobs.js';
import { sweepTtl } from './engine/ttl/sweep.js';
import { createControlsServer, type ControlOptions, type Controls } from './server/controls.js';
import { FaultInjector } from './server/faults.js';
import { DatabaseCopies } from './engine/databaseCopies.js';
import { loadTriggersFile, toTrigger, type TriggerConfig } from './triggers/config.js';
import { TriggerRunner } from './triggers/runner.js';
import { changes } from './triggers/changes.js';
import type { StartingPosition } from './engine/changelog/consumer.js';
import { consoleRoute } from './console/serve.js';
import { UserDirectory } from './server/auth/users.js';
import { AuditLog } from './server/audit/auditLog.js';
import { InProcessHandler, IN_PROCESS_HOST } from './server/sdkHandler.js';
import { namespaceSelector } from './server/namespaceSelection.js';
import type { Namespace } from './engine/namespace.js';

export interface ServerOptions {
  port?: number;
  host?: string;
  /** Persist under this directory; without it (or with inMemory) data lives in memory. */
  dataDir?: string;
  inMemory?: boolean;
  /** Keep the data in this PostgreSQL database instead (postgresql://user:password@host:port/db). */
  postgresUrl?: string;
  /** With postgresUrl: streaming standbys that serve eventually consistent reads (see docs/scale-out.md). */
  readReplicas?: string[];
  /** A read replica lagging further behind than this (ms, default 1000) is skipped. */
  replicaMaxLagMs?: number;
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
  store?: KVStore;
  /** Where to log (default: stderr, at `logLevel`). */
  logger?: Logger;
  /** Serve the web console at GET /console (default true). */
  console?: boolean;
  /**
   * Require SigV4 signatures from the users in this JSON file and authorize every
   * operation with their IAM policies (see docs/security.md). Off when undefined.
   */
  auth?: string;
  /** PEM files of a certificate (chain) and its private key: serve HTTPS (see `tlsPort`). */
  tlsCert?: string;
  tlsKey?: string;
  /** With a certificate: serve HTTPS on this port and plain HTTP on `port`; without it, HTTPS on `port`. */
  tlsPort?: number;
  /** The most connections served at once (per process); more are refused. Unbounded when undefined. */
  maxConnections?: number;
  /** Write an audit record (CloudTrail's shape) per control-plane request to this file, or `-` for stdout. */
  auditLog?: string;
  /** Audit data-plane requests (item reads and writes) too. */
  auditDataPlane?: boolean;
  /** Serve the test controls (/openddb/...) on this port only, not on the DynamoDB port. */
  adminPort?: number;
  /**
   * Without `auth`: keep one namespace of tables per access key and region, as DynamoDB
   * Local does without `-sharedDb` (default: one namespace shared by every client).
   */
  namespacePerKeyRegion?: boolean;
  /** Open no socket: serve only through `requestHandler`, in this process (see startInProcess). */
  inProcess?: boolean;
  /** Serve as one worker process of a `--workers` cluster (set by the command's primary process). */
  worker?: WorkerRole;
  /** How often the TTL sweeper runs, in ms (default 30 s). */
  ttlIntervalMs?: number;
  /** How old open stream shards get before they roll over to children, in ms (default 4 hours). */
  streamShardRolloverMs?: number;
  /** The directory standing for S3 in exports and imports (default: `<data-dir>/s3`, a temporary directory in memory). */
  s3Root?: string;
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
  /** With `tlsPort`: the HTTPS address. */
  tlsUrl?: string;
  /** With `adminPort`: the address of the test controls. */
  adminUrl?: string;
  /**
   * Background jobs with their status, progress and last error: index builds and drops,
   * table purges, delayed deletions, TTL sweeps, shard rollover, log trimming, trigger delivery.
   */
  backgroundJobs(tableName?: string): Promise<JobView[]>;
  /** Reads the `auth` users file again (the command does this on SIGHUP); throws, keeping the old users, if it is invalid. */
  reloadAuth(): void;
  close(): Promise<void>;
  /**
   * An AWS SDK v3 request handler answering through the same pipeline as the HTTP
   * front, without a socket: `new DynamoDBClient({ requestHandler, region, credentials })`.
   */
  requestHandler: InProcessHandler;
  /** The server's clock (transient statuses, idempotency windows, throttling, TTL, stream retention, iterator expiry): tests set or advance it. */
  clock: Clock;
  /** Drops every table, item, stream and backup, and clears the faults (not the clock). */
  reset(): Promise<void>;
  /** Saves the whole database; resolves with the id `restore` takes. */
  snapshot(): Promise<string>;
  /** Puts the whole database back as snapshot `id` saved it (the snapshot stays usable). */
  restore(id: string): Promise<void>;
  /** Injected faults on both fronts: `faults.add({ operation: 'GetItem', error: 'ThrottlingException', count: 1 })`, `faults.clear()`. */
  faults: FaultInjector;
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
  const tls = tlsFiles(options);
  const inMemory = options.inMemory === true || options.dataDir === undefined;
  const worker = options.worker;
  if (worker !== undefined && inMemory && options.postgresUrl === undefined) throw new Error('worker processes need a data directory: in memory, each process would have its own data');
  const store =
    options.store ??
    (await openStore(
      options.postgresUrl !== undefined ? { postgresUrl: options.postgresUrl, readReplicas: options.readReplicas, replicaMaxLagMs: options.replicaMaxLagMs } : inMemory ? { inMemory: true } : { dataDir: options.dataDir!, workerOf: worker?.lockToken, durability: options.durability, flushIntervalMs: options.flushIntervalMs },
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
      s3Root: options.s3Root ?? (inMemory ? undefined : join(options.dataDir!, 's3')),
    });
  } catch (err) {
    await store.close();
    throw err;
  }
  let users: UserDirectory | undefined;
  try {
    users = options.auth === undefined ? undefined : new UserDirectory(options.auth);
  } catch (err) {
    await db.close();
    await store.close();
    throw err;
  }
  const audit = options.auditLog === undefined ? undefined : new AuditLog({ target: options.auditLog, dataPlane: options.auditDataPlane === true });
  const host = options.host ?? '127.0.0.1';
  const metrics = new Metrics(() => provisionedViews(db), () => store.replicas?.() ?? []);
  const throttle = new ThrottleGate(metrics, options.throttle === true, () => db.clock.now());
  const ctx: ApiContext = { db, endpointAddress: '', metrics, throttle, namespace: db.defaultNamespace };
  registerUpkeepJobs(db, {
    ttlIntervalMs: options.ttlIntervalMs ?? DEFAULT_TTL_INTERVAL_MS,
    shardRolloverMs: options.streamShardRolloverMs ?? DEFAULT_SHARD_ROLLOVER_MS,
    onTtlDeleted: (table, count) => metrics.ttlDeleted(table, count),
  });
  const runners = triggers.map((trigger) => new TriggerRunner(db, trigger, logger));
  for (const runner of runners) runner.start();
  const faults = new FaultInjector();
  const copies = new DatabaseCopies(db);
  const controls: Controls = {
    clock: db.clock,
    faults,
    reset: async () => {
      await copies.reset();
      faults.clear();
    },
    snapshot: () => copies.snapshot(),
    restore: (id) => copies.restore(id),
    sweepTtl: async (table) => {
      const deleted = await sweepTtl(db, table);
      metrics.ttlDeleted(table, deleted);
      return deleted;
    },
    rollStreamShards: (table) => rollShards(db, table),
  };
  const auth = users && { users, now: () => db.clock.now() };
  const controlOptions: ControlOptions = { controls, logger, auth };
  const http = {
    handler: (operation: string, body: Record<string, unknown>, text: Buffer, caller?: Caller, namespace?: Namespace) => runOperation(ctx, operation, body, text, caller, namespace),
    knownOperations,
    logger,
    cors: options.cors,
    metrics,
    controls: options.adminPort === undefined ? controlOptions : undefined,
    faults,
    console: options.console === false ? undefined : consoleRoute(),
    auth,
    audit,
    region: options.region,
    namespaces: namespaceSelector(db.defaultNamespace, { auth: users !== undefined, perKeyRegion: options.namespacePerKeyRegion === true }),
  };
  const front = createHttpServer(http, options.tlsPort === undefined ? tls : undefined);
  const tlsFront = tls && options.tlsPort !== undefined ? createHttpServer(http, tls) : undefined;
  const fronts = tlsFront ? [front, tlsFront] : [front];
  for (const { server } of fronts) if (options.maxConnections !== undefined) server.maxConnections = options.maxConnections;
  const port = options.inProcess ? 0 : await listen(front.server, options.port ?? 0, host);
  // Set before anything else is awaited: requests may arrive as soon as the port listens.
  const urlHost = host === '0.0.0.0' || host === '::' ? 'localhost' : host.includes(':') ? `[${host}]` : host;
  ctx.endpointAddress = options.inProcess ? IN_PROCESS_HOST : `${urlHost}:${port}`;
  const tlsPort = tlsFront && !options.inProcess ? await listen(tlsFront.server, options.tlsPort!, host) : undefined;
  const admin = options.adminPort !== undefined && !options.inProcess ? createControlsServer(controlOptions) : undefined;
  const adminPort = admin && (await listen(admin, options.adminPort!, host));

  let closing: Promise<void> | undefined;
  const close = () => {
    closing ??= (async () => {
      // Stop accepting, answer the requests already read (closing each connection
      // after its answer), stop trigger delivery and the job runner, then close the store cleanly.
      const timeout = options.shutdownTimeoutMs ?? DEFAULT_SHUTDOWN_TIMEOUT_MS;
      await Promise.all([...fronts.map(({ drain }) => drain.close(timeout)), admin && closeServer(admin)]);
      await Promise.all(runners.map((runner) => runner.stop()));
      await db.close();
      await store.close();
      await audit?.close();
    })();
    return closing;
  };
  const scheme = tls && !tlsFront ? 'https' : 'http';
  return {
    url: options.inProcess ? `http://${IN_PROCESS_HOST}` : `${scheme}://${urlHost}:${port}`,
    port,
    tlsUrl: tlsPort === undefined ? undefined : `https://${urlHost}:${tlsPort}`,
    adminUrl: adminPort === undefined ? undefined : `http://${urlHost}:${adminPort}`,
    close,
    requestHandler: new InProcessHandler(http),
    ...controls,
    backgroundJobs: (tableName) => db.listJobs(tableName),
    reloadAuth: () => users?.reload(),
    changes: (table, changeOptions) => changes(db, table, changeOptions?.startingPosition ?? 'LATEST', () => closing !== undefined),
  };
}

function tlsFiles(options: ServerOptions): TlsOptions | undefined {
  if (options.tlsCert === undefined && options.tlsKey === undefined) return undefined;
  if (options.tlsCert === undefined || options.tlsKey === undefined) throw new Error('TLS needs both a certificate (tlsCert) and a private key (tlsKey)');
  return { cert: readFileSync(options.tlsCert), key: readFileSync(options.tlsKey) };
}

function listen(server: Server, port: number, host: string): Promise<number> {
  return new Promise<number>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve((server.address() as AddressInfo).port);
    });
  });
}

function closeServer(server: Server): Promise<void> {
  return new Promise((resolve) => {
    server.close(() => resolve());
    server.closeAllConnections();
  });
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
