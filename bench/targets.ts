/**
 * The servers under test, each spawned as its own process on a free port:
 * OpenDDB on disk (the default), on disk with two worker processes, on disk with
 * relaxed durability, and in memory through its real CLI, dynalite (in memory), and
 * the ceiling server.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createRequire } from 'node:module';
import { createServer, request } from 'node:http';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { performance } from 'node:perf_hooks';
import type { AddressInfo } from 'node:net';
import { cpuSeconds } from './procStats.js';
import { signedHeaders } from './sigv4.js';
import { benchUsersFile } from './authUsers.js';

export type TargetId = 'openddb-disk' | 'openddb-workers' | 'openddb-relaxed' | 'openddb-memory' | 'openddb-auth' | 'dynalite' | 'ceiling';

export interface TargetSpec {
  id: TargetId;
  label: string;
  /** For column heads of ratios. */
  short: string;
  isOpenDDB: boolean;
  onDisk: boolean;
  /** The workloads it runs, when not every one. */
  workloads?: string[];
}

export const TARGETS: TargetSpec[] = [
  { id: 'ceiling', label: 'ceiling (bare node:http)', short: 'ceiling', isOpenDDB: false, onDisk: false },
  { id: 'openddb-disk', label: 'OpenDDB on disk', short: 'disk', isOpenDDB: true, onDisk: true },
  { id: 'openddb-workers', label: 'OpenDDB on disk, 2 workers', short: '2 workers', isOpenDDB: true, onDisk: true },
  { id: 'openddb-relaxed', label: 'OpenDDB on disk, relaxed durability', short: 'relaxed', isOpenDDB: true, onDisk: true },
  { id: 'openddb-memory', label: 'OpenDDB --in-memory', short: 'mem', isOpenDDB: true, onDisk: false },
  { id: 'openddb-auth', label: 'OpenDDB --in-memory --auth (ten-statement policy)', short: 'auth', isOpenDDB: true, onDisk: false, workloads: ['get', 'put'] },
  { id: 'dynalite', label: 'dynalite (in memory)', short: 'dynalite', isOpenDDB: false, onDisk: false },
];

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
/**
 * The OpenDDB under test: this checkout's build, or another checkout's named by
 * OPENDDB_BENCH_BUILD (a built checkout's directory), to compare two builds over HTTP
 * with the same load generator.
 */
export const OPENDDB_CLI = join(process.env.OPENDDB_BENCH_BUILD ?? ROOT, 'dist/src/cli/main.js');
const CEILING = fileURLToPath(new URL('./ceilingServer.js', import.meta.url));

function dynaliteCli(): string {
  const require = createRequire(import.meta.url);
  return join(dirname(require.resolve('dynalite/package.json')), 'cli.js');
}

export interface RunningTarget {
  spec: TargetSpec;
  host: string;
  port: number;
  pid: number;
  dataDir: string | undefined;
  /** Process spawn to first successful request, in ms. */
  coldStartMs: number;
  /** CPU time the server used until then (ms, in clock ticks): steadier than wall time on a busy machine. */
  coldStartCpuMs: number;
  output(): string;
  stop(): Promise<void>;
}

export interface StartOptions {
  /** Extra node flags, e.g. --cpu-prof for profiling. */
  nodeArgs?: string[];
  /** Data directory of an on-disk target (the caller creates and removes it). */
  dataDir?: string;
  /** Another build's `dist/src/cli/main.js` for an OpenDDB target (default OPENDDB_CLI). */
  cli?: string;
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

function commandFor(spec: TargetSpec, port: number, dataDir: string | undefined, cli: string): string[] {
  switch (spec.id) {
    case 'openddb-disk':
      return [cli, '--port', String(port), '--data-dir', dataDir!, '--log-level', 'warn'];
    case 'openddb-workers':
      return [cli, '--port', String(port), '--data-dir', dataDir!, '--log-level', 'warn', '--workers', '2'];
    case 'openddb-relaxed':
      return [cli, '--port', String(port), '--data-dir', dataDir!, '--log-level', 'warn', '--durability', 'relaxed'];
    case 'openddb-memory':
      return [cli, '--port', String(port), '--in-memory', '--log-level', 'warn'];
    case 'openddb-auth':
      return [cli, '--port', String(port), '--in-memory', '--log-level', 'warn', '--auth', benchUsersFile()];
    case 'dynalite':
      return [dynaliteCli(), '--port', String(port), '--host', '127.0.0.1', '--createTableMs', '0', '--deleteTableMs', '0', '--updateTableMs', '0'];
    case 'ceiling':
      return [CEILING, String(port)];
  }
}

export async function startTarget(spec: TargetSpec, options: StartOptions = {}): Promise<RunningTarget> {
  const host = '127.0.0.1';
  const port = await freePort();
  const dataDir = spec.onDisk ? options.dataDir : undefined;
  if (spec.onDisk && dataDir === undefined) throw new Error(`${spec.label} needs a data directory`);
  const started = performance.now();
  const child = spawn(process.execPath, [...(options.nodeArgs ?? []), ...commandFor(spec, port, dataDir, options.cli ?? OPENDDB_CLI)], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout!.on('data', (c: Buffer) => (out += c.toString()));
  child.stderr!.on('data', (c: Buffer) => (out += c.toString()));
  let exited = false;
  const exitPromise = new Promise<void>((resolve) => child.on('exit', () => { exited = true; resolve(); }));

  while (!(await answers(host, port))) {
    if (exited) throw new Error(`${spec.label} exited during start:\n${out}`);
    if (performance.now() - started > 30_000) throw new Error(`${spec.label} did not answer within 30 s:\n${out}`);
    await new Promise((r) => setTimeout(r, 2));
  }
  const coldStartMs = performance.now() - started;
  const coldStartCpuMs = cpuSeconds(child.pid!) * 1000;
  return {
    spec, host, port, pid: child.pid!, dataDir, coldStartMs, coldStartCpuMs,
    output: () => out,
    stop: () => stopChild(child, exitPromise, () => exited),
  };
}

/** Whether a signed ListTables gets a 2xx answer (the first successful request). */
function answers(host: string, port: number): Promise<boolean> {
  const body = Buffer.from('{}');
  const headers = { ...signedHeaders(`${host}:${port}`, 'DynamoDB_20120810.ListTables', body), 'Content-Length': String(body.length) };
  return new Promise((resolve) => {
    const req = request({ host, port, method: 'POST', path: '/', headers, agent: false }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode !== undefined && res.statusCode >= 200 && res.statusCode < 300));
    });
    req.on('error', () => resolve(false));
    req.end(body);
  });
}

async function stopChild(child: ChildProcess, exitPromise: Promise<void>, exited: () => boolean): Promise<void> {
  if (exited()) return;
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
  await exitPromise;
  clearTimeout(timer);
}
