/** What a change-log record means for a copy of the table: the item's key suffix and its state after the change. */
import { itemKey } from '../keyspace.js';
import { encodeStoredItem } from '../storedItem.js';
import type { ChangeRecord } from '../changelog/record.js';
import type { KeySchemaInfo } from '../../values/keys.js';
import { itemSize } from '../../values/size.js';
import { itemSuffix } from './keys.js';
import type { RestoredChange } from './backups.js';

/** The backup-key suffix of the item a record is about. */
export function recordSuffix(schema: KeySchemaInfo, record: ChangeRecord): Buffer {
  return itemSuffix(itemKey(0, schema, record.keys));
}

/** The item as stored after the change, or undefined if the change removed it. */
export function storedAfter(record: ChangeRecord): Buffer | undefined {
  return record.new === undefined ? undefined : encodeStoredItem(record.new, itemSize(record.new));
}

export function restoredChange(record: ChangeRecord): RestoredChange {
  const stored = storedAfter(record);
  return stored !== undefined ? { put: stored } : { delete: record.keys };
}
