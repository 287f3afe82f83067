/**
 * The engine's entry point: the table catalog (cached in memory, persisted in the
 * key space) and item reads and writes, each write one storage transaction.
 */
import { randomUUID } from 'node:crypto';
import type { KVStore, ReadOps } from '../storage/kv.js';
import { resourceInUse, resourceNotFound } from '../errors.js';
import type { Item } from '../values/types.js';
import {
  CATALOG_END, CATALOG_PREFIX, catalogKey, counterKey, indexBookkeepingRanges, indexStatsKey, itemKey, tableRange,
} from './keyspace.js';
import { adjustStats, readStats, type TableStats } from './stats.js';
import { keySchemaInfo, type TableMeta } from './tableMeta.js';
import { decodeStoredItem, storedItemSize } from './storedItem.js';
import type { KeySchemaInfo } from '../values/keys.js';
import { indexInfos, type IndexInfo } from './indexes/indexInfo.js';
import { ITEM_COLLECTION_LIMIT_BYTES, type IndexedTable } from './indexes/maintain.js';
import { backfillBatch, purgeIndexBatch } from './indexes/backfill.js';
import { readIndexStats } from './indexes/indexStats.js';
import { usedDefinitions } from './indexes/catalog.js';
import { bumpCatalogVersion, readCatalogVersion } from './catalogVersion.js';
import { applyItemWrite, applyItemWrites, StatsDeltas, type ItemTransaction, type ItemWrite, type Mutation, type WriteObserver, type WriteResult } from './itemWrite.js';
import { Clock } from './clock.js';
import { enabledStream } from './tableMeta.js';
import { changeLogObserver } from './changelog/observer.js';
import { applyStreamChange } from './changelog/lifecycle.js';
import { logRange } from './changelog/keys.js';

export interface DatabaseOptions {
  region: string;
  accountId: string;
  /** Hold CREATING / UPDATING / DELETING for a while, as DynamoDB does. */
  delayTransientStatuses: boolean;
  /** The item-collection size limit of tables with LSIs (DynamoDB: 10 GB); lowered by tests. */
  itemCollectionLimitBytes?: number;
  /**
   * Other processes (a `--workers` cluster) serve the same store: catalog reads and
   * item writes first check the catalog version and reload a catalog another
   * process changed. Off for a single process, which skips the check entirely.
   */
  shared?: boolean;
  /**
   * Finish the table deletions and index builds and drops a restart cut short
   * (default true). In a cluster, only the first worker and restarted ones do.
   */
  resumeJobs?: boolean;
  /** The source of time for streams, TTL and retention (default: the system clock). */
  clock?: Clock;
}

/** How long transient statuses last with delayTransientStatuses (DynamoDB takes seconds). */
const TRANSIENT_MS = 500;
const DELETE_BATCH = 2000;

/** A table as the API layer sees it: its catalog entry plus derived key schema and indexes. */
export interface Table {
  meta: TableMeta;
  schema: KeySchemaInfo;
  /** What writes need to maintain the table's secondary indexes. */
  indexing: IndexedTable;
  /** What else every item write updates in its transaction (the change log when a stream is on). */
  observers: WriteObserver[];
}

/** Item and byte counts of a table and of each of its indexes (by index name). */
export interface DescribedStats extends TableStats {
  indexes: Record<string, TableStats>;
}

export type TableSpec = Omit<TableMeta, 'id' | 'tableId' | 'arn' | 'createdAt' | 'status' | 'settlesAt'>;

export class Database {
  private readonly tables = new Map<string, Table>();
  /** Index builds and drops running in the background, as "tableId:indexNo". */
  private readonly indexJobs = new Set<string>();
  /** The catalog version the cached catalog reflects (shared stores only). */
  private catalogVersion = 0;

  readonly clock: Clock;
  private readonly logChange: WriteObserver;

  private constructor(readonly store: KVStore, readonly options: DatabaseOptions) {
    this.clock = options.clock ?? new Clock();
    this.logChange = changeLogObserver(() => this.clock.now());
  }

  static async open(store: KVStore, options: DatabaseOptions): Promise<Database> {
    const db = new Database(store, options);
    db.catalogVersion = readCatalogVersion(store);
    const interrupted: TableMeta[] = [];
    for (const { value } of store.range({ gte: CATALOG_PREFIX, lt: CATALOG_END })) {
      const meta = JSON.parse(value.toString('utf8')) as TableMeta;
      if (meta.status === 'DELETING') interrupted.push(meta);
      else db.tables.set(meta.name, db.tableOf(meta));
    }
    if (options.resumeJobs === false) return db;
    // A deletion cut short by a restart is finished now.
    for (const meta of interrupted) await db.finishDelete(meta);
    // Index builds and drops cut short by a restart carry on in the background.
    for (const { meta } of db.tables.values()) db.startIndexJobs(meta);
    return db;
  }

