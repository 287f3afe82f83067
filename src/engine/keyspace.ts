/**
 * The layout of the one ordered key space (see DESIGN.md "Key layout"):
 *   0x01 | table name                              -> catalog entry (JSON TableMeta)
 *   0x02 | counter name                            -> counters (next table id)
 *   0x03 | table id (u32)                          -> table statistics
 *   0x03 | table id (u32) | index no (u8)          -> entry count and bytes of one index
 *   0x04 0x00 | client request token               -> idempotency record (TransactWriteItems)
 *   0x04 0x01 | expiry ms (u64) | token            -> empty: idempotency records by expiry
 *   0x05 | table id (u32) | enc(pk)                -> item-collection bytes of one partition key
 *                                                     value (tables with LSIs only)
 *   0x09 | job id                                  -> background job record (JSON, jobs/jobRecord.ts)
 *   0x10 | table id (u32) | index no (u8) | partition hash (u32) | pk | sk -> item
 * Index number 0 is the base table. Keys are encoded with the order-preserving
 * key codec, so a partition's items are contiguous and sorted by sort key.
 */
import { createHash } from 'node:crypto';
import { encodeKeyValue, partitionHash, prefixEnd } from '../values/keycodec.js';
import type { KeySchemaInfo } from '../values/keys.js';
import type { AttributeValue, Item } from '../values/types.js';

const CATALOG = 0x01;
const COUNTER = 0x02;
const STATS = 0x03;
const TOKEN = 0x04;
const COLLECTION = 0x05;
const JOB = 0x09;
const DATA = 0x10;

export const CATALOG_PREFIX = Buffer.from([CATALOG]);
export const CATALOG_END = Buffer.from([CATALOG + 1]);

export function catalogKey(tableName: string): Buffer {
  return Buffer.concat([CATALOG_PREFIX, Buffer.from(tableName, 'utf8')]);
}

export function counterKey(name: string): Buffer {
  return Buffer.concat([Buffer.from([COUNTER]), Buffer.from(name, 'utf8')]);
}

/** A key of `tag | table id (u32)` followed by `tailBytes` bytes left for the caller to fill. */
function tableKey(tag: number, tableId: number, tailBytes = 0): Buffer {
  const key = Buffer.allocUnsafe(5 + tailBytes);
  key[0] = tag;
  key.writeUInt32BE(tableId, 1);
  return key;
}

export function statsKey(tableId: number): Buffer {
  return tableKey(STATS, tableId);
}

/** The entry count and bytes of one index (index stats keys extend the table stats key). */
export function indexStatsKey(tableId: number, indexNo: number): Buffer {
  const key = tableKey(STATS, tableId, 1);
  key[5] = indexNo;
  return key;
}

/**
 * The shards of a statistics key (the table's or an index's): a write adds to the one a
 * hash of its item's key picks, so concurrent writers on a shared store rarely touch the
 * same key. Kept in the table's bookkeeping range: `tag | table id | 0xFF | index no (0xFF: the table) | shard`.
 */
export function statsShardPrefix(key: Buffer): Buffer {
  return statsShardKeyOf(key, 2);
}

/** Shard `shard` of a statistics key: `statsShardPrefix(key)` and the shard's byte, in one allocation. */
export function statsShardKey(key: Buffer, shard: number): Buffer {
  const shardKey = statsShardKeyOf(key, 3);
  shardKey[7] = shard;
  return shardKey;
}

function statsShardKeyOf(key: Buffer, tailBytes: number): Buffer {
  const shardKey = tableKey(STATS, key.readUInt32BE(1), tailBytes);
  shardKey[5] = 0xff;
  shardKey[6] = key.length > 5 ? key[5]! : 0xff;
  return shardKey;
}

/** The item-collection size of one partition key value. */
export function collectionKey(tableId: number, pk: AttributeValue): Buffer {
  const encoded = encodeKeyValue(pk as never);
  const key = tableKey(COLLECTION, tableId, encoded.length);
  encoded.copy(key, 5);
  return key;
}

/** Every bookkeeping key of a table's indexes and item collections (dropped with the table). */
export function indexBookkeepingRanges(tableId: number): { gte: Buffer; lt: Buffer }[] {
  const stats = statsKey(tableId);
  const collections = tableKey(COLLECTION, tableId);
  return [
    // Index stats keys are the table stats key plus one byte: start after it.
    { gte: Buffer.concat([stats, Buffer.from([0])]), lt: prefixEnd(stats)! },
    { gte: collections, lt: prefixEnd(collections)! },
  ];
}

/** An idempotency record of a ClientRequestToken. */
export function tokenKey(token: string): Buffer {
  return Buffer.concat([Buffer.from([TOKEN, 0x00]), Buffer.from(token, 'utf8')]);
}

/** The expiry index entry of a token record: records sort by when they expire. */
export function tokenExpiryKey(expiresAt: number, token: string): Buffer {
  const head = Buffer.allocUnsafe(10);
  head[0] = TOKEN;
  head[1] = 0x01;
  head.writeBigUInt64BE(BigInt(expiresAt), 2);
  return Buffer.concat([head, Buffer.from(token, 'utf8')]);
}

/** The expiry index entries of records that expired before `now`: [start, end). */
export function expiredTokensRange(now: number): { gte: Buffer; lt: Buffer } {
  return { gte: Buffer.from([TOKEN, 0x01]), lt: tokenExpiryKey(now, '') };
}

/** The token a tokenExpiryKey names. */
export function tokenOfExpiryKey(key: Buffer): string {
  return key.toString('utf8', 10);
}

