/** SigV4 signing keys: derived by four chained HMACs, so cached per (secret, date, region, service). */
import { createHmac, createSecretKey, type KeyObject } from 'node:crypto';

const MAX_CACHED_KEYS = 1024;
const cache = new Map<string, KeyObject>();

/** The key as a KeyObject: HMAC with a prepared key object costs a third less than with raw bytes. */
export function signingKey(secret: string, date: string, region: string, service: string): KeyObject {
  const cacheKey = `${date}\n${region}\n${service}\n${secret}`;
  let key = cache.get(cacheKey);
  if (key === undefined) {
    const kDate = hmac(`AWS4${secret}`, date);
    key = createSecretKey(hmac(hmac(hmac(kDate, region), service), 'aws4_request'));
    // Keys change daily; a bounded map drops the oldest first.
    if (cache.size >= MAX_CACHED_KEYS) cache.delete(cache.keys().next().value!);
    cache.set(cacheKey, key);
  }
  return key;
}

function hmac(key: string | Buffer | KeyObject, data: string): Buffer {
  return createHmac('sha256', key).update(data, 'utf8').digest();
}

export function hmacHex(key: KeyObject, data: string): string {
  return createHmac('sha256', key).update(data, 'utf8').digest('hex');
}
