/**
 * The operation layer alone, without HTTP: each workload's requests run one after another
 * through `runOperation` (shape validation, the operation, the engine, rendering to wire
 * bytes) against an in-memory store holding the benchmark's data, and the CPU time per
 * operation (user + system, the process's) is printed: on a shared machine it is steadier
 * than wall time, which also counts waiting for other processes. For comparing two builds of the same code on the same machine
 * (run each build back to back); it says nothing of throughput over the network.
 *
 *   npm run build && node dist/bench/inProcess.js [--workloads get,put] [--items 10000] [--partitions 100] [--seconds 3] [--on-disk]
 *
 * `--on-disk` runs against the on-disk store (LMDB, synced commits) in a temporary directory.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { runOperation } from '../src/api/operations.js';
import type { ApiContext } from '../src/api/context.js';
import { Database } from '../src/engine/database.js';
import { Metrics } from '../src/engine/metrics.js';
import { ThrottleGate } from '../src/engine/capacity/throttleGate.js';
import { openStore } from '../src/storage/open.js';
import { bigItem, createTableInput, ITEMS_TABLE, RANGES_TABLE, smallItem, type DataSizes } from './data.js';
import { WORKLOADS, type Workload } from './workloads.js';

const BATCH = 25;

async function call(ctx: ApiContext, operation: string, body: unknown): Promise<string | Buffer> {
  const text = Buffer.from(JSON.stringify(body), 'utf8');
  return runOperation(ctx, operation, JSON.parse(text.toString('utf8')) as Record<string, unknown>, text);
}

async function preload(ctx: ApiContext, sizes: DataSizes): Promise<void> {
  await call(ctx, 'CreateTable', createTableInput(ITEMS_TABLE));
  await call(ctx, 'CreateTable', createTableInput(RANGES_TABLE));
  const puts = (table: string, items: unknown[]) => call(ctx, 'BatchWriteItem', { RequestItems: { [table]: items.map((Item) => ({ PutRequest: { Item } })) } });
  for (let n = 0; n < sizes.items; n += BATCH) {
    await puts(ITEMS_TABLE, Array.from({ length: Math.min(BATCH, sizes.items - n) }, (_, i) => bigItem(n + i)));
  }
  for (let p = 0; p < sizes.partitions; p++) {
    for (let s = 0; s < sizes.perPartition; s += BATCH) {
      await puts(RANGES_TABLE, Array.from({ length: Math.min(BATCH, sizes.perPartition - s) }, (_, i) => smallItem(p, s + i)));
    }
  }
}

/** Runs `workload` for `seconds` (after a checked warm-up of one pool pass at most); CPU µs per operation. */
async function measure(ctx: ApiContext, workload: Workload, sizes: DataSizes, seconds: number): Promise<number> {
  const pool = Array.from({ length: workload.poolSize }, (_, i) => {
    const { operation, body } = workload.build(i, sizes);
    return { operation, text: Buffer.from(JSON.stringify(body), 'utf8') };
  });
  for (let i = 0; i < Math.min(pool.length, 2000); i++) {
    const { operation, text } = pool[i]!;
    const answer = await runOperation(ctx, operation, JSON.parse(text.toString('utf8')), text);
    const wrong = workload.check(JSON.parse(answer.toString()), i, sizes);
    if (wrong !== undefined) throw new Error(`${workload.id}: ${wrong}`);
  }
  let done = 0;
  const cpu = process.cpuUsage();
  const until = performance.now() + seconds * 1000;
  while (performance.now() < until) {
    for (let k = 0; k < 100; k++) {
      const { operation, text } = pool[done % pool.length]!;
      // Parsing the body is part of every request's cost, as on the server.
      await runOperation(ctx, operation, JSON.parse(text.toString('utf8')), text);
      done++;
    }
  }
  const used = process.cpuUsage(cpu);
  return (used.user + used.system) / done;
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      workloads: { type: 'string', default: 'get,put,query-10,batch-write' },
      items: { type: 'string', default: '10000' },
      partitions: { type: 'string', default: '100' },
      seconds: { type: 'string', default: '3' },
      'on-disk': { type: 'boolean', default: false },
    },
  });
  const sizes: DataSizes = { items: Number(values.items), partitions: Number(values.partitions), perPartition: 100 };
  const dataDir = values['on-disk'] ? mkdtempSync(join(tmpdir(), 'openddb-inprocess-')) : undefined;
  const store = await openStore(dataDir === undefined ? { inMemory: true } : { dataDir });
  const db = await Database.open(store, { region: 'us-east-1', accountId: '000000000000', delayTransientStatuses: false });
  const metrics = new Metrics(() => []);
  const ctx: ApiContext = { db, endpointAddress: 'localhost', metrics, namespace: db.defaultNamespace, throttle: new ThrottleGate(metrics, false, () => db.clock.now()) };
  await preload(ctx, sizes);
  console.log(`in-process, in memory, ${sizes.items} items, ${sizes.partitions} partitions, Node.js ${process.version}`);
  for (const id of values.workloads.split(',')) {
    const workload = WORKLOADS.find((w) => w.id === id);
    if (workload === undefined) throw new Error(`unknown workload ${id}; one of ${WORKLOADS.map((w) => w.id).join(', ')}`);
    const us = await measure(ctx, workload, sizes, Number(values.seconds));
    console.log(`${workload.title.padEnd(40)} ${us.toFixed(1).padStart(8)} µs CPU/op`);
  }
  await store.close();
  if (dataDir !== undefined) rmSync(dataDir, { recursive: true, force: true });
}

await main();
