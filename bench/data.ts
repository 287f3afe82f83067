/**
 * The benchmark's data set: deterministic, so every target gets exactly the same items.
 * - ITEMS_TABLE: hash key only, items of about 1 KB (strings, numbers, a set, a map, a list).
 * - RANGES_TABLE: hash + range, small items, `perPartition` items under each partition key.
 * - SCALE_TABLE: like RANGES_TABLE, grown from 1k to 1M items for the scale check.
 */
export const ITEMS_TABLE = 'bench_items';
export const RANGES_TABLE = 'bench_ranges';
export const SCALE_TABLE = 'bench_scale';
/** Like ITEMS_TABLE, with a NEW_AND_OLD_IMAGES stream: its puts next to ITEMS_TABLE's give the cost of a stream. */
export const STREAMED_TABLE = 'bench_streamed';

export interface DataSizes {
  /** Items in ITEMS_TABLE. */
  items: number;
  /** Partitions in RANGES_TABLE. */
  partitions: number;
  /** Items per partition in RANGES_TABLE (and SCALE_TABLE). */
  perPartition: number;
}

export type Item = Record<string, Record<string, unknown>>;

export function itemKeyValue(n: number): string {
  return `item-${String(n).padStart(7, '0')}`;
}

export function itemKey(n: number): Item {
  return { pk: { S: itemKeyValue(n) } };
}

// About 1 KB with the other attributes (DynamoDB size counts names and values).
const PAYLOAD_LENGTH = 760;
const ALPHABET = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';

function payload(n: number): string {
  const start = (n * 31) % ALPHABET.length;
  const unit = ALPHABET.slice(start) + ALPHABET.slice(0, start);
  return unit.repeat(Math.ceil(PAYLOAD_LENGTH / unit.length)).slice(0, PAYLOAD_LENGTH);
}

/** Item number `n` of ITEMS_TABLE (about 1 KB). */
export function bigItem(n: number): Item {
  return {
    pk: { S: itemKeyValue(n) },
    name: { S: `User number ${n}` },
    email: { S: `user${n}@example.com` },
    age: { N: String(18 + (n % 60)) },
    score: { N: `${n % 1000}.${n % 97}` },
    active: { BOOL: n % 3 !== 0 },
    counter: { N: '0' },
    tags: { SS: ['alpha', 'beta', `tag${n % 50}`] },
    address: { M: { street: { S: `${n % 900} Main Street` }, city: { S: 'Springfield' }, zip: { S: String(10000 + (n % 89999)) } } },
    history: { L: [{ N: String(n % 7) }, { N: String(n % 11) }, { N: String(n % 13) }, { S: 'login' }] },
    payload: { S: payload(n) },
  };
}

export function partitionKeyValue(p: number): string {
  return `part-${String(p).padStart(6, '0')}`;
}

/** Item `s` of partition `p` in RANGES_TABLE / SCALE_TABLE (a few dozen bytes). */
export function smallItem(p: number, s: number): Item {
  return { pk: { S: partitionKeyValue(p) }, sk: { N: String(s) }, v: { N: String(p * 1000 + s) }, d: { S: `data ${s}` } };
}

const HASH_ONLY = {
  AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }],
  KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
};
const HASH_RANGE = {
  AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }, { AttributeName: 'sk', AttributeType: 'N' }],
  KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }, { AttributeName: 'sk', KeyType: 'RANGE' }],
};

export function createTableInput(table: string): Record<string, unknown> {
  const schema = table === ITEMS_TABLE || table === STREAMED_TABLE ? HASH_ONLY : HASH_RANGE;
  const stream = table === STREAMED_TABLE ? { StreamSpecification: { StreamEnabled: true, StreamViewType: 'NEW_AND_OLD_IMAGES' } } : {};
  // On-demand, so no server throttles the benchmark's load.
  return { TableName: table, ...schema, ...stream, BillingMode: 'PAY_PER_REQUEST' };
}
