/**
 * Whole-database copies for `openddb backup` / `openddb restore`: LMDB's own consistent
 * copy (a read transaction, so a running server keeps serving), and putting such a copy
 * in place as a data directory no server is using.
 */
import { copyFileSync, existsSync, mkdirSync, renameSync } from 'node:fs';
import { join } from 'node:path';
import { lmdb } from './lmdbModule.js';
import { DataDirLock } from './dataDirLock.js';
import { LMDB_FILE_NAME } from './open.js';

/** Writes a consistent copy of the data directory's database to `target` (a file that must not exist). */
export async function backupDataDir(dataDir: string, target: string, compact = true): Promise<void> {
  const source = join(dataDir, LMDB_FILE_NAME);
  if (!existsSync(source)) throw new Error(`no OpenDDB database in ${dataDir}`);
  if (existsSync(target)) throw new Error(`${target} already exists`);
  const db = lmdb.open({ path: source, noSubdir: true, readOnly: true, pageSize: 8192 });
  try {
    await db.backup(target, compact);
  } finally {
    await db.close();
  }
}

/** Makes `backupFile` the database of `dataDir`; refused while a server uses the directory, or over data unless `force`. */
export function restoreDataDir(backupFile: string, dataDir: string, force = false): void {
  if (!existsSync(backupFile)) throw new Error(`${backupFile} does not exist`);
  mkdirSync(dataDir, { recursive: true });
  const lock = DataDirLock.acquire(dataDir);
  try {
    const target = join(dataDir, LMDB_FILE_NAME);
    if (existsSync(target) && !force) throw new Error(`${dataDir} already holds a database (use --force to replace it)`);
    const partial = `${target}.restoring`;
    copyFileSync(backupFile, partial);
    renameSync(partial, target);
  } finally {
    lock.release();
  }
}
