/**
 * The engine's entry point: the table catalog (cached in memory, persisted in the
 * key space) and item reads and writes, each write one storage transaction.
 */
import { randomUUID } from 'node:crypto';
import type { KVStore, WriteOps } from '../storage/kv.js';
import { resourceInUse, resourceNotFound } from '../errors.js';
import type { Item } from '../values/types.js';
import { itemSize } from '../values/size.js';
import { CATALOG_END, CATALOG_PREFIX, catalogKey, counterKey, itemKey, tableRange } from './keyspace.js';
import { adjustStats, readStats, type TableStats } from './stats.js';
import { keySchemaInfo, type TableMeta } from './tableMeta.js';
import { decodeStoredItem, encodeStoredItem, storedItemSize } from './storedItem.js';
import type { KeySchemaInfo } from '../values/keys.js';
import { indexInfos, type IndexInfo } from './indexes/indexInfo.js';
import { ITEM_COLLECTION_LIMIT_BYTES, maintainIndexes, type IndexedTable } from './indexes/maintain.js';
import { backfillBatch, purgeIndexBatch } from './indexes/backfill.js';
import { indexBookkeepingRanges, indexStatsKey, readIndexStats } from './indexes/indexStats.js';
import { usedDefinitions } from './indexes/catalog.js';

export interface DatabaseOptions {
  region: string;
  accountId: string;
  /** Hold CREATING / UPDATING / DELETING for a while, as DynamoDB does. */
  delayTransientStatuses: boolean;
  /** The item-collection size limit of tables with LSIs (DynamoDB: 10 GB); lowered by tests. */
  itemCollectionLimitBytes?: number;
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
}

/** Item and byte counts of a table and of each of its indexes (by index name). */
export interface DescribedStats extends TableStats {
  indexes: Record<string, TableStats>;
}

export type TableSpec = Omit<TableMeta, 'id' | 'tableId' | 'arn' | 'createdAt' | 'status' | 'settlesAt'>;

export interface WriteResult {
  old: Item | undefined;
  new: Item | undefined;
  oldSize: number;
  newSize: number;
  /** For tables with LSIs: the bytes of the item's collection after the write. */
  collectionBytes?: number;
  /** For tables with indexes: the write units the write cost on each of `table.indexing.indexes` (0: untouched). */
  indexWriteUnits?: number[];
}

export class Database {
  private readonly tables = new Map<string, Table>();
  /** Index builds and drops running in the background, as "tableId:indexNo". */
  private readonly indexJobs = new Set<string>();

  private constructor(readonly store: KVStore, readonly options: DatabaseOptions) {}

  static async open(store: KVStore, options: DatabaseOptions): Promise<Database> {
    const db = new Database(store, options);
    const interrupted: TableMeta[] = [];
    for (const { value } of store.range({ gte: CATALOG_PREFIX, lt: CATALOG_END })) {
      const meta = JSON.parse(value.toString('utf8')) as TableMeta;
      if (meta.status === 'DELETING') interrupted.push(meta);
      else db.tables.set(meta.name, db.tableOf(meta));
    }
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
    const table = this.tables.get(name);
    if (!table) throw resourceNotFound();
    settle(table.meta);
    return table;
  }

  /** The table, or undefined. */
  findTable(name: string): Table | undefined {
    const table = this.tables.get(name);
    if (table) settle(table.meta);
    return table;
  }

  tableNames(): string[] {
    return [...this.tables.keys()].sort();
  }

  stats(meta: TableMeta): DescribedStats {
    const indexes: Record<string, TableStats> = {};
    for (const index of meta.indexes ?? []) indexes[index.name] = readIndexStats(this.store, meta.id, index.no);
    return { ...readStats(this.store, meta.id), indexes };
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
    return { meta, schema, indexing };
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
    const table = this.tables.get(name);
    return table?.meta.id === tableId && table.meta.status !== 'DELETING' ? table : undefined;
  }