/** A background job's record. */
export function jobKey(id: string): Buffer {
  return Buffer.concat([JOBS_RANGE.gte, Buffer.from(id, 'utf8')]);
}

/** Every job record: [start, end). */
export const JOBS_RANGE = { gte: Buffer.from([JOB]), lt: Buffer.from([JOB + 1]) };

/** Every key of a table (items and index entries): [start, end). */
export function tableRange(tableId: number): { gte: Buffer; lt: Buffer } {
  const start = tableKey(DATA, tableId);
  return { gte: start, lt: prefixEnd(start)! }; // a table prefix never ends in 0xff bytes only
}

/** The prefix of one index (0 = base table) of a table. */
export function indexPrefix(tableId: number, indexNo: number): Buffer {
  const prefix = tableKey(DATA, tableId, 1);
  prefix[5] = indexNo;
  return prefix;
}

/**
 * The longest key this layout builds (it hashes parts that would make a key longer), so
 * the least key length a storage adapter must accept. Changing it changes stored keys.
 */
export const LAYOUT_MAX_KEY_BYTES = 4026;

/*
 * Storage engines cap key length (LAYOUT_MAX_KEY_BYTES is what we ask of them), while DynamoDB allows a 2 KB
 * partition key, a 1 KB sort key, and index keys that also carry the table's key.
 * Parts that need no order are therefore stored inline when short and by SHA-256
 * when long, behind a form byte that keeps the two forms apart: a long partition
 * key (partitions are only grouped, never ordered by key), and the base-table key
 * suffix of an index entry (equal index keys have no defined order).
 */
const INLINE = 0x01;
const HASHED = 0x02;
const INLINE_PARTITION_KEY_BYTES = 1024;

function compactPart(encoded: Buffer, inline: boolean): Buffer {
  if (inline) return Buffer.concat([FORM_INLINE, encoded]);
  return Buffer.concat([FORM_HASHED, createHash('sha256').update(encoded).digest()]);
}
const FORM_INLINE = Buffer.from([INLINE]);
const FORM_HASHED = Buffer.from([HASHED]);

/** The prefix of one partition: index prefix | partition hash | partition key. */
export function partitionPrefix(tableId: number, indexNo: number, pk: AttributeValue): Buffer {
  return encodedPartitionPrefix(tableId, indexNo, encodeKeyValue(pk as never));
}

/**
 * The same from an encoded partition key: one value's encoding, or for a multi-attribute
 * key the encodings of its values in key-schema order (each self-delimiting), hashed together.
 */
export function encodedPartitionPrefix(tableId: number, indexNo: number, encodedPk: Buffer): Buffer {
  return partitionPrefixWithRoom(tableId, indexNo, encodedPk, 0);
}

/**
 * The partition prefix followed by `tailBytes` bytes for the caller to fill: a key built
 * in one allocation (the form byte and the key written in place, not concatenated).
 */
function partitionPrefixWithRoom(tableId: number, indexNo: number, encodedPk: Buffer, tailBytes: number): Buffer {
  const inline = encodedPk.length <= INLINE_PARTITION_KEY_BYTES;
  const pkPart = inline ? encodedPk : createHash('sha256').update(encodedPk).digest();
  const key = tableKey(DATA, tableId, 6 + pkPart.length + tailBytes);
  key[5] = indexNo;
  key.writeUInt32BE(partitionHash(encodedPk), 6);
  key[10] = inline ? INLINE : HASHED;
  pkPart.copy(key, 11);
  return key;
}

/** The encodings of `values` one after the other: they sort as the values compared left to right. */
export function encodeKeyValues(values: AttributeValue[]): Buffer {
  return values.length === 1 ? encodeKeyValue(values[0] as never) : Buffer.concat(values.map((v) => encodeKeyValue(v as never)));
}

/**
 * The storage key of an item in a key space (index 0 = the table):
 * partition prefix | sort key (if any) | extra key attributes (an index entry's base-table key).
 * A multi-attribute GSI key encodes its partition (and sort) attributes in key-schema order.
 */
export function storageKey(tableId: number, indexNo: number, schema: KeySchemaInfo, item: Item, extra: AttributeValue[] = []): Buffer {
  const { hashParts, rangeParts } = schema;
  const encodedPk = hashParts === undefined ? encodeKeyValue(item[schema.hashKey] as never) : encodeKeyValues(hashParts.map((p) => item[p.name]!));
  const sk =
    schema.rangeKey === undefined ? undefined
    : rangeParts === undefined ? encodeKeyValue(item[schema.rangeKey] as never)
    : encodeKeyValues(rangeParts.map((p) => item[p.name]!));
  if (extra.length === 0) {
    // Every item read and write builds one of these: one allocation, the sort key copied in.
    if (sk === undefined) return partitionPrefixWithRoom(tableId, indexNo, encodedPk, 0);
    const key = partitionPrefixWithRoom(tableId, indexNo, encodedPk, sk.length);
    sk.copy(key, key.length - sk.length);
    return key;
  }
  const prefix = encodedPartitionPrefix(tableId, indexNo, encodedPk);
  const parts = sk === undefined ? [prefix] : [prefix, sk];
  const length = prefix.length + (sk?.length ?? 0);
  const encoded = Buffer.concat(extra.map((v) => encodeKeyValue(v as never)));
  parts.push(compactPart(encoded, length + 1 + encoded.length <= LAYOUT_MAX_KEY_BYTES));
  return Buffer.concat(parts);
}

/** The storage key of a base-table item, from an item or key holding the key attributes. */
export function itemKey(tableId: number, schema: KeySchemaInfo, key: Item): Buffer {
  return storageKey(tableId, 0, schema, key);
}
