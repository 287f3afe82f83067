/**
 * A storage adapter for tests: the memory store, with faults a networked engine has.
 * - Conflicts: a chosen share (or a chosen number) of transactions run to the end and
 *   then fail with StorageConflict, writing nothing — as a serializable engine aborts
 *   at commit. The callback has run, so any effect it had outside the transaction shows.
 * - Replays: every transaction callback first runs once against a throw-away view, as an
 *   adapter that fetches what it read and runs the callback again would.
 * - Write failures: puts of matching keys throw (a broken disk, a bug), a set number of times.
 */
import { MemoryStore } from '../src/storage/memory.js';
import { StorageConflict, type KVEntry, type LocalKVStore, type RangeOptions, type ReadOps, type WriteOps } from '../src/storage/kv.js';
import { seededRandom } from './seededRandom.js';

export interface FaultOptions {
  /** Share of transactions that end in a conflict (0..1). */
  conflictRate?: number;
  /** Run every transaction callback twice, the first time discarding what it wrote. */
  replay?: boolean;
  seed?: number;
}

export class FaultInjectingStore implements LocalKVStore {
  readonly inner = new MemoryStore();
  readonly maxKeyBytes = this.inner.maxKeyBytes;
  /** Transaction callbacks run, replays and retries included. */
  runs = 0;
  conflicts = 0;
  private conflictsOwed = 0;
  private writeFaults: { matches: (key: Buffer) => boolean; left: number; error: () => Error }[] = [];
  private readonly random: () => number;

  constructor(private readonly options: FaultOptions = {}) {
    this.random = seededRandom(options.seed ?? 1);
  }

  /** The next `count` transactions end in a conflict. */
  injectConflicts(count: number): void {
    this.conflictsOwed += count;
  }

  /** The next `times` puts of a key `matches` accepts throw `error()`. */
  failWrites(matches: (key: Buffer) => boolean, times: number, error: () => Error): void {
    this.writeFaults.push({ matches, left: times, error });
  }

  get(key: Buffer): Buffer | undefined {
    return this.inner.get(key);
  }

  range(options: RangeOptions): Iterable<KVEntry> {
    return this.inner.range(options);
  }

  snapshot<T>(fn: (txn: ReadOps) => T): T {
    return this.inner.snapshot(fn);
  }

  transact<T>(fn: (txn: WriteOps) => T): Promise<T> {
    if (this.options.replay === true) {
      // A dry run whose writes are dropped: a callback must not depend on running once.
      const dropped = new Error('replay');
      void this.inner.transact((txn) => {
        this.runs++;
        fn(txn);
        throw dropped;
      }).catch((error: unknown) => {
        if (error !== dropped) return; // the callback's own error surfaces from the real run
      });
    }
    return this.inner.transact((txn) => {
      this.runs++;
      const result = fn(this.faulty(txn));
      if (this.conflictsOwed > 0 || this.random() < (this.options.conflictRate ?? 0)) {
        if (this.conflictsOwed > 0) this.conflictsOwed--;
        this.conflicts++;
        throw new StorageConflict();
      }
      return result;
    });
  }

  close(): Promise<void> {
    return this.inner.close();
  }

  private faulty(txn: WriteOps): WriteOps {
    if (this.writeFaults.length === 0) return txn;
    return {
      get: (key) => txn.get(key),
      range: (options) => txn.range(options),
      delete: (key) => txn.delete(key),
      putIfAbsent: (key, value) => txn.putIfAbsent(key, value),
      put: (key, value) => {
        const fault = this.writeFaults.find((f) => f.left > 0 && f.matches(key));
        if (fault !== undefined) {
          fault.left--;
          throw fault.error();
        }
        txn.put(key, value);
      },
    };
  }
}
