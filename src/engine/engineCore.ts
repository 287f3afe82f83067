/**
 * What the engine's services — backups, point-in-time recovery, exports and imports,
 * stream reading and maintenance, TTL sweeps, upkeep jobs — use of the database: its
 * catalog, item writes, reads, job runner and clock. `Database` implements it and owns
 * several of those services; they take this interface, so neither imports the other.
 */
import type { KVStore, ReadOps, WriteOps } from '../storage/kv.js';
import type { Clock } from './clock.js';
import type { JobRunner, NewJob } from './jobs/runner.js';
import type { ItemTransaction } from './itemWrite.js';
import type { MaybePromise } from './maybePromise.js';
import type { Namespace } from './namespace.js';
import type { Table, TableSpec } from './table.js';
import type { TableMeta } from './tableMeta.js';

export interface EngineCore {
  readonly store: KVStore;
  readonly clock: Clock;
  readonly jobs: JobRunner;
  /** The namespace of requests that name none (the shared one without `--auth`). */
  readonly defaultNamespace: Namespace;
  /** Runs `fn` on one consistent snapshot of the store. */
  read<T>(fn: (ops: ReadOps) => T): MaybePromise<T>;
  arnFor(name: string, namespace?: Namespace): string;
  /** The table, by name or ARN; throws ResourceNotFoundException. */
  table(reference: string, namespace?: Namespace): Table;
  findTable(reference: string, namespace?: Namespace): Table | undefined;
  /** The table as the catalog in `ops` has it (not the cache). */
  tableInCatalog(ops: ReadOps, name: string): Table | undefined;
  tableNames(namespace?: Namespace): string[];
  createTable(spec: TableSpec, options?: { namespace?: Namespace; holdCreating?: boolean; jobs?: (meta: TableMeta) => NewJob[] }): Promise<TableMeta>;
  updateTable(name: string, mutate: (meta: TableMeta) => TableMeta, transient?: boolean): Promise<TableMeta>;
  /** Item writes inside a storage transaction the caller already holds. */
  withItems<T>(kv: WriteOps, fn: (txn: ItemTransaction) => T): T;
  transactItems<T>(fn: (txn: ItemTransaction) => T): Promise<T>;
}