  arnFor(name: string): string {
    return `arn:aws:dynamodb:${this.options.region}:${this.options.accountId}:table/${name}`;
  }

  /** The table, or ResourceNotFoundException with DynamoDB's item-operation message. */
  table(name: string): Table {
    if (this.options.shared) this.syncCatalog(this.store);
    const table = this.tables.get(name);
    if (!table) throw resourceNotFound();
    settle(table.meta);
    return table;
  }

  /** The table, or undefined. */
  findTable(name: string): Table | undefined {
    if (this.options.shared) this.syncCatalog(this.store);
    const table = this.tables.get(name);
    if (table) settle(table.meta);
    return table;
  }

  tableNames(): string[] {
    if (this.options.shared) this.syncCatalog(this.store);
    return [...this.tables.keys()].sort();
  }

  stats(meta: TableMeta): DescribedStats {
    const indexes: Record<string, TableStats> = {};
    for (const index of meta.indexes ?? []) indexes[index.name] = readIndexStats(this.store, meta.id, index.no);
    return { ...readStats(this.store, meta.id), indexes };
  }

  /**
   * Reloads the cached catalog if another process changed it. A table that is still
   * the same (same id) keeps its Table object, updated in place, so requests holding
   * it write with its current indexes; see `assertCurrent`.
   */
  private syncCatalog(ops: ReadOps): void {
    // The counter only grows: a lower number comes from an older read snapshot.
    const version = readCatalogVersion(ops);
    if (version <= this.catalogVersion) return;
    this.catalogVersion = version;
    const fresh = new Map<string, Table>();
    for (const { value } of ops.range({ gte: CATALOG_PREFIX, lt: CATALOG_END })) {
      const meta = JSON.parse(value.toString('utf8')) as TableMeta;
      // As in the deleting process: a DELETING table stays visible only while its status is held.
      if (meta.status === 'DELETING' && !this.options.delayTransientStatuses) continue;
      fresh.set(meta.name, this.installed(meta));
    }
    this.tables.clear();
    for (const [name, table] of fresh) this.tables.set(name, table);
  }

  /** The Table for a catalog entry: in a shared store, the cached object updated in place. */
  private installed(meta: TableMeta): Table {
    const current = this.tables.get(meta.name);
    if (!this.options.shared || current?.meta.id !== meta.id) return this.tableOf(meta);
    return Object.assign(current, this.tableOf(meta));
  }

  /**
   * Inside a write transaction on a shared store: brings the catalog up to date and
   * refuses a write to a table another process has dropped since the request looked it up.
   */
  private assertCurrent(txn: ReadOps, tables: Iterable<Table>): void {
    this.syncCatalog(txn);
    for (const table of tables) if (this.tables.get(table.meta.name) !== table) throw resourceNotFound();
  }

  private tableOf(meta: TableMeta): Table {
    const schema = keySchemaInfo(meta);
    const indexes: IndexInfo[] = indexInfos(meta, schema);
    const indexing: IndexedTable = {
      tableId: meta.id,
      indexes,
      hasLsi: indexes.some((i) => i.meta.kind === 'LSI'),
      collectionLimitBytes: this.options.itemCollectionLimitBytes ?? ITEM_COLLECTION_LIMIT_BYTES,
    };
    return { meta, schema, indexing, observers: enabledStream(meta) !== undefined ? [this.logChange] : [] };
  }

  /** Starts the background build or drop of every index of the table that needs one. */
  private startIndexJobs(meta: TableMeta): void {
    for (const index of meta.indexes ?? []) {
      const job = `${meta.id}:${index.no}`;
      if (this.indexJobs.has(job)) continue;
      const run = index.status === 'DELETING' ? this.dropIndex : index.backfilling ? this.backfillIndex : undefined;
      if (run === undefined) continue;
      this.indexJobs.add(job);
      // A job cut short (the store closing, the table dropped) is picked up at the next open.
      run.call(this, meta.name, meta.id, index.no).catch(() => undefined).finally(() => this.indexJobs.delete(job));
    }
  }

  /** The live table if it is still the one with this id. */
  private liveTable(name: string, tableId: number): Table | undefined {
    if (this.options.shared) this.syncCatalog(this.store);
    const table = this.tables.get(name);
    return table?.meta.id === tableId && table.meta.status !== 'DELETING' ? table : undefined;
  }

