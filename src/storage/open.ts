/** Picks and opens the storage engine for a server. */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { DataDirLock } from './dataDirLock.js';
import type { KVStore, LocalKVStore } from './kv.js';
import { LmdbStore } from './lmdb.js';
import { MemoryStore } from './memory.js';

export type OpenStoreOptions =
  | { inMemory: true }
  /** PostgreSQL 13 or later, e.g. postgresql://user:password@host:5432/database */
  | { inMemory?: false; postgresUrl: string }
  | {
      inMemory?: false;
      dataDir: string;
      /**
       * Open as a worker of the `--workers` primary that holds the directory's lock
       * with this token (see DataDirLock.join), instead of taking the lock.
       */
      workerOf?: string;
    };

const LMDB_FILE_NAME = 'openddb.mdb';

/**
 * In memory, on a PostgreSQL server, or LMDB under `dataDir` (created if missing). The data directory is
 * locked to this process until `close()`; opening a directory a running OpenDDB
 * process holds throws. LMDB itself is safe for several processes, so a primary's
 * workers share the directory under its lock.
 */
export async function openStore(options: { inMemory: true } | { dataDir: string; workerOf?: string }): Promise<LocalKVStore>;
export async function openStore(options: OpenStoreOptions): Promise<KVStore>;
export async function openStore(options: OpenStoreOptions): Promise<KVStore> {
  if (options.inMemory === true) return new MemoryStore();
  if ('postgresUrl' in options) {
    // Loaded only when asked for: embedded servers never load the PostgreSQL client.
    const { PostgresStore } = await import('./postgres.js');
    return PostgresStore.open({ url: options.postgresUrl });
  }
  const { dataDir, workerOf } = options;
  mkdirSync(dataDir, { recursive: true });
  if (workerOf !== undefined) {
    DataDirLock.join(dataDir, workerOf);
    return new LmdbStore(join(dataDir, LMDB_FILE_NAME), undefined, true);
  }
  const lock = DataDirLock.acquire(dataDir);
  try {
    return new LmdbStore(join(dataDir, LMDB_FILE_NAME), () => lock.release());
  } catch (error) {
    lock.release();
    throw error;
  }
}
