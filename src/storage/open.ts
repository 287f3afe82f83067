/** Picks and opens the storage engine for a server. */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { DataDirLock } from './data-dir-lock.js';
import type { KVStore } from './kv.js';
import { LmdbStore } from './lmdb.js';
import { MemoryStore } from './memory.js';

export type OpenStoreOptions = { inMemory: true } | { inMemory?: false; dataDir: string };

const LMDB_FILE_NAME = 'openddb.mdb';

/**
 * In memory, or LMDB under `dataDir` (created if missing). The data directory is
 * locked to this process until `close()`; opening a directory a running OpenDDB
 * process holds throws.
 */
export async function openStore(options: OpenStoreOptions): Promise<KVStore> {
  if (options.inMemory === true) return new MemoryStore();
  const { dataDir } = options;
  mkdirSync(dataDir, { recursive: true });
  const lock = DataDirLock.acquire(dataDir);
  try {
    return new LmdbStore(join(dataDir, LMDB_FILE_NAME), () => lock.release());
  } catch (error) {
    lock.release();
    throw error;
  }
}
