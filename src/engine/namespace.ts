/**
 * Namespaces of tables. Every table lives in one namespace: the shared default one
 * (key ''), or one per (account, region) under authentication, or one per (access
 * key, region) when asked for DynamoDB Local's separation. The catalog keys a table by
 * its catalog name: its name in the default namespace — so data written before
 * namespaces existed opens unchanged — else `<namespace key>/<name>` (table names
 * never contain '/', nor do namespace keys). Everything else a table owns is keyed by
 * its numeric id, which is unique across namespaces.
 */
import type { TableMeta } from './tableMeta.js';

export interface Namespace {
  /** '' for the shared default namespace. */
  key: string;
  /** The region and account of the ARNs of its tables. */
  region: string;
  accountId: string;
  /**
   * Under authentication: an ARN naming another (account, region) reaches that
   * namespace's table (authorization decides whether the caller may).
   */
  crossAccount?: boolean;
}

/** The catalog name of table `name` in the namespace with key `key`. */
export function catalogName(key: string, name: string): string {
  return key === '' ? name : `${key}/${name}`;
}

export function catalogNameOf(meta: Pick<TableMeta, 'name' | 'namespace'>): string {
  return meta.namespace === undefined ? meta.name : `${meta.namespace}/${meta.name}`;
}

/** The namespace key of an (account, region) under authentication: the server's own is the default namespace. */
export function accountRegionKey(account: string, region: string, server: Namespace): string {
  return account === server.accountId && region === server.region ? '' : `${account}:${region}`;
}

/** The namespace key of an (access key, region), as DynamoDB Local keeps one database per pair. */
export function accessKeyRegionKey(accessKeyId: string, region: string): string {
  return `key:${accessKeyId}:${region}`;
}
