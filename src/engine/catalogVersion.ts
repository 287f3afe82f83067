/**
 * A counter bumped in the same transaction as every catalog change, so a process
 * sharing the store with others (a `--workers` cluster) can tell with one read
 * whether its cached catalog is still current.
 */
import type { ReadOps, WriteOps } from '../storage/kv.js';
import { counterKey } from './keyspace.js';

const CATALOG_VERSION_KEY = counterKey('catalog-version');

export function readCatalogVersion(ops: ReadOps): number {
  return ops.get(CATALOG_VERSION_KEY)?.readDoubleBE(0) ?? 0;
}

export function bumpCatalogVersion(txn: WriteOps): void {
  const next = Buffer.allocUnsafe(8);
  next.writeDoubleBE(readCatalogVersion(txn) + 1, 0);
  txn.put(CATALOG_VERSION_KEY, next);
}
