/**
 * The engine's in-memory copy of the table catalog: every namespace's tables by catalog
 * name, and — when other processes or nodes share the store — keeping that copy
 * coherent with the catalog version in the key space (catalogVersion.ts).
 *
 * On a store of one process the copy is the truth and nothing is read back. On a shared
 * store, a lookup first compares the stored catalog version with the cached one and
 * reloads the catalog if another process changed it; writes check, inside their own
 * transaction, that the tables they write are still the ones they looked up.
 */
import { resourceNotFound } from '../errors.js';
import type { KVStore, LocalKVStore, ReadOps } from '../storage/kv.js';
import { readCatalogEntries } from './catalogEntries.js';
import { readCatalogVersion } from './catalogVersion.js';
import { mapMaybe, type MaybePromise } from './maybePromise.js';
import { catalogNameOf } from './namespace.js';
import type { Table } from './table.js';
import type { TableMeta } from './tableMeta.js';

/** A read found the cached catalog out of date: refresh it (`refresh`) and run the request again. */
export class CatalogStale extends Error {
  constructor() {
    super('The cached table catalog is out of date');
    this.name = 'CatalogStale';
  }
}

export interface CatalogRead {
  version: number;
  metas: TableMeta[];
}

/** The whole stored catalog and its version, from one snapshot. */
export function readStoredCatalog(store: KVStore): MaybePromise<CatalogRead> {
  return store.snapshot((ops) => ({ version: readCatalogVersion(ops), metas: readCatalogEntries(ops) }));
}

export interface CatalogCacheOptions {
  store: KVStore;
  /** The store's same-turn reads, when it has them (not over a network). */
  local: LocalKVStore | undefined;
  /** Other processes change the catalog too. */
  shared: boolean;
  /** Whether a DELETING table stays visible while its status is held. */
  delayTransientStatuses: boolean;
  /** The Table (key schema, indexes, write observers) for a catalog entry. */
  tableOf: (meta: TableMeta) => Table;
}

export class CatalogCache {
  private readonly tables = new Map<string, Table>();
  /** The catalog version the cached tables reflect (shared stores only). */
  private version = 0;
  /** The catalog read the requests of this event-loop turn share, until it is sent (`refresh`). */
  private pendingRead: Promise<void> | undefined;

  constructor(private readonly options: CatalogCacheOptions) {}

  /**
   * Replaces the cached catalog with one read from the store (at open, and after the
   * store's contents were swapped). DELETING tables are left out: an open finishes their
   * deletion, and after a swap their delayed-deletion jobs do.
   */
  load({ version, metas }: CatalogRead): void {
    this.version = version;
    this.tables.clear();
    for (const meta of metas) if (meta.status !== 'DELETING') this.tables.set(catalogNameOf(meta), this.options.tableOf(meta));
  }

  get(name: string): Table | undefined {
    return this.tables.get(name);
  }

  /** Caches the table for an entry this process just wrote. */
  set(name: string, table: Table): void {
    this.tables.set(name, table);
  }

  delete(name: string): void {
    this.tables.delete(name);
  }

  /** The catalog names of every cached table. */
  names(): IterableIterator<string> {
    return this.tables.keys();
  }

  values(): IterableIterator<Table> {
    return this.tables.values();
  }

  /** Before a lookup on a shared store with same-turn reads: the catalog brought up to date. */
  syncIfShared(): void {
    if (this.options.shared && this.options.local !== undefined) this.sync(this.options.local);
  }

  /**
   * Reloads the cached catalog if another process changed it, as `ops` sees the store. A
   * table that is still the same (same id) keeps its Table object, updated in place, so
   * requests holding it write with its current indexes; see `assertCurrent`.
   */
  sync(ops: ReadOps): void {
    this.install(this.readNewer(ops));
  }

  /**
   * Over a networked store shared with other nodes, table lookups cannot read the store
   * in the same turn: this brings the cached catalog up to date before each request
   * (one read of the catalog version). Nothing to do otherwise.
   */
  refresh(): MaybePromise<void> {
    if (!this.sharedOverNetwork) return undefined;
    // Requests arriving before the read is sent share it: it starts after every one of them
    // arrived, so it still sees each write acknowledged before any of them. One query per
    // turn instead of one per request.
    if (this.pendingRead === undefined) {
      this.pendingRead = new Promise<void>((resolve) => setImmediate(resolve)).then(() => {
        this.pendingRead = undefined;
        return mapMaybe(this.options.store.snapshot((ops) => this.readNewer(ops)), (newer) => this.install(newer));
      });
    }
    return this.pendingRead;
  }

  /**
   * Inside a write transaction on a shared store: brings the catalog up to date and
   * refuses a write to a table another process has dropped since the request looked it up.
   */
  assertCurrent(txn: ReadOps, tables: Iterable<Table>): void {
    this.sync(txn);
    for (const table of tables) if (this.tables.get(catalogNameOf(table.meta)) !== table) throw resourceNotFound();
  }

  /**
   * A networked store shared with other nodes: lookups cannot read the store in the same
   * turn, so requests `refresh` first, or a read checks the version itself (`assertCurrentIn`).
   */
  get sharedOverNetwork(): boolean {
    return this.options.shared && this.options.local === undefined;
  }

  /** Throws CatalogStale if `ops` sees a newer catalog than the cached one. */
  assertCurrentIn(ops: ReadOps): void {
    if (readCatalogVersion(ops) > this.version) throw new CatalogStale();
  }

  /** The Table for a catalog entry: in a shared store, the cached object updated in place. */
  installed(meta: TableMeta): Table {
    const current = this.tables.get(catalogNameOf(meta));
    if (!this.options.shared || current?.meta.id !== meta.id) return this.options.tableOf(meta);
    return Object.assign(current, this.options.tableOf(meta));
  }

  /** The stored catalog if it is newer than the cached one (a pure read: it may run twice). */
  private readNewer(ops: ReadOps): CatalogRead | undefined {
    const version = readCatalogVersion(ops);
    if (version <= this.version) return undefined;
    return { version, metas: readCatalogEntries(ops) };
  }

  private install(newer: CatalogRead | undefined): void {
    // The counter only grows: a lower number comes from an older read snapshot.
    if (newer === undefined || newer.version <= this.version) return;
    this.version = newer.version;
    const fresh = new Map<string, Table>();
    for (const meta of newer.metas) {
      // As in the deleting process: a DELETING table stays visible only while its status is held.
      if (meta.status === 'DELETING' && !this.options.delayTransientStatuses) continue;
      fresh.set(catalogNameOf(meta), this.installed(meta));
    }
    this.tables.clear();
    for (const [name, table] of fresh) this.tables.set(name, table);
  }
}
