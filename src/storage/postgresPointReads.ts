/**
 * The first point reads of the snapshots that start in one turn of the event loop (sent
 * in its check phase, when the requests its I/O brought in have all asked) go to
 * PostgreSQL as one statement: N concurrent GetItems cost one round trip, one pooled
 * connection and one wake-up of a backend instead of N. The statement is sent after every
 * one of those requests arrived, so it sees each write acknowledged before any of them,
 * as a statement of its own would (the same argument as the catalog read shared per turn,
 * engine/catalogCache.ts).
 */
import { keyString } from './btreeRange.js';

/** Runs the combined read: the values of those of `keys` that exist, by latin1 key string. */
export type ReadKeys = (keys: Buffer[]) => Promise<{ key: Buffer; value: Buffer }[]>;

interface Waiting {
  resolve: (found: Map<string, Buffer>) => void;
  reject: (error: unknown) => void;
}

export class PointReadBatch {
  private keys = new Set<string>();
  private waiting: Waiting[] = [];

  constructor(private readonly read: ReadKeys) {}

  /** The values found for `keys` (latin1 key strings), from the turn's combined statement. */
  get(keys: readonly string[]): Promise<Map<string, Buffer>> {
    // Sent once every snapshot started in this turn of the event loop has asked: at the
    // turn's check phase, after the I/O callbacks that brought its requests in.
    if (this.waiting.length === 0) setImmediate(() => this.send());
    for (const key of keys) this.keys.add(key);
    return new Promise((resolve, reject) => this.waiting.push({ resolve, reject }));
  }

  private send(): void {
    const keys = [...this.keys].map((key) => Buffer.from(key, 'latin1'));
    const waiting = this.waiting;
    this.keys = new Set();
    this.waiting = [];
    this.read(keys).then(
      (rows) => {
        const found = new Map(rows.map((row) => [keyString(row.key), row.value]));
        for (const w of waiting) w.resolve(found);
      },
      (error) => {
        for (const w of waiting) w.reject(error);
      },
    );
  }
}
