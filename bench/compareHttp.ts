/**
 * Two builds of OpenDDB over HTTP, compared: one server of each (same target kind, same
 * data), the benchmark's load generator on both in interleaved slices
 * (bench/alternating.ts), and per workload each build's median server CPU per operation
 * and ops/s, with the medians of the per-round ratios B / A. Both checkouts must be built,
 * and the same way: the `openddb` command runs the bundle `npm run build` makes when it is
 * current, else the compiled modules (after a bare `tsc`), and the two forms differ by more
 * than the changes usually measured (Query-10: the modules took ~20 % more CPU). Which form
 * each side runs is printed.
 *
 *   node dist/bench/compareHttp.js --a ../base --b . [--target openddb-memory] [--workloads get,put,query-10]
 *     [--rounds 16] [--slice 500] [--items 30000] [--profile dir]
 *
 * `--target-a` gives A another target kind than B (`--target`), so one build can be
 * compared with itself under two configurations, e.g. `--a . --target-a openddb-memory
 * --target openddb-auth` for what `--auth` costs.
 *
 * `--profile` runs both servers under `node --cpu-prof` (profiles `A-*.cpuprofile` and
 * `B-*.cpuprofile` in dir, written when the servers stop).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { alternate, describeRatios } from './alternating.js';
import { median } from './median.js';
import { BenchClient } from './client.js';
import { loadBenchTables } from './preload.js';
import { startTarget, TARGETS, type RunningTarget, type TargetSpec } from './targets.js';
import { runsBundle } from '../src/cli/serverModule.js';

const { values } = parseArgs({
  options: {
    a: { type: 'string' },
    b: { type: 'string', default: '.' },
    target: { type: 'string', default: 'openddb-memory' },
    'target-a': { type: 'string' },
    workloads: { type: 'string', default: 'put,get,query-10' },
    rounds: { type: 'string', default: '16' },
    slice: { type: 'string', default: '500' },
    items: { type: 'string', default: '30000' },
    profile: { type: 'string' },
  },
});
if (values.a === undefined) throw new Error('--a <checkout> is required (the build to compare against)');
function openddbTarget(id: string): TargetSpec {
  const spec = TARGETS.find((t) => t.id === id && t.isOpenDDB);
  if (spec === undefined) throw new Error(`--target must be one of ${TARGETS.filter((t) => t.isOpenDDB).map((t) => t.id).join(', ')}`);
  return spec;
}
const spec = openddbTarget(values.target!);
const specA = openddbTarget(values['target-a'] ?? values.target!);
const items = Number(values.items);
const sizes = { items, partitions: Math.max(1, Math.floor(items / 100)), perPartition: 100 };

/** Whether a checkout's `openddb` command runs its bundle or its compiled modules. */
function serverForm(checkout: string): string {
  return runsBundle(pathToFileURL(join(resolve(checkout), 'dist/src/'))) ? 'bundle' : 'compiled modules';
}

async function started(checkout: string, side: 'A' | 'B', spec: TargetSpec): Promise<{ target: RunningTarget; dataDir: string | undefined }> {
  const dataDir = spec.onDisk ? mkdtempSync(join(tmpdir(), 'openddb-compare-')) : undefined;
  const nodeArgs = values.profile === undefined ? [] : ['--cpu-prof', `--cpu-prof-dir=${values.profile}`, `--cpu-prof-name=${side}-${Date.now()}.cpuprofile`];
  const target = await startTarget(spec, { dataDir, nodeArgs, cli: join(resolve(checkout), 'dist/src/cli/main.js') });
  const client = new BenchClient(target.host, target.port);
  await loadBenchTables(client, sizes);
  client.close();
  return { target, dataDir };
}

const servers = [await started(values.a, 'A', specA), await started(values.b!, 'B', spec)];
try {
  console.log(`A = ${resolve(values.a)} (${serverForm(values.a)})\nB = ${resolve(values.b!)} (${serverForm(values.b!)})\n${specA === spec ? spec.label : `A: ${specA.label}, B: ${spec.label}`}, ${values.rounds} rounds of interleaved ${values.slice} ms slices per workload`);
  for (const workload of values.workloads!.split(',')) {
    const pair = await alternate(servers[0]!.target, servers[1]!.target, {
      workload, sizes, connections: 32, warmupMs: 500, sliceMs: Number(values.slice), rounds: Number(values.rounds),
    });
    const cpu = (loads: typeof pair.a) => median(loads.map((l) => l.cpuUsPerOp)).toFixed(0).padStart(5);
    const ops = (loads: typeof pair.a) => Math.round(median(loads.map((l) => l.opsPerSec))).toLocaleString('en-US').padStart(7);
    console.log(`${workload.padEnd(14)} µs CPU/op A ${cpu(pair.a)} B ${cpu(pair.b)}  B/A ${describeRatios(pair.cpuRatios)}   ops/s A ${ops(pair.a)} B ${ops(pair.b)}  B/A ${describeRatios(pair.opsRatios)}`);
  }
} finally {
  for (const { target, dataDir } of servers) {
    await target.stop();
    if (dataDir !== undefined) rmSync(dataDir, { recursive: true, force: true });
  }
}
