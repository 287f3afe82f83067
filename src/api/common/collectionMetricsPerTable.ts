/** ItemCollectionMetrics of a multi-item write (BatchWriteItem, TransactWriteItems), grouped by table. */
import type { Table } from '../../engine/table.js';
import type { WriteResult } from '../../engine/itemWrite.js';
import type { Item } from '../../values/types.js';
import { itemCollectionMetrics } from './itemCollectionMetrics.js';

export interface WrittenItem {
  table: Table;
  key: Item;
  result: WriteResult;
}

/** The member for ReturnItemCollectionMetrics=SIZE, or undefined (not asked, or no table has an LSI). */
export function collectionMetricsPerTable(mode: unknown, written: Iterable<WrittenItem>): Record<string, Record<string, unknown>[]> | undefined {
  if (mode !== 'SIZE') return undefined;
  let out: Record<string, Record<string, unknown>[]> | undefined;
  for (const { table, key, result } of written) {
    const metrics = itemCollectionMetrics(mode, table, key, result);
    if (metrics === undefined) continue;
    out ??= {};
    (out[table.meta.name] ??= []).push(metrics);
  }
  return out;
}
