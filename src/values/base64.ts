/**
 * Base64 as binary values travel on the wire. Stored binary stays base64 text in its
 * canonical encoding (unused padding bits zero), so equal bytes mean equal strings and
 * sizes and byte order can be read off the text without decoding.
 */

import { serializationError } from '../errors.js';

const PAD = 61; // '='

/** 6-bit value of each base64 alphabet character, -1 for anything else. */
const SEXTET = new Int8Array(128).fill(-1);
{
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
  for (let i = 0; i < 64; i++) SEXTET[alphabet.charCodeAt(i)] = i;
}

function sextet(code: number): number {
  return code < 128 ? SEXTET[code] : -1;
}

/** Why `s` is not valid padded base64, or undefined when it is. */
export function base64Problem(s: string): string | undefined {
  const n = s.length;
  if (n % 4 !== 0) return 'Base64 encoded length is expected a multiple of 4 bytes but found: ' + n;
  if (n === 0) return undefined;
  let pads = 0;
  if (s.charCodeAt(n - 1) === PAD) pads = s.charCodeAt(n - 2) === PAD ? 2 : 1;
  for (let i = 0; i < n - pads; i++) {
    if (sextet(s.charCodeAt(i)) < 0) return 'Invalid Base64 character found in binary value';
  }
  return undefined;
}

/** Validated, canonical base64: `s` itself unless its padding bits were non-zero. */
export function canonicalBase64(s: string): string {
  const problem = base64Problem(s);
  if (problem !== undefined) throw serializationError(problem);
  const n = s.length;
  if (n === 0 || s.charCodeAt(n - 1) !== PAD) return s;
  const twoPads = s.charCodeAt(n - 2) === PAD;
  const lastData = sextet(s.charCodeAt(twoPads ? n - 3 : n - 2));
  const unusedBits = twoPads ? lastData & 0x0f : lastData & 0x03;
  return unusedBits === 0 ? s : Buffer.from(s, 'base64').toString('base64');
}

/** Decoded length of valid padded base64. */
export function base64ByteLength(s: string): number {
  const n = s.length;
  if (n === 0) return 0;
  let pads = 0;
  if (s.charCodeAt(n - 1) === PAD) pads = s.charCodeAt(n - 2) === PAD ? 2 : 1;
  return (n >> 2) * 3 - pads;
}

/**
 * Unsigned byte order of two canonical base64 values, without decoding: base64 is
 * big-endian in 6-bit groups, so comparing the groups in turn (end/padding lowest)
 * orders exactly like the bytes.
 */
export function compareBase64(a: string, b: string): number {
  if (a === b) return 0;
  const common = a.length < b.length ? a.length : b.length;
  for (let i = 0; i < common; i++) {
    const x = a.charCodeAt(i);
    const y = b.charCodeAt(i);
    if (x !== y) {
      const xv = x === PAD ? -1 : sextet(x);
      const yv = y === PAD ? -1 : sextet(y);
      return xv < yv ? -1 : 1;
    }
  }
  return a.length === b.length ? 0 : a.length < b.length ? -1 : 1;
}
