/** Telling items apart across tables: for duplicate checks in batch and transactional requests. */
import type { Table } from '../../engine/database.js';
import { itemKey } from '../../engine/keyspace.js';
import type { Item } from '../../values/types.js';

/** Throws `error()` when a key is seen twice. */
export class DuplicateGuard {
  private readonly seen = new Set<string>();

  constructor(private readonly error: () => Error) {}

  /** Returns the item's storage key (`itemKey`), built on the way, for the caller to reuse. */
  add(table: Table, key: Item): Buffer {
    // The storage key holds the table id and the encoded key values: unique per item.
    const storageKey = itemKey(table.meta.id, table.schema, key);
    const id = storageKey.toString('latin1');
    if (this.seen.has(id)) throw this.error();
    this.seen.add(id);
    return storageKey;
  }
}
