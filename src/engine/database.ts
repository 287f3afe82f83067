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

export interface DatabaseOptions {
  region: string;
  accountId: string;
  /** Hold CREATING / UPDATING / DELETING for a while, as DynamoDB does. */
  delayTransientStatuses: boolean;
}

/** How long transient statuses last with delayTransientStatuses (DynamoDB takes seconds). */
const TRANSIENT_MS = 500;
const DELETE_BATCH = 2000;

/** A table as the API layer sees it: its catalog entry plus derived key schema. */
export interface Table {
  meta: TableMeta;
  schema: KeySchemaInfo;
}

export type TableSpec = Omit<TableMeta, 'id' | 'tableId' | 'arn' | 'createdAt' | 'status' | 'settlesAt'>;

export interface WriteResult {
  old: Item | undefined;
  new: Item | undefined;
  oldSize: number;
  newSize: number;
}

export class Database {
  private readonly tables = new Map<string, Table>();

  private constructor(readonly store: KVStore, readonly options: DatabaseOptions) {}

  static async open(store: KVStore, options: DatabaseOptions): Promise<Database> {
    const db = new Database(store, options);
    const interrupted: TableMeta[] = [];
    for (const { value } of store.range({ gte: CATALOG_PREFIX, lt: CATALOG_END })) {
      const meta = JSON.parse(value.toString('utf8')) as TableMeta;
      if (meta.status === 'DELETING') interrupted.push(meta);
      else db.tables.set(meta.name, { meta, schema: keySchemaInfo(meta) });
    }
    // A deletion cut short by a restart is finished now.
    for (const meta of interrupted) await db.finishDelete(meta);
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

  stats(meta: TableMeta): TableStats {
    return readStats(this.store, meta.id);
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
    this.tables.set(meta.name, { meta, schema: keySchemaInfo(meta) });
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
    await this.store.transact((txn) => txn.put(catalogKey(name), encodeMeta(next)));
    this.tables.set(name, { meta: next, schema: keySchemaInfo(next) });
    return next;
  }

  /** Marks the table DELETING and removes it (after a delay if asked); returns the DELETING entry. */
  async deleteTable(name: string): Promise<TableMeta> {
    const meta = { ...this.table(name).meta, status: 'DELETING' as const, settlesAt: 0 };
    await this.store.transact((txn) => txn.put(catalogKey(name), encodeMeta(meta)));
    if (this.options.delayTransientStatuses) {
      this.tables.set(name, { meta, schema: keySchemaInfo(meta) });
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
    const range = tableRange(tableId);
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
  if (next !== undefined) txn.put(storageKey, encodeStoredItem(next, newSize));
  else if (old !== undefined) txn.delete(storageKey);
  adjustStats(txn, table.meta.id, (next ? 1 : 0) - (old ? 1 : 0), newSize - oldSize);
  return { old, new: next, oldSize, newSize };
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
