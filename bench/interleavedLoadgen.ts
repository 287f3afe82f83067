/**
 * The load generator for two servers in short interleaved slices (A B, B A, A B, ...),
 * run as its own process (forked by alternating.ts). A shared machine's speed drifts
 * over seconds: windows of a few seconds each, run one after the other, differ by ±30 %
 * between two identical servers; slices of half a second, alternated, see the same
 * drift alike. Each slice sends for `sliceMs`, then lets its requests be answered; its
 * time runs to the last answer, and the server's CPU is read from /proc at its edges,
 * while both servers are idle.
 *
 * Protocol with the parent: receives one InterleavedConfig; sends one InterleavedResult.
 */
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { Connection, Generator, type LoadConfig, type LoadResult } from './loadConnections.js';
import { cpuSeconds } from './procStats.js';
import { findWorkload } from './workloads.js';

export interface InterleavedTarget {
  host: string;
  port: number;
  /** The server's process (its children count too). */
  pid: number;
}

export interface InterleavedConfig extends Omit<LoadConfig, 'host' | 'port' | 'durationMs'> {
  targets: [InterleavedTarget, InterleavedTarget];
  sliceMs: number;
  /** Pairs of slices, one per target each. */
  rounds: number;
}

export interface Slice {
  /** 0 or 1: which target. */
  target: number;
  ops: number;
  seconds: number;
  serverCpuSeconds: number;
}

export interface InterleavedResult {
  /** Per target, over all its slices (latencies, errors, warm-up checks). */
  loads: [LoadResult, LoadResult];
  /** In the order run: round r is slices 2r and 2r + 1. */
  slices: Slice[];
}

const DRAIN_LIMIT_MS = 10_000;

/** One target's generator and connections, started and stopped as a whole. */
class Side {
  readonly gen: Generator;
  private readonly connections: Connection[] = [];
  private drainedWaiter: (() => void) | undefined;
  seconds = 0;
  loadgenMicros = 0;

  constructor(config: InterleavedConfig, readonly target: InterleavedTarget) {
    const single: LoadConfig = { ...config, host: target.host, port: target.port, durationMs: 0 };
    this.gen = new Generator(single, findWorkload(config.workload));
    this.gen.sending = false;
    for (let i = 0; i < config.connections; i++) this.connections.push(new Connection(this.gen, () => this.onIdle()));
  }

  start(): void {
    this.gen.sending = true;
    for (const c of this.connections) c.resume();
  }

  /** Stops sending; resolves once every request sent has been answered (a server that never answers fails the run). */
  stop(): Promise<void> {
    this.gen.sending = false;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`${this.target.host}:${this.target.port} left requests unanswered for ${DRAIN_LIMIT_MS} ms`)), DRAIN_LIMIT_MS);
      this.drainedWaiter = () => {
        clearTimeout(timer);
        resolve();
      };
      this.onIdle();
    });
  }

  private onIdle(): void {
    if (this.drainedWaiter === undefined || !this.connections.every((c) => c.idle())) return;
    const resolve = this.drainedWaiter;
    this.drainedWaiter = undefined;
    resolve();
  }

  close(): void {
    this.gen.phase = 'done';
    for (const c of this.connections) c.close();
  }
}

async function run(config: InterleavedConfig): Promise<InterleavedResult> {
  const sides = config.targets.map((t) => new Side(config, t));
  for (const side of sides) {
    side.gen.phase = 'warmup';
    side.start();
    await sleep(config.warmupMs);
    await side.stop();
    side.gen.phase = 'paused';
  }
  const slices: Slice[] = [];
  for (let round = 0; round < config.rounds; round++) {
    // A first in even rounds, B first in odd ones: neither always follows the other.
    for (const target of round % 2 === 0 ? [0, 1] : [1, 0]) {
      const side = sides[target]!;
      const cpuBefore = cpuSeconds(side.target.pid);
      const opsBefore = side.gen.ops;
      const loadgenBefore = process.cpuUsage();
      const started = performance.now();
      side.gen.phase = 'measure';
      side.start();
      await sleep(config.sliceMs);
      await side.stop();
      const seconds = (performance.now() - started) / 1000;
      side.gen.phase = 'paused';
      const loadgen = process.cpuUsage(loadgenBefore);
      side.seconds += seconds;
      side.loadgenMicros += loadgen.user + loadgen.system;
      slices.push({ target, ops: side.gen.ops - opsBefore, seconds, serverCpuSeconds: cpuSeconds(side.target.pid) - cpuBefore });
    }
  }
  for (const side of sides) side.close();
  const [a, b] = sides.map((side) => side.gen.result(side.seconds, side.loadgenMicros));
  return { loads: [a!, b!], slices };
}

process.once('message', (config: InterleavedConfig) => {
  run(config).then(
    (result) => process.send!({ type: 'result', result }, () => process.exit(0)),
    (err: Error) => process.send!({ type: 'error', message: err.stack ?? err.message }, () => process.exit(1)),
  );
});
