/** PartiQL SELECT paging: 1 MB pages and Limit, NextToken (opaque, signed), capacity as the equivalent Query/Scan. */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { BatchWriteItemCommand, ExecuteStatementCommand, QueryCommand, ScanCommand, type AttributeValue } from '@aws-sdk/client-dynamodb';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createTable, expectError, startTestServer, type TestContext } from './helpers.js';

const ITEMS = 300;
const FILLER = 'x'.repeat(10_000);

describe('PartiQL paging', () => {
  let t: TestContext;
  const execute = (Statement: string, extra: Partial<ConstructorParameters<typeof ExecuteStatementCommand>[0]> = {}) =>
    t.client.send(new ExecuteStatementCommand({ Statement, ...extra }));

  /** Every page of a statement, following NextToken. */
  async function allPages(Statement: string, extra: Partial<ConstructorParameters<typeof ExecuteStatementCommand>[0]> = {}) {
    const pages: Record<string, AttributeValue>[][] = [];
    let NextToken: string | undefined;
    do {
      const out = await execute(Statement, { ...extra, NextToken });
      pages.push(out.Items!);
      NextToken = out.NextToken;
    } while (NextToken !== undefined);
    return pages;
  }

  before(async () => {
    t = await startTestServer({ inMemory: true });
    await createTable(t.client, 'big', ['pk', 'S'], ['sk', 'N']);
    // 300 items of ~10 KB: ~3 MB in all, 100 per partition.
    for (let i = 0; i < ITEMS; i += 25) {
      const puts = Array.from({ length: 25 }, (_, j) => ({
        PutRequest: { Item: { pk: { S: `p${(i + j) % 3}` }, sk: { N: String(i + j) }, filler: { S: FILLER } } },
      }));
      await t.client.send(new BatchWriteItemCommand({ RequestItems: { big: puts } }));
    }
  });
  after(() => t.close());

  it('a full-table SELECT over 3 MB comes in pages of at most 1 MB, every item exactly once', async () => {
    const pages = await allPages('SELECT * FROM big');
    assert.ok(pages.length >= 3, `expected at least 3 pages, got ${pages.length}`);
    for (const page of pages) assert.ok(JSON.stringify(page).length <= 1.1 * 1024 * 1024);
    const keys = pages.flat().map((i) => Number(i.sk!.N));
    assert.equal(keys.length, ITEMS);
    assert.equal(new Set(keys).size, ITEMS);
    // The same pages as Scan makes.
    const scanned = await t.client.send(new ScanCommand({ TableName: 'big' }));
    assert.deepEqual(pages[0], scanned.Items);
  });

  it('a partition SELECT pages like Query, and Limit bounds the items evaluated per page', async () => {
    const pages = await allPages(`SELECT sk FROM big WHERE pk = 'p1'`);
    const queried = await t.client.send(new QueryCommand({ TableName: 'big', KeyConditionExpression: 'pk = :p', ExpressionAttributeValues: { ':p': { S: 'p1' } }, ProjectionExpression: 'sk' }));
    assert.deepEqual(pages[0], queried.Items);
    assert.equal(pages.flat().length, 100);
    const limited = await allPages(`SELECT sk FROM big WHERE pk = 'p1' AND sk < 40`, { Limit: 4 });
    assert.ok(limited.every((p) => p.length <= 4));
    assert.deepEqual(limited.flat().map((i) => Number(i.sk!.N)), [1, 4, 7, 10, 13, 16, 19, 22, 25, 28, 31, 34, 37]);
  });

  it('pages across several partitions (IN) continue from partition to partition', async () => {
    const pages = await allPages(`SELECT sk FROM big WHERE pk IN ['p2', 'p0'] AND sk < 30 ORDER BY pk DESC`, { Limit: 7 });
    const keys = pages.flat().map((i) => Number(i.sk!.N));
    assert.deepEqual(keys, [2, 5, 8, 11, 14, 17, 20, 23, 26, 29, 0, 3, 6, 9, 12, 15, 18, 21, 24, 27]);
    const whole = await allPages(`SELECT * FROM big WHERE pk IN ['p0', 'p1', 'p2']`);
    assert.equal(whole.flat().length, ITEMS);
    assert.ok(whole.length >= 3);
  });

  it('a filtered read evaluates Limit items and may return fewer (or none) with a NextToken', async () => {
    const out = await execute(`SELECT sk FROM big WHERE sk = 5`, { Limit: 3 });
    assert.ok(out.Items!.length <= 3);
    assert.ok(out.NextToken !== undefined);
    assert.ok(out.LastEvaluatedKey !== undefined);
  });

  it('refuses a NextToken that was altered, or that belongs to another statement', async () => {
    const first = await execute('SELECT * FROM big', { Limit: 2 });
    const token = first.NextToken!;
    const [payload, mac] = token.split('.') as [string, string];
    const forged = Buffer.from(JSON.stringify({ ...JSON.parse(Buffer.from(payload, 'base64url').toString()), k: { pk: { S: 'p0' }, sk: { N: '0' } } })).toString('base64url');
    await expectError(execute('SELECT * FROM big', { NextToken: `${forged}.${mac}` }), 'ValidationException', 'Invalid NextToken');
    await expectError(execute('SELECT * FROM big', { NextToken: 'garbage' }), 'ValidationException', 'Invalid NextToken');
    await expectError(execute(`SELECT * FROM big WHERE sk > 1`, { NextToken: token }), 'ValidationException');
    const second = await execute('SELECT * FROM big', { Limit: 2, NextToken: token });
    assert.equal(second.Items!.length, 2);
    assert.notDeepEqual(second.Items, first.Items);
  });

  it('consumes what the equivalent Query or Scan consumes, with ConsistentRead doubling it', async () => {
    const select = await execute(`SELECT * FROM big WHERE pk = 'p0' AND sk < 30`, { ReturnConsumedCapacity: 'TOTAL' });
    const query = await t.client.send(new QueryCommand({
      TableName: 'big', KeyConditionExpression: 'pk = :p AND sk < :s', ExpressionAttributeValues: { ':p': { S: 'p0' }, ':s': { N: '30' } }, ReturnConsumedCapacity: 'TOTAL',
    }));
    assert.deepEqual(select.ConsumedCapacity, query.ConsumedCapacity);
    const strong = await execute(`SELECT * FROM big WHERE pk = 'p0' AND sk < 30`, { ReturnConsumedCapacity: 'TOTAL', ConsistentRead: true });
    assert.equal(strong.ConsumedCapacity!.CapacityUnits, 2 * query.ConsumedCapacity!.CapacityUnits!);
    const scan = await execute('SELECT * FROM big', { ReturnConsumedCapacity: 'INDEXES', Limit: 10 });
    const scanned = await t.client.send(new ScanCommand({ TableName: 'big', ReturnConsumedCapacity: 'INDEXES', Limit: 10 }));
    assert.deepEqual(scan.ConsumedCapacity, scanned.ConsumedCapacity);
    const write = await execute(`UPDATE big SET n = 1 WHERE pk = 'p0' AND sk = 0`, { ReturnConsumedCapacity: 'TOTAL' });
    assert.equal(write.ConsumedCapacity!.TableName, 'big');
    assert.equal(write.ConsumedCapacity!.CapacityUnits, 10);
  });

  it('a NextToken stays valid across a restart: its signing secret is kept in the store', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'openddb-partiql-'));
    try {
      const first = await startTestServer({ dataDir: dir });
      await createTable(first.client, 'kept', ['id', 'S']);
      for (let i = 0; i < 5; i++) await first.client.send(new ExecuteStatementCommand({ Statement: `INSERT INTO kept VALUE {'id': '${i}'}` }));
      const page = await first.client.send(new ExecuteStatementCommand({ Statement: 'SELECT * FROM kept', Limit: 2 }));
      await first.close();
      const second = await startTestServer({ dataDir: dir });
      try {
        const rest = await second.client.send(new ExecuteStatementCommand({ Statement: 'SELECT * FROM kept', NextToken: page.NextToken }));
        assert.equal(page.Items!.length + rest.Items!.length, 5);
      } finally {
        await second.close();
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('an IN over partition keys reads at most 10 of them per page, and at most 50 in all', async () => {
    await createTable(t.client, 'many', ['id', 'S']);
    const ids = Array.from({ length: 25 }, (_, i) => `k${i}`);
    for (const id of ids) await execute(`INSERT INTO many VALUE {'id': '${id}'}`);
    const list = ids.map((id) => `'${id}'`).join(', ');
    const pages = await allPages(`SELECT id FROM many WHERE id IN [${list}]`);
    assert.deepEqual(pages.map((p) => p.length), [10, 10, 5]);
    assert.deepEqual(pages.flat().map((i) => i.id!.S), ids);
    const tooMany = Array.from({ length: 51 }, (_, i) => `'x${i}'`).join(', ');
    await expectError(execute(`SELECT * FROM many WHERE id IN [${tooMany}]`), 'ValidationException', 'The IN operator supports at most 50 partition key values');
  });
});
