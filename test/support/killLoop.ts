/**
 * kill -9 in the durability tests: a writer process killed mid-stream, and a
 * `--workers` server killed whole (the primary and every worker).
 */
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';

/** Pids of a process's children, from /proc (Linux), in ascending order. */
export function childrenOf(pid: number): number[] {
  const children: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      if (Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]) === pid) children.push(Number(entry));
    } catch {
      // the process ended meanwhile
    }
  }
  return children.sort((a, b) => a - b);
}

/** kill -9 to a `--workers` server: each of its `workers` worker processes, then the primary. */
export function killWithWorkers(primary: ChildProcess, workers: number): void {
  const pids = childrenOf(primary.pid!);
  assert.equal(pids.length, workers);
  for (const pid of pids) process.kill(pid, 'SIGKILL');
  primary.kill('SIGKILL');
}

export interface KilledWriter {
  /** Lines the writer printed whole before the kill, after its first line `ready`. */
  acknowledged: string[];
  pid: number;
}

/**
 * Runs a Node.js `script` (ES module) that prints `ready`, then one line per write it
 * acknowledges; once it has printed `enoughBytes`, `whileRunning` runs, then the writer
 * is killed with SIGKILL. Asserts it was still running and died of the kill.
 */
export async function killWriterMidStream(script: string, options: {
  env: Record<string, string>;
  enoughBytes: number;
  whileRunning?: (child: ChildProcess) => Promise<void>;
}): Promise<KilledWriter> {
  const child = spawn(process.execPath, ['--input-type=module', '-e', script], {
    env: { ...process.env, ...options.env },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let output = '';
  const closed = new Promise<void>((resolve) => child.on('close', () => resolve()));
  const enoughAcknowledged = new Promise<void>((resolve) => {
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (chunk: string) => {
      output += chunk;
      if (output.length > options.enoughBytes) resolve();
    });
  });
  await Promise.race([enoughAcknowledged, closed]);
  assert.equal(child.exitCode, null, 'the writer is still running');
  await options.whileRunning?.(child);
  child.kill('SIGKILL');
  await closed;
  assert.equal(child.signalCode, 'SIGKILL');

  const lines = output.split('\n');
  lines.pop(); // a line cut short by the kill is not an acknowledgement
  assert.equal(lines.shift(), 'ready');
  return { acknowledged: lines, pid: child.pid! };
}
