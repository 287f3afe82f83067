/**
 * Command-line and environment configuration. Our own flags are GNU-style
 * (`--port 8000`); DynamoDB Local's single-dash flags are accepted as aliases so
 * OpenDDB is a drop-in replacement in existing scripts.
 */
import { availableParallelism } from 'node:os';
import { parseArgs } from 'node:util';
import { isLogLevel, type LogLevel } from '../logger.js';
import type { ServerOptions } from '../startServer.js';
import { parseDuration } from './duration.js';
import { DEFAULT_SHUTDOWN_TIMEOUT_MS } from '../server/drain.js';

export interface CliConfig extends ServerOptions {
  help: boolean;
  /** Print only the "listening on" line at startup. */
  quiet: boolean;
  /** Server processes sharing the data directory; 1 = this process serves alone. */
  workers: number;
}

/** The default of `--flush-interval` (kept here so the CLI loads no storage code to print its help). */
const DEFAULT_FLUSH_INTERVAL_MS = 100;
/** Past a minute, "relaxed" would mean losing a minute of acknowledged writes to a power cut. */
const MAX_FLUSH_INTERVAL_MS = 60_000;

/** A sanity bound: more workers than this only adds memory and contention. */
const MAX_WORKERS = 64;

/** DynamoDB Local flag -> our flag (undefined: accepted and ignored). */
const DYNAMODB_LOCAL_ALIASES: Record<string, string | undefined> = {
  '-port': '--port',
  '-inMemory': '--in-memory',
  '-dbPath': '--data-dir',
  '-cors': '--cors',
  '-delayTransientStatuses': '--delay-transient-statuses',
  '-help': '--help',
  '-sharedDb': undefined, // one shared namespace is the default (--namespace-per-key-region opts out)
  '-optimizeDbBeforeStartup': undefined,
  '-disableTelemetry': undefined,
  // The amazon/dynamodb-local image runs `java <command>`: its compose files pass these.
  '-jar': undefined,
  'DynamoDBLocal.jar': undefined,
};

/** JVM options on the same command lines (`-Djava.library.path=./DynamoDBLocal_lib`, `-Xmx1g`). */
const isJvmOption = (arg: string): boolean => arg.startsWith('-D') || arg.startsWith('-X');

