/** Catalog bookkeeping for secondary indexes: index numbers and the attribute definitions they need. */
import { dynamoError } from '../../errors.js';
import type { AttributeDefinition, TableMeta } from '../tableMeta.js';

/** Index numbers are one byte of the key layout; 0 is the base table. */
const MAX_INDEX_NO = 255;

/** Hands out the table's next index number; numbers are never reused within a table. */
export function allocateIndexNo(meta: TableMeta): number {
  const no = meta.nextIndexNo ?? 1;
  if (no > MAX_INDEX_NO) {
    throw dynamoError('LimitExceededException', `Subscriber limit exceeded: Too many indexes have been created on table: ${meta.name}`);
  }
  meta.nextIndexNo = no + 1;
  return no;
}

/** The definitions still used by the table's key or an index key, in their current order. */
export function usedDefinitions(meta: TableMeta, definitions: AttributeDefinition[] = meta.attributeDefinitions): AttributeDefinition[] {
  const used = new Set(meta.keySchema.map((k) => k.AttributeName));
  for (const index of meta.indexes ?? []) for (const k of index.keySchema) used.add(k.AttributeName);
  return definitions.filter((d) => used.has(d.AttributeName));
}
