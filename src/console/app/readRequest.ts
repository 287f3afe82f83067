/**
 * The query builder's state turned into a DynamoDB Query or Scan request, with every
 * name and value behind placeholders (so reserved words and odd names just work).
 */
import type { AttributeValue, Item } from './attr.js';

export type KeyType = 'S' | 'N' | 'B';
export type SortOperator = '' | '=' | '<' | '<=' | '>' | '>=' | 'BETWEEN' | 'begins_with';
export type FilterOperator = '=' | '<>' | '<' | '<=' | '>' | '>=' | 'BETWEEN' | 'begins_with' | 'contains' | 'attribute_exists' | 'attribute_not_exists';
export type FilterType = 'S' | 'N' | 'BOOL';

export const SORT_OPERATORS: SortOperator[] = ['=', '<', '<=', '>', '>=', 'BETWEEN', 'begins_with'];
export const FILTER_OPERATORS: FilterOperator[] = ['=', '<>', '<', '<=', '>', '>=', 'BETWEEN', 'begins_with', 'contains', 'attribute_exists', 'attribute_not_exists'];

export interface KeyAttribute {
  name: string;
  type: KeyType;
}

export interface KeySchema {
  hash: KeyAttribute;
  range?: KeyAttribute;
}

export interface FilterRow {
  attribute: string;
  operator: FilterOperator;
  type: FilterType;
  value: string;
  value2: string;
}

export interface ReadSpec {
  table: string;
  /** '' reads the table itself. */
  index: string;
  mode: 'query' | 'scan';
  partitionValue: string;
  sortOperator: SortOperator;
  sortValue: string;
  sortValue2: string;
  filters: FilterRow[];
  /** Comma-separated attribute paths; empty returns whole items. */
  projection: string;
  forward: boolean;
  pageSize: number;
  consistent: boolean;
}

export interface ReadRequest {
  operation: 'Query' | 'Scan';
  params: Record<string, unknown>;
}

export class Placeholders {
  readonly names: Record<string, string> = {};
  readonly values: Record<string, AttributeValue> = {};
  private nameCount = 0;
  private readonly nameOf = new Map<string, string>();

  name(attribute: string): string {
    let placeholder = this.nameOf.get(attribute);
    if (placeholder === undefined) {
      placeholder = `#n${this.nameCount++}`;
      this.nameOf.set(attribute, placeholder);
      this.names[placeholder] = attribute;
    }
    return placeholder;
  }

  /** A dotted path, each part behind its own name placeholder. */
  path(path: string): string {
    return path.split('.').map((part) => this.name(part.trim())).join('.');
  }

  value(value: AttributeValue): string {
    const placeholder = `:v${Object.keys(this.values).length}`;
    this.values[placeholder] = value;
    return placeholder;
  }
}

export function typedValue(type: KeyType | FilterType, text: string): AttributeValue {
  if (type === 'N') {
    if (!/^-?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(text.trim())) throw new Error(`"${text}" is not a number`);
    return { N: text.trim() };
  }
  if (type === 'B') return { B: text };
  if (type === 'BOOL') return { BOOL: text.trim().toLowerCase() === 'true' };
  return { S: text };
}

export function buildReadRequest(spec: ReadSpec, schema: KeySchema): ReadRequest {
  const p = new Placeholders();
  const params: Record<string, unknown> = { TableName: spec.table };
  if (spec.index) params.IndexName = spec.index;
  const operation = spec.mode === 'query' ? 'Query' : 'Scan';
  if (operation === 'Query') {
    let condition = `${p.name(schema.hash.name)} = ${p.value(typedValue(schema.hash.type, spec.partitionValue))}`;
    if (spec.sortOperator && schema.range) {
      const name = p.name(schema.range.name);
      const value = p.value(typedValue(schema.range.type, spec.sortValue));
      if (spec.sortOperator === 'BETWEEN') condition += ` AND ${name} BETWEEN ${value} AND ${p.value(typedValue(schema.range.type, spec.sortValue2))}`;
      else if (spec.sortOperator === 'begins_with') condition += ` AND begins_with(${name}, ${value})`;
      else condition += ` AND ${name} ${spec.sortOperator} ${value}`;
    }
    params.KeyConditionExpression = condition;
    if (!spec.forward) params.ScanIndexForward = false;
  }
  const filters = spec.filters.filter((f) => f.attribute.trim() !== '').map((f) => filterClause(p, f));
  if (filters.length > 0) params.FilterExpression = filters.join(' AND ');
  const projection = spec.projection.split(',').map((s) => s.trim()).filter((s) => s !== '');
  if (projection.length > 0) params.ProjectionExpression = projection.map((path) => p.path(path)).join(', ');
  if (spec.pageSize > 0) params.Limit = spec.pageSize;
  if (spec.consistent) params.ConsistentRead = true;
  if (Object.keys(p.names).length > 0) params.ExpressionAttributeNames = p.names;
  if (Object.keys(p.values).length > 0) params.ExpressionAttributeValues = p.values;
  return { operation, params };
}

function filterClause(p: Placeholders, f: FilterRow): string {
  const path = p.path(f.attribute);
  switch (f.operator) {
    case 'attribute_exists':
    case 'attribute_not_exists':
      return `${f.operator}(${path})`;
    case 'begins_with':
    case 'contains':
      return `${f.operator}(${path}, ${p.value(typedValue(f.type, f.value))})`;
    case 'BETWEEN':
      return `${path} BETWEEN ${p.value(typedValue(f.type, f.value))} AND ${p.value(typedValue(f.type, f.value2))}`;
    default:
      return `${path} ${f.operator} ${p.value(typedValue(f.type, f.value))}`;
  }
}
