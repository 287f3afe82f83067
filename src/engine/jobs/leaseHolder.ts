/**
 * Whether a lease's holder is provably gone, so its job need not wait out the lease.
 *
 * A lease names the holding process (pid). Over an embedded store every process sharing
 * the data sees the same process table (the data directory lock rests on the same fact),
 * so a holder whose pid no longer runs is dead; so is a holder naming this very process
 * whose runner is not one of ours alive: a previous incarnation that had the same pid (a
 * container's pid 1 restarted) or a runner already stopped. A networked store may be
 * shared across hosts, where a pid proves nothing: there the lease always runs out.
 */
import type { JobLease } from './jobRecord.js';

/** The runners (JobRunner.owner) alive in this process. */
const liveOwners = new Set<string>();

export function runnerStarted(owner: string): void {
  liveOwners.add(owner);
}

export function runnerStopped(owner: string): void {
  liveOwners.delete(owner);
}

export function leaseHolderGone(lease: JobLease): boolean {
  if (lease.pid === undefined) return false;
  if (lease.pid === process.pid) return !liveOwners.has(lease.owner);
  return !isRunning(lease.pid);
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: the process exists but belongs to someone else.
    return (error as NodeJS.ErrnoException).code !== 'ESRCH';
  }
}
