/** Query paging: Limit, the 1 MB page, filters and projections, LastEvaluatedKey / ExclusiveStartKey round trips. */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { QueryCommand as LowQuery, type QueryCommandInput } from '@aws-sdk/client-dynamodb';
import { paginateQuery } from '@aws-sdk/lib-dynamodb';
import { itemSize } from '../src/values/size.js';
import type { Item as WireItem } from '../src/values/types.js';
import { createTable, expectError, startTestServer, type TestContext } from './helpers.js';
import { allItems, filler, putAll, queryPages, type Item } from './query.helpers.js';

const SMALL = 20;
const BIG = 25;
const BIG_BYTES = 100_000;
const MB = 1024 * 1024;

describe('query paging', () => {
  let t: TestContext;
  const small = (extra: Omit<QueryCommandInput, 'TableName'> = {}): QueryCommandInput => ({
    TableName: 'paged', KeyConditionExpression: 'pk = :p', ExpressionAttributeValues: { ':p': { S: 's' } }, ...extra,
  });
  const big = (extra: Partial<QueryCommandInput> = {}): QueryCommandInput => ({
    TableName: 'paged', KeyConditionExpression: 'pk = :p', ...extra,
    ExpressionAttributeValues: { ':p': { S: 'b' }, ...extra.ExpressionAttributeValues },
  });
  const sks = (items: Item[]) => items.map((i) => Number(i.sk!.N));
  const bigItems: Item[] = Array.from({ length: BIG }, (_, i) => ({
    pk: { S: 'b' }, sk: { N: String(i) }, even: { BOOL: i % 2 === 0 }, data: { S: filler(BIG_BYTES + i) },
  }));
  const sizes = bigItems.map((item) => itemSize(item as WireItem));

  before(async () => {
    t = await startTestServer();
    await createTable(t.client, 'paged', ['pk', 'S'], ['sk', 'N']);
    await putAll(t, 'paged', Array.from({ length: SMALL }, (_, i) => ({ pk: { S: 's' }, sk: { N: String(i) }, even: { BOOL: i % 2 === 0 } })));
    await putAll(t, 'paged', bigItems, 8);
    // Other partitions on both sides must not show up.
    await putAll(t, 'paged', [{ pk: { S: 'a' }, sk: { N: '1' } }, { pk: { S: 'c' }, sk: { N: '1' } }, { pk: { S: 't' }, sk: { N: '1' } }]);
  });
  after(() => t.close());

  it('pages by Limit, forward and backward, for every page size', async () => {
    const expected = Array.from({ length: SMALL }, (_, i) => i);
    for (const limit of [1, 2, 3, 7, 19, 20, 21, 100]) {
      for (const forward of [true, false]) {
        const pages = await queryPages(t, small({ Limit: limit, ScanIndexForward: forward }));
        assert.deepEqual(sks(allItems(pages)), forward ? expected : [...expected].reverse(), `limit ${limit}`);
        // A page cut by Limit carries LastEvaluatedKey, even when nothing follows.
        const fullPages = Math.floor(SMALL / limit);
        assert.equal(pages.length, fullPages + 1, `limit ${limit} pages`);
        for (const [i, page] of pages.entries()) {
          assert.equal(page.Count, i < fullPages ? limit : SMALL % limit);
          assert.equal(page.LastEvaluatedKey !== undefined, i < fullPages);
          if (page.LastEvaluatedKey) assert.deepEqual(page.LastEvaluatedKey, { pk: { S: 's' }, sk: page.Items!.at(-1)!.sk });
        }
      }
    }
  });

  it('counts Limit on items read, not on items that pass the filter', async () => {
    const pages = await queryPages(t, small({ Limit: 3, FilterExpression: 'even = :t', ExpressionAttributeValues: { ':p': { S: 's' }, ':t': { BOOL: true } } }));
    assert.deepEqual(sks(allItems(pages)), [0, 2, 4, 6, 8, 10, 12, 14, 16, 18]);
    assert.deepEqual(pages.map((p) => p.ScannedCount), [3, 3, 3, 3, 3, 3, 2]);
    assert.deepEqual(pages.map((p) => p.Count), [2, 1, 2, 1, 2, 1, 1]);
    // A page whose items are all filtered out still continues.
    const none = await queryPages(t, small({ Limit: 5, FilterExpression: 'attribute_exists(nothing)' }));
    assert.deepEqual(none.map((p) => [p.Count, p.ScannedCount, p.LastEvaluatedKey !== undefined]), [[0, 5, true], [0, 5, true], [0, 5, true], [0, 5, true], [0, 0, false]]);
  });

  it('keeps the full key in LastEvaluatedKey whatever the projection', async () => {
    const pages = await queryPages(t, small({ Limit: 6, ProjectionExpression: 'even', ScanIndexForward: false }));
    assert.equal(allItems(pages).length, SMALL);
    assert.ok(allItems(pages).every((i) => Object.keys(i).join() === 'even'));
    assert.deepEqual(pages[0]!.LastEvaluatedKey, { pk: { S: 's' }, sk: { N: '14' } });
    const counted = await queryPages(t, small({ Limit: 6, Select: 'COUNT' }));
    assert.deepEqual(counted.map((p) => p.Count), [6, 6, 6, 2]);
    assert.ok(counted.every((p) => p.Items === undefined));
  });

  it('ends a page once 1 MB of items has been read, counting the item that crosses it', async () => {
    const pages = await queryPages(t, big());
    const expectedPages: number[][] = [];
    let page: number[] = [];
    let bytes = 0;
    for (let i = 0; i < BIG; i++) {
      page.push(i);
      bytes += sizes[i]!;
      if (bytes >= MB) {
        expectedPages.push(page);
        page = [];
        bytes = 0;
      }
    }
    expectedPages.push(page);
    assert.ok(expectedPages.length >= 3);
    assert.deepEqual(pages.map((p) => sks(p.Items!)), expectedPages);
    assert.deepEqual(pages.map((p) => p.LastEvaluatedKey !== undefined), expectedPages.map((_, i) => i < expectedPages.length - 1));
  });

  it('reports LastEvaluatedKey when 1 MB is reached on the last item of the range', async () => {
    let fits = 0;
    for (let bytes = 0; bytes < MB; fits++) bytes += sizes[fits]!;
    const pages = await queryPages(t, big({
      KeyConditionExpression: 'pk = :p AND sk BETWEEN :a AND :b', ExpressionAttributeValues: { ':a': { N: '0' }, ':b': { N: String(fits - 1) } },
    }));
    assert.deepEqual(pages.map((p) => p.Count), [fits, 0]);
    assert.deepEqual(pages[0]!.LastEvaluatedKey, { pk: { S: 'b' }, sk: { N: String(fits - 1) } });
    assert.equal(pages[1]!.LastEvaluatedKey, undefined);
  });

  it('sizes the 1 MB page before filter and projection, and charges for what was read', async () => {
    const plain = await queryPages(t, big({ ReturnConsumedCapacity: 'TOTAL', ConsistentRead: true }));
    const filtered = await queryPages(t, big({
      FilterExpression: 'even = :t', ProjectionExpression: 'sk', ExpressionAttributeValues: { ':t': { BOOL: true } },
      ReturnConsumedCapacity: 'TOTAL', ConsistentRead: true,
    }));
    assert.deepEqual(filtered.map((p) => p.ScannedCount), plain.map((p) => p.ScannedCount));
    assert.deepEqual(filtered.map((p) => p.LastEvaluatedKey), plain.map((p) => p.LastEvaluatedKey));
    assert.deepEqual(sks(allItems(filtered)), sks(allItems(plain)).filter((n) => n % 2 === 0));
    assert.deepEqual(allItems(filtered)[0], { sk: { N: '0' } });
    let offset = 0;
    for (const [i, p] of plain.entries()) {
      const read = sizes.slice(offset, offset + p.ScannedCount!).reduce((a, b) => a + b, 0);
      offset += p.ScannedCount!;
      const units = Math.ceil(read / 4096);
      assert.equal(p.ConsumedCapacity!.CapacityUnits, units);
      assert.equal(filtered[i]!.ConsumedCapacity!.CapacityUnits, units);
    }
    const eventual = await t.client.send(new LowQuery(big({ ReturnConsumedCapacity: 'TOTAL' })));
    assert.equal(eventual.ConsumedCapacity!.CapacityUnits, plain[0]!.ConsumedCapacity!.CapacityUnits! / 2);
  });

  it('cuts by whichever comes first, Limit or 1 MB', async () => {
    const limited = await queryPages(t, big({ Limit: 4, ProjectionExpression: 'sk' }));
    assert.deepEqual(limited.map((p) => p.Count), [4, 4, 4, 4, 4, 4, 1]);
    const wide = await queryPages(t, big({ Limit: 20, ScanIndexForward: false }));
    assert.equal(wide[0]!.Count, plainFirstPage(sizes.slice().reverse()));
    assert.deepEqual(sks(allItems(wide)), Array.from({ length: BIG }, (_, i) => BIG - 1 - i));
  });

  it('pages with the DocumentClient paginator', async () => {
    const seen: number[] = [];
    for await (const page of paginateQuery({ client: t.doc, pageSize: 6 }, {
      TableName: 'paged', KeyConditionExpression: 'pk = :p AND sk BETWEEN :a AND :b', ExpressionAttributeValues: { ':p': 's', ':a': 3, ':b': 17 },
    })) {
      seen.push(...page.Items!.map((i) => i.sk as number));
    }
    assert.deepEqual(seen, Array.from({ length: 15 }, (_, i) => i + 3));
  });

  describe('ExclusiveStartKey', () => {
    const from = (sk: number, extra: Omit<QueryCommandInput, 'TableName'> = {}) =>
      t.client.send(new LowQuery(small({ ExclusiveStartKey: { pk: { S: 's' }, sk: { N: String(sk) } }, ...extra })));
    const range = (cond: string, values: Record<string, { N: string }>, sk: number, forward = true) =>
      t.client.send(new LowQuery(small({
        KeyConditionExpression: `pk = :p AND ${cond}`, ExpressionAttributeValues: { ':p': { S: 's' }, ...values },
        ExclusiveStartKey: { pk: { S: 's' }, sk: { N: String(sk) } }, ScanIndexForward: forward,
      })));
    const n = (v: number) => ({ N: String(v) });
    const PREDICATE = 'The provided starting key does not match the range key predicate';

    it('continues strictly after the start key, which need not exist', async () => {
      assert.deepEqual(sks((await from(4)).Items!), Array.from({ length: 15 }, (_, i) => i + 5));
      assert.deepEqual(sks((await from(4, { ScanIndexForward: false })).Items!), [3, 2, 1, 0]);
      assert.deepEqual(sks((await from(4.5 as number)).Items!), Array.from({ length: 15 }, (_, i) => i + 5));
      assert.deepEqual(sks((await from(-1, { ScanIndexForward: false })).Items!), []);
      assert.deepEqual(sks((await from(100)).Items!), []);
    });

    it('must satisfy the sort-key condition', async () => {
      assert.deepEqual(sks((await range('sk >= :a', { ':a': n(10) }, 10)).Items!), Array.from({ length: 9 }, (_, i) => i + 11));
      assert.deepEqual(sks((await range('sk >= :a', { ':a': n(10) }, 15, false)).Items!), [14, 13, 12, 11, 10]);
      assert.deepEqual(sks((await range('sk BETWEEN :a AND :b', { ':a': n(3), ':b': n(8) }, 5)).Items!), [6, 7, 8]);
      assert.deepEqual(sks((await range('sk < :a', { ':a': n(8) }, 7, false)).Items!), [6, 5, 4, 3, 2, 1, 0]);
      assert.deepEqual(sks((await range('sk = :a', { ':a': n(8) }, 8)).Items!), []);
      await expectError(range('sk >= :a', { ':a': n(10) }, 9), 'ValidationException', PREDICATE);
      await expectError(range('sk >= :a', { ':a': n(10) }, 10, false), 'ValidationException', PREDICATE);
      await expectError(range('sk > :a', { ':a': n(10) }, 9), 'ValidationException', PREDICATE);
      await expectError(range('sk <= :a', { ':a': n(10) }, 11, false), 'ValidationException', PREDICATE);
      assert.deepEqual(sks((await range('sk <= :a', { ':a': n(10) }, 10)).Items!), []);
      assert.deepEqual(sks((await range('sk <= :a', { ':a': n(3) }, 3, false)).Items!), [2, 1, 0]);
      await expectError(range('sk BETWEEN :a AND :b', { ':a': n(3), ':b': n(8) }, 3, false), 'ValidationException', PREDICATE);
      await expectError(range('sk < :a', { ':a': n(8) }, 8), 'ValidationException', PREDICATE);
      await expectError(range('sk BETWEEN :a AND :b', { ':a': n(3), ':b': n(8) }, 9), 'ValidationException', PREDICATE);
      await expectError(range('sk = :a', { ':a': n(8) }, 7), 'ValidationException', PREDICATE);
      assert.deepEqual(sks((await range('sk = :a', { ':a': n(8) }, 8, false)).Items!), []);
    });
  });
});

/** How many items of these sizes the first page holds. */
function plainFirstPage(sizes: number[]): number {
  let bytes = 0;
  for (let i = 0; i < sizes.length; i++) {
    bytes += sizes[i]!;
    if (bytes >= MB) return i + 1;
  }
  return sizes.length;
}
