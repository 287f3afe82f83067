/**
 * The workloads. Each one builds request number `i` of a pool of distinct requests
 * (keys vary per request; the load cycles through the pool) and checks a response
 * body, which the load generator does for every answer during warm-up.
 */
import { bigItem, itemKey, ITEMS_TABLE, partitionKeyValue, RANGES_TABLE, SCALE_TABLE, STREAMED_TABLE, type DataSizes } from './data.js';

export interface BenchRequest {
  operation: string;
  body: unknown;
}

export interface Workload {
  id: string;
  title: string;
  /** Single-item operations carry the p99 ≤ 10 ms target. */
  singleItem: boolean;
  poolSize: number;
  build(i: number, sizes: DataSizes): BenchRequest;
  /** Returns what is wrong with a 2xx body, or undefined. */
  check(body: any, i: number, sizes: DataSizes): string | undefined;
}

/** Spreads consecutive request numbers over the whole key space. */
function spread(i: number, n: number): number {
  return (i * 7919) % n;
}

function expectItem(body: any, key: number): string | undefined {
  const pk = body?.Item?.pk?.S;
  return pk === itemKey(key).pk!.S ? undefined : `expected Item ${itemKey(key).pk!.S}, got ${JSON.stringify(body).slice(0, 120)}`;
}

function expectEmptyObject(body: any): string | undefined {
  return body !== null && typeof body === 'object' && body.__type === undefined ? undefined : `unexpected body ${JSON.stringify(body).slice(0, 120)}`;
}

function expectCount(body: any, count: number): string | undefined {
  return body?.Count === count && body?.Items?.length === count ? undefined : `expected ${count} items, got Count=${body?.Count}`;
}

function getItem(i: number, sizes: DataSizes, consistent: boolean): BenchRequest {
  const body: Record<string, unknown> = { TableName: ITEMS_TABLE, Key: itemKey(spread(i, sizes.items)) };
  if (consistent) body.ConsistentRead = true;
  return { operation: 'GetItem', body };
}

function putItem(i: number, sizes: DataSizes, table = ITEMS_TABLE): BenchRequest {
  return { operation: 'PutItem', body: { TableName: table, Item: bigItem(spread(i, sizes.items)) } };
}

const MIXED_PUT_EVERY = 5; // one put in five: 80 % get / 20 % put

