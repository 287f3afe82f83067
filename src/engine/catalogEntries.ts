/**
 * The stored form of the catalog: one JSON entry per table under its catalog name
 * (keyspace.ts, namespace.ts). The one place that encodes and decodes entries.
 */
import type { ReadOps, WriteOps } from '../storage/kv.js';
import { CATALOG_END, CATALOG_PREFIX, catalogKey } from './keyspace.js';
import type { TableMeta } from './tableMeta.js';

export function encodeMeta(meta: TableMeta): Buffer {
  return Buffer.from(JSON.stringify(meta), 'utf8');
}

function decodeMeta(stored: Buffer): TableMeta {
  return JSON.parse(stored.toString('utf8')) as TableMeta;
}

/** Every table's entry, in catalog-name order. */
export function readCatalogEntries(ops: ReadOps): TableMeta[] {
  return [...ops.range({ gte: CATALOG_PREFIX, lt: CATALOG_END })].map(({ value }) => decodeMeta(value));
}

/** The entry stored under a catalog name, or undefined. */
export function readCatalogEntry(ops: ReadOps, name: string): TableMeta | undefined {
  const stored = ops.get(catalogKey(name));
  return stored === undefined ? undefined : decodeMeta(stored);
}

export function writeCatalogEntry(txn: WriteOps, name: string, meta: TableMeta): void {
  txn.put(catalogKey(name), encodeMeta(meta));
}
