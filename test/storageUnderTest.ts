/**
 * The storage the API suites run over: the default (in memory) unless
 * OPENDDB_TEST_STORAGE=postgres, then PostgreSQL: a throw-away cluster started once per
 * test process (test file), each server with its own fresh table so tests stay independent.
 */
import { PostgresStore } from '../src/storage/postgres.js';
import type { KVStore } from '../src/storage/kv.js';
import { startPostgresCluster } from './postgresCluster.js';

let serverUrl: Promise<string> | undefined;
let tables = 0;

export function postgresUnderTest(): boolean {
  return process.env.OPENDDB_TEST_STORAGE === 'postgres';
}

async function clusterUrl(): Promise<string> {
  const started = await startPostgresCluster();
  if (started.cluster === undefined) throw new Error(`OPENDDB_TEST_STORAGE=postgres, but ${started.skip}`);
  return started.cluster.url;
}

/** A store for one test server, or undefined for the default. */
export async function storeUnderTest(): Promise<KVStore | undefined> {
  if (!postgresUnderTest()) return undefined;
  serverUrl ??= clusterUrl();
  const url = await serverUrl;
  const table = `openddb_test_${process.pid}_${++tables}`;
  return PostgresStore.open({ url, table, poolSize: 4 });
}
