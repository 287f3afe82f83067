/**
 * OneTable (dynamodb-onetable v2.7) works against OpenDDB unchanged, through an SDK v3
 * DynamoDBClient: OneTable creates its own single table (pk/sk plus a gsi1), and two models
 * in it are created, read, found by sort-key conditions on the table and on the GSI, updated
 * (set, add, remove, push), conditionally created (and refused), removed, batch-written and
 * batch-read, written in transactions (committed and canceled), paged with limit/next,
 * scanned with a where clause, kept unique through OneTable's hidden unique items, and
 * finally the table is deleted; every answer carries the values DynamoDB would give.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { DescribeTableCommand, GetItemCommand, ListTablesCommand, ScanCommand } from '@aws-sdk/client-dynamodb';
import { OneTableError, Table } from 'dynamodb-onetable';
import { startTestServer, type TestContext } from './helpers.js';

const TABLE = 'onetable_shop';

const schema = {
  format: 'onetable:1.1.0',
  version: '0.0.1',
  indexes: {
    primary: { hash: 'pk', sort: 'sk' },
    gsi1: { hash: 'gsi1pk', sort: 'gsi1sk', project: 'all' },
  },
  models: {
    Account: {
      pk: { type: String, value: 'account#${id}' },
      sk: { type: String, value: 'account#' },
      id: { type: String, required: true },
      name: { type: String, required: true },
      email: { type: String, required: true, unique: true },
      plan: { type: String, enum: ['free', 'pro'], default: 'free' },
      gsi1pk: { type: String, value: 'plan#${plan}' },
      gsi1sk: { type: String, value: 'account#${name}' },
    },
    Order: {
      pk: { type: String, value: 'account#${accountId}' },
      sk: { type: String, value: 'order#${orderId}' },
      accountId: { type: String, required: true },
      orderId: { type: String, required: true },
      total: { type: Number, required: true },
      status: { type: String, enum: ['open', 'shipped'], required: true },
      placed: { type: String, required: true },
      items: { type: Number, default: 1 },
      notes: { type: String },
      tags: { type: Array },
      gsi1pk: { type: String, value: 'status#${status}' },
      gsi1sk: { type: String, value: 'placed#${placed}#${orderId}' },
    },
  } as const,
  params: { isoDates: true, timestamps: true },
};

/** Orders o01..o10 of account a1: totals 10..100, even ones shipped, placed on 2024-01-01..10. */
const a1Orders = Array.from({ length: 10 }, (_, i) => {
  const n = i + 1;
  const dd = String(n).padStart(2, '0');
  return { accountId: 'a1', orderId: `o${dd}`, total: n * 10, status: n % 2 === 0 ? 'shipped' as const : 'open' as const, placed: `2024-01-${dd}` };
});

/** Runs `promise`, expects it to reject with a OneTableError; returns the error. */
async function oneTableError(promise: Promise<unknown>): Promise<OneTableError & { context: any }> {
  try {
    await promise;
  } catch (err) {
    assert.ok(err instanceof OneTableError, `expected a OneTableError, got ${(err as Error).name}: ${(err as Error).message}`);
    return err as OneTableError & { context: any };
  }
  throw new Error('expected a OneTableError but the call succeeded');
}

