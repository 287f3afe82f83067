/**
 * One OpenDDB server per data directory: a lock file, created exclusively, holds
 * the owner's pid. A lock whose process is gone is stale and taken over.
 *
 * A `--workers` primary writes a secret token under its pid; only its own worker
 * processes, which got the token from it, may open the directory alongside it.
 */
import { closeSync, openSync, readFileSync, realpathSync, unlinkSync, writeSync } from 'node:fs';
import { join } from 'node:path';

const LOCK_FILE_NAME = 'openddb.lock';

/** Lock files held by this process (a dead owner's pid may be reused by us). */
const heldByThisProcess = new Set<string>();

export class DataDirLock {
  private constructor(private readonly path: string) {}

  /**
   * Takes the lock of an existing directory, or throws if a live process holds it.
   * `shareToken` lets this process's workers `join` the lock.
   */
  static acquire(dataDir: string, shareToken?: string): DataDirLock {
    const path = join(realpathSync(dataDir), LOCK_FILE_NAME);
    if (heldByThisProcess.has(path)) {
      throw new Error(`data directory ${dataDir} is already open in this process (pid ${process.pid})`);
    }
    // Two tries: the second follows the removal of a stale lock.
    for (let attempt = 1; ; attempt++) {
      if (createExclusively(path, shareToken)) {
        heldByThisProcess.add(path);
        return new DataDirLock(path);
      }
      const owner = readOwner(path);
      if (owner !== undefined && owner !== process.pid && isRunning(owner)) {
        throw new Error(`data directory ${dataDir} is in use by another OpenDDB process (pid ${owner})`);
      }
      if (attempt === 2) throw new Error(`could not take over the stale lock file ${path}`);
      removeIfPresent(path);
    }
  }

  /**
   * Checks that our parent process holds the directory's lock with this share token,
   * so a worker may open the directory alongside it; throws otherwise.
   */
  static join(dataDir: string, shareToken: string): void {
    const path = join(realpathSync(dataDir), LOCK_FILE_NAME);
    const lines = readLock(path)?.split('\n');
    if (lines === undefined || Number.parseInt(lines[0]!, 10) !== process.ppid || lines[1] !== shareToken) {
      throw new Error(`data directory ${dataDir} is not held by this worker's primary process (pid ${process.ppid})`);
    }
  }

  release(): void {
    if (!heldByThisProcess.delete(this.path)) return;
    // Leave the file alone if someone else has (wrongly) taken it over meanwhile.
    if (readOwner(this.path) === process.pid) removeIfPresent(this.path);
  }
}

/** Creates the lock file holding our pid (and share token); false if it already exists. */
function createExclusively(path: string, shareToken: string | undefined): boolean {
  let fd: number;
  try {
    fd = openSync(path, 'wx');
  } catch (error) {
    if (errorCode(error) === 'EEXIST') return false;
    throw error;
  }
  try {
    writeSync(fd, shareToken === undefined ? `${process.pid}\n` : `${process.pid}\n${shareToken}\n`);
  } finally {
    closeSync(fd);
  }
  return true;
}

/** The pid in the lock file; undefined when it is gone or unreadable (a crash mid-write). */
function readOwner(path: string): number | undefined {
  const text = readLock(path);
  const pid = text === undefined ? Number.NaN : Number.parseInt(text, 10);
  return pid > 0 ? pid : undefined;
}

function readLock(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8');
  } catch (error) {
    if (errorCode(error) === 'ENOENT') return undefined;
    throw error;
  }
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: the process exists but belongs to another user.
    return errorCode(error) === 'EPERM';
  }
}

function removeIfPresent(path: string): void {
  try {
    unlinkSync(path);
  } catch (error) {
    if (errorCode(error) !== 'ENOENT') throw error;
  }
}

function errorCode(error: unknown): string | undefined {
  return (error as NodeJS.ErrnoException).code;
}
