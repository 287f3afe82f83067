/**
 * Bytes held as latin1 strings: one char per byte, so the round trip is exact for any
 * bytes, and V8 stores such a string as its bytes behind a 16-byte header, in its own
 * heap, compacted by the garbage collector. The in-memory store keeps values this way.
 */
import { keyBuffer, type TreeEntry } from './btreeRange.js';
import type { KVEntry } from './kv.js';

export const packBytes = (bytes: Buffer): string => bytes.toString('latin1');

/**
 * Unpacked values are written one after another into arenas of this size, never reused:
 * a new arena is allocated when one is full and the old one is freed once no value
 * handed out still points into it. One large allocation for dozens of values costs far
 * less than Buffer.from's per-value share of its 8 KiB pool (a profile of Scan showed it).
 */
const ARENA_BYTES = 64 * 1024;
/** Larger values get a Buffer of their own, so an arena is never mostly one value. */
const LARGEST_IN_ARENA = 8 * 1024;

/**
 * Buffer's own latin1 writer, which `write(..., 'latin1')` dispatches to after checking its
 * arguments: called directly, a tenth of a Query-100's values cost less. Not in Node's
 * typings; `write` where a runtime lacks it.
 */
const latin1Write: (this: Buffer, text: string, offset: number, length: number) => number =
  (Buffer.prototype as unknown as { latin1Write?: typeof latin1Write }).latin1Write ??
  function (this: Buffer, text: string, offset: number, length: number) {
    return this.write(text, offset, length, 'latin1');
  };

let arena = Buffer.allocUnsafeSlow(ARENA_BYTES);
let arenaUsed = 0;

/** The bytes as a Buffer of their own: callers may keep it; no other caller gets the same bytes. */
export function unpackBytes(packed: string): Buffer {
  const length = packed.length;
  if (length > LARGEST_IN_ARENA) return Buffer.from(packed, 'latin1');
  if (arenaUsed + length > ARENA_BYTES) {
    arena = Buffer.allocUnsafeSlow(ARENA_BYTES);
    arenaUsed = 0;
  }
  const start = arenaUsed;
  latin1Write.call(arena, packed, start, length);
  // 8-byte aligned, as Node.js aligns its own pool.
  arenaUsed = (start + length + 7) & ~7;
  return arena.subarray(start, start + length);
}

/** Entries with packed keys and values, as KV entries. */
export function* packedEntries(entries: Iterable<TreeEntry<string>>): Generator<KVEntry> {
  for (const { key, value } of entries) yield new PackedKVEntry(key, value);
}

/** Unpacks key and value only when asked: Query and Scan read values alone. */
class PackedKVEntry implements KVEntry {
  private keyBytes: Buffer | undefined;
  private valueBytes: Buffer | undefined;

  constructor(private readonly packedKey: string, readonly text: string) {}

  get key(): Buffer {
    return (this.keyBytes ??= keyBuffer(this.packedKey));
  }

  get value(): Buffer {
    return (this.valueBytes ??= unpackBytes(this.text));
  }
}
