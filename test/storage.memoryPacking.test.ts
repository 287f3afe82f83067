/**
 * The in-memory store keeps bytes packed (src/storage/packedBytes.ts) and hands out
 * unpacked copies from shared arenas: what callers get must be exact, their own, and
 * unaffected by later writes or by other callers' buffers.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { MemoryStore } from '../src/storage/memory.js';
import { packBytes, unpackBytes } from '../src/storage/packedBytes.js';

const key = (n: number): Buffer => Buffer.from(`k${String(n).padStart(6, '0')}`);

/** Every byte value, then a pattern that differs per n. */
function valueOf(n: number, length: number): Buffer {
  const value = Buffer.alloc(length);
  for (let i = 0; i < length; i++) value[i] = (i + n * 7) & 0xff;
  return value;
}

describe('in-memory store: packed bytes', () => {
  it('round-trips every byte value, the empty value and values larger than an arena slot', () => {
    const all = Buffer.from(Array.from({ length: 256 }, (_, i) => i));
    for (const bytes of [all, Buffer.alloc(0), valueOf(1, 9000), valueOf(2, 70 * 1024)]) {
      assert.deepEqual(unpackBytes(packBytes(bytes)), bytes);
    }
  });

  it('gives each caller bytes of its own, across many arenas', () => {
    const handedOut = Array.from({ length: 500 }, (_, n) => unpackBytes(packBytes(valueOf(n, 1000 + n))));
    for (const buffer of handedOut) buffer.fill(0xee);
    const again = Array.from({ length: 500 }, (_, n) => unpackBytes(packBytes(valueOf(n, 1000 + n))));
    again.forEach((buffer, n) => assert.deepEqual(buffer, valueOf(n, 1000 + n)));
  });

  it('keeps what was put when the caller changes its buffer or the buffers it read', async () => {
    const store = new MemoryStore();
    const written = valueOf(3, 1200);
    await store.transact((txn) => txn.put(key(1), written));
    written.fill(0);
    store.get(key(1))!.fill(0);
    for (const entry of store.range({})) entry.value.fill(0);
    assert.deepEqual(store.get(key(1)), valueOf(3, 1200));
  });

  it('reads back 20,000 values of mixed sizes exactly, point and range', async () => {
    const store = new MemoryStore();
    const sizeOf = (n: number) => (n % 5 === 0 ? 9000 : 20 + (n % 1500));
    for (let n = 0; n < 20_000; n += 100) {
      await store.transact((txn) => {
        for (let i = n; i < n + 100; i++) txn.put(key(i), valueOf(i, sizeOf(i)));
      });
    }
    let n = 0;
    for (const entry of store.range({})) {
      assert.deepEqual(entry.key, key(n));
      assert.deepEqual(entry.value, valueOf(n, sizeOf(n)));
      n++;
    }
    assert.equal(n, 20_000);
    for (let i = 0; i < 20_000; i += 997) assert.deepEqual(store.get(key(i)), valueOf(i, sizeOf(i)));
  });
});