  /** Fills a new index from the table's items, batch by batch, then makes it ACTIVE. */
  private async backfillIndex(name: string, tableId: number, indexNo: number): Promise<void> {
    let from: Buffer | undefined;
    for (;;) {
      // Checked inside the batch's transaction: another process may drop the index.
      const done = await this.store.transact((txn) => {
        if (this.options.shared) this.syncCatalog(txn);
        const table = this.tables.get(name);
        const live = table?.meta.id === tableId && table.meta.status !== 'DELETING';
        const index = live ? table.indexing.indexes.find((i) => i.no === indexNo) : undefined;
        if (index === undefined || !index.meta.backfilling) return undefined;
        return (from = backfillBatch(txn, tableId, index, from)) === undefined;
      });
      if (done === undefined) return;
      if (done) break;
      await yieldToTraffic();
    }
    if (this.liveTable(name, tableId) === undefined) return;
    await this.updateTable(name, (meta) => {
      const index = meta.indexes?.find((i) => i.no === indexNo);
      if (index !== undefined && index.status !== 'DELETING') {
        index.status = 'ACTIVE';
        delete index.backfilling;
      }
      return meta;
    });
  }

  /** Deletes a dropped index's entries batch by batch, then removes it from the catalog. */
  private async dropIndex(name: string, tableId: number, indexNo: number): Promise<void> {
    for (;;) {
      if (this.liveTable(name, tableId) === undefined) return;
      const done = await this.store.transact((txn) => purgeIndexBatch(txn, tableId, indexNo));
      if (done) break;
      await yieldToTraffic();
    }
    if (this.liveTable(name, tableId) === undefined) return;
    await this.store.transact((txn) => txn.delete(indexStatsKey(tableId, indexNo)));
    await this.updateTable(name, (meta) => {
      meta.indexes = meta.indexes?.filter((i) => i.no !== indexNo);
      meta.attributeDefinitions = usedDefinitions(meta);
      return meta;
    });
  }

  async createTable(spec: TableSpec): Promise<TableMeta> {
    const now = this.clock.now();
    const delay = this.options.delayTransientStatuses;
    const meta = await this.store.transact((txn) => {
      const key = catalogKey(spec.name);
      if (txn.get(key) !== undefined) throw resourceInUse(`Table already exists: ${spec.name}`);
      const counter = counterKey('table-id');
      const id = (txn.get(counter)?.readUInt32BE(0) ?? 0) + 1;
      const idBuf = Buffer.allocUnsafe(4);
      idBuf.writeUInt32BE(id, 0);
      txn.put(counter, idBuf);
      const created: TableMeta = {
        ...spec,
        id,
        tableId: randomUUID(),
        arn: this.arnFor(spec.name),
        createdAt: now,
        status: delay ? 'CREATING' : 'ACTIVE',
        settlesAt: delay ? now + TRANSIENT_MS : 0,
      };
      txn.put(key, encodeMeta(created));
      applyStreamChange(txn, undefined, created);
      bumpCatalogVersion(txn);
      return created;
    });
    this.tables.set(meta.name, this.installed(meta));
    return meta;
  }

  /** Rewrites a table's catalog entry; `mutate` returns the new entry (validation may throw). */
  async updateTable(name: string, mutate: (meta: TableMeta) => TableMeta, transient = false): Promise<TableMeta> {
    if (this.options.shared) return this.updateSharedTable(name, mutate, transient);
    const current = this.table(name).meta;
    const next = this.nextMeta(current, mutate, transient);
    // The in-memory catalog changes as the write is queued, so writes queued after it
    // already maintain a new index, and concurrent catalog changes build on each other.
    const committed = this.store.transact((txn) => {
      txn.put(catalogKey(name), encodeMeta(next));
      applyStreamChange(txn, current, next);
      bumpCatalogVersion(txn);
    });
    this.tables.set(name, this.tableOf(next));
    await committed;
    this.startIndexJobs(next);
    return next;
  }

  /** The catalog entry `mutate` makes of a copy of `current`, held UPDATING for a while if asked. */
  private nextMeta(current: TableMeta, mutate: (meta: TableMeta) => TableMeta, transient: boolean): TableMeta {
    const next = mutate(structuredClone(current));
    if (transient && this.options.delayTransientStatuses) {
      next.status = 'UPDATING';
      next.settlesAt = Date.now() + TRANSIENT_MS;
    }
    return next;
  }

  /** updateTable when other processes may change the catalog too: read, change and write in one transaction. */
  private async updateSharedTable(name: string, mutate: (meta: TableMeta) => TableMeta, transient: boolean): Promise<TableMeta> {
    this.table(name);
    const next = await this.store.transact((txn) => {
      this.syncCatalog(txn);
      const current = this.tables.get(name);
      if (current === undefined) throw resourceNotFound();
      settle(current.meta);
      const next = this.nextMeta(current.meta, mutate, transient);
      txn.put(catalogKey(name), encodeMeta(next));
      applyStreamChange(txn, current.meta, next);
      bumpCatalogVersion(txn);
      return next;
    });
    if (this.tables.get(name)?.meta.id === next.id) this.tables.set(name, this.installed(next));
    this.startIndexJobs(next);
    return next;
  }

