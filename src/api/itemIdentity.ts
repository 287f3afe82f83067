/** Telling items apart across tables: for duplicate checks in batch and transactional requests. */
import type { Table } from '../engine/database.js';
import { itemKey } from '../engine/keyspace.js';
import type { Item } from '../values/types.js';

/** A string that is equal for two keys exactly when they name the same item of the same table. */
export function itemIdentity(table: Table, key: Item): string {
  // The storage key holds the table id and the encoded key values: unique per item.
  return itemKey(table.meta.id, table.schema, key).toString('latin1');
}

/** Throws `error()` when a key is seen twice. */
export class DuplicateGuard {
  private readonly seen = new Set<string>();

  constructor(private readonly error: () => Error) {}

  add(table: Table, key: Item): void {
    const id = itemIdentity(table, key);
    if (this.seen.has(id)) throw this.error();
    this.seen.add(id);
  }
}
