/** ReturnItemCollectionMetrics=SIZE: the size of the written item's collection (tables with LSIs only). */
import type { Table } from '../../engine/table.js';
import type { WriteResult } from '../../engine/itemWrite.js';
import type { Item } from '../../values/types.js';

const GB = 1024 ** 3;

/** The ItemCollectionMetrics member, or undefined when not asked for or the table has no LSI. */
export function itemCollectionMetrics(mode: unknown, table: Table, key: Item, result: WriteResult): Record<string, unknown> | undefined {
  if (mode !== 'SIZE' || result.collectionBytes === undefined) return undefined;
  const hashKey = table.schema.hashKey;
  // DynamoDB gives a range of whole gigabytes around its estimate.
  const low = Math.floor(result.collectionBytes / GB);
  return { ItemCollectionKey: { [hashKey]: key[hashKey] }, SizeEstimateRangeGB: [low, low + 1] };
}
