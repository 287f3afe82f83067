/**
 * DynamoDB's Amazon Ion mapping, as its exports write it: S -> string, N -> decimal,
 * B -> blob, BOOL -> bool, NULL -> null, M -> struct, L -> list, and sets as lists
 * annotated $dynamodb_SS / $dynamodb_NS / $dynamodb_BS. Written as Ion text.
 */
import type { AttributeValue, Item } from '../../values/types.js';

export function ionItemLine(item: Item): string {
  return `$ion_1_0 {Item:${ionStruct(item)}}`;
}

function ionStruct(item: Item): string {
  return `{${Object.entries(item).map(([name, value]) => `${JSON.stringify(name)}:${ionValue(value)}`).join(',')}}`;
}

function ionValue(value: AttributeValue): string {
  const v = value as Record<string, any>;
  if (v.S !== undefined) return JSON.stringify(v.S);
  if (v.N !== undefined) return ionDecimal(v.N);
  if (v.B !== undefined) return `{{${v.B}}}`; // wire form: already base64
  if (v.BOOL !== undefined) return v.BOOL ? 'true' : 'false';
  if (v.NULL !== undefined) return 'null';
  if (v.M !== undefined) return ionStruct(v.M);
  if (v.L !== undefined) return `[${(v.L as AttributeValue[]).map(ionValue).join(',')}]`;
  if (v.SS !== undefined) return `$dynamodb_SS::[${(v.SS as string[]).map((s) => JSON.stringify(s)).join(',')}]`;
  if (v.NS !== undefined) return `$dynamodb_NS::[${(v.NS as string[]).map(ionDecimal).join(',')}]`;
  if (v.BS !== undefined) return `$dynamodb_BS::[${(v.BS as string[]).map((b) => `{{${b}}}`).join(',')}]`;
  throw new Error(`Unknown attribute value type: ${Object.keys(v).join(',')}`);
}

/** A DynamoDB number as an Ion decimal (an exponent marked with d, never a float). */
function ionDecimal(n: string): string {
  return /[eE]/.test(n) ? n.replace(/[eE]/, 'd') : `${n}d0`;
}
