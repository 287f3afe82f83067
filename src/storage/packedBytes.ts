/**
 * Bytes held as latin1 strings: one char per byte, so the round trip is exact for any
 * bytes, and V8 stores such a string as its bytes behind a 16-byte header, in its own
 * heap, compacted by the garbage collector. The in-memory store keeps values this way.
 */
import { keyBuffer, type TreeEntry } from './btreeRange.js';
import type { KVEntry } from './kv.js';

export const packBytes = (bytes: Buffer): string => bytes.toString('latin1');

/** A fresh Buffer each call: callers own what they get (a packed string never changes). */
export const unpackBytes = (packed: string): Buffer => Buffer.from(packed, 'latin1');

/** Entries with packed keys and values, as KV entries. */
export function* packedEntries(entries: Iterable<TreeEntry<string>>): Generator<KVEntry> {
  for (const { key, value } of entries) yield new PackedKVEntry(key, value);
}

/** Unpacks key and value only when asked: Query and Scan read values alone. */
class PackedKVEntry implements KVEntry {
  private keyBytes: Buffer | undefined;
  private valueBytes: Buffer | undefined;

  constructor(private readonly packedKey: string, private readonly packedValue: string) {}

  get key(): Buffer {
    return (this.keyBytes ??= keyBuffer(this.packedKey));
  }

  get value(): Buffer {
    return (this.valueBytes ??= unpackBytes(this.packedValue));
  }
}
