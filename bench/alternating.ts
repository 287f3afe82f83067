/**
 * Two servers under the same load in alternating windows (A B, B A, A B, ...), so that a
 * shared machine's drifting speed falls on both alike: what a ratio between two
 * configurations of OpenDDB (with and without `--auth`, two builds) is judged on. One
 * window each, minutes apart, varied by ±30 % on a busy 2-core machine; the median of
 * per-round ratios of adjacent windows holds still.
 */
import { runLoad, type MeasuredLoad } from './loadRunner.js';
import type { DataSizes } from './data.js';
import type { RunningTarget } from './targets.js';
import { median } from './median.js';

export interface AlternatingLoad {
  workload: string;
  sizes: DataSizes;
  connections: number;
  warmupMs: number;
  durationMs: number;
  rounds: number;
}

export interface AlternatingResult {
  a: MeasuredLoad[];
  b: MeasuredLoad[];
  /** B's ops/s over A's, per round. */
  opsRatios: number[];
  /** B's server CPU per operation over A's, per round. */
  cpuRatios: number[];
}

function measure(target: RunningTarget, load: AlternatingLoad): Promise<MeasuredLoad> {
  return runLoad(target.pid, {
    host: target.host, port: target.port, workload: load.workload, sizes: load.sizes,
    connections: load.connections, warmupMs: load.warmupMs, durationMs: load.durationMs, checkBodies: true,
  });
}

export async function alternate(a: RunningTarget, b: RunningTarget, load: AlternatingLoad): Promise<AlternatingResult> {
  const result: AlternatingResult = { a: [], b: [], opsRatios: [], cpuRatios: [] };
  for (let round = 0; round < load.rounds; round++) {
    // A first in even rounds, B first in odd ones: neither always gets the warmer machine.
    const first = round % 2 === 0 ? a : b;
    const second = first === a ? b : a;
    const loads = new Map([[first, await measure(first, load)], [second, await measure(second, load)]]);
    const la = loads.get(a)!;
    const lb = loads.get(b)!;
    result.a.push(la);
    result.b.push(lb);
    result.opsRatios.push(la.opsPerSec === 0 ? 0 : lb.opsPerSec / la.opsPerSec);
    result.cpuRatios.push(la.cpuUsPerOp === 0 ? 0 : lb.cpuUsPerOp / la.cpuUsPerOp);
  }
  return result;
}

/** `0.93 × (rounds 0.91 0.95 0.93 0.97)`. */
export function describeRatios(ratios: number[]): string {
  return `${median(ratios).toFixed(2)} × (rounds ${ratios.map((r) => r.toFixed(2)).join(' ')})`;
}
