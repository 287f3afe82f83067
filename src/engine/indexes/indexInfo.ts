/**
 * A secondary index as the write and read paths use it: its key schema, which
 * attributes its entries carry, and how an entry's storage key is built:
 *   index prefix | partition hash | enc(index pk) | enc(index sk)? | enc(base pk) | enc(base sk)?
 * (a multi-attribute GSI key encodes each of its partition / sort attributes in order).
 * The base table key at the end keeps entries with equal index keys apart and
 * orders them by base key.
 */
import { partitionKeyParts, sortKeyParts, type KeySchemaInfo } from '../../values/keys.js';
import { setAttribute, typeOf, type AttributeValue, type Item } from '../../values/types.js';
import { storageKey } from '../keyspace.js';
import { keySchemaInfo, type IndexMeta, type TableMeta } from '../tableMeta.js';

export interface IndexInfo {
  meta: IndexMeta;
  name: string;
  no: number;
  /** The index's own key. */
  schema: KeySchemaInfo;
  /** The base table's key. */
  base: KeySchemaInfo;
  /** Index key then base key attributes, without repeats: an entry's identity (and LastEvaluatedKey). */
  keyAttributes: string[];
  /** Attributes an entry carries; undefined for ALL. */
  projected: ReadonlySet<string> | undefined;
}

/**
 * The indexes writes must maintain: every index except one being deleted, sorted by
 * name (DynamoDB names the alphabetically first index when a key value is rejected).
 */
export function indexInfos(meta: TableMeta, base: KeySchemaInfo): IndexInfo[] {
  const out: IndexInfo[] = [];
  for (const index of meta.indexes ?? []) {
    if (index.status === 'DELETING') continue;
    out.push(indexInfo(meta, base, index));
  }
  return out.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

export function indexInfo(meta: Pick<TableMeta, 'attributeDefinitions'>, base: KeySchemaInfo, index: IndexMeta): IndexInfo {
  const schema = keySchemaInfo({ keySchema: index.keySchema, attributeDefinitions: meta.attributeDefinitions });
  const indexKey = [...partitionKeyParts(schema), ...sortKeyParts(schema)];
  const keyAttributes = unique([...indexKey.map((p) => p.name), base.hashKey, base.rangeKey]);
  let projected: Set<string> | undefined;
  if (index.projection.ProjectionType !== 'ALL') {
    projected = new Set([...keyAttributes, ...(index.projection.NonKeyAttributes ?? [])]);
  }
  return { meta: index, name: index.name, no: index.no, schema, base, keyAttributes, projected };
}

/** The entry's storage key, or undefined when the item lacks (a valid value of) an index key attribute: sparse indexes. */
export function entryKey(tableId: number, index: IndexInfo, item: Item): Buffer | undefined {
  const { schema, base } = index;
  if (schema.hashParts === undefined) {
    if (!hasKeyValue(own(item, schema.hashKey), schema.hashType)) return undefined;
    if (schema.rangeKey !== undefined && !hasKeyValue(own(item, schema.rangeKey), schema.rangeType!)) return undefined;
  } else {
    // A multi-attribute key indexes an item only when it has every one of its attributes.
    for (const part of schema.hashParts) if (!hasKeyValue(own(item, part.name), part.type)) return undefined;
    for (const part of schema.rangeParts!) if (!hasKeyValue(own(item, part.name), part.type)) return undefined;
  }
  const extra = base.rangeKey === undefined ? [item[base.hashKey]!] : [item[base.hashKey]!, item[base.rangeKey]!];
  return storageKey(tableId, index.no, schema, item, extra);
}

/** The attributes of `item` the index stores (the item itself for ALL). */
export function projectEntry(index: IndexInfo, item: Item): Item {
  if (index.projected === undefined) return item;
  const out: Item = {};
  for (const name of index.projected) {
    if (Object.hasOwn(item, name)) setAttribute(out, name, item[name]!);
  }
  return out;
}

function hasKeyValue(value: AttributeValue | undefined, type: string): boolean {
  if (value === undefined || typeOf(value) !== type) return false;
  const v = value as { S?: string; B?: string };
  return !(v.S === '' || v.B === '');
}

export function own(item: Item, name: string): AttributeValue | undefined {
  return Object.hasOwn(item, name) ? item[name] : undefined;
}

function unique(names: (string | undefined)[]): string[] {
  const out: string[] = [];
  for (const name of names) if (name !== undefined && !out.includes(name)) out.push(name);
  return out;
}
