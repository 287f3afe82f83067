/** What the engine hands out for a table: its catalog entry with what is derived from it, and what observes its writes. */
import type { KeySchemaInfo } from '../values/keys.js';
import type { IndexedTable } from './indexes/maintain.js';
import type { TableStats } from './stats.js';
import type { TableMeta } from './tableMeta.js';
import type { WriteOps } from '../storage/kv.js';
import type { Item } from '../values/types.js';
import type { ChangeOrigin } from './changelog/record.js';

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

/** One item write as write observers see it, inside the write's storage transaction. */
export interface ItemChange {
  table: Table;
  key: Item;
  storageKey: Buffer;
  /** The stored encodings before and after (see storedItem.ts); undefined: no item. */
  stored: Buffer | undefined;
  nextStored: Buffer | undefined;
  /** The item before the write, decoded on demand (a blind write never decoded it). */
  old(): Item | undefined;
  next: Item | undefined;
  origin?: ChangeOrigin;
}

/**
 * Something that reacts to every item write of a table in the write's own transaction
 * (the change log). Tables list theirs in `Table.observers`; most have none.
 */
export type WriteObserver = (txn: WriteOps, change: ItemChange) => void;
