/**
 * A readable key space of a table: the base table, or one of its secondary indexes.
 * Query and Scan walk a view; a view knows how its storage keys are built and which
 * attributes form the LastEvaluatedKey of an item read from it.
 */
import type { KeySchemaInfo } from '../values/keys.js';
import type { Item } from '../values/types.js';
import { storageKey } from './keyspace.js';
import type { IndexInfo } from './indexes/indexInfo.js';

export interface KeyView {
  tableId: number;
  /** 0 for the base table. */
  indexNo: number;
  /** The view's own key (the index key for an index). */
  schema: KeySchemaInfo;
  /** Attributes of LastEvaluatedKey: the view's key plus, for an index, the table's key. */
  lastKeyAttributes: string[];
  /** The storage key an item (holding all of lastKeyAttributes) has in this view. */
  storageKey(item: Item): Buffer;
  /** The index read, when the view is a secondary index. */
  index?: IndexInfo;
}

export function baseTableView(tableId: number, schema: KeySchemaInfo): KeyView {
  const lastKeyAttributes = schema.rangeKey === undefined ? [schema.hashKey] : [schema.hashKey, schema.rangeKey];
  return {
    tableId,
    indexNo: 0,
    schema,
    lastKeyAttributes,
    storageKey: (item) => storageKey(tableId, 0, schema, item),
  };
}

/** A secondary index: entries keyed by index key, then base-table key. */
export function indexView(tableId: number, index: IndexInfo): KeyView {
  const { schema, base } = index;
  return {
    tableId,
    indexNo: index.no,
    schema,
    lastKeyAttributes: index.keyAttributes,
    storageKey: (item) =>
      storageKey(tableId, index.no, schema, item, base.rangeKey === undefined ? [item[base.hashKey]!] : [item[base.hashKey]!, item[base.rangeKey]!]),
    index,
  };
}

