/**
 * Two servers under the same load in short interleaved slices (A B, B A, A B, ...; see
 * interleavedLoadgen.ts), so that a shared machine's drifting speed falls on both alike:
 * what a ratio between two configurations of OpenDDB (with and without `--auth`, two
 * builds) is judged on. Windows of a few seconds each, run one after the other, differed
 * by ±30 % between two identical servers on a busy 2-core machine (A/A rounds 0.73–1.47);
 * the median of per-round ratios of adjacent half-second slices holds still.
 */
import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { DataSizes } from './data.js';
import type { RunningTarget } from './targets.js';
import type { LoadResult } from './loadConnections.js';
import type { InterleavedConfig, InterleavedResult, Slice } from './interleavedLoadgen.js';
import { median } from './median.js';

const LOADGEN = fileURLToPath(new URL('./interleavedLoadgen.js', import.meta.url));

export interface AlternatingLoad {
  workload: string;
  sizes: DataSizes;
  connections: number;
  warmupMs: number;
  sliceMs: number;
  /** Pairs of slices, one per server each. */
  rounds: number;
}

/** One slice of one server. */
export interface SliceLoad {
  opsPerSec: number;
  /** Server CPU time per operation, in microseconds. */
  cpuUsPerOp: number;
}

export interface AlternatingResult {
  /** Per server, over all its slices: errors, latencies, warm-up body checks. */
  loadA: LoadResult;
  loadB: LoadResult;
  /** Per round. */
  a: SliceLoad[];
  b: SliceLoad[];
  /** B's ops/s over A's, per round. */
  opsRatios: number[];
  /** B's server CPU per operation over A's, per round. */
  cpuRatios: number[];
}

function interleaved(config: InterleavedConfig): Promise<InterleavedResult> {
  return new Promise((resolve, reject) => {
    const child = fork(LOADGEN, [], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    let settled = false;
    child.on('message', (message: { type: string; result?: InterleavedResult; message?: string }) => {
      settled = true;
      if (message.type === 'result') resolve(message.result!);
      else reject(new Error(`interleaved load generator: ${message.message}`));
    });
    child.on('error', reject);
    child.on('exit', (code) => {
      if (!settled) reject(new Error(`interleaved load generator exited with ${code} before reporting`));
    });
    child.send(config);
  });
}

function sliceLoad(slice: Slice): SliceLoad {
  return {
    opsPerSec: slice.seconds === 0 ? 0 : slice.ops / slice.seconds,
    cpuUsPerOp: slice.ops === 0 ? 0 : (slice.serverCpuSeconds * 1e6) / slice.ops,
  };
}

export async function alternate(a: RunningTarget, b: RunningTarget, load: AlternatingLoad): Promise<AlternatingResult> {
  const run = await interleaved({
    targets: [{ host: a.host, port: a.port, pid: a.pid }, { host: b.host, port: b.port, pid: b.pid }],
    workload: load.workload, sizes: load.sizes, connections: load.connections, warmupMs: load.warmupMs,
    sliceMs: load.sliceMs, rounds: load.rounds, checkBodies: true,
  });
  const result: AlternatingResult = { loadA: run.loads[0], loadB: run.loads[1], a: [], b: [], opsRatios: [], cpuRatios: [] };
  for (let round = 0; round < load.rounds; round++) {
    const pair = run.slices.slice(2 * round, 2 * round + 2);
    const la = sliceLoad(pair.find((s) => s.target === 0)!);
    const lb = sliceLoad(pair.find((s) => s.target === 1)!);
    result.a.push(la);
    result.b.push(lb);
    result.opsRatios.push(la.opsPerSec === 0 ? 0 : lb.opsPerSec / la.opsPerSec);
    result.cpuRatios.push(la.cpuUsPerOp === 0 ? 0 : lb.cpuUsPerOp / la.cpuUsPerOp);
  }
  return result;
}

/** `0.93 × (rounds 0.91–0.97, middle half 0.92–0.95, 24 rounds)`. */
export function describeRatios(ratios: number[]): string {
  if (ratios.length === 0) return 'no rounds';
  const sorted = [...ratios].sort((x, y) => x - y);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!.toFixed(2);
  return `${median(ratios).toFixed(2)} × (rounds ${at(0)}–${at(1)}, middle half ${at(0.25)}–${at(0.75)}, ${sorted.length} rounds)`;
}
