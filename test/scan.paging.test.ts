/** Scan: the seed's example, filters (expression and legacy), projections, Select, and paging by Limit and 1 MB. */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { ScanCommand as LowScan, type ScanCommandInput } from '@aws-sdk/client-dynamodb';
import { PutCommand, ScanCommand, paginateScan } from '@aws-sdk/lib-dynamodb';
import { itemSize } from '../src/values/size.js';
import type { Item as WireItem } from '../src/values/types.js';
import { createTable, expectError, startTestServer, type TestContext } from './helpers.js';
import { allItems, filler, putAll, scanPages, type Item } from './query.helpers.js';

const MB = 1024 * 1024;

describe('scan', () => {
  let t: TestContext;
  const scan = (input: Omit<ScanCommandInput, 'TableName'> & { TableName?: string }) => t.client.send(new LowScan({ TableName: 'nums', ...input }));
  const ids = (items: Item[] | undefined) => (items ?? []).map((i) => Number(i.id!.N)).sort((a, b) => a - b);
  const bigItems: Item[] = Array.from({ length: 24 }, (_, i) => ({ id: { N: String(i) }, even: { BOOL: i % 2 === 0 }, data: { S: filler(100_000) } }));

  before(async () => {
    t = await startTestServer();
    await createTable(t.client, 'users', ['username', 'S'], ['last_name', 'S']);
    await createTable(t.client, 'nums', ['id', 'N']);
    await createTable(t.client, 'big', ['id', 'N']);
    await createTable(t.client, 'empty', ['id', 'S']);
    const people: [string, string, number][] = [['johndoe', 'Doe', 30], ['janedoe', 'Doe', 25], ['bob', 'Brown', 26], ['alice', 'Smith', 27], ['carol', 'Jones', 41]];
    for (const [username, last_name, age] of people) {
      await t.doc.send(new PutCommand({ TableName: 'users', Item: { username, last_name, age } }));
    }
    await putAll(t, 'nums', Array.from({ length: 50 }, (_, i) => ({ id: { N: String(i) }, mod: { N: String(i % 5) }, name: { S: `n${i}` } })));
    await putAll(t, 'big', bigItems, 8);
  });
  after(() => t.close());

  it("runs the seed's scan: Attr('age').lt(27)", async () => {
    const doc = await t.doc.send(new ScanCommand({ TableName: 'users', FilterExpression: 'age < :a', ExpressionAttributeValues: { ':a': 27 } }));
    assert.deepEqual(doc.Items!.map((i) => i.username).sort(), ['bob', 'janedoe']);
    assert.equal(doc.Count, 2);
    assert.equal(doc.ScannedCount, 5);
    assert.equal(doc.LastEvaluatedKey, undefined);
    const low = await t.client.send(new LowScan({
      TableName: 'users', FilterExpression: '#a < :a', ExpressionAttributeNames: { '#a': 'age' }, ExpressionAttributeValues: { ':a': { N: '27' } },
    }));
    assert.deepEqual(low.Items!.map((i) => i.username!.S).sort(), ['bob', 'janedoe']);
    const all = await t.doc.send(new ScanCommand({ TableName: 'users' }));
    assert.equal(all.Items!.length, 5);
    assert.deepEqual(all.Items!.find((i) => i.username === 'carol'), { username: 'carol', last_name: 'Jones', age: 41 });
  });

  it('filters with ScanFilter and ConditionalOperator', async () => {
    const and = await scan({ ScanFilter: { mod: { ComparisonOperator: 'EQ', AttributeValueList: [{ N: '0' }] }, id: { ComparisonOperator: 'LT', AttributeValueList: [{ N: '20' }] } } });
    assert.deepEqual(ids(and.Items), [0, 5, 10, 15]);
    assert.equal(and.ScannedCount, 50);
    const or = await scan({
      ScanFilter: { mod: { ComparisonOperator: 'EQ', AttributeValueList: [{ N: '0' }] }, id: { ComparisonOperator: 'LT', AttributeValueList: [{ N: '3' }] } },
      ConditionalOperator: 'OR',
    });
    assert.deepEqual(ids(or.Items), [0, 1, 2, 5, 10, 15, 20, 25, 30, 35, 40, 45]);
    const between = await scan({ ScanFilter: { id: { ComparisonOperator: 'BETWEEN', AttributeValueList: [{ N: '10' }, { N: '12' }] } } });
    assert.deepEqual(ids(between.Items), [10, 11, 12]);
    const prefix = await scan({ ScanFilter: { name: { ComparisonOperator: 'BEGINS_WITH', AttributeValueList: [{ S: 'n4' }] } } });
    assert.deepEqual(ids(prefix.Items), [4, 40, 41, 42, 43, 44, 45, 46, 47, 48, 49]);
  });

  it('projects and counts', async () => {
    const projected = await scan({ ProjectionExpression: 'id', FilterExpression: '#m = :m', ExpressionAttributeNames: { '#m': 'mod' }, ExpressionAttributeValues: { ':m': { N: '4' } } });
    assert.ok(projected.Items!.every((i) => Object.keys(i).join() === 'id'));
    assert.deepEqual(ids(projected.Items), [4, 9, 14, 19, 24, 29, 34, 39, 44, 49]);
    const legacy = await scan({ AttributesToGet: ['name'], Limit: 2 });
    assert.ok(legacy.Items!.every((i) => Object.keys(i).join() === 'name'));
    assert.ok(legacy.LastEvaluatedKey!.id);
    const counted = await scan({ Select: 'COUNT', FilterExpression: '#m = :m', ExpressionAttributeNames: { '#m': 'mod' }, ExpressionAttributeValues: { ':m': { N: '1' } } });
    assert.deepEqual([counted.Items, counted.Count, counted.ScannedCount], [undefined, 10, 50]);
    const empty = await scan({ TableName: 'empty', ReturnConsumedCapacity: 'TOTAL' });
    assert.deepEqual([empty.Items, empty.Count, empty.ScannedCount, empty.LastEvaluatedKey], [[], 0, 0, undefined]);
    assert.equal(empty.ConsumedCapacity!.CapacityUnits, 0.5);
  });

  it('pages by Limit with and without a filter, also with the DocumentClient paginator', async () => {
    for (const limit of [1, 7, 49, 50, 51]) {
      const pages = await scanPages(t, { TableName: 'nums', Limit: limit });
      assert.deepEqual(ids(allItems(pages)), Array.from({ length: 50 }, (_, i) => i), `limit ${limit}`);
      assert.equal(pages.length, Math.floor(50 / limit) + 1);
      assert.equal(pages.at(-1)!.LastEvaluatedKey, undefined);
      assert.ok(pages.slice(0, -1).every((p) => p.LastEvaluatedKey !== undefined && p.ScannedCount === limit));
    }
    const filtered = await scanPages(t, { TableName: 'nums', Limit: 10, FilterExpression: '#m = :m', ExpressionAttributeNames: { '#m': 'mod' }, ExpressionAttributeValues: { ':m': { N: '3' } } });
    assert.deepEqual(filtered.map((p) => p.ScannedCount), [10, 10, 10, 10, 10, 0]);
    assert.deepEqual(ids(allItems(filtered)), [3, 8, 13, 18, 23, 28, 33, 38, 43, 48]);
    const seen: number[] = [];
    for await (const page of paginateScan({ client: t.doc, pageSize: 8 }, { TableName: 'nums', ProjectionExpression: 'id' })) {
      seen.push(...page.Items!.map((i) => i.id as number));
    }
    assert.deepEqual(seen.sort((a, b) => a - b), Array.from({ length: 50 }, (_, i) => i));
  });

  it('ends pages at 1 MB read, before filter and projection, and charges per page', async () => {
    const plain = await scanPages(t, { TableName: 'big', ReturnConsumedCapacity: 'TOTAL' });
    const filtered = await scanPages(t, {
      TableName: 'big', FilterExpression: 'even = :t', ProjectionExpression: 'id', ExpressionAttributeValues: { ':t': { BOOL: true } }, ReturnConsumedCapacity: 'TOTAL',
    });
    const size = itemSize(bigItems[10] as WireItem);
    const perPage = Math.ceil(MB / size);
    assert.deepEqual(plain.map((p) => p.ScannedCount), [perPage, perPage, 24 - 2 * perPage]);
    assert.deepEqual(filtered.map((p) => p.ScannedCount), plain.map((p) => p.ScannedCount));
    assert.deepEqual(filtered.map((p) => p.LastEvaluatedKey), plain.map((p) => p.LastEvaluatedKey));
    assert.deepEqual(ids(allItems(filtered)), Array.from({ length: 12 }, (_, i) => 2 * i));
    for (const [i, p] of plain.entries()) {
      // Item sizes vary by a byte or two with the id; sum what each page read.
      const read = allItems([p]).reduce((sum, item) => sum + itemSize(item as WireItem), 0);
      assert.equal(p.ConsumedCapacity!.CapacityUnits, Math.ceil(read / 4096) / 2);
      assert.deepEqual(filtered[i]!.ConsumedCapacity, p.ConsumedCapacity);
    }
    const limited = await t.client.send(new LowScan({ TableName: 'big', Limit: 3, ConsistentRead: true, ReturnConsumedCapacity: 'TOTAL' }));
    assert.equal(limited.Count, 3);
    assert.equal(limited.ConsumedCapacity!.CapacityUnits, Math.ceil(allItems([limited]).reduce((s, item) => s + itemSize(item as WireItem), 0) / 4096));
  });

  it('validates its parameters', async () => {
    await expectError(scan({ ExclusiveStartKey: { nope: { N: '1' } } }), 'ValidationException', 'The provided starting key is invalid: The provided key element does not match the schema');
    await expectError(scan({ ExclusiveStartKey: { id: { S: '1' } } }), 'ValidationException', 'The provided starting key is invalid: The provided key element does not match the schema');
    await expectError(scan({ Select: 'SPECIFIC_ATTRIBUTES' }), 'ValidationException', 'Must specify the AttributesToGet or ProjectionExpression when choosing to get SPECIFIC_ATTRIBUTES');
    await expectError(scan({ Select: 'COUNT', AttributesToGet: ['id'] }), 'ValidationException', 'Cannot specify the AttributesToGet when choosing to get COUNT');
    await expectError(scan({ Select: 'ALL_PROJECTED_ATTRIBUTES' }), 'ValidationException', 'ALL_PROJECTED_ATTRIBUTES can be used only when Querying using an IndexName');
    await expectError(scan({ FilterExpression: 'id = :v', ScanFilter: { id: { ComparisonOperator: 'NULL' } }, ExpressionAttributeValues: { ':v': { N: '1' } } }), 'ValidationException',
      'Can not use both expression and non-expression parameters in the same request: Non-expression parameters: {ScanFilter} Expression parameters: {FilterExpression}');
    await expectError(scan({ TableName: 'missing' }), 'ResourceNotFoundException', 'Requested resource not found');
    // A scan may filter on key attributes, unlike a query.
    const byKey = await scan({ FilterExpression: 'id = :v', ExpressionAttributeValues: { ':v': { N: '7' } } });
    assert.deepEqual(ids(byKey.Items), [7]);
  });
});