export const WORKLOADS: Workload[] = [
  {
    id: 'put', title: 'PutItem (1 KB)', singleItem: true, poolSize: 8192,
    build: (i, sizes) => putItem(i, sizes),
    check: expectEmptyObject,
  },
  {
    // Next to `put`: what a stream costs a write (target: at most 20 % of throughput).
    id: 'put-streamed', title: 'PutItem (1 KB), NEW_AND_OLD_IMAGES stream', singleItem: true, poolSize: 8192,
    build: (i, sizes) => {
      // Each put changes the item (a revision number), so each one writes a stream record.
      const request = putItem(i, sizes, STREAMED_TABLE);
      (request.body as { Item: Record<string, unknown> }).Item.rev = { N: String(i) };
      return request;
    },
    check: expectEmptyObject,
  },
  {
    id: 'get', title: 'GetItem (eventual)', singleItem: true, poolSize: 16384,
    build: (i, sizes) => getItem(i, sizes, false),
    check: (body, i, sizes) => expectItem(body, spread(i, sizes.items)),
  },
  {
    id: 'get-consistent', title: 'GetItem (consistent)', singleItem: true, poolSize: 16384,
    build: (i, sizes) => getItem(i, sizes, true),
    check: (body, i, sizes) => expectItem(body, spread(i, sizes.items)),
  },
  {
    id: 'update', title: 'UpdateItem (ADD counter, condition)', singleItem: true, poolSize: 16384,
    build: (i, sizes) => ({
      operation: 'UpdateItem',
      body: {
        TableName: ITEMS_TABLE,
        Key: itemKey(spread(i, sizes.items)),
        UpdateExpression: 'ADD #c :one',
        ConditionExpression: 'attribute_exists(#pk)',
        ExpressionAttributeNames: { '#c': 'counter', '#pk': 'pk' },
        ExpressionAttributeValues: { ':one': { N: '1' } },
        ReturnValues: 'UPDATED_NEW',
      },
    }),
    check: (body) => (typeof body?.Attributes?.counter?.N === 'string' ? undefined : `no counter in ${JSON.stringify(body).slice(0, 120)}`),
  },
  {
    id: 'query-100', title: 'Query one partition (100 items)', singleItem: false, poolSize: 4096,
    build: (i, sizes) => ({
      operation: 'Query',
      body: {
        TableName: RANGES_TABLE,
        KeyConditionExpression: 'pk = :p',
        ExpressionAttributeValues: { ':p': { S: partitionKeyValue(spread(i, sizes.partitions)) } },
      },
    }),
    check: (body, _i, sizes) => expectCount(body, sizes.perPartition),
  },
  {
    id: 'query-10', title: 'Query sort-key range, Limit 10', singleItem: false, poolSize: 16384,
    build: (i, sizes) => {
      const from = i % (sizes.perPartition - 20);
      return {
        operation: 'Query',
        body: {
          TableName: RANGES_TABLE,
          KeyConditionExpression: 'pk = :p AND sk BETWEEN :a AND :b',
          ExpressionAttributeValues: { ':p': { S: partitionKeyValue(spread(i, sizes.partitions)) }, ':a': { N: String(from) }, ':b': { N: String(from + 20) } },
          Limit: 10,
        },
      };
    },
    check: (body) => expectCount(body, 10),
  },
  {
    id: 'scan', title: 'Scan page (Limit 100)', singleItem: false, poolSize: 4096,
    build: (i, sizes) => {
      const body: Record<string, unknown> = { TableName: ITEMS_TABLE, Limit: 100 };
      // Pages start all over the table: a start key is any item's key.
      if (i % 8 !== 0) body.ExclusiveStartKey = itemKey(spread(i, sizes.items));
      return { operation: 'Scan', body };
    },
    check: (body) => {
      const count = body?.Count;
      return typeof count === 'number' && count > 0 && count <= 100 && body.Items?.length === count ? undefined : `bad page: Count=${count}`;
    },
  },
  {
    id: 'batch-write', title: 'BatchWriteItem (25 puts)', singleItem: false, poolSize: 1024,
    build: (i, sizes) => {
      const requests = [];
      for (let j = 0; j < 25; j++) requests.push({ PutRequest: { Item: bigItem((i * 25 + j) % sizes.items) } });
      return { operation: 'BatchWriteItem', body: { RequestItems: { [ITEMS_TABLE]: requests } } };
    },
    check: (body) => {
      const unprocessed = body?.UnprocessedItems;
      return unprocessed !== undefined && Object.keys(unprocessed).length === 0 ? undefined : `unprocessed items: ${JSON.stringify(unprocessed).slice(0, 120)}`;
    },
  },
  {
    id: 'batch-get', title: 'BatchGetItem (100 keys)', singleItem: false, poolSize: 2048,
    build: (i, sizes) => {
      const keys = [];
      for (let j = 0; j < 100; j++) keys.push(itemKey(spread(i * 100 + j, sizes.items)));
      return { operation: 'BatchGetItem', body: { RequestItems: { [ITEMS_TABLE]: { Keys: keys } } } };
    },
    check: (body) => {
      const items = body?.Responses?.[ITEMS_TABLE];
      const unprocessed = body?.UnprocessedKeys === undefined ? 0 : Object.keys(body.UnprocessedKeys).length;
      return Array.isArray(items) && items.length === 100 && unprocessed === 0 ? undefined : `got ${items?.length} items, ${unprocessed} unprocessed tables`;
    },
  },
  {
    id: 'transact-write', title: 'TransactWriteItems (4 actions)', singleItem: false, poolSize: 4096,
    build: (i, sizes) => {
      const key = (j: number) => (i * 4 + j) % sizes.items;
      return {
        operation: 'TransactWriteItems',
        body: {
          TransactItems: [
            { Put: { TableName: ITEMS_TABLE, Item: bigItem(key(0)) } },
            { Put: { TableName: ITEMS_TABLE, Item: bigItem(key(1)) } },
            {
              Update: {
                TableName: ITEMS_TABLE, Key: itemKey(key(2)), UpdateExpression: 'ADD #c :one',
                ExpressionAttributeNames: { '#c': 'counter' }, ExpressionAttributeValues: { ':one': { N: '1' } },
              },
            },
            {
              ConditionCheck: {
                TableName: ITEMS_TABLE, Key: itemKey(key(3)), ConditionExpression: 'attribute_exists(#pk)',
                ExpressionAttributeNames: { '#pk': 'pk' },
              },
            },
          ],
        },
      };
    },
    check: expectEmptyObject,
  },
  {
    id: 'mixed', title: 'Mixed 80 % GetItem / 20 % PutItem', singleItem: true, poolSize: 16384,
    build: (i, sizes) => (i % MIXED_PUT_EVERY === MIXED_PUT_EVERY - 1 ? putItem(i, sizes) : getItem(i, sizes, false)),
    check: (body, i, sizes) => (i % MIXED_PUT_EVERY === MIXED_PUT_EVERY - 1 ? expectEmptyObject(body) : expectItem(body, spread(i, sizes.items))),
  },
];

