/** Telling items apart across tables: for duplicate checks in batch and transactional requests. */
import type { Table } from '../../engine/table.js';
import { itemAddress } from '../../engine/itemAddress.js';
import type { Item } from '../../values/types.js';

/** Throws `error()` when a key is seen twice. */
export class DuplicateGuard {
  private readonly seen = new Set<string>();

  constructor(private readonly error: () => Error) {}

  /** Returns the item's address, built on the way, for the caller to pass on with its write. */
  add(table: Table, key: Item): Buffer {
    const address = itemAddress(table, key);
    const id = address.toString('latin1');
    if (this.seen.has(id)) throw this.error();
    this.seen.add(id);
    return address;
  }
}
