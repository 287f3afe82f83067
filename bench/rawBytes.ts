/** The preload's data measured as DynamoDB measures items: the yardstick of in-memory RSS. */
import { itemSize } from '../src/values/size.js';
import type { Item as StoredItem } from '../src/values/types.js';
import { bigItem, smallItem, type DataSizes, type Item } from './data.js';

/** DynamoDB's size of every item the preload writes. */
export function rawItemBytes(sizes: DataSizes): number {
  const size = (item: Item) => itemSize(item as unknown as StoredItem);
  let total = 0;
  for (let n = 0; n < sizes.items; n++) total += size(bigItem(n));
  for (let p = 0; p < sizes.partitions; p++) for (let s = 0; s < sizes.perPartition; s++) total += size(smallItem(p, s));
  return total;
}