/** The scale check's query: one partition of 100 items among the first ten, table size varies. */
export const SCALE_QUERY: Workload = {
  id: 'scale-query', title: 'Query 100 items (scale check)', singleItem: false, poolSize: 1024,
  build: (i) => ({
    operation: 'Query',
    body: { TableName: SCALE_TABLE, KeyConditionExpression: 'pk = :p', ExpressionAttributeValues: { ':p': { S: partitionKeyValue(i % 10) } } },
  }),
  check: (body, _i, sizes) => expectCount(body, sizes.perPartition),
};

/** The PostgreSQL phase's table: rows about the size of pgbench's, which it stands beside. */
export const PG_TABLE = 'pgbench_items';
export const PG_ITEMS = 1000;

export function pgItem(n: number): Record<string, Record<string, string>> {
  return { pk: { S: `item-${n}` }, payload: { S: 'x'.repeat(100) }, n: { N: String(n) } };
}

/** GetItem and PutItem over the PostgreSQL phase's table (bench/postgres.ts). */
export const POSTGRES_WORKLOADS: Workload[] = [
  {
    id: 'pg-get', title: 'GetItem (PostgreSQL phase)', singleItem: true, poolSize: PG_ITEMS,
    build: (i) => ({ operation: 'GetItem', body: { TableName: PG_TABLE, Key: { pk: pgItem(spread(i, PG_ITEMS)).pk } } }),
    check: (body, i) => (body?.Item?.pk?.S === `item-${spread(i, PG_ITEMS)}` ? undefined : `expected Item item-${spread(i, PG_ITEMS)}, got ${JSON.stringify(body).slice(0, 120)}`),
  },
  {
    id: 'pg-put', title: 'PutItem (PostgreSQL phase)', singleItem: true, poolSize: PG_ITEMS,
    build: (i) => ({ operation: 'PutItem', body: { TableName: PG_TABLE, Item: pgItem(spread(i, PG_ITEMS)) } }),
    check: (body) => expectEmptyObject(body),
  },
];

export function findWorkload(id: string): Workload {
  const workload = [SCALE_QUERY, ...POSTGRES_WORKLOADS, ...WORKLOADS].find((w) => w.id === id);
  if (workload === undefined) throw new Error(`unknown workload ${id}`);
  return workload;
}
