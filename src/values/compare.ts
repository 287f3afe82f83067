/**
 * Ordering and equality of (validated, canonical) AttributeValues, as DynamoDB
 * defines them: S by UTF-8 bytes, B by unsigned bytes, N numerically.
 */

import { compareBase64 } from './base64.js';
import { compareNumbers } from './numbers.js';
import type { AttributeValue } from './types.js';

type Loose = Partial<Record<string, unknown>>;

/**
 * Order of two strings by their UTF-8 bytes, without encoding them. UTF-16 code
 * unit order agrees with UTF-8 except that surrogates (D800–DFFF, i.e. code points
 * above FFFF) must sort after E000–FFFF; shifting both ranges fixes that.
 */
export function compareUtf8(a: string, b: string): number {
  if (a === b) return 0;
  const common = a.length < b.length ? a.length : b.length;
  for (let i = 0; i < common; i++) {
    let x = a.charCodeAt(i);
    let y = b.charCodeAt(i);
    if (x !== y) {
      if (x >= 0xd800 && y >= 0xd800) {
        x = x >= 0xe000 ? x - 0x800 : x + 0x2000;
        y = y >= 0xe000 ? y - 0x800 : y + 0x2000;
      }
      return x < y ? -1 : 1;
    }
  }
  return a.length === b.length ? 0 : a.length < b.length ? -1 : 1;
}

/** Order of two scalars of the same type (S, N or B); undefined otherwise. */
export function compareScalars(a: AttributeValue, b: AttributeValue): number | undefined {
  const x = a as Loose;
  const y = b as Loose;
  if (x.S !== undefined) return y.S !== undefined ? compareUtf8(x.S as string, y.S as string) : undefined;
  if (x.N !== undefined) return y.N !== undefined ? compareNumbers(x.N as string, y.N as string) : undefined;
  if (x.B !== undefined) return y.B !== undefined ? compareBase64(x.B as string, y.B as string) : undefined;
  return undefined;
}

/**
 * Deep equality. Numbers and binary are canonical, so string equality is value
 * equality; sets are equal when they hold the same members in any order.
 */
export function valuesEqual(a: AttributeValue, b: AttributeValue): boolean {
  const x = a as Loose;
  const y = b as Loose;
  if (x.S !== undefined) return x.S === y.S;
  if (x.N !== undefined) return x.N === y.N;
  if (x.B !== undefined) return x.B === y.B;
  if (x.BOOL !== undefined) return x.BOOL === y.BOOL;
  if (x.NULL !== undefined) return y.NULL !== undefined;
  if (x.SS !== undefined) return y.SS !== undefined && sameMembers(x.SS as string[], y.SS as string[]);
  if (x.NS !== undefined) return y.NS !== undefined && sameMembers(x.NS as string[], y.NS as string[]);
  if (x.BS !== undefined) return y.BS !== undefined && sameMembers(x.BS as string[], y.BS as string[]);
  if (x.L !== undefined) {
    if (y.L === undefined) return false;
    const p = x.L as AttributeValue[];
    const q = y.L as AttributeValue[];
    if (p.length !== q.length) return false;
    for (let i = 0; i < p.length; i++) if (!valuesEqual(p[i], q[i])) return false;
    return true;
  }
  if (x.M !== undefined) return y.M !== undefined && mapsEqual(x.M as Record<string, AttributeValue>, y.M as Record<string, AttributeValue>);
  return false;
}

function mapsEqual(p: Record<string, AttributeValue>, q: Record<string, AttributeValue>): boolean {
  let count = 0;
  for (const name in p) {
    count++;
    if (!Object.hasOwn(q, name) || !valuesEqual(p[name], q[name])) return false;
  }
  for (const _ in q) count--;
  return count === 0;
}

/** Sets never hold duplicates, so equal size + inclusion means equal sets. */
function sameMembers(p: string[], q: string[]): boolean {
  if (p.length !== q.length) return false;
  if (p.length <= 16) {
    for (let i = 0; i < p.length; i++) if (!q.includes(p[i])) return false;
    return true;
  }
  const members = new Set(q);
  for (let i = 0; i < p.length; i++) if (!members.has(p[i])) return false;
  return true;
}
