/**
 * Whole-database reset, snapshot and restore for test suites, on the storage engine's
 * own copy facility (see CopyableStore). Meant for between tests: a request still in
 * flight when the contents are swapped may finish against the old catalog.
 */
import { randomUUID } from 'node:crypto';
import { isCopyable, type CopyableStore } from '../storage/kv.js';
import type { Database } from './database.js';

/** A snapshot id nobody took (or one the store no longer holds). */
export class UnknownSnapshotError extends Error {
  constructor(id: string) {
    super(`no snapshot with id ${JSON.stringify(id)}`);
  }
}

/** The storage engine has no whole-store copies (PostgreSQL), or several processes share it. */
export class CopiesUnavailableError extends Error {}

export class DatabaseCopies {
  constructor(private readonly db: Database) {}

  /** Drops every table, item, stream and backup. */
  async reset(): Promise<void> {
    const store = this.copyable();
    await store.clearAll();
    await this.db.reloadCatalog();
  }

  /** Saves the whole database; resolves with the id `restore` takes. */
  async snapshot(): Promise<string> {
    const id = randomUUID();
    await this.copyable().saveCopy(id);
    return id;
  }

  /** Puts the whole database back as the snapshot saved it; the snapshot stays usable. */
  async restore(id: string): Promise<void> {
    const store = this.copyable();
    if (!(await store.restoreCopy(id))) throw new UnknownSnapshotError(id);
    await this.db.reloadCatalog();
  }

  private copyable(): CopyableStore {
    const store = this.db.store;
    if (!isCopyable(store)) throw new CopiesUnavailableError('this storage engine cannot reset, snapshot or restore the whole database');
    if (this.db.options.shared === true) throw new CopiesUnavailableError('reset, snapshot and restore are not available while several processes share the store');
    return store;
  }
}
