/**
 * Primary-key validation against a table's key schema.
 *
 * - validateKey: a `Key` parameter (GetItem, DeleteItem, UpdateItem, batch deletes)
 *   must hold exactly the key attributes with the schema's types; any other shape is
 *   "The provided key element does not match the schema".
 * - validateItemKey: a PutItem item must contain the key attributes with the right
 *   types ("Missing the key X in the item", "Type mismatch for key X ...").
 * Both reject empty string/binary key values and oversized keys (partition key
 * 2048 bytes, sort key 1024 bytes).
 */

import { invalidParameter, validationError } from '../errors.js';
import { base64ByteLength } from './base64.js';
import { utf8Length } from './size.js';
import { setAttribute, typeOf, type AttributeValue, type Item, type ScalarKeyType } from './types.js';
import { validateItem } from './validate.js';

export interface KeySchemaInfo {
  hashKey: string;
  hashType: ScalarKeyType;
  rangeKey?: string;
  rangeType?: ScalarKeyType;
  /**
   * Every partition-key attribute, in key-schema order. More than one only for a GSI
   * with a multi-attribute key; absent means just hashKey.
   */
  hashParts?: KeyPart[];
  /** Every sort-key attribute, compared left to right; absent means just rangeKey (if any). */
  rangeParts?: KeyPart[];
}

/** One attribute of a (possibly multi-attribute) partition or sort key. */
export interface KeyPart {
  name: string;
  type: ScalarKeyType;
}

/** The partition-key attributes of a schema, in order. */
export function partitionKeyParts(schema: KeySchemaInfo): KeyPart[] {
  return schema.hashParts ?? [{ name: schema.hashKey, type: schema.hashType }];
}

/** The sort-key attributes of a schema, in order (none without a sort key). */
export function sortKeyParts(schema: KeySchemaInfo): KeyPart[] {
  return schema.rangeParts ?? (schema.rangeKey === undefined ? [] : [{ name: schema.rangeKey, type: schema.rangeType! }]);
}

/** Whether a schema's partition or sort key has more than one attribute (a multi-attribute GSI key). */
export function isMultiAttribute(schema: KeySchemaInfo): boolean {
  return (schema.hashParts?.length ?? 1) > 1 || (schema.rangeParts?.length ?? 1) > 1;
}

export const MAX_PARTITION_KEY_BYTES = 2048;
export const MAX_SORT_KEY_BYTES = 1024;

const KEY_MISMATCH = 'The provided key element does not match the schema';

/** Validates a `Key` parameter; returns it with its values normalised. */
export function validateKey(key: unknown, schema: KeySchemaInfo): Item {
  const item = validateItem(key);
  let attributes = 0;
  for (const _ in item) attributes++;
  if (attributes !== (schema.rangeKey === undefined ? 1 : 2)) throw validationError(KEY_MISMATCH);
  const hash = ownValue(item, schema.hashKey);
  if (hash === undefined || scalarType(hash) !== schema.hashType) throw validationError(KEY_MISMATCH);
  let range: AttributeValue | undefined;
  if (schema.rangeKey !== undefined) {
    range = ownValue(item, schema.rangeKey);
    if (range === undefined || scalarType(range) !== schema.rangeType) throw validationError(KEY_MISMATCH);
  }
  checkKeyValues(schema, hash, range);
  return item;
}

/** Checks the key attributes of a validated item (PutItem and friends). */
export function validateItemKey(item: Item, schema: KeySchemaInfo): void {
  const hash = itemKeyValue(item, schema.hashKey, schema.hashType);
  const range = schema.rangeKey === undefined ? undefined : itemKeyValue(item, schema.rangeKey, schema.rangeType!);
  checkKeyValues(schema, hash, range);
}

/** The key attributes of a (validated) item, as a `Key` map. */
export function extractKey(item: Item, schema: KeySchemaInfo): Item {
  const key: Item = {};
  setAttribute(key, schema.hashKey, item[schema.hashKey]);
  if (schema.rangeKey !== undefined) setAttribute(key, schema.rangeKey, item[schema.rangeKey]);
  return key;
}

function itemKeyValue(item: Item, name: string, expected: ScalarKeyType): AttributeValue {
  const value = ownValue(item, name);
  if (value === undefined) throw invalidParameter(`Missing the key ${name} in the item`);
  const actual = typeOf(value);
  if (actual !== expected) throw invalidParameter(`Type mismatch for key ${name} expected: ${expected} actual: ${actual}`);
  return value;
}

function checkKeyValues(schema: KeySchemaInfo, hash: AttributeValue, range: AttributeValue | undefined): void {
  const hashBytes = keyValueBytes(hash, schema.hashKey);
  let rangeBytes = 0;
  if (range !== undefined) rangeBytes = keyValueBytes(range, schema.rangeKey!);
  checkKeySizes(hashBytes, rangeBytes);
}

/** The key size limits, which secondary-index keys obey too. */
export function checkKeySizes(hashBytes: number, rangeBytes: number): void {
  if (hashBytes > MAX_PARTITION_KEY_BYTES) {
    throw invalidParameter(`Size of hashkey has exceeded the maximum size limit of${MAX_PARTITION_KEY_BYTES} bytes`);
  }
  if (rangeBytes > MAX_SORT_KEY_BYTES) {
    throw invalidParameter(`Aggregated size of all range keys has exceeded the size limit of ${MAX_SORT_KEY_BYTES} bytes`);
  }
}

/** Byte length of a key value; empty strings and binaries are not allowed in keys. */
function keyValueBytes(value: AttributeValue, name: string): number {
  const v = value as Partial<Record<string, string>>;
  if (v.S !== undefined) {
    if (v.S.length === 0) throw emptyKeyValue('string', name);
    return utf8Length(v.S);
  }
  if (v.B !== undefined) {
    if (v.B.length === 0) throw emptyKeyValue('binary', name);
    return base64ByteLength(v.B);
  }
  // Numbers are at most 38 digits: never near either limit.
  return 0;
}

function emptyKeyValue(kind: string, name: string) {
  return validationError(
    `One or more parameter values are not valid. The AttributeValue for a key attribute cannot contain an empty ${kind} value. Key: ${name}`,
  );
}

function ownValue(item: Item, name: string): AttributeValue | undefined {
  return Object.hasOwn(item, name) ? item[name] : undefined;
}

function scalarType(value: AttributeValue): string {
  const tag = typeOf(value);
  return tag === 'S' || tag === 'N' || tag === 'B' ? tag : '';
}