  /** Marks the table DELETING and removes it (after a delay if asked); returns the DELETING entry. */
  async deleteTable(name: string): Promise<TableMeta> {
    const meta = { ...this.table(name).meta, status: 'DELETING' as const, settlesAt: 0 };
    await this.store.transact((txn) => {
      txn.put(catalogKey(name), encodeMeta(meta));
      bumpCatalogVersion(txn);
    });
    if (this.options.delayTransientStatuses) {
      this.tables.set(name, this.tableOf(meta));
      setTimeout(() => void this.finishDelete(meta), TRANSIENT_MS).unref();
    } else {
      this.tables.delete(name);
      await this.finishDelete(meta);
    }
    return meta;
  }

  private async finishDelete(meta: TableMeta): Promise<void> {
    await this.store.transact((txn) => {
      // Another process may have finished this deletion and a new table taken the name.
      const stored = txn.get(catalogKey(meta.name));
      if (stored !== undefined && (JSON.parse(stored.toString('utf8')) as TableMeta).id === meta.id) txn.delete(catalogKey(meta.name));
      bumpCatalogVersion(txn);
      const stats = readStats(txn, meta.id);
      adjustStats(txn, meta.id, -stats.itemCount, -stats.sizeBytes);
    });
    if (this.tables.get(meta.name)?.meta.id === meta.id) this.tables.delete(meta.name);
    await this.purgeData(meta.id);
  }

  /** Deletes a dropped table's keys in bounded batches so traffic is not blocked. */
  private async purgeData(tableId: number): Promise<void> {
    for (const range of [tableRange(tableId), ...indexBookkeepingRanges(tableId), logRange(tableId)]) await this.purgeRange(range);
  }

  private async purgeRange(range: { gte: Buffer; lt: Buffer }): Promise<void> {
    for (;;) {
      const done = await this.store.transact((txn) => {
        let n = 0;
        for (const { key } of txn.range({ ...range, limit: DELETE_BATCH })) {
          txn.delete(key);
          n++;
        }
        return n < DELETE_BATCH;
      });
      if (done) return;
    }
  }

  /** The stored item (see storedItem.ts), or undefined. */
  getStoredItem(table: Table, key: Item): Buffer | undefined {
    return this.store.get(itemKey(table.meta.id, table.schema, key));
  }

  /**
   * Reads the item at `key`, lets `mutate` decide its next state (an item to store,
   * or undefined to delete; it may throw to abort), and commits — one transaction.
   */
  async writeItem(table: Table, key: Item, mutate: Mutation): Promise<WriteResult> {
    const [result] = await this.writeItems([{ table, key, mutate }]);
    return result!;
  }

  /** Several item writes (possibly across tables) as one all-or-nothing transaction. */
  writeItems(writes: ItemWrite[]): Promise<WriteResult[]> {
    if (!this.options.shared) return this.store.transact((txn) => applyItemWrites(txn, writes));
    return this.store.transact((txn) => {
      this.assertCurrent(txn, writes.map((w) => w.table));
      return applyItemWrites(txn, writes);
    });
  }

  /**
   * One storage transaction with item-level reads and writes, for operations that must
   * read several items before deciding any write (TransactWriteItems). `fn` is synchronous;
   * throwing aborts everything.
   */
  transactItems<T>(fn: (txn: ItemTransaction) => T): Promise<T> {
    const shared = this.options.shared === true;
    return this.store.transact((kv) => {
      if (shared) this.syncCatalog(kv);
      const stats = new StatsDeltas();
      const result = fn({
        kv,
        read: (table, key) => {
          const stored = kv.get(itemKey(table.meta.id, table.schema, key));
          return stored === undefined ? undefined : { item: decodeStoredItem(stored), size: storedItemSize(stored) };
        },
        write: (write) => {
          if (shared) this.assertCurrent(kv, [write.table]);
          return applyItemWrite(kv, write, stats);
        },
      });
      stats.flush(kv);
      return result;
    });
  }
}

/** Lets queued requests run between background batches. */
function yieldToTraffic(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

function settle(meta: TableMeta): void {
  if (meta.settlesAt !== 0 && Date.now() >= meta.settlesAt && meta.status !== 'DELETING') {
    meta.status = 'ACTIVE';
    meta.settlesAt = 0;
  }
}

function encodeMeta(meta: TableMeta): Buffer {
  return Buffer.from(JSON.stringify(meta), 'utf8');
}
