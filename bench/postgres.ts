/**
 * OpenDDB over PostgreSQL beside pgbench, the physical reference, on one throw-away local
 * cluster: pgbench select-only and simple-update, then GetItem and PutItem through 1, 2
 * and 4 OpenDDB nodes (separate processes over the same database), all at the same
 * concurrency. Goals: GetItem >= 0.5 x select-only TPS, PutItem >= 0.5 x simple-update TPS.
 * The same load against one node on the default store (LMDB in a temporary directory)
 * gives the adapter's cost as a ratio to the same workload without it.
 *
 * Part of `npm run bench` (skipped, with the reason, without the PostgreSQL binaries or
 * with OPENDDB_BENCH_POSTGRES=0); on its own: `node dist/bench/postgres.js [--connections n]
 * [--duration s]`.
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs, promisify } from 'node:util';
import { BenchClient } from './client.js';
import { OPENDDB_CLI } from './targets.js';
import { runLoad } from './loadRunner.js';
import { PG_ITEMS, PG_TABLE, pgItem } from './workloads.js';
import { findBinaries, startPostgresCluster } from '../test/postgresCluster.js';

const run = promisify(execFile);
const log = (text: string) => process.stderr.write(`${text}\n`);

export interface PostgresBenchOptions {
  connections: number;
  warmupMs: number;
  durationMs: number;
}

export interface PostgresBenchResult {
  connections: number;
  pgbench: { selectOnly: number; simpleUpdate: number };
  /** Operations per second by node count. */
  nodes: { count: number; getItem: number; putItem: number }[];
  /** The same load against one node on the default store (LMDB, synced commits). */
  defaultStore: { getItem: number; putItem: number };
}

const NODE_COUNTS = [1, 2, 4];

/** Runs the whole comparison, or answers why it cannot. */
export async function runPostgresBench(options: PostgresBenchOptions): Promise<PostgresBenchResult | { skipped: string }> {
  if (process.env.OPENDDB_BENCH_POSTGRES === '0') return { skipped: 'OPENDDB_BENCH_POSTGRES=0' };
  const bin = findBinaries();
  if (bin === undefined || !existsSync(join(bin, 'pgbench'))) return { skipped: 'PostgreSQL server binaries or pgbench not found (install postgresql, or set OPENDDB_PG_BIN)' };
  const started = await startPostgresCluster();
  if (started.skip !== undefined) return { skipped: started.skip };
  const cluster = started.cluster;
  try {
    const pgbench = async (mode: '-S' | '-N'): Promise<number> => {
      const seconds = String(Math.max(1, Math.round(options.durationMs / 1000)));
      const { stdout } = await run(join(bin, 'pgbench'), ['-h', '127.0.0.1', '-p', String(cluster.port), '-U', 'postgres', '-M', 'prepared', '-c', String(options.connections), '-j', '2', '-T', seconds, mode, 'postgres']);
      const tps = /tps = ([\d.]+) \(without initial connection time\)/.exec(stdout);
      if (tps === null) throw new Error(`unexpected pgbench output: ${stdout}`);
      return Number(tps[1]);
    };
    await run(join(bin, 'pgbench'), ['-h', '127.0.0.1', '-p', String(cluster.port), '-U', 'postgres', '-i', '-q', '-s', '1', 'postgres']);
    const selectOnly = await pgbench('-S');
    log(`  pgbench select-only    ${Math.round(selectOnly)} tps`);
    const simpleUpdate = await pgbench('-N');
    log(`  pgbench simple-update  ${Math.round(simpleUpdate)} tps`);
    const result: PostgresBenchResult = { connections: options.connections, pgbench: { selectOnly, simpleUpdate }, nodes: [], defaultStore: await onDefaultStore(options) };
    const nodes: OpenDDBNode[] = [];
    try {
      for (const count of NODE_COUNTS) {
        while (nodes.length < count) nodes.push(await startNode(cluster.url));
        if (nodes.length === 1) await preload(nodes[0]!.client);
        const getItem = await load(nodes, options, 'GetItem');
        const putItem = await load(nodes, options, 'PutItem');
        log(`  ${count} node${count > 1 ? 's' : ' '}  GetItem ${Math.round(getItem)}/s  PutItem ${Math.round(putItem)}/s`);
        result.nodes.push({ count, getItem, putItem });
      }
    } finally {
      for (const node of nodes) node.stop();
    }
    return result;
  } finally {
    await cluster.stop();
  }
}

export interface OpenDDBNode {
  client: BenchClient;
  pid: number;
  port: number;
  stop(): void;
}

/** The load generator's data sizes; the PostgreSQL workloads use only their own table. */
const PG_SIZES = { items: PG_ITEMS, partitions: 1, perPartition: 1 };

/** GetItem and PutItem through one node on the default store, in a temporary data directory. */
async function onDefaultStore(options: PostgresBenchOptions): Promise<{ getItem: number; putItem: number }> {
  const dataDir = mkdtempSync(join(tmpdir(), 'openddb-bench-pg-reference-'));
  const node = await startNode(['--data-dir', dataDir]);
  try {
    await preload(node.client);
    const getItem = await load([node], options, 'GetItem');
    const putItem = await load([node], options, 'PutItem');
    log(`  default store, 1 node  GetItem ${Math.round(getItem)}/s  PutItem ${Math.round(putItem)}/s`);
    return { getItem, putItem };
  } finally {
    node.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

/** `nodeArgs` go to node itself (e.g. --cpu-prof). */
export async function startNode(storage: string | string[], nodeArgs: string[] = []): Promise<OpenDDBNode> {
  const storageArgs = typeof storage === 'string' ? ['--storage', storage] : storage;
  const child: ChildProcess = spawn(process.execPath, [...nodeArgs, OPENDDB_CLI, ...storageArgs, '--port', '0', '--log-level', 'warn'], { stdio: ['ignore', 'pipe', 'inherit'] });
  const port = await new Promise<number>((resolve, reject) => {
    let text = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      text += chunk.toString();
      const found = /listening on https?:\/\/[^:\s]+:(\d+)/.exec(text);
      if (found !== null) resolve(Number(found[1]));
    });
    child.once('exit', (code) => reject(new Error(`OpenDDB node exited with ${code}: ${text}`)));
  });
  const client = new BenchClient('127.0.0.1', port);
  return {
    client,
    pid: child.pid!,
    port,
    stop: () => {
      client.close();
      child.kill('SIGTERM');
    },
  };
}

