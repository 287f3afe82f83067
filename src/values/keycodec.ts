/**
 * Order-preserving, self-delimiting byte encoding of key values: comparing two
 * encodings as unsigned bytes gives DynamoDB's order of the values, and an encoding
 * followed by anything still sorts correctly (so partition key + sort key can be
 * concatenated into one storage key).
 *
 * S and B: the UTF-8 / raw bytes with 0x00 escaped as 00 FF, terminated by 00 01.
 *   The terminator sorts below every byte and below the escape, so a prefix sorts
 *   first whatever follows it.
 * N: one sign byte (01 negative, 02 zero, 03 positive); then, for non-zero numbers,
 *   the exponent of the leading digit (+130, one byte), the significant digits two
 *   per byte (pair value + 1, so 1..100), and terminator 00. Negative numbers invert
 *   exponent and digit bytes and end in FF, so larger magnitudes sort first.
 */

import { base64ByteLength } from './base64.js';
import { formatPlain, MIN_NUMBER_EXPONENT } from './numbers.js';
import { utf8Length } from './size.js';
import type { ScalarKeyType } from './types.js';

export type KeyValue = { S: string } | { N: string } | { B: string };

const NEGATIVE = 0x01;
const ZERO = 0x02;
const POSITIVE = 0x03;
const MINUS = 45;
const DOT = 46;
const DIGIT_ZERO = 48;

/** Encodes a validated S, N (canonical) or B (canonical base64) key value. */
export function encodeKeyValue(value: KeyValue): Buffer {
  const v = value as Partial<Record<ScalarKeyType, string>>;
  if (v.S !== undefined) return encodeString(v.S);
  if (v.N !== undefined) return encodeNumber(v.N);
  if (v.B !== undefined) return encodeBinary(v.B);
  throw new Error('not a key value');
}

function encodeString(s: string): Buffer {
  if (s.indexOf('\0') >= 0) return escapeBytes(Buffer.from(s, 'utf8'));
  const length = utf8Length(s);
  const out = Buffer.allocUnsafe(length + 2);
  out.write(s, 0, length, 'utf8');
  out[length] = 0x00;
  out[length + 1] = 0x01;
  return out;
}

function encodeBinary(base64: string): Buffer {
  const length = base64ByteLength(base64);
  const out = Buffer.allocUnsafe(length + 2);
  out.write(base64, 0, length, 'base64');
  const firstZero = out.indexOf(0);
  if (firstZero >= 0 && firstZero < length) return escapeBytes(out.subarray(0, length));
  out[length] = 0x00;
  out[length + 1] = 0x01;
  return out;
}

function escapeBytes(raw: Buffer): Buffer {
  let zeros = 0;
  for (let i = 0; i < raw.length; i++) if (raw[i] === 0) zeros++;
  const out = Buffer.allocUnsafe(raw.length + zeros + 2);
  let o = 0;
  for (let i = 0; i < raw.length; i++) {
    const byte = raw[i];
    out[o++] = byte;
    if (byte === 0) out[o++] = 0xff;
  }
  out[o] = 0x00;
  out[o + 1] = 0x01;
  return out;
}

function encodeNumber(n: string): Buffer {
  if (n === '0') return Buffer.from([ZERO]);
  const negative = n.charCodeAt(0) === MINUS;
  const length = n.length;
  let dot = n.indexOf('.');
  if (dot < 0) dot = length;
  let first = negative ? 1 : 0;
  while (n.charCodeAt(first) === DIGIT_ZERO || n.charCodeAt(first) === DOT) first++;
  let last = length - 1;
  while (n.charCodeAt(last) === DIGIT_ZERO) last--;
  const exponent = first < dot ? dot - first - 1 : dot - first;
  let digits = last - first + 1;
  if (first < dot && dot < last) digits--;

  const flip = negative ? 0xff : 0x00;
  const out = Buffer.allocUnsafe(3 + ((digits + 1) >> 1));
  out[0] = negative ? NEGATIVE : POSITIVE;
  out[1] = (exponent - MIN_NUMBER_EXPONENT) ^ flip;
  let o = 2;
  let high = -1;
  for (let i = first; i <= last; i++) {
    const c = n.charCodeAt(i);
    if (c === DOT) continue;
    if (high < 0) {
      high = c - DIGIT_ZERO;
    } else {
      out[o++] = (high * 10 + (c - DIGIT_ZERO) + 1) ^ flip;
      high = -1;
    }
  }
  if (high >= 0) out[o++] = (high * 10 + 1) ^ flip;
  out[o] = flip;
  return out;
}

