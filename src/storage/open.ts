/** Picks and opens the storage engine for a server. */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { DataDirLock } from './dataDirLock.js';
import type { KVStore, LocalKVStore } from './kv.js';
import type { Durability } from './lmdb.js';

export type OpenStoreOptions =
  | { inMemory: true }
  /** PostgreSQL 13 or later, e.g. postgresql://user:password@host:5432/database */
  | {
      inMemory?: false;
      postgresUrl: string;
      /** Streaming standbys for eventually consistent reads. */
      readReplicas?: string[];
      /** A replica lagging further (ms) is skipped. */
      replicaMaxLagMs?: number;
    }
  | {
      inMemory?: false;
      dataDir: string;
      /**
       * Open as a worker of the `--workers` primary that holds the directory's lock
       * with this token (see DataDirLock.join), instead of taking the lock.
       */
      workerOf?: string;
      /** When writes are acknowledged (default `full`: after a synced commit); see LmdbStore. */
      durability?: Durability;
      /** With relaxed durability: the most time an acknowledged write may stay unsynced (ms). */
      flushIntervalMs?: number;
    };

export const LMDB_FILE_NAME = 'openddb.mdb';

/**
 * In memory, on a PostgreSQL server, or LMDB under `dataDir` (created if missing). The data directory is
 * locked to this process until `close()`; opening a directory a running OpenDDB
 * process holds throws. LMDB itself is safe for several processes, so a primary's
 * workers share the directory under its lock.
 */
export async function openStore(options: { inMemory: true } | { dataDir: string; workerOf?: string; durability?: Durability; flushIntervalMs?: number }): Promise<LocalKVStore>;
export async function openStore(options: OpenStoreOptions): Promise<KVStore>;
export async function openStore(options: OpenStoreOptions): Promise<KVStore> {
  // Each engine is loaded only when used: lmdb's native module is a good part of a cold start.
  if (options.inMemory === true) return new (await import('./memory.js')).MemoryStore();
  if ('postgresUrl' in options) {
    // Embedded servers never load the PostgreSQL client.
    const { PostgresStore } = await import('./postgres.js');
    return PostgresStore.open({ url: options.postgresUrl, readReplicas: options.readReplicas, replicaMaxLagMs: options.replicaMaxLagMs });
  }
  const { LmdbStore } = await import('./lmdb.js');
  const { dataDir, workerOf, durability, flushIntervalMs } = options;
  mkdirSync(dataDir, { recursive: true });
  const path = join(dataDir, LMDB_FILE_NAME);
  if (workerOf !== undefined) {
    DataDirLock.join(dataDir, workerOf);
    return new LmdbStore(path, { shared: true, durability, flushIntervalMs });
  }
  const lock = DataDirLock.acquire(dataDir);
  try {
    return new LmdbStore(path, { onClose: () => lock.release(), durability, flushIntervalMs });
  } catch (error) {
    lock.release();
    throw error;
  }
}