export async function preload(client: BenchClient): Promise<void> {
  await client.call('CreateTable', {
    TableName: PG_TABLE,
    BillingMode: 'PAY_PER_REQUEST',
    KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
    AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }],
  });
  for (let n = 0; n < PG_ITEMS; n += 25) {
    const puts = Array.from({ length: Math.min(25, PG_ITEMS - n) }, (_, i) => ({ PutRequest: { Item: pgItem(n + i) } }));
    await client.call('BatchWriteItem', { RequestItems: { [PG_TABLE]: puts } });
  }
}

/**
 * `connections` keep-alive connections spread over the nodes, driven by the benchmark's
 * load generator (pre-signed raw requests, one forked process per node, as for every other
 * target): what pgbench's C client is to PostgreSQL. Successful operations per second.
 */
export async function load(nodes: OpenDDBNode[], options: PostgresBenchOptions, operation: 'GetItem' | 'PutItem'): Promise<number> {
  const workload = operation === 'GetItem' ? 'pg-get' : 'pg-put';
  const loads = await Promise.all(nodes.map((node, k) => runLoad(node.pid, {
    host: '127.0.0.1', port: node.port, workload, sizes: PG_SIZES,
    connections: Math.floor(options.connections / nodes.length) + (k < options.connections % nodes.length ? 1 : 0),
    warmupMs: options.warmupMs, durationMs: options.durationMs, checkBodies: true,
  })));
  const failed = loads.reduce((sum, l) => sum + l.errors + l.warmupErrors + l.checkFailures, 0);
  if (failed > 0) log(`  ${operation}: ${failed} requests failed or answered wrongly (${loads.flatMap((l) => l.samples).slice(0, 2).join('; ')})`);
  const cores = loads.reduce((sum, l) => sum + l.cpuCores, 0);
  const ops = loads.reduce((sum, l) => sum + l.ops, 0);
  log(`    ${operation} on ${nodes.length} node${nodes.length > 1 ? 's' : ''}: ${Math.round((cores * options.durationMs * 1000) / Math.max(1, ops))} µs node CPU per operation, nodes busy ${cores.toFixed(2)} cores, load generator ${loads.reduce((sum, l) => sum + l.loadgenCores, 0).toFixed(2)}, rest of the machine ${Math.max(...loads.map((l) => l.otherCores)).toFixed(2)}`);
  return loads.reduce((sum, l) => sum + l.opsPerSec, 0);
}

export function postgresBenchMarkdown(result: PostgresBenchResult): string {
  const { selectOnly, simpleUpdate } = result.pgbench;
  const rows = result.nodes.map(({ count, getItem, putItem }) => {
    const get = getItem / selectOnly;
    const put = putItem / simpleUpdate;
    return `| ${count} | ${Math.round(getItem)} | ${get.toFixed(2)} ${get >= 0.5 ? 'pass' : 'FAIL'} | ${Math.round(putItem)} | ${put.toFixed(2)} ${put >= 0.5 ? 'pass' : 'FAIL'} |`;
  });
  return [
    `pgbench at ${result.connections} clients: select-only ${Math.round(selectOnly)} tps, simple-update ${Math.round(simpleUpdate)} tps.`,
    '',
    '| OpenDDB nodes | GetItem/s | × select-only (goal ≥ 0.5) | PutItem/s | × simple-update (goal ≥ 0.5) |',
    '| --- | --- | --- | --- | --- |',
    ...rows,
    '',
    defaultStoreLine(result),
  ].join('\n');
}

/** The PostgreSQL part of `npm run bench`: logs the table, or why it was skipped. */
export async function postgresPhase(options: PostgresBenchOptions): Promise<void> {
  log(`\n== OpenDDB over PostgreSQL beside pgbench (${options.connections} clients)`);
  const result = await runPostgresBench(options);
  if ('skipped' in result) log(`  skipped: ${result.skipped}`);
  else process.stdout.write(`\n${postgresBenchMarkdown(result)}\n`);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const { values } = parseArgs({ options: { connections: { type: 'string' }, duration: { type: 'string' }, warmup: { type: 'string' } } });
  await postgresPhase({
    connections: Number(values.connections ?? 16),
    warmupMs: Number(values.warmup ?? 1) * 1000,
    durationMs: Number(values.duration ?? 5) * 1000,
  });
}

/** The adapter's cost: one node over PostgreSQL against one node on the default store, same load. */
function defaultStoreLine({ nodes, defaultStore }: PostgresBenchResult): string {
  const one = nodes.find((n) => n.count === 1);
  const ratio = (over: number | undefined, base: number) => (over === undefined ? 'n/a' : `${(over / base).toFixed(2)} ×`);
  return `The same load through one node on the default store (LMDB, synced commits): GetItem ${Math.round(defaultStore.getItem)}/s, ` +
    `PutItem ${Math.round(defaultStore.putItem)}/s; one node over PostgreSQL does ${ratio(one?.getItem, defaultStore.getItem)} and ${ratio(one?.putItem, defaultStore.putItem)} of that.`;
}
