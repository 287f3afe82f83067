/** SigV4 signing keys: derived by four chained HMACs, so cached per (secret, date, region, service). */
import { createHmac, hash } from 'node:crypto';

const MAX_CACHED_KEYS = 1024;
const cache = new Map<string, SigningKey>();
const BLOCK = 64;
const DIGEST = 32;

export function signingKey(secret: string, date: string, region: string, service: string): SigningKey {
  const cacheKey = `${date}\n${region}\n${service}\n${secret}`;
  let key = cache.get(cacheKey);
  if (key === undefined) {
    const kDate = hmac(`AWS4${secret}`, date);
    key = new SigningKey(hmac(hmac(hmac(kDate, region), service), 'aws4_request'));
    // Keys change daily; a bounded map drops the oldest first.
    if (cache.size >= MAX_CACHED_KEYS) cache.delete(cache.keys().next().value!);
    cache.set(cacheKey, key);
  }
  return key;
}

function hmac(key: string | Buffer, data: string): Buffer {
  return createHmac('sha256', key).update(data, 'utf8').digest();
}

/**
 * A signing key kept as HMAC's two padded blocks (RFC 2104), so a signature is two
 * one-shot SHA-256 digests written into reused buffers: about half the cost of
 * `createHmac`, whose setup per call costs more than the hashing. (The one-shot digest
 * is returned as text: asking it for a Buffer costs four times as much.)
 */
export class SigningKey {
  /** K ^ ipad, then room for the message. */
  private inner = Buffer.alloc(BLOCK + 256);
  /** K ^ opad, then the inner digest. */
  private readonly outer = Buffer.alloc(BLOCK + DIGEST);

  constructor(private readonly key: Buffer) {
    for (let i = 0; i < BLOCK; i++) {
      const k = i < key.length ? key[i]! : 0;
      this.inner[i] = k ^ 0x36;
      this.outer[i] = k ^ 0x5c;
    }
  }

  /**
   * HMAC-SHA256 of an ASCII text (SigV4's string to sign), as lower-case hex. The caller
   * vouches for ASCII: the text is written as latin1, which would change anything else.
   */
  hmacHexOfAscii(text: string): string {
    if (BLOCK + text.length > this.inner.length) this.grow(BLOCK + text.length);
    const length = BLOCK + this.inner.write(text, BLOCK, 'latin1');
    this.outer.write(hash('sha256', this.inner.subarray(0, length), 'binary'), BLOCK, 'latin1');
    return hash('sha256', this.outer, 'hex');
  }

  private grow(size: number): void {
    const inner = Buffer.alloc(size * 2);
    this.inner.copy(inner, 0, 0, BLOCK);
    this.inner = inner;
  }
}
