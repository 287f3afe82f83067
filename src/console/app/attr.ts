/**
 * DynamoDB JSON (typed AttributeValues) and plain JSON, both ways. Plain JSON loses
 * types DynamoDB has and JSON lacks (sets, binary, numbers beyond double precision),
 * so converting back takes the item as loaded as a hint: a value that was a set, a
 * binary or a number keeps that type when its plain form still fits it.
 */

export type AttributeValue =
  | { S: string }
  | { N: string }
  | { B: string }
  | { BOOL: boolean }
  | { NULL: true }
  | { L: AttributeValue[] }
  | { M: Record<string, AttributeValue> }
  | { SS: string[] }
  | { NS: string[] }
  | { BS: string[] };

export type Item = Record<string, AttributeValue>;
export type Plain = null | boolean | number | string | Plain[] | { [name: string]: Plain };

const TYPES = ['S', 'N', 'B', 'BOOL', 'NULL', 'L', 'M', 'SS', 'NS', 'BS'] as const;
export type AttributeType = (typeof TYPES)[number];

export function typeOf(value: AttributeValue): AttributeType {
  return Object.keys(value)[0] as AttributeType;
}

/** A number as a JSON number when that keeps every digit, else as its text. */
function plainNumber(text: string): number | string {
  const n = Number(text);
  return Number.isFinite(n) && canonicalNumber(String(n)) === canonicalNumber(text) ? n : text;
}

/** Sign, significant digits and decimal exponent, so 1.50 and 15E-1 have one form. */
function canonicalNumber(text: string): string {
  const m = /^([+-]?)(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d+))?$/.exec(text.trim());
  if (!m) return text;
  let digits = m[2] + (m[3] ?? '');
  let point = m[2].length + Number(m[4] ?? 0);
  const leadingZeros = /^0*/.exec(digits)![0].length;
  digits = digits.slice(leadingZeros).replace(/0+$/, '');
  point -= leadingZeros;
  return digits === '' ? '0' : `${m[1] === '-' ? '-' : ''}0.${digits}e${point}`;
}

export function toPlain(value: AttributeValue): Plain {
  if ('S' in value) return value.S;
  if ('N' in value) return plainNumber(value.N);
  if ('B' in value) return value.B;
  if ('BOOL' in value) return value.BOOL;
  if ('NULL' in value) return null;
  if ('L' in value) return value.L.map(toPlain);
  if ('M' in value) return itemToPlain(value.M);
  if ('SS' in value) return [...value.SS];
  if ('NS' in value) return value.NS.map(plainNumber);
  return [...value.BS];
}

export function itemToPlain(item: Item): { [name: string]: Plain } {
  const out: { [name: string]: Plain } = {};
  for (const [name, value] of Object.entries(item)) out[name] = toPlain(value);
  return out;
}

export function fromPlain(value: Plain, hint?: AttributeValue): AttributeValue {
  if (value === null) return { NULL: true };
  if (typeof value === 'boolean') return { BOOL: value };
  if (typeof value === 'number') return { N: String(value) };
  if (typeof value === 'string') {
    if (hint && 'N' in hint && isNumberText(value)) return { N: value };
    if (hint && 'B' in hint) return { B: value };
    return { S: value };
  }
  if (Array.isArray(value)) {
    if (hint && 'SS' in hint && value.length > 0 && value.every((v) => typeof v === 'string')) return { SS: value as string[] };
    if (hint && 'BS' in hint && value.length > 0 && value.every((v) => typeof v === 'string')) return { BS: value as string[] };
    if (hint && 'NS' in hint && value.length > 0 && value.every((v) => typeof v === 'number' || (typeof v === 'string' && isNumberText(v)))) {
      return { NS: value.map(String) };
    }
    const hints = hint && 'L' in hint ? hint.L : [];
    return { L: value.map((v, i) => fromPlain(v, hints[i])) };
  }
  return { M: itemFromPlain(value, hint && 'M' in hint ? hint.M : undefined) };
}

export function itemFromPlain(plain: { [name: string]: Plain }, hint?: Item): Item {
  const item: Item = {};
  for (const [name, value] of Object.entries(plain)) item[name] = fromPlain(value, hint?.[name]);
  return item;
}

function isNumberText(text: string): boolean {
  return /^-?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(text.trim());
}

/** Checks that parsed JSON is a DynamoDB JSON item; throws with the path of the first problem. */
export function checkItem(value: unknown, path = 'item'): Item {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) throw new Error(`${path} must be an object of attributes`);
  for (const [name, attribute] of Object.entries(value)) checkAttribute(attribute, `${path}.${name}`);
  return value as Item;
}

function checkAttribute(value: unknown, path: string): void {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) throw new Error(`${path} must be a typed value such as {"S": "text"}`);
  const keys = Object.keys(value);
  const type = keys[0] as AttributeType;
  if (keys.length !== 1 || !TYPES.includes(type)) throw new Error(`${path} must have exactly one type key: ${TYPES.join(', ')}`);
  const inner = (value as Record<string, unknown>)[type];
  const isStringList = Array.isArray(inner) && inner.every((v) => typeof v === 'string');
  switch (type) {
    case 'S': case 'N': case 'B':
      if (typeof inner !== 'string') throw new Error(`${path}.${type} must be a string`);
      if (type === 'N' && !isNumberText(inner)) throw new Error(`${path}.N is not a number: ${inner}`);
      return;
    case 'BOOL':
      if (typeof inner !== 'boolean') throw new Error(`${path}.BOOL must be true or false`);
      return;
    case 'NULL':
      if (inner !== true) throw new Error(`${path}.NULL must be true`);
      return;
    case 'L':
      if (!Array.isArray(inner)) throw new Error(`${path}.L must be a list`);
      inner.forEach((v, i) => checkAttribute(v, `${path}[${i}]`));
      return;
    case 'M':
      checkItem(inner, path);
      return;
    default:
      if (!isStringList) throw new Error(`${path}.${type} must be a list of strings`);
      if (type === 'NS') for (const n of inner as string[]) if (!isNumberText(n)) throw new Error(`${path}.NS has a value that is not a number: ${n}`);
  }
}

/** A short, readable form of a value for table cells. */
export function displayValue(value: AttributeValue | undefined): string {
  if (value === undefined) return '';
  if ('S' in value) return value.S;
  if ('N' in value) return value.N;
  if ('BOOL' in value) return String(value.BOOL);
  if ('NULL' in value) return 'null';
  if ('B' in value) return `<binary ${value.B.length > 16 ? `${value.B.slice(0, 16)}…` : value.B}>`;
  if ('SS' in value) return `{${value.SS.join(', ')}}`;
  if ('NS' in value) return `{${value.NS.join(', ')}}`;
  if ('BS' in value) return `{${value.BS.length} binary}`;
  return JSON.stringify(toPlain(value));
}

/** The item's primary key: its key-schema attributes only. */
export function keyOf(item: Item, keyNames: string[]): Item {
  const key: Item = {};
  for (const name of keyNames) if (item[name] !== undefined) key[name] = item[name];
  return key;
}
