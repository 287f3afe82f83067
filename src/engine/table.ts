/** What the engine hands out for a table: its catalog entry with what is derived from it. */
import type { KeySchemaInfo } from '../values/keys.js';
import type { IndexedTable } from './indexes/maintain.js';
import type { WriteObserver } from './itemWrite.js';
import type { TableStats } from './stats.js';
import type { TableMeta } from './tableMeta.js';

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
