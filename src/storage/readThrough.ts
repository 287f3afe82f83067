/**
 * Read-through replay, the way a networked adapter runs the synchronous callbacks of
 * `transact` / `snapshot` (see kv.ts): `fn` runs against what this transaction has fetched
 * so far; where it reads a key or a stretch of a range not fetched yet, the read records
 * what is missing and throws `FetchNeeded`. The adapter fetches that inside the same
 * database transaction and runs `fn` again, until a run completes without a miss.
 *
 * The missing read is also kept on the cache, so a callback that catches every error
 * cannot swallow the signal: whatever `fn` did, a recorded miss means "fetch and rerun".
 *
 * A missed point read does not stop the run: it answers "absent" and the run goes on, so
 * the keys the run reads next are missed too and all come back in one round trip. That
 * run's result is thrown away (a miss is recorded); the next run sees the fetched values.
 */
import { asKVEntries, keyString, mergeRanges, newKeyTree, sortedPending, type TreeEntry } from './btreeRange.js';
import { checkKey, type KVEntry, type RangeOptions, type WriteOps } from './kv.js';

/**
 * What a run could not answer. Bounds are latin1 key strings (see btreeRange.ts);
 * `low` is inclusive ('' = the start of the key space), `high` exclusive (undefined = the end).
 */
export type MissingRead =
  | { kind: 'keys'; keys: string[] }
  | { kind: 'range'; low: string; high: string | undefined; reverse: boolean; limit: number };

/** Thrown by a read the cache cannot answer; the adapter catches it, never `fn`'s caller. */
export class FetchNeeded extends Error {
  constructor() {
    super('A storage read has to be fetched first');
    this.name = 'FetchNeeded';
  }
}

/** One instance: thrown on every miss, so a miss costs no stack trace. */
const FETCH_NEEDED = new FetchNeeded();

/** Speculative point misses one run may collect before it is stopped (bounds a run gone astray). */
const MAX_SPECULATIVE_KEYS = 256;

/** The first range fetch of a transaction asks for this many entries; later ones double it. */
const FIRST_CHUNK = 16;
const MAX_CHUNK = 4096;

/** A stretch [low, high) of the key space whose committed entries are all in the cache. */
interface Covered {
  low: string;
  high: string | undefined;
}

/** Committed data fetched by one database transaction, kept across the runs of `fn`. */
export class ReadThroughCache {
  private readonly points = new Map<string, Buffer | null>();
  private readonly entries = newKeyTree<Buffer>();
  /** Sorted by `low`, neither overlapping nor touching. */
  private covered: Covered[] = [];
  private rangeFetches = 0;
  private missing: MissingRead | undefined;

  /** Nothing fetched yet. */
  isEmpty(): boolean {
    return this.points.size === 0 && this.covered.length === 0;
  }

  /** The read the last run stopped at, cleared by the call. */
  takeMissing(): MissingRead | undefined {
    const missing = this.missing;
    this.missing = undefined;
    return missing;
  }

  /** The size of the next range fetch: growing, so long scans take few round trips. */
  nextChunk(limitHint: number | undefined): number {
    const growth = 2 ** this.rangeFetches;
    const chunk = Math.min(MAX_CHUNK, FIRST_CHUNK * growth);
    // A limited range asks for its limit first: more only if pending deletes hid some.
    return limitHint === undefined ? chunk : Math.max(1, Math.min(chunk, limitHint * growth));
  }

  addKey(key: string, value: Buffer | undefined): void {
    this.points.set(key, value ?? null);
  }

  /** Records the rows a range fetch returned (in its direction) and the stretch they cover. */
  addRange(read: Extract<MissingRead, { kind: 'range' }>, rows: readonly TreeEntry<Buffer>[]): void {
    this.rangeFetches++;
    for (const { key, value } of rows) this.entries.set(key, value);
    const complete = rows.length < read.limit;
    const last = rows[rows.length - 1]?.key;
    if (complete || last === undefined) this.cover(read.low, read.high);
    // Full chunk: known up to and including its last key (key + '\0' is that key's successor).
    else if (read.reverse) this.cover(last, read.high);
    else this.cover(read.low, last + '\0');
  }

  /** What the cache knows of a committed key without fetching: its value, null if absent, undefined if unknown. */
  known(text: string): Buffer | null | undefined {
    const point = this.points.get(text);
    if (point !== undefined) return point;
    return this.coveringForward(text) === undefined ? undefined : (this.entries.get(text) ?? null);
  }

