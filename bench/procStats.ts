/** What the benchmark reads about a server process from /proc, and disk usage. */
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync, lstatSync } from 'node:fs';
import { join } from 'node:path';

let ticksPerSecond: number | undefined;

function clockTicks(): number {
  if (ticksPerSecond === undefined) {
    try {
      ticksPerSecond = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
    } catch {
      ticksPerSecond = 100;
    }
  }
  return ticksPerSecond;
}

/** Fields of /proc/<pid>/stat after the parenthesised command name (field 3 onwards). */
function statFields(pid: number): string[] | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  } catch {
    return undefined; // the process is gone
  }
}

/** The process and its live child processes (a multi-worker server serves from its children). */
export function processTree(pid: number): number[] {
  const pids = [pid];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    if (Number(statFields(Number(entry))?.[1]) === pid) pids.push(Number(entry));
  }
  return pids;
}

/** CPU time (user + system, all threads) the process and its children have used, in seconds. */
export function cpuSeconds(pid: number): number {
  let ticks = 0;
  for (const p of processTree(pid)) {
    const fields = statFields(p);
    // utime and stime are fields 14 and 15.
    if (fields) ticks += Number(fields[11]) + Number(fields[12]);
  }
  return ticks / clockTicks();
}

export interface Rss {
  /** Resident set size in bytes. */
  total: number;
  /** The anonymous part (heap, buffers): what the process itself holds, without memory-mapped file pages. */
  anon: number;
}

/** Resident memory of the process and its children. */
export function rss(pid: number): Rss {
  const sum: Rss = { total: 0, anon: 0 };
  for (const p of processTree(pid)) {
    let status: string;
    try {
      status = readFileSync(`/proc/${p}/status`, 'utf8');
    } catch {
      continue;
    }
    const kb = (name: string) => Number(new RegExp(`^${name}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? 0) * 1024;
    sum.total += kb('VmRSS');
    sum.anon += kb('RssAnon');
  }
  return sum;
}

/** Bytes actually allocated on disk under a directory (sparse files count what they use). */
export function diskBytes(path: string): number {
  const stat = lstatSync(path);
  if (!stat.isDirectory()) return stat.blocks * 512;
  let total = 0;
  for (const entry of readdirSync(path)) total += diskBytes(join(path, entry));
  return total;
}

/** CPU time all processes of the machine have used, in seconds (from /proc/stat). */
export function machineBusySeconds(): number {
  const line = readFileSync('/proc/stat', 'utf8').split('\n', 1)[0]!;
  // Fields: user nice system idle iowait irq softirq steal; idle and iowait are not busy.
  const f = line.split(/\s+/).slice(1).map(Number);
  return (f[0]! + f[1]! + f[2]! + f[5]! + f[6]! + f[7]!) / clockTicks();
}
