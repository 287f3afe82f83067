/**
 * What operations return: plain objects shaped like DynamoDB's output members, turned
 * into wire JSON by render.ts. Items read from storage may be carried as references to
 * their stored bytes (StoredItemRef), which the renderer splices into the response
 * unparsed; a caller that needs values decodes them with `itemOf`.
 */
import { decodeStoredItem, type StoredBytes } from '../engine/storedItem.js';
import type { Item } from '../values/types.js';

/** A stored item as read (see storedItem.ts): the bytes are never copied or parsed on the way out. */
export type StoredItemRef = StoredBytes;
/** An item in a result: a value, or a reference to its stored bytes. */
export type ResultItem = Item | StoredItemRef;

export type ConsumedCapacity = Record<string, unknown>;
export type ItemCollectionMetrics = Record<string, unknown>;
export type TableDescription = Record<string, unknown>;

/** The item's value, decoded when the result carries its stored bytes. */
export function itemOf(item: ResultItem): Item {
  return isStoredItem(item) ? decodeStoredItem(item) : item;
}

/** Whether a result item is a stored item's bytes (or their latin1 text), not a value. */
export function isStoredItem(item: unknown): item is StoredItemRef {
  return typeof item === 'string' || Buffer.isBuffer(item);
}

export interface GetItemResult {
  Item?: ResultItem;
  ConsumedCapacity?: ConsumedCapacity;
}

/** PutItem, DeleteItem and UpdateItem. */
export interface WriteItemResult {
  Attributes?: Item;
  ItemCollectionMetrics?: ItemCollectionMetrics;
  ConsumedCapacity?: ConsumedCapacity;
}

/** Query and Scan (no Items with Select=COUNT). */
export interface PageResult {
  Items?: ResultItem[];
  Count: number;
  ScannedCount: number;
  LastEvaluatedKey?: Item;
  ConsumedCapacity?: ConsumedCapacity;
}

export interface BatchGetItemResult {
  Responses: Record<string, ResultItem[]>;
  UnprocessedKeys: Record<string, unknown>;
  ConsumedCapacity?: ConsumedCapacity[];
}

export interface BatchWriteItemResult {
  UnprocessedItems: Record<string, unknown>;
  ConsumedCapacity?: ConsumedCapacity[];
  ItemCollectionMetrics?: Record<string, ItemCollectionMetrics[]>;
}

export interface TransactGetItemsResult {
  Responses: { Item?: ResultItem }[];
  ConsumedCapacity?: ConsumedCapacity[];
}

export interface TransactWriteItemsResult {
  ConsumedCapacity?: ConsumedCapacity[];
  ItemCollectionMetrics?: Record<string, ItemCollectionMetrics[]>;
}

/** CreateTable, UpdateTable, DeleteTable. */
export interface TableChangeResult {
  TableDescription: TableDescription;
}

export interface DescribeTableResult {
  Table: TableDescription;
}

export interface ListTablesResult {
  TableNames: string[];
  LastEvaluatedTableName?: string;
}

export interface ListTagsOfResourceResult {
  Tags: { Key: string; Value: string }[];
}

export interface DescribeEndpointsResult {
  Endpoints: { Address: string; CachePeriodInMinutes: number }[];
}

export interface DescribeLimitsResult {
  AccountMaxReadCapacityUnits: number;
  AccountMaxWriteCapacityUnits: number;
  TableMaxReadCapacityUnits: number;
  TableMaxWriteCapacityUnits: number;
}

/** TagResource and UntagResource answer nothing. */
export type EmptyResult = Record<string, never>;
