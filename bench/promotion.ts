/**
 * Bytes per request that outlive young-generation collections: an in-memory server in
 * this process under one benchmark workload, with V8's sampling heap profiler keeping
 * only objects that were promoted to the old generation (and died there, or live on).
 * Request garbage should die young; what shows here costs scavenge copies and major
 * collections. A bare node:http server promotes ~15 B per request.
 *
 *   npm run build && node dist/bench/promotion.js [--workload get] [--items 10000] [--seconds 5] [--top 15]
 */
import { Session } from 'node:inspector/promises';
import { parseArgs } from 'node:util';
import { startServer } from '../src/index.js';
import { BenchClient } from './client.js';
import { runLoad } from './loadRunner.js';
import { loadBenchTables } from './preload.js';

interface SampleNode {
  callFrame: { functionName: string; url: string; lineNumber: number };
  selfSize: number;
  children: SampleNode[];
}

const { values } = parseArgs({ options: { workload: { type: 'string', default: 'get' }, items: { type: 'string', default: '10000' }, seconds: { type: 'string', default: '5' }, top: { type: 'string', default: '15' } } });
const items = Number(values.items);
const sizes = { items, partitions: Math.max(1, Math.floor(items / 100)), perPartition: 100 };

const server = await startServer({ port: 0, inMemory: true, logLevel: 'warn' });
const url = new URL(server.url);
const client = new BenchClient(url.hostname, Number(url.port));
await loadBenchTables(client, sizes);

const session = new Session();
session.connect();
await session.post('HeapProfiler.enable');
await session.post('HeapProfiler.startSampling', { samplingInterval: 4096, includeObjectsCollectedByMajorGC: true, includeObjectsCollectedByMinorGC: false });
const load = await runLoad(process.pid, {
  host: url.hostname, port: Number(url.port), workload: values.workload!, sizes, connections: 32,
  warmupMs: 1000, durationMs: Number(values.seconds) * 1000, checkBodies: false,
});
const { profile } = (await session.post('HeapProfiler.stopSampling')) as unknown as { profile: { head: SampleNode } };
session.disconnect();
await server.close();
client.close();

// Bytes by allocation site (the innermost five frames).
const sites = new Map<string, number>();
const frame = (n: SampleNode) => `${n.callFrame.functionName || '(anonymous)'} ${n.callFrame.url.replace(/^.*\/(dist|node_modules)\//, '$1/')}:${n.callFrame.lineNumber + 1}`;
const walk = (node: SampleNode, stack: string[]) => {
  const here = [frame(node), ...stack].slice(0, 5);
  if (node.selfSize > 0) sites.set(here.join(' < '), (sites.get(here.join(' < ')) ?? 0) + node.selfSize);
  for (const child of node.children) walk(child, here);
};
walk(profile.head, []);
const total = [...sites.values()].reduce((a, b) => a + b, 0);
console.log(`${values.workload}: ${Math.round(load.opsPerSec).toLocaleString('en-US')} ops/s; ${(total / load.ops).toFixed(0)} B per request outlived a young-generation collection`);
for (const [site, bytes] of [...sites].sort((a, b) => b[1] - a[1]).slice(0, Number(values.top))) {
  console.log(`${(bytes / load.ops).toFixed(0).padStart(7)} B  ${site}`);
}
process.exit(0);