describe('OneTable against OpenDDB', () => {
  let t: TestContext;
  let table: Table<typeof schema>;
  let Account: ReturnType<typeof accountModel>;
  let Order: ReturnType<typeof orderModel>;
  const accountModel = () => table.getModel('Account');
  const orderModel = () => table.getModel('Order');

  before(async () => {
    t = await startTestServer();
    table = new Table({ client: t.client, name: TABLE, schema, partial: false });
    Account = accountModel();
    Order = orderModel();
  });
  after(() => t.close());

  it('creates its table from the schema: keys, attribute types and the GSI', async () => {
    await table.createTable();
    const { Table: desc } = await t.client.send(new DescribeTableCommand({ TableName: TABLE }));
    assert.equal(desc!.TableStatus, 'ACTIVE');
    assert.equal(desc!.BillingModeSummary?.BillingMode, 'PAY_PER_REQUEST');
    assert.deepEqual(desc!.KeySchema, [{ AttributeName: 'pk', KeyType: 'HASH' }, { AttributeName: 'sk', KeyType: 'RANGE' }]);
    assert.deepEqual(
      [...desc!.AttributeDefinitions!].sort((a, b) => a.AttributeName!.localeCompare(b.AttributeName!)),
      ['gsi1pk', 'gsi1sk', 'pk', 'sk'].map((AttributeName) => ({ AttributeName, AttributeType: 'S' })),
    );
    const [gsi] = desc!.GlobalSecondaryIndexes!;
    assert.equal(gsi.IndexName, 'gsi1');
    assert.deepEqual(gsi.KeySchema, [{ AttributeName: 'gsi1pk', KeyType: 'HASH' }, { AttributeName: 'gsi1sk', KeyType: 'RANGE' }]);
    assert.equal(gsi.Projection!.ProjectionType, 'ALL');
    assert.equal(await table.exists(), true);
  });

  it('creates and gets items, storing the keys its templates compute', async () => {
    const account = await Account.create({ id: 'a1', name: 'Acme', email: 'ops@acme.test' });
    assert.equal(account.id, 'a1');
    assert.equal(account.plan, 'free');
    for (const order of a1Orders) await Order.create(order);

    const got = await Order.get({ accountId: 'a1', orderId: 'o03' });
    assert.equal(got!.total, 30);
    assert.equal(got!.status, 'open');
    assert.equal(got!.items, 1);
    assert.equal(got!.placed, '2024-01-03');
    assert.equal(await Order.get({ accountId: 'a1', orderId: 'o99' }), undefined);

    const { Item } = await t.client.send(new GetItemCommand({ TableName: TABLE, Key: { pk: { S: 'account#a1' }, sk: { S: 'order#o03' } } }));
    assert.equal(Item!._type.S, 'Order');
    assert.equal(Item!.gsi1pk.S, 'status#open');
    assert.equal(Item!.gsi1sk.S, 'placed#2024-01-03#o03');
    assert.equal(Item!.total.N, '30');
    assert.match(Item!.created.S!, /^\d{4}-\d\d-\d\dT/);
  });

  it('finds by sort-key conditions (begins_with, between) on the table', async () => {
    const orders = await Order.find({ accountId: 'a1', sk: { begins_with: 'order#' } });
    assert.deepEqual(orders.map((o) => o.orderId), a1Orders.map((o) => o.orderId));

    const between = await Order.find({ accountId: 'a1', sk: { between: ['order#o03', 'order#o05'] } });
    assert.deepEqual(between.map((o) => o.orderId), ['o03', 'o04', 'o05']);

    const reversed = await Order.find({ accountId: 'a1', sk: { '>=': 'order#o08' } }, { reverse: true });
    assert.deepEqual(reversed.map((o) => o.orderId), ['o10', 'o09', 'o08']);

    // Without a sort key, the template's fixed prefix (order#) is the key condition.
    const counted = await Order.find({ accountId: 'a1' }, { count: true });
    assert.equal(counted.count, 10);
    const totals = await Order.find({ accountId: 'a1', sk: { '<=': 'order#o02' } }, { fields: ['orderId', 'total'] });
    assert.deepEqual(totals.map((o) => [o.orderId, o.total, o.status]), [['o01', 10, undefined], ['o02', 20, undefined]]);

    // The account item shares the partition; a model find keeps only its own type.
    const accounts = await Account.find({ id: 'a1' });
    assert.deepEqual(accounts.map((a) => a.name), ['Acme']);
  });

  it('finds on the GSI (begins_with, between on gsi1sk)', async () => {
    const shipped = await Order.find({ status: 'shipped', gsi1sk: { begins_with: 'placed#2024-01' } }, { index: 'gsi1' });
    assert.deepEqual(shipped.map((o) => o.orderId), ['o02', 'o04', 'o06', 'o08', 'o10']);
    assert.ok(shipped.every((o) => o.total === Number(o.orderId.slice(1)) * 10), 'projection ALL carries every attribute');

    const window = await Order.find({ status: 'open', gsi1sk: { between: ['placed#2024-01-03', 'placed#2024-01-07~'] } }, { index: 'gsi1' });
    assert.deepEqual(window.map((o) => o.orderId), ['o03', 'o05', 'o07']);

    const free = await Account.find({ plan: 'free', gsi1sk: { begins_with: 'account#A' } }, { index: 'gsi1' });
    assert.deepEqual(free.map((a) => a.id), ['a1']);
  });

  it('updates with set, add, remove and push', async () => {
    await Order.update({ accountId: 'a1', orderId: 'o01', notes: 'fragile' });
    await Order.update({ accountId: 'a1', orderId: 'o01' }, { push: { tags: ['gift'] } });
    const updated = await Order.update(
      { accountId: 'a1', orderId: 'o01' },
      { set: { status: '{shipped}' }, add: { items: 2 }, push: { tags: ['rush'] } },
    );
    assert.equal(updated.status, 'shipped');
    assert.equal(updated.items, 3);
    assert.deepEqual(updated.tags, ['gift', 'rush']);
    assert.equal(updated.notes, 'fragile');

    const removed = await Order.update({ accountId: 'a1', orderId: 'o01' }, { remove: ['notes'] });
    assert.equal(removed.notes, undefined);
    assert.equal(removed.items, 3);

    const { Item } = await t.client.send(new GetItemCommand({ TableName: TABLE, Key: { pk: { S: 'account#a1' }, sk: { S: 'order#o01' } } }));
    assert.equal(Item!.notes, undefined);
    assert.equal(Item!.status.S, 'shipped');
    assert.deepEqual(Item!.tags.L, [{ S: 'gift' }, { S: 'rush' }]);

    // An update of a missing item fails its exists condition (OneTable's default for update).
    const err = await oneTableError(Order.update({ accountId: 'a1', orderId: 'o77', total: 1 }));
    assert.equal(err.code, 'ConditionalCheckFailedException');
    assert.equal(await Order.get({ accountId: 'a1', orderId: 'o77' }), undefined);
  });

  it('refuses a create over an existing item (condition failed) and leaves it unchanged', async () => {
    const err = await oneTableError(Order.create({ ...a1Orders[1], total: 999 }));
    assert.equal(err.code, 'ConditionalCheckFailedException');
    assert.match(err.message, /Conditional create failed for "Order"/);
    assert.equal(err.context.err.name, 'ConditionalCheckFailedException');
    assert.equal((await Order.get({ accountId: 'a1', orderId: 'o02' }))!.total, 20);

    // exists: null overwrites.
    const replaced = await Order.create({ ...a1Orders[1], total: 21 }, { exists: null });
    assert.equal(replaced.total, 21);
    assert.equal((await Order.get({ accountId: 'a1', orderId: 'o02' }))!.total, 21);
  });

  it('upserts (update with exists: null) a missing item', async () => {
    const made = await Order.upsert({ accountId: 'a9', orderId: 'u1', total: 3, status: 'open', placed: '2024-05-05' });
    assert.equal(made.total, 3);
    const bumped = await Order.upsert({ accountId: 'a9', orderId: 'u1', total: 4, status: 'open', placed: '2024-05-05' }, { add: { items: 1 } });
    assert.equal(bumped.total, 4);
    assert.equal(bumped.items, 2);
  });

  it('removes an item, returning the old one', async () => {
    await Order.create({ accountId: 'a2', orderId: 'x1', total: 5, status: 'open', placed: '2023-12-31' });
    const old = await Order.remove({ accountId: 'a2', orderId: 'x1' }) as { total: number };
    assert.equal(old.total, 5);
    assert.equal(await Order.get({ accountId: 'a2', orderId: 'x1' }), undefined);
  });

  it('batch-writes and batch-gets', async () => {
    const write = {};
    for (const n of [1, 2, 3]) {
      await Order.create({ accountId: 'b1', orderId: `b${n}`, total: n, status: 'open', placed: '2024-02-01' }, { batch: write });
    }
    await Order.remove({ accountId: 'a1', orderId: 'o10' }, { batch: write });
    assert.equal(await table.batchWrite(write), true);
    assert.equal(await Order.get({ accountId: 'a1', orderId: 'o10' }), undefined);

    const read = {};
    for (const orderId of ['b1', 'b3', 'b9']) await Order.get({ accountId: 'b1', orderId }, { batch: read });
    const items = await table.batchGet<{ orderId: string; total: number }>(read, { parse: true, hidden: false });
    assert.deepEqual(items.map((i) => [i.orderId, i.total]).sort(), [['b1', 1], ['b3', 3]]);
  });

  it('commits a write transaction and cancels one whose condition fails', async () => {
    const ok = {};
    await Order.create({ accountId: 't1', orderId: 'p1', total: 1, status: 'open', placed: '2024-03-01' }, { transaction: ok });
    await Order.update({ accountId: 'a1', orderId: 'o03', status: 'shipped' }, { transaction: ok });
    await table.transact('write', ok);
    assert.equal((await Order.get({ accountId: 't1', orderId: 'p1' }))!.total, 1);
    assert.equal((await Order.get({ accountId: 'a1', orderId: 'o03' }))!.status, 'shipped');

    const failing = {};
    await Order.create({ accountId: 't1', orderId: 'p2', total: 2, status: 'open', placed: '2024-03-02' }, { transaction: failing });
    await Order.create({ accountId: 't1', orderId: 'p1', total: 99, status: 'open', placed: '2024-03-01' }, { transaction: failing });
    const err = await oneTableError(table.transact('write', failing));
    assert.equal(err.code, 'TransactionCanceledException');
    assert.deepEqual(err.context.err.CancellationReasons.map((r: { Code: string }) => r.Code), ['None', 'ConditionalCheckFailed']);
    assert.match(err.context.err.message, /ConditionalCheckFailed/);
    assert.equal(await Order.get({ accountId: 't1', orderId: 'p2' }), undefined, 'nothing of a canceled transaction is written');
    assert.equal((await Order.get({ accountId: 't1', orderId: 'p1' }))!.total, 1);
  });

  it('pages with limit and next', async () => {
    // a1 now holds o01..o09 (o10 was batch-deleted).
    const seen: string[] = [];
    let next: object | undefined;
    const sizes: number[] = [];
    do {
      const page = await Order.find({ accountId: 'a1', sk: { begins_with: 'order#' } }, { limit: 4, next });
      sizes.push(page.length);
      seen.push(...page.map((o) => o.orderId));
      next = page.next;
    } while (next);
    assert.deepEqual(sizes, [4, 4, 1]);
    assert.deepEqual(seen, ['o01', 'o02', 'o03', 'o04', 'o05', 'o06', 'o07', 'o08', 'o09']);

    const first = await Order.find({ accountId: 'a1', sk: { begins_with: 'order#' } }, { limit: 2 });
    assert.deepEqual(first.next, { pk: 'account#a1', sk: 'order#o02' });
  });

  it('scans a model with a where clause', async () => {
    const big = await Order.scan({}, { where: '${total} >= {60} and ${status} = @{status}', substitutions: { status: 'open' } });
    assert.deepEqual(big.map((o) => o.orderId).sort(), ['o07', 'o09']);

    const segmented = await Promise.all([0, 1].map((segment) => Order.scan({}, { segment, segments: 2, where: '${accountId} = {b1}' })));
    assert.deepEqual(segmented.flat().map((o) => o.orderId).sort(), ['b1', 'b2', 'b3']);
  });

  it('keeps a unique field unique with its hidden items', async () => {
    const err = await oneTableError(Account.create({ id: 'a2', name: 'Copycat', email: 'ops@acme.test' }));
    assert.equal(err.code, 'UniqueError');
    assert.match(err.message, /Cannot create unique attributes "email" for "Account"/);
    assert.equal(await Account.get({ id: 'a2' }), undefined);

    const other = await Account.create({ id: 'a2', name: 'Beta', email: 'hi@beta.test', plan: 'pro' });
    assert.equal(other.email, 'hi@beta.test');
    const { Items } = await t.client.send(new ScanCommand({
      TableName: TABLE, FilterExpression: 'begins_with(pk, :u)', ExpressionAttributeValues: { ':u': { S: '_unique#' } },
    }));
    assert.deepEqual(Items!.map((i) => i.pk.S).sort(), ['_unique#Account#email#hi@beta.test', '_unique#Account#email#ops@acme.test']);

    // Changing the email moves its unique item; the old address is free again, the new one taken.
    await Account.update({ id: 'a2', email: 'team@beta.test' }, { return: 'none' });
    assert.equal((await Account.get({ id: 'a2' }))!.email, 'team@beta.test');
    const taken = await oneTableError(Account.update({ id: 'a1', email: 'team@beta.test' }, { return: 'none' }));
    assert.equal(taken.code, 'UniqueError');
    assert.equal((await Account.get({ id: 'a1' }))!.email, 'ops@acme.test');

    // Removing the account releases its email, so it can be taken again.
    await Account.remove({ id: 'a2', email: 'team@beta.test' });
    const again = await Account.create({ id: 'a3', name: 'Gamma', email: 'team@beta.test' });
    assert.equal(again.id, 'a3');
    const { Items: uniques } = await t.client.send(new ScanCommand({
      TableName: TABLE, FilterExpression: 'begins_with(pk, :u)', ExpressionAttributeValues: { ':u': { S: '_unique#' } },
    }));
    assert.deepEqual(uniques!.map((i) => i.pk.S).sort(), ['_unique#Account#email#ops@acme.test', '_unique#Account#email#team@beta.test']);
  });

  it('deletes its table', async () => {
    await table.deleteTable('DeleteTableForever');
    const { TableNames } = await t.client.send(new ListTablesCommand({}));
    assert.ok(!TableNames!.includes(TABLE));
    assert.equal(await table.exists(), false);
  });
});
