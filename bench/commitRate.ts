/**
 * The storage engine's own synced group-commit rate: bare LMDB commits through the
 * store adapter (full durability), no HTTP and no DynamoDB logic, with the batch shape
 * and concurrency of a workload — 1 or 25 puts of a ~1 KB item per transaction, one
 * transaction in flight per connection, over a store preloaded like the benchmark's
 * table. Durable PutItem and BatchWriteItem are judged against it: what the disk
 * allows, not a ceiling that never syncs.
 *
 * Runs in its own process (forked by `measureCommitRate`), like a server would.
 */
import { fork } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { performance } from 'node:perf_hooks';
import { openStore } from '../src/storage/open.js';
import { bigItem, itemKeyValue } from './data.js';

export interface CommitRateConfig {
  /** Puts per transaction (1 like PutItem, 25 like BatchWriteItem). */
  itemsPerTransaction: number;
  connections: number;
  /** Items preloaded first, so the B-tree has the benchmark table's size. */
  items: number;
  warmupMs: number;
  durationMs: number;
}

export interface CommitRate {
  itemsPerTransaction: number;
  transactionsPerSec: number;
  itemsPerSec: number;
}

const PRELOAD_BATCH = 1000;
const SELF = fileURLToPath(import.meta.url);

const key = (n: number) => Buffer.from(itemKeyValue(n));
const value = (n: number) => Buffer.from(JSON.stringify(bigItem(n)));

async function run(config: CommitRateConfig): Promise<CommitRate> {
  const dataDir = mkdtempSync(join(tmpdir(), 'openddb-commit-rate-'));
  const store = await openStore({ dataDir });
  try {
    for (let from = 0; from < config.items; from += PRELOAD_BATCH) {
      const to = Math.min(config.items, from + PRELOAD_BATCH);
      await store.transact((txn) => {
        for (let n = from; n < to; n++) txn.put(key(n), value(n));
      });
    }
    // Pre-built values, as the workloads' request pools are: only the commits are measured.
    const pool = Array.from({ length: 4096 }, (_, i) => (i * 7919) % config.items);
    const values = new Map(pool.map((n) => [n, value(n)]));
    let next = 0;
    let measuring = false;
    let stopped = false;
    let committed = 0;
    const connection = async () => {
      while (!stopped) {
        const numbers = Array.from({ length: config.itemsPerTransaction }, () => pool[next++ % pool.length]!);
        await store.transact((txn) => {
          for (const n of numbers) txn.put(key(n), values.get(n)!);
        });
        if (measuring) committed++;
      }
    };
    const connections = Array.from({ length: config.connections }, connection);
    await new Promise((r) => setTimeout(r, config.warmupMs));
    measuring = true;
    const start = performance.now();
    await new Promise((r) => setTimeout(r, config.durationMs));
    measuring = false;
    const seconds = (performance.now() - start) / 1000;
    stopped = true;
    await Promise.all(connections);
    const transactionsPerSec = committed / seconds;
    return { itemsPerTransaction: config.itemsPerTransaction, transactionsPerSec, itemsPerSec: transactionsPerSec * config.itemsPerTransaction };
  } finally {
    await store.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

/** Forks this module as its own process and resolves with what it measured. */
export function measureCommitRate(config: CommitRateConfig): Promise<CommitRate> {
  return new Promise((resolve, reject) => {
    const child = fork(SELF, [JSON.stringify(config)], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    let result: CommitRate | undefined;
    child.on('message', (message: CommitRate) => (result = message));
    child.on('error', reject);
    child.on('exit', (code) => (result === undefined ? reject(new Error(`commit-rate benchmark exited with ${code}`)) : resolve(result)));
  });
}

if (process.argv[1] === SELF && process.send !== undefined) {
  const config = JSON.parse(process.argv[2]!) as CommitRateConfig;
  run(config).then(
    (result) => process.send!(result, () => process.exit(0)),
    (err: unknown) => {
      process.stderr.write(`commit-rate benchmark failed: ${(err as Error).stack ?? err}\n`);
      process.exit(1);
    },
  );
}