  get(key: Buffer): Buffer | undefined {
    const text = keyString(key);
    const point = this.points.get(text);
    if (point !== undefined) return point ?? undefined;
    if (this.coveringForward(text) !== undefined) return this.entries.get(text);
    if (this.missing === undefined) this.missing = { kind: 'keys', keys: [text] };
    else if (this.missing.kind === 'keys' && !this.missing.keys.includes(text)) this.missing.keys.push(text);
    if (this.missing.kind !== 'keys' || this.missing.keys.length >= MAX_SPECULATIVE_KEYS) throw FETCH_NEEDED;
    return undefined;
  }

  /** Committed entries in [low, high), walking the requested way; unlimited. */
  *range(low: string, high: string | undefined, reverse: boolean, limitHint: number | undefined): Generator<TreeEntry<Buffer>> {
    if (high !== undefined && low >= high) return;
    if (reverse) {
      let cursor = high;
      while (cursor === undefined || cursor > low) {
        const stretch = this.coveringBackward(cursor);
        if (stretch === undefined) {
          throw this.miss({ kind: 'range', low, high: cursor, reverse, limit: this.nextChunk(limitHint) });
        }
        const start = stretch.low > low ? stretch.low : low;
        for (const [key, value] of this.entries.entriesReversed(cursor, undefined, true)) {
          if (key < start) break;
          if (cursor !== undefined && key >= cursor) continue;
          yield { key, value };
        }
        cursor = start;
      }
    } else {
      let cursor = low;
      while (high === undefined || cursor < high) {
        const stretch = this.coveringForward(cursor);
        if (stretch === undefined) {
          throw this.miss({ kind: 'range', low: cursor, high, reverse, limit: this.nextChunk(limitHint) });
        }
        const end = stretch.high === undefined || (high !== undefined && high < stretch.high) ? high : stretch.high;
        for (const [key, value] of this.entries.entries(cursor)) {
          if (end !== undefined && key >= end) break;
          yield { key, value };
        }
        if (end === undefined) return;
        cursor = end;
      }
    }
  }

  /** A range miss stops the run; it is fetched after the point misses before it, if any. */
  private miss(read: MissingRead): FetchNeeded {
    this.missing ??= read;
    return FETCH_NEEDED;
  }

  /** The covered stretch holding `key`. */
  private coveringForward(key: string): Covered | undefined {
    return this.covered.find((c) => c.low <= key && (c.high === undefined || key < c.high));
  }

  /** The covered stretch holding the keys just below `high` (undefined: the end of the key space). */
  private coveringBackward(high: string | undefined): Covered | undefined {
    if (high === undefined) return this.covered.find((c) => c.high === undefined);
    return this.covered.find((c) => c.low < high && (c.high === undefined || high <= c.high));
  }

  private cover(low: string, high: string | undefined): void {
    let merged: Covered = { low, high };
    const kept: Covered[] = [];
    for (const c of this.covered) {
      const apart = (merged.high !== undefined && c.low > merged.high) || (c.high !== undefined && c.high < merged.low);
      if (apart) {
        kept.push(c);
        continue;
      }
      merged = {
        low: c.low < merged.low ? c.low : merged.low,
        high: c.high === undefined || merged.high === undefined ? undefined : c.high > merged.high ? c.high : merged.high,
      };
    }
    kept.push(merged);
    this.covered = kept.sort((a, b) => (a.low < b.low ? -1 : a.low > b.low ? 1 : 0));
  }
}

/**
 * One run of `fn`: reads through the cache, writes kept aside until the adapter commits.
 * `beneath` holds the writes of the transactions run before this one in the same database
 * transaction (a write group, postgres.ts): read as if committed, left unchanged.
 */
export class ReplayTransaction implements WriteOps {
  private active = true;
  /** Writes of this run (`null` = deleted). */
  readonly pending = new Map<string, Buffer | null>();
  /**
   * `putIfAbsent`s of keys this run has not read: decided at commit (by the database),
   * below any later write of the same key in the group.
   */
  readonly ifAbsent = new Map<string, Buffer>();