/** Decodes the key value of `type` starting at `offset`; `next` is the offset after it. */
export function decodeKeyValue(buf: Buffer, offset: number, type: ScalarKeyType): { value: KeyValue; next: number } {
  if (type === 'N') return decodeNumber(buf, offset);
  const { bytes, next } = unescapeBytes(buf, offset);
  return { value: type === 'S' ? { S: bytes.toString('utf8') } : { B: bytes.toString('base64') }, next };
}

function corrupt(): Error {
  return new Error('corrupt encoded key value');
}

function unescapeBytes(buf: Buffer, offset: number): { bytes: Buffer; next: number } {
  let zero = buf.indexOf(0, offset);
  if (zero < 0 || zero + 1 >= buf.length) throw corrupt();
  if (buf[zero + 1] === 0x01) return { bytes: buf.subarray(offset, zero), next: zero + 2 };
  // Escaped zeros: rebuild. The output is never longer than the encoded run.
  const out = Buffer.allocUnsafe(buf.length - offset);
  let o = 0;
  let start = offset;
  for (;;) {
    if (zero < 0 || zero + 1 >= buf.length) throw corrupt();
    o += buf.copy(out, o, start, zero);
    if (buf[zero + 1] === 0x01) return { bytes: out.subarray(0, o), next: zero + 2 };
    if (buf[zero + 1] !== 0xff) throw corrupt();
    out[o++] = 0;
    start = zero + 2;
    zero = buf.indexOf(0, start);
  }
}

function decodeNumber(buf: Buffer, offset: number): { value: KeyValue; next: number } {
  const sign = buf[offset];
  if (sign === ZERO) return { value: { N: '0' }, next: offset + 1 };
  if (sign !== NEGATIVE && sign !== POSITIVE) throw corrupt();
  const flip = sign === NEGATIVE ? 0xff : 0x00;
  const exponent = (buf[offset + 1] ^ flip) + MIN_NUMBER_EXPONENT;
  let digits = '';
  let i = offset + 2;
  for (; i < buf.length && buf[i] !== flip; i++) {
    const pair = (buf[i] ^ flip) - 1;
    digits += pair < 10 ? '0' + pair : String(pair);
  }
  if (i >= buf.length) throw corrupt();
  // An odd digit count was padded with one zero.
  if (digits.charCodeAt(digits.length - 1) === DIGIT_ZERO) digits = digits.slice(0, -1);
  return { value: { N: formatPlain(flip !== 0, digits, exponent) }, next: i + 1 };
}

/**
 * Spreads partition keys over the uint32 space: FNV-1a over the encoded key, then
 * murmur3's finaliser so that short, similar keys still differ in the high bits.
 */
export function partitionHash(encodedPartitionKey: Buffer): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < encodedPartitionKey.length; i++) {
    h ^= encodedPartitionKey[i];
    h = Math.imul(h, 0x01000193);
  }
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/**
 * The smallest key greater than every key that starts with `prefix` (an exclusive
 * upper bound for a range scan), or undefined when no such key exists (the prefix
 * is all FF bytes): then the scan is unbounded above.
 */
export function prefixEnd(prefix: Buffer): Buffer | undefined {
  let i = prefix.length - 1;
  while (i >= 0 && prefix[i] === 0xff) i--;
  if (i < 0) return undefined;
  const end = Buffer.from(prefix.subarray(0, i + 1));
  end[i]++;
  return end;
}
