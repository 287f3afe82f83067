/**
 * An item's address: an opaque value, equal for two keys exactly when they name the
 * same item of the same table. Above the engine it serves to tell items apart (and can
 * be handed back with a write to spare computing it twice); what it holds is the
 * engine's business.
 */
import type { Item } from '../values/types.js';
import type { Table } from './table.js';
import { itemKey } from './keyspace.js';

export function itemAddress(table: Table, key: Item): Buffer {
  return itemKey(table.meta.id, table.schema, key);
}