  constructor(
    private readonly cache: ReadThroughCache,
    private readonly maxKeyBytes: number,
    private readonly writable: boolean,
    private readonly beneath: ReadonlyMap<string, Buffer | null> = NOTHING_BENEATH,
    private readonly beneathIfAbsent: ReadonlyMap<string, Buffer> = NOTHING_IF_ABSENT,
  ) {}

  finish(): void {
    this.active = false;
  }

  get(key: Buffer): Buffer | undefined {
    this.assertActive();
    const text = keyString(key);
    const written = this.written(text);
    if (written !== undefined) return written ?? undefined;
    const committed = this.cache.get(key);
    return committed !== undefined || !this.putsIfAbsent() ? committed : this.ifAbsentValue(text);
  }

  range(options: RangeOptions): Iterable<KVEntry> {
    this.assertActive();
    const limit = options.limit ?? Infinity;
    if (limit <= 0) return [];
    const low = options.gte === undefined ? '' : keyString(options.gte);
    const high = options.lt === undefined ? undefined : keyString(options.lt);
    const reverse = options.reverse === true;
    const committed = this.cache.range(low, high, reverse, options.limit);
    const written = this.beneath.size === 0 && !this.putsIfAbsent() ? this.pending : this.allWrites(low, high);
    // Without writes to merge, stop at the limit: the merge reads one entry ahead, a fetch too many.
    if (written.size === 0) return asKVEntries(take(committed, limit));
    const writes = sortedPending(written, { gte: options.gte, lt: options.lt, reverse });
    return asKVEntries(mergeRanges(committed, writes, reverse, limit));
  }

  put(key: Buffer, value: Buffer): void {
    this.assertWritable();
    checkKey(key, this.maxKeyBytes);
    this.pending.set(keyString(key), Buffer.from(value));
  }

  delete(key: Buffer): void {
    this.assertWritable();
    checkKey(key, this.maxKeyBytes);
    this.pending.set(keyString(key), null);
  }

  putIfAbsent(key: Buffer, value: Buffer): void {
    this.assertWritable();
    checkKey(key, this.maxKeyBytes);
    const text = keyString(key);
    const written = this.written(text);
    if (written !== undefined) {
      if (written === null) this.pending.set(text, Buffer.from(value));
      return;
    }
    if (this.ifAbsentValue(text) !== undefined) return;
    // Known already (read before): decided here. Otherwise by the database, unread.
    const known = this.cache.known(text);
    if (known === null) this.pending.set(text, Buffer.from(value));
    else if (known === undefined) this.ifAbsent.set(text, Buffer.from(value));
  }

  /** This run's or an earlier member's write of a key: its value, null if deleted, undefined if none. */
  private written(text: string): Buffer | null | undefined {
    // Not `??`: null (deleted here) must hide what lies beneath.
    const own = this.pending.get(text);
    return own !== undefined ? own : this.beneath.get(text);
  }

  private putsIfAbsent(): boolean {
    return this.ifAbsent.size > 0 || this.beneathIfAbsent.size > 0;
  }

  private ifAbsentValue(text: string): Buffer | undefined {
    return this.ifAbsent.get(text) ?? this.beneathIfAbsent.get(text);
  }

  /** The writes a range in [low, high) merges: the group's, and each undecided `putIfAbsent` of a key found absent. */
  private allWrites(low: string, high: string | undefined): Map<string, Buffer | null> {
    const writes = new Map([...this.beneath, ...this.pending]);
    for (const [text, value] of [...this.beneathIfAbsent, ...this.ifAbsent]) {
      if (text < low || (high !== undefined && text >= high) || writes.has(text)) continue;
      // A point read of the key (fetched, if need be, before the run goes on).
      if (this.cache.get(Buffer.from(text, 'latin1')) === undefined) writes.set(text, value);
    }
    return writes;
  }

  private assertWritable(): void {
    this.assertActive();
    if (!this.writable) throw new Error('A snapshot is read-only');
  }

  private assertActive(): void {
    if (!this.active) throw new Error('The transaction has already finished');
  }
}

const NOTHING_BENEATH: ReadonlyMap<string, Buffer | null> = new Map();
const NOTHING_IF_ABSENT: ReadonlyMap<string, Buffer> = new Map();

function* take<T>(entries: Iterable<T>, limit: number): Generator<T> {
  if (limit <= 0) return;
  let count = 0;
  for (const entry of entries) {
    yield entry;
    if (++count >= limit) return;
  }
}