/** Every flag of the server command (node:util parseArgs), each documented in USAGE. */
export const CLI_OPTIONS = {
  port: { type: 'string' },
  host: { type: 'string' },
  cors: { type: 'string' },
  'tls-cert': { type: 'string' },
  'tls-key': { type: 'string' },
  'tls-port': { type: 'string' },
  'max-connections': { type: 'string' },
  'admin-port': { type: 'string' },
  'data-dir': { type: 'string' },
  'in-memory': { type: 'boolean' },
  storage: { type: 'string' },
  'read-replica': { type: 'string', multiple: true },
  'replica-max-lag-ms': { type: 'string' },
  durability: { type: 'string' },
  'flush-interval': { type: 'string' },
  's3-root': { type: 'string' },
  region: { type: 'string' },
  'delay-transient-statuses': { type: 'boolean' },
  throttle: { type: 'boolean' },
  'ttl-interval': { type: 'string' },
  'stream-shard-rollover': { type: 'string' },
  triggers: { type: 'string' },
  auth: { type: 'string' },
  'audit-log': { type: 'string' },
  'audit-data-plane': { type: 'boolean' },
  'namespace-per-key-region': { type: 'boolean' },
  workers: { type: 'string' },
  'shutdown-timeout': { type: 'string' },
  'log-level': { type: 'string' },
  quiet: { type: 'boolean', short: 'q' },
  'no-console': { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const;

export const USAGE = `Usage: openddb [options]     serve DynamoDB's API (default: port 8000, data in ./data)
       openddb <command> ...   see Commands below

Where it listens
  --port <n>                  port to listen on; 0 picks a free one (default 8000; env OPENDDB_PORT)
  --host <addr>               address to bind (default 127.0.0.1; 0.0.0.0 in containers; env OPENDDB_HOST)
  --cors <origins>            CORS origins: * (default, every origin), a comma-separated list, or none
                              to turn CORS off (env OPENDDB_CORS)
  --tls-cert <file>           PEM certificate (chain): serve HTTPS (with --tls-key; env OPENDDB_TLS_CERT)
  --tls-key <file>            PEM private key of the certificate (env OPENDDB_TLS_KEY)
  --tls-port <n>              serve HTTPS on this port and plain HTTP on --port (default: HTTPS on --port)
  --max-connections <n>       the most client connections served at once per process (env OPENDDB_MAX_CONNECTIONS)

Where data lives
  --data-dir <dir>            where data is persisted (default ./data; env OPENDDB_DATA_DIR)
  --in-memory                 keep data in memory only: gone when the server stops (env OPENDDB_IN_MEMORY=1)
  --storage <engine>          lmdb (default, under --data-dir), memory, or a PostgreSQL 13+ URL
                              postgresql://user:password@host:5432/db (env OPENDDB_STORAGE)
  --read-replica <url>        with PostgreSQL: a streaming standby for eventually consistent reads;
                              repeatable (env OPENDDB_READ_REPLICAS, comma-separated)
  --replica-max-lag-ms <ms>   skip a read replica further behind than this (default 1000;
                              env OPENDDB_REPLICA_MAX_LAG_MS)
  --durability <mode>         full: acknowledge a write once it is synced to disk (default);
                              relaxed: once the operating system has it — survives a crash of the
                              server, a machine crash may lose the last flush interval (env OPENDDB_DURABILITY)
  --flush-interval <ms>       relaxed durability: the most time a write may stay unsynced
                              (default 100; env OPENDDB_FLUSH_INTERVAL)
  --s3-root <dir>             the directory standing for S3 in exports and imports: bucket B, prefix P
                              is <dir>/B/P (default <data-dir>/s3, a temporary directory in memory;
                              env OPENDDB_S3_ROOT)
  --region <name>             region used in ARNs (default us-east-1; env OPENDDB_REGION)

Behaving like DynamoDB
  --delay-transient-statuses  hold CREATING/UPDATING/DELETING briefly, as DynamoDB does
                              (env OPENDDB_DELAY_TRANSIENT_STATUSES=1)
  --throttle                  throttle requests above provisioned capacity / on-demand maximums
                              (env OPENDDB_THROTTLE=1; per table: tag openddb:throttle = on | off)
  --ttl-interval <duration>   how often expired TTL items are swept, e.g. 30s (default 30s; env OPENDDB_TTL_INTERVAL)
  --stream-shard-rollover <duration>
                              how old open stream shards get before they roll over to children, e.g. 10s
                              (default 4h; env OPENDDB_STREAM_SHARD_ROLLOVER)
  --triggers <file>           deliver table streams to HTTP endpoints, as configured in this JSON file
                              (see docs/streams.md; env OPENDDB_TRIGGERS)

Security
  --auth <file>               require SigV4 signatures from the users in this JSON file and apply their
                              IAM policies, to the test controls too (env OPENDDB_AUTH; reloaded on
                              SIGHUP; see docs/security.md)
  --audit-log <file|->        one JSON line per control-plane request, in CloudTrail's shape (env OPENDDB_AUDIT_LOG)
  --audit-data-plane          audit item reads and writes too (env OPENDDB_AUDIT_DATA_PLANE=1)
  --namespace-per-key-region  without --auth: one namespace of tables per access key and region, as
                              DynamoDB Local without -sharedDb (env OPENDDB_NAMESPACE_PER_KEY_REGION=1)

Testing
  --admin-port <n>            serve the test controls (/openddb/reset, snapshot, restore, faults, clock)
                              on this port only, not on --port (env OPENDDB_ADMIN_PORT; see docs/testing.md)

Running
  --workers <n|auto>          serve with n processes over the same data directory (auto: one per CPU;
                              default 1; env OPENDDB_WORKERS); reset and snapshots are off with n > 1
  --shutdown-timeout <t>      on SIGINT/SIGTERM, how long requests in flight get to finish: ms, or
                              with a unit (500ms, 5s; default 5s; env OPENDDB_SHUTDOWN_TIMEOUT)
  --log-level <level>         debug | info | warn | error | silent (default info; env OPENDDB_LOG_LEVEL)
  -q, --quiet                 print only the "listening on" line at startup, not the banner (env OPENDDB_QUIET=1)
  --no-console                do not serve the web console at /console (env OPENDDB_CONSOLE=0)
  -h, --help                  show this help

Commands
  openddb backup / openddb restore   copy a whole database (openddb backup --help)
  openddb sql                        a PartiQL shell (openddb sql --help)
  openddb import-json / export-json  load or dump a table as JSON lines (each with --help)
  openddb mcp                        a Model Context Protocol server on standard input/output

DynamoDB Local's flags are accepted too, so OpenDDB drops into its scripts and its
image's docker-compose files: -port, -inMemory, -dbPath, -cors, -delayTransientStatuses,
-help; -sharedDb (one shared namespace is the default; --namespace-per-key-region opts out),
-optimizeDbBeforeStartup and -disableTelemetry are ignored, as are the image's \`-jar DynamoDBLocal.jar\` and JVM
options (-Djava.library.path=..., -Xmx...).
`;

export class UsageError extends Error {}

export function parseCliArgs(argv: string[], env: NodeJS.ProcessEnv): CliConfig {
  const args: string[] = [];
  for (const arg of argv) {
    if (isJvmOption(arg)) continue;
    if (Object.hasOwn(DYNAMODB_LOCAL_ALIASES, arg)) {
      const mapped = DYNAMODB_LOCAL_ALIASES[arg];
      if (mapped !== undefined) args.push(mapped);
    } else {
      args.push(arg);
    }
  }
  let values;
  try {
    ({ values } = parseArgs({
      args,
      options: CLI_OPTIONS,
      strict: true,
      allowPositionals: false,
    }));
  } catch (err) {
    throw new UsageError((err as Error).message);
  }

  const portText = values.port ?? env.OPENDDB_PORT ?? '8000';
  const port = Number(portText);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new UsageError(`invalid port: ${portText}`);
  const logLevel = values['log-level'] ?? env.OPENDDB_LOG_LEVEL ?? 'info';
  if (!isLogLevel(logLevel)) throw new UsageError(`invalid log level: ${logLevel}`);
  const storage = values.storage ?? env.OPENDDB_STORAGE ?? 'lmdb';
  const postgresUrl = isPostgresUrl(storage) ? storage : undefined;
  if (postgresUrl === undefined && storage !== 'lmdb' && storage !== 'memory') {
    throw new UsageError(`invalid storage: ${storage} (lmdb, memory, or a postgresql:// URL)`);
  }
  const inMemory = (values['in-memory'] ?? isTrue(env.OPENDDB_IN_MEMORY)) || storage === 'memory';
  if (postgresUrl !== undefined && inMemory) throw new UsageError('--in-memory and a PostgreSQL --storage exclude each other');
  const { readReplicas, replicaMaxLagMs } = replicaOptions(values['read-replica'], values['replica-max-lag-ms'], env, postgresUrl !== undefined);
  const workers = parseWorkers(values.workers ?? env.OPENDDB_WORKERS ?? '1');
  if (workers > 1 && inMemory) {
    throw new UsageError('--workers needs a data directory: with --in-memory every worker process would have its own separate data');
  }
  const durability = values.durability ?? env.OPENDDB_DURABILITY ?? 'full';
  if (durability !== 'full' && durability !== 'relaxed') throw new UsageError(`invalid durability: ${durability} (full or relaxed)`);
  const flushText = values['flush-interval'] ?? env.OPENDDB_FLUSH_INTERVAL ?? String(DEFAULT_FLUSH_INTERVAL_MS);
  const flushIntervalMs = Number(flushText);
  if (!Number.isInteger(flushIntervalMs) || flushIntervalMs < 1 || flushIntervalMs > MAX_FLUSH_INTERVAL_MS) {
    throw new UsageError(`invalid flush interval: ${flushText} (1 to ${MAX_FLUSH_INTERVAL_MS} ms)`);
  }
  if (durability === 'relaxed' && inMemory) throw new UsageError('--durability relaxed needs a data directory: in memory, nothing is synced');
  return {
    help: values.help === true,
    quiet: values.quiet ?? isTrue(env.OPENDDB_QUIET),
    durability,
    flushIntervalMs,
    workers,
    port,
    host: values.host ?? env.OPENDDB_HOST ?? '127.0.0.1',
    dataDir: inMemory || postgresUrl !== undefined ? undefined : (values['data-dir'] ?? env.OPENDDB_DATA_DIR ?? './data'),
    inMemory,
    postgresUrl,
    readReplicas,
    replicaMaxLagMs,
    region: values.region ?? env.OPENDDB_REGION ?? 'us-east-1',
    logLevel: logLevel as LogLevel,
    cors: values.cors ?? env.OPENDDB_CORS,
    delayTransientStatuses: values['delay-transient-statuses'] ?? isTrue(env.OPENDDB_DELAY_TRANSIENT_STATUSES),
    throttle: values.throttle ?? isTrue(env.OPENDDB_THROTTLE),
    ttlIntervalMs: durationOption('--ttl-interval', values['ttl-interval'] ?? env.OPENDDB_TTL_INTERVAL),
    streamShardRolloverMs: durationOption('--stream-shard-rollover', values['stream-shard-rollover'] ?? env.OPENDDB_STREAM_SHARD_ROLLOVER),
    triggersFile: values.triggers ?? env.OPENDDB_TRIGGERS,
    shutdownTimeoutMs: shutdownTimeout(values['shutdown-timeout'] ?? env.OPENDDB_SHUTDOWN_TIMEOUT ?? String(DEFAULT_SHUTDOWN_TIMEOUT_MS)),
    console: values['no-console'] === true ? false : !isFalse(env.OPENDDB_CONSOLE),
    auth: values.auth ?? (env.OPENDDB_AUTH || undefined),
    tlsCert: values['tls-cert'] ?? (env.OPENDDB_TLS_CERT || undefined),
    tlsKey: values['tls-key'] ?? (env.OPENDDB_TLS_KEY || undefined),
    tlsPort: optionalPort(values['tls-port']),
    maxConnections: optionalCount('--max-connections', values['max-connections'] ?? (env.OPENDDB_MAX_CONNECTIONS || undefined)),
    auditLog: values['audit-log'] ?? (env.OPENDDB_AUDIT_LOG || undefined),
    auditDataPlane: values['audit-data-plane'] ?? isTrue(env.OPENDDB_AUDIT_DATA_PLANE),
    s3Root: values['s3-root'] ?? env.OPENDDB_S3_ROOT,
    adminPort: optionalPort(values['admin-port'] ?? (env.OPENDDB_ADMIN_PORT || undefined)),
    namespacePerKeyRegion: values['namespace-per-key-region'] ?? isTrue(env.OPENDDB_NAMESPACE_PER_KEY_REGION),
  };
}

function durationOption(flag: string, text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const ms = parseDuration(text);
  if (ms === undefined) throw new UsageError(`invalid ${flag}: ${text} (a number with ms, s, m or h, e.g. 10s)`);
  return ms;
}

function optionalPort(text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const port = Number(text);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new UsageError(`invalid port: ${text}`);
  return port;
}

function optionalCount(flag: string, text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const count = Number(text);
  if (!Number.isInteger(count) || count < 1) throw new UsageError(`invalid ${flag}: ${text}`);
  return count;
}

function parseWorkers(text: string): number {
  if (text === 'auto') return availableParallelism();
  const workers = Number(text);
  if (!Number.isInteger(workers) || workers < 1 || workers > MAX_WORKERS) {
    throw new UsageError(`invalid number of workers: ${text} (1 to ${MAX_WORKERS}, or auto)`);
  }
  return workers;
}

function replicaOptions(
  flags: string[] | undefined,
  lagText: string | undefined,
  env: NodeJS.ProcessEnv,
  postgres: boolean,
): { readReplicas?: string[]; replicaMaxLagMs?: number } {
  // Split only before a scheme: a multi-host URL has commas of its own.
  const urls = flags ?? (env.OPENDDB_READ_REPLICAS ? env.OPENDDB_READ_REPLICAS.split(/,(?=postgres(?:ql)?:\/\/)/i) : []);
  const lag = lagText ?? (env.OPENDDB_REPLICA_MAX_LAG_MS || undefined);
  if (urls.length === 0 && lag === undefined) return {};
  if (!postgres) throw new UsageError('--read-replica needs a PostgreSQL --storage');
  const bad = urls.find((url) => !isPostgresUrl(url));
  if (bad !== undefined) throw new UsageError(`invalid read replica: ${bad} (a postgresql:// URL)`);
  const replicaMaxLagMs = lag === undefined ? undefined : Number(lag);
  if (replicaMaxLagMs !== undefined && (!Number.isInteger(replicaMaxLagMs) || replicaMaxLagMs < 0)) {
    throw new UsageError(`invalid --replica-max-lag-ms: ${lag}`);
  }
  return { readReplicas: urls.length > 0 ? urls : undefined, replicaMaxLagMs };
}

function isPostgresUrl(storage: string): boolean {
  return /^postgres(ql)?:\/\//i.test(storage);
}

/** The drain deadline: a duration of at most an hour. */
function shutdownTimeout(text: string): number {
  const ms = parseDuration(text);
  if (ms === undefined || ms > 3_600_000) throw new UsageError(`invalid shutdown timeout: ${text} (milliseconds, or e.g. 500ms, 5s; at most 1 hour)`);
  return ms;
}

function isFalse(value: string | undefined): boolean {
  return value !== undefined && /^(0|false|no|off)$/i.test(value);
}

function isTrue(value: string | undefined): boolean {
  return value !== undefined && /^(1|true|yes|on)$/i.test(value);
}
