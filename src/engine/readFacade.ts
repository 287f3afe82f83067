/**
 * The engine's read facade: the only way the API layer reads items (one item, a page of
 * a table or index, several items from one snapshot), idempotency records and table
 * statistics. Over an embedded store reads answer in the caller's turn; over a
 * networked one (PostgreSQL) with a promise. `Database` builds on it.
 */
import { isLocalStore, type KVStore, type LocalKVStore, type ReadOps } from '../storage/kv.js';
import type { Item } from '../values/types.js';
import { itemKey } from './keyspace.js';
import { readStats, type TableStats } from './stats.js';
import type { TableMeta } from './tableMeta.js';
import { readIndexStats } from './indexes/indexStats.js';
import { readPage, type Bounds, type Page, type PageRequest } from './reads.js';
import type { KeyView } from './keyView.js';
import { readTokenRecord, type TokenRecord } from './idempotency.js';
import type { MaybePromise } from './maybePromise.js';
import type { DescribedStats, Table } from './table.js';

export class ReadFacade {
  /** Set for an embedded store: reads answer in the caller's turn, not through a promise. */
  protected readonly local: LocalKVStore | undefined;

  constructor(readonly store: KVStore) {
    this.local = isLocalStore(store) ? store : undefined;
  }

  /**
   * The stored item (see storedItem.ts), or undefined. `consistent: false` (an eventually
   * consistent read) lets a store with read replicas answer from one. `checkCatalog`: over
   * a networked store, the same snapshot also checks the cached catalog is current
   * (rejecting with CatalogStale if not), in the item's own statement.
   */
  getStoredItem(table: Table, key: Item, consistent = true, checkCatalog = false): MaybePromise<Buffer | undefined> {
    const storageKey = itemKey(table.meta.id, table.schema, key);
    if (this.local !== undefined) return this.local.get(storageKey);
    return this.snapshotOf(consistent, (ops) => {
      if (checkCatalog) this.assertCatalogCurrent(ops);
      return ops.get(storageKey);
    });
  }

  /** Throws CatalogStale when `ops` sees a newer catalog than the one cached (Database has one). */
  protected assertCatalogCurrent(_ops: ReadOps): void {}

  /**
   * Several stored items read from ONE consistent snapshot (TransactGetItems). `address`:
   * the item's address (itemAddress.ts) when the caller has built it already.
   */
  getStoredItemsAtOnce(gets: readonly { table: Table; key: Item; address?: Buffer }[], consistent = true): MaybePromise<(Buffer | undefined)[]> {
    const keys = gets.map(({ table, key, address }) => address ?? itemKey(table.meta.id, table.schema, key));
    return this.snapshotOf(consistent, (snap) => keys.map((k) => snap.get(k)));
  }

  /** One page of a range over a table or an index (Query, Scan); see reads.ts. */
  readPage(view: KeyView, bounds: Bounds, forward: boolean, request: PageRequest, consistent = true): MaybePromise<Page> {
    return this.local !== undefined
      ? readPage(this.local, view, bounds, forward, request)
      : this.snapshotOf(consistent, (ops) => readPage(ops, view, bounds, forward, request));
  }

  /** The live idempotency record of a client request token, or undefined. */
  tokenRecord(token: string, now: number): MaybePromise<TokenRecord | undefined> {
    return this.read((ops) => readTokenRecord(ops, token, now));
  }

  /** A table's item count and size, and each index's. */
  stats(meta: TableMeta): MaybePromise<DescribedStats> {
    return this.read((ops) => {
      const indexes: Record<string, TableStats> = {};
      for (const index of meta.indexes ?? []) indexes[index.name] = readIndexStats(ops, meta.id, index.no);
      return { ...readStats(ops, meta.id), indexes };
    });
  }

  /**
   * Runs `fn` over committed data: at once over an embedded store, from one consistent
   * snapshot (and possibly more than once, see storage/kv.ts) over a networked one.
   */
  read<T>(fn: (ops: ReadOps) => T): MaybePromise<T> {
    return this.local !== undefined ? fn(this.local) : this.store.snapshot(fn);
  }

  /** Eventually consistent reads may take the store's possibly stale view (a read replica). */
  private snapshotOf<T>(consistent: boolean, fn: (ops: ReadOps) => T): MaybePromise<T> {
    return !consistent && this.store.staleSnapshot !== undefined ? this.store.staleSnapshot(fn) : this.store.snapshot(fn);
  }
}