  /** Fills a new index from the table's items, batch by batch, then makes it ACTIVE. */
  private async backfillIndex(name: string, tableId: number, indexNo: number): Promise<void> {
    let from: Buffer | undefined;
    for (;;) {
      const index = this.liveTable(name, tableId)?.indexing.indexes.find((i) => i.no === indexNo);
      if (index === undefined || !index.meta.backfilling) return;
      const done = await this.store.transact((txn) => (from = backfillBatch(txn, tableId, index, from)) === undefined);
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
    const now = Date.now();
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
      return created;
    });
    this.tables.set(meta.name, this.tableOf(meta));
    return meta;
  }

  /** Rewrites a table's catalog entry; `mutate` returns the new entry (validation may throw). */
  async updateTable(name: string, mutate: (meta: TableMeta) => TableMeta, transient = false): Promise<TableMeta> {
    const current = this.table(name).meta;
    const next = mutate(structuredClone(current));
    if (transient && this.options.delayTransientStatuses) {
      next.status = 'UPDATING';
      next.settlesAt = Date.now() + TRANSIENT_MS;
    }
    // The in-memory catalog changes as the write is queued, so writes queued after it
    // already maintain a new index, and concurrent catalog changes build on each other.
    const committed = this.store.transact((txn) => txn.put(catalogKey(name), encodeMeta(next)));
    this.tables.set(name, this.tableOf(next));
    await committed;
    this.startIndexJobs(next);
    return next;
  }

  /** Marks the table DELETING and removes it (after a delay if asked); returns the DELETING entry. */
  async deleteTable(name: string): Promise<TableMeta> {
    const meta = { ...this.table(name).meta, status: 'DELETING' as const, settlesAt: 0 };
    await this.store.transact((txn) => txn.put(catalogKey(name), encodeMeta(meta)));
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
      txn.delete(catalogKey(meta.name));
      adjustStats(txn, meta.id, -readStats(txn, meta.id).itemCount, -readStats(txn, meta.id).sizeBytes);
    });
    if (this.tables.get(meta.name)?.meta.id === meta.id) this.tables.delete(meta.name);
    await this.purgeData(meta.id);
  }

  /** Deletes a dropped table's keys in bounded batches so traffic is not blocked. */
  private async purgeData(tableId: number): Promise<void> {
    for (const range of [tableRange(tableId), ...indexBookkeepingRanges(tableId)]) await this.purgeRange(range);
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
    return this.store.transact((txn) => writes.map((w) => applyItemWrite(txn, w)));
  }

  /**
   * One storage transaction with item-level reads and writes, for operations that must
   * read several items before deciding any write (TransactWriteItems). `fn` is synchronous;
   * throwing aborts everything.
   */
  transactItems<T>(fn: (txn: ItemTransaction) => T): Promise<T> {
    return this.store.transact((kv) =>
      fn({
        kv,
        read: (table, key) => {
          const stored = kv.get(itemKey(table.meta.id, table.schema, key));
          return stored === undefined ? undefined : { item: decodeStoredItem(stored), size: storedItemSize(stored) };
        },
        write: (write) => applyItemWrite(kv, write),
      }),
    );
  }
}

/** What `transactItems` hands its callback: the raw key space, and item reads and writes. */
export interface ItemTransaction {
  kv: WriteOps;
  read(table: Table, key: Item): { item: Item; size: number } | undefined;
  write(write: ItemWrite): WriteResult;
}

/** Decides an item's next state from its current one: an item to store, or undefined to delete. */
export type Mutation = (old: Item | undefined) => Item | undefined;

export interface ItemWrite {
  table: Table;
  key: Item;
  mutate: Mutation;
}

/** One item write inside a storage transaction: the item, and the table's statistics. */
function applyItemWrite(txn: WriteOps, { table, key, mutate }: ItemWrite): WriteResult {
  const storageKey = itemKey(table.meta.id, table.schema, key);
  const stored = txn.get(storageKey);
  const old = stored === undefined ? undefined : decodeStoredItem(stored);
  const next = mutate(old);
  const oldSize = stored === undefined ? 0 : storedItemSize(stored);
  const newSize = next === undefined ? 0 : itemSize(next);
  const nextStored = next === undefined ? undefined : encodeStoredItem(next, newSize);
  const result: WriteResult = { old, new: next, oldSize, newSize };
  if (table.indexing.indexes.length > 0) {
    const indexWriteUnits = new Array<number>(table.indexing.indexes.length);
    const collectionBytes = maintainIndexes(txn, table.indexing, key, old, next, nextStored, newSize - oldSize, indexWriteUnits);
    result.indexWriteUnits = indexWriteUnits;
    if (collectionBytes !== undefined) result.collectionBytes = collectionBytes;
  }
  if (nextStored !== undefined) txn.put(storageKey, nextStored);
  else if (old !== undefined) txn.delete(storageKey);
  adjustStats(txn, table.meta.id, (next ? 1 : 0) - (old ? 1 : 0), newSize - oldSize);
  return result;
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
