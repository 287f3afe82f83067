/**
 * ElectroDB (v3) works against OpenDDB unchanged: a single-table design (pk/sk plus one GSI)
 * with two entities and a Service, through the v3 DocumentClient. Puts, creates, gets,
 * sort-key queries (begins, between, gt), GSI queries, a collection across both entities,
 * updates (set, add, append, remove), conditional writes that fail (with and without the
 * old item returned), deletes, batch put/get, transactions (committed and canceled),
 * cursor pagination and a filtered scan all come back with the values DynamoDB would give.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { Entity, Service } from 'electrodb';
import { createSingleTable, startTestServer, type TestContext } from './helpers.js';

const TABLE = 'electro_shop';

const Customer = new Entity({
  model: { entity: 'customer', version: '1', service: 'shop' },
  attributes: {
    customerId: { type: 'string', required: true },
    name: { type: 'string', required: true },
    email: { type: 'string', required: true },
    tier: { type: ['bronze', 'silver', 'gold'] as const, required: true },
    points: { type: 'number', default: 0 },
    tags: { type: 'list', items: { type: 'string' } },
    nickname: { type: 'string' },
  },
  indexes: {
    byId: {
      collection: 'account',
      pk: { field: 'pk', composite: ['customerId'] },
      sk: { field: 'sk', composite: [] },
    },
    byTier: {
      index: 'gsi1',
      pk: { field: 'gsi1pk', composite: ['tier'] },
      sk: { field: 'gsi1sk', composite: ['name'] },
    },
  },
}, { table: TABLE });

const Order = new Entity({
  model: { entity: 'order', version: '1', service: 'shop' },
  attributes: {
    customerId: { type: 'string', required: true },
    orderId: { type: 'string', required: true },
    total: { type: 'number', required: true },
    status: { type: ['open', 'shipped', 'cancelled'] as const, required: true },
    placedAt: { type: 'string', required: true },
  },
  indexes: {
    byCustomer: {
      collection: 'account',
      pk: { field: 'pk', composite: ['customerId'] },
      sk: { field: 'sk', composite: ['orderId'] },
    },
    byStatus: {
      index: 'gsi1',
      pk: { field: 'gsi1pk', composite: ['status'] },
      sk: { field: 'gsi1sk', composite: ['placedAt', 'orderId'] },
    },
  },
}, { table: TABLE });

const shop = new Service({ customer: Customer, order: Order });

/** Orders o01..o12 of customer c1: totals 10, 20, ... 120; even ones shipped; placed 2024-01-01..12. */
const c1Orders = Array.from({ length: 12 }, (_, i) => {
  const n = i + 1;
  const dd = String(n).padStart(2, '0');
  return { customerId: 'c1', orderId: `o${dd}`, total: n * 10, status: n % 2 === 0 ? 'shipped' as const : 'open' as const, placedAt: `2024-01-${dd}` };
});

/** Runs `promise`, expects ElectroDB to wrap a DynamoDB error of this name; returns the cause. */
async function awsCause(promise: Promise<unknown>, name: string): Promise<any> {
  try {
    await promise;
  } catch (err) {
    const e = err as Error & { isElectroError?: boolean; cause?: any };
    assert.equal(e.isElectroError, true, `expected an ElectroError, got ${e.name}: ${e.message}`);
    assert.ok(e.cause, `ElectroError carries no cause: ${e.message}`);
    assert.equal(e.cause.name, name, `expected ${name} as the cause, got ${e.cause.name}: ${e.cause.message}`);
    return e.cause;
  }
  assert.fail(`expected ${name} but the call succeeded`);
}

describe('electrodb against OpenDDB', () => {
  let t: TestContext;

  before(async () => {
    t = await startTestServer();
    await createSingleTable(t.client, TABLE);
    shop.setClient(t.doc);

    await Customer.put({ customerId: 'c1', name: 'Ada', email: 'ada@example.com', tier: 'gold', points: 10, tags: ['early'], nickname: 'countess' }).go();
    await Customer.put({ customerId: 'c2', name: 'Brian', email: 'brian@example.com', tier: 'gold', tags: [] }).go();
    await Customer.put({ customerId: 'c3', name: 'Cleo', email: 'cleo@example.com', tier: 'gold', tags: [] }).go();
    await Customer.put({ customerId: 'c4', name: 'Dan', email: 'dan@example.com', tier: 'silver', tags: [] }).go();
    const { unprocessed } = await Order.put(c1Orders).go();
    assert.deepEqual(unprocessed, []);
  });
  after(() => t.close());

  it('puts and gets an item, storing the keys ElectroDB computes', async () => {
    const { data } = await Customer.get({ customerId: 'c1' }).go();
    assert.deepEqual(data, { customerId: 'c1', name: 'Ada', email: 'ada@example.com', tier: 'gold', points: 10, tags: ['early'], nickname: 'countess' });
    // The raw item holds ElectroDB's key and identity attributes.
    const raw = await t.doc.send(new GetCommand({ TableName: TABLE, Key: { pk: '$shop#customerid_c1', sk: '$account#customer_1' } }));
    assert.equal(raw.Item?.gsi1pk, '$shop#tier_gold');
    assert.equal(raw.Item?.gsi1sk, '$customer_1#name_ada');
    assert.equal(raw.Item?.__edb_e__, 'customer');
    assert.equal(raw.Item?.__edb_v__, '1');
    // A missing item comes back as null.
    assert.equal((await Customer.get({ customerId: 'nobody' }).go()).data, null);
  });

  it('queries a partition with sort-key conditions: all, begins, between, gt', async () => {
    const all = await Order.query.byCustomer({ customerId: 'c1' }).go({ pages: 'all' });
    assert.deepEqual(all.data.map((o) => o.orderId), c1Orders.map((o) => o.orderId));
    assert.deepEqual(all.data[4], c1Orders[4]);

    const begins = await Order.query.byCustomer({ customerId: 'c1' }).begins({ orderId: 'o1' }).go();
    assert.deepEqual(begins.data.map((o) => o.orderId), ['o10', 'o11', 'o12']);

    const between = await Order.query.byCustomer({ customerId: 'c1' }).between({ orderId: 'o03' }, { orderId: 'o05' }).go();
    assert.deepEqual(between.data.map((o) => [o.orderId, o.total]), [['o03', 30], ['o04', 40], ['o05', 50]]);

    const gt = await Order.query.byCustomer({ customerId: 'c1' }).gt({ orderId: 'o10' }).go();
    assert.deepEqual(gt.data.map((o) => o.orderId), ['o11', 'o12']);

    const descending = await Order.query.byCustomer({ customerId: 'c1' }).lte({ orderId: 'o03' }).go({ order: 'desc' });
    assert.deepEqual(descending.data.map((o) => o.orderId), ['o03', 'o02', 'o01']);

    // A filter on a non-key attribute, on top of the key condition.
    const big = await Order.query.byCustomer({ customerId: 'c1' }).where((a, op) => op.gte(a.total, 100)).go();
    assert.deepEqual(big.data.map((o) => o.orderId), ['o10', 'o11', 'o12']);
  });

  it('queries the GSI, by partition and by sort-key range', async () => {
    const gold = await Customer.query.byTier({ tier: 'gold' }).go();
    assert.deepEqual(gold.data.map((c) => c.name), ['Ada', 'Brian', 'Cleo']);

    const goldAfterB = await Customer.query.byTier({ tier: 'gold' }).gt({ name: 'Brian' }).go();
    assert.deepEqual(goldAfterB.data.map((c) => c.customerId), ['c3']);

    const shipped = await Order.query.byStatus({ status: 'shipped' })
      .between({ placedAt: '2024-01-03' }, { placedAt: '2024-01-09' })
      .go();
    assert.deepEqual(shipped.data.map((o) => o.orderId), ['o04', 'o06', 'o08']);
    assert.ok(shipped.data.every((o) => o.status === 'shipped'));

    const silver = await Customer.query.byTier({ tier: 'silver' }).go();
    assert.deepEqual(silver.data, [{ customerId: 'c4', name: 'Dan', email: 'dan@example.com', tier: 'silver', points: 0, tags: [] }]);
  });

  it('queries a collection across both entities through the Service', async () => {
    const { data } = await shop.collections.account({ customerId: 'c1' }).go({ pages: 'all' });
    assert.equal(data.customer.length, 1);
    assert.equal(data.customer[0]!.name, 'Ada');
    assert.deepEqual(data.order.map((o) => o.orderId), c1Orders.map((o) => o.orderId));

    const other = await shop.collections.account({ customerId: 'c2' }).go();
    assert.deepEqual(other.data.customer.map((c) => c.customerId), ['c2']);
    assert.deepEqual(other.data.order, []);
  });

  it('updates with set, add, append and remove, returning the new item', async () => {
    const { data } = await Customer.update({ customerId: 'c1' })
      .set({ email: 'ada@lovelace.org' })
      .add({ points: 5 })
      .append({ tags: ['vip', 'beta'] })
      .remove(['nickname'])
      .go({ response: 'all_new' });
    assert.deepEqual(data, { customerId: 'c1', name: 'Ada', email: 'ada@lovelace.org', tier: 'gold', points: 15, tags: ['early', 'vip', 'beta'] });

    const old = await Customer.patch({ customerId: 'c1' }).set({ nickname: 'enchantress' }).go({ response: 'all_old' });
    assert.equal(old.data.nickname, undefined);
    assert.equal(old.data.points, 15);
    assert.equal((await Customer.get({ customerId: 'c1' }).go()).data?.nickname, 'enchantress');
  });

  it('subtracts from a number, sent as SET n = (if_not_exists(n, :d) - :v)', async () => {
    // ElectroDB writes subtract() as a parenthesized SET value; DynamoDB accepts it.
    await Customer.put({ customerId: 'c6', name: 'Fay', email: 'fay@example.com', tier: 'bronze', points: 20, tags: [] }).go();
    try {
      const subtracted = await Customer.patch({ customerId: 'c6' }).subtract({ points: 3 }).go({ response: 'updated_new' });
      // UPDATED_NEW: patch() also SETs the key's composite attribute, so it comes back too.
      assert.deepEqual(subtracted.data, { customerId: 'c6', points: 17 });
      assert.equal((await Customer.get({ customerId: 'c6' }).go()).data?.points, 17);
    } finally {
      await Customer.delete({ customerId: 'c6' }).go();
    }
  });

  it('surfaces ConditionalCheckFailedException from failed conditional writes', async () => {
    // create() refuses to overwrite an existing item.
    await awsCause(Customer.create({ customerId: 'c2', name: 'Other', email: 'x@example.com', tier: 'bronze' }).go(), 'ConditionalCheckFailedException');
    assert.equal((await Customer.get({ customerId: 'c2' }).go()).data?.name, 'Brian');

    // patch() refuses to create a missing item.
    await awsCause(Customer.patch({ customerId: 'ghost' }).set({ email: 'g@example.com' }).go(), 'ConditionalCheckFailedException');
    assert.equal((await Customer.get({ customerId: 'ghost' }).go()).data, null);

    // A user condition that does not hold.
    await awsCause(
      Order.update({ customerId: 'c1', orderId: 'o01' }).set({ status: 'cancelled' }).where((a, op) => op.eq(a.status, 'shipped')).go(),
      'ConditionalCheckFailedException',
    );
    assert.equal((await Order.get({ customerId: 'c1', orderId: 'o01' }).go()).data?.status, 'open');

    // Asking for the old item on failure (ReturnValuesOnConditionCheckFailure = ALL_OLD).
    const rejected = await Order.patch({ customerId: 'c1', orderId: 'o02' })
      .set({ total: 0 })
      .where((a, op) => op.lt(a.total, 5))
      .go({ returnOnConditionCheckFailure: 'all_old' });
    assert.equal(rejected.rejected, true);
    assert.deepEqual(rejected.data, c1Orders[1]);

    // A condition that holds writes.
    await Order.update({ customerId: 'c1', orderId: 'o01' }).set({ status: 'cancelled' }).where((a, op) => op.eq(a.status, 'open')).go();
    assert.equal((await Order.get({ customerId: 'c1', orderId: 'o01' }).go()).data?.status, 'cancelled');
  });

  it('deletes an item, returning the old one, and honours a delete condition', async () => {
    await Order.put({ customerId: 'c9', orderId: 'x1', total: 5, status: 'open', placedAt: '2023-12-31' }).go();
    await awsCause(Order.delete({ customerId: 'c9', orderId: 'x1' }).where((a, op) => op.eq(a.status, 'shipped')).go(), 'ConditionalCheckFailedException');
    const { data } = await Order.delete({ customerId: 'c9', orderId: 'x1' }).go({ response: 'all_old' });
    assert.deepEqual(data, { customerId: 'c9', orderId: 'x1', total: 5, status: 'open', placedAt: '2023-12-31' });
    assert.equal((await Order.get({ customerId: 'c9', orderId: 'x1' }).go()).data, null);
    // remove() of a missing item fails its existence condition.
    await awsCause(Order.remove({ customerId: 'c9', orderId: 'x1' }).go(), 'ConditionalCheckFailedException');
  });

  it('batch-writes and batch-gets items, reporting missing keys as absent', async () => {
    const batch = Array.from({ length: 30 }, (_, i) => ({
      customerId: 'c5', orderId: `b${String(i).padStart(2, '0')}`, total: i, status: 'open' as const, placedAt: '2024-02-01',
    }));
    const written = await Order.put(batch).go();
    assert.deepEqual(written.unprocessed, []);

    const keys = [...batch.map((o) => ({ customerId: o.customerId, orderId: o.orderId })), { customerId: 'c5', orderId: 'missing' }];
    const got = await Order.get(keys).go({ preserveBatchOrder: true });
    assert.deepEqual(got.unprocessed, []);
    assert.equal(got.data.length, 31);
    assert.deepEqual(got.data.slice(0, 30), batch);
    assert.equal(got.data[30], null);

    // Batch delete, then nothing is left.
    const deleted = await Order.delete(keys.slice(0, 30)).go();
    assert.deepEqual(deleted.unprocessed, []);
    const after = await Order.query.byCustomer({ customerId: 'c5' }).go();
    assert.deepEqual(after.data, []);
  });

  it('commits a write transaction across entities and reports a canceled one', async () => {
    const ok = await shop.transaction.write(({ customer, order }) => [
      order.create({ customerId: 'c4', orderId: 't1', total: 77, status: 'open', placedAt: '2024-03-01' }).commit(),
      customer.patch({ customerId: 'c4' }).add({ points: 77 }).commit(),
    ]).go();
    assert.equal(ok.canceled, false);
    assert.equal((await Order.get({ customerId: 'c4', orderId: 't1' }).go()).data?.total, 77);
    assert.equal((await Customer.get({ customerId: 'c4' }).go()).data?.points, 77);

    const canceled = await shop.transaction.write(({ customer, order }) => [
      order.create({ customerId: 'c4', orderId: 't2', total: 5, status: 'open', placedAt: '2024-03-02' }).commit(),
      customer.patch({ customerId: 'c4' }).add({ points: 5 }).where((a, op) => op.eq(a.tier, 'gold')).commit({ response: 'all_old' }),
    ]).go();
    assert.equal(canceled.canceled, true);
    assert.equal(canceled.data.length, 2);
    assert.deepEqual([canceled.data[0]!.rejected, canceled.data[0]!.code], [false, 'None']);
    assert.deepEqual([canceled.data[1]!.rejected, canceled.data[1]!.code], [true, 'ConditionalCheckFailed']);
    // The old item comes back with the failed condition.
    assert.equal(canceled.data[1]!.item?.tier, 'silver');
    assert.equal(canceled.data[1]!.item?.points, 77);
    // Nothing was written.
    assert.equal((await Order.get({ customerId: 'c4', orderId: 't2' }).go()).data, null);
    assert.equal((await Customer.get({ customerId: 'c4' }).go()).data?.points, 77);

    const read = await shop.transaction.get(({ customer, order }) => [
      customer.get({ customerId: 'c4' }).commit(),
      order.get({ customerId: 'c4', orderId: 't1' }).commit(),
      order.get({ customerId: 'c4', orderId: 'nope' }).commit(),
    ]).go();
    assert.equal(read.canceled, false);
    assert.equal(read.data[0]!.item?.name, 'Dan');
    assert.equal(read.data[1]!.item?.total, 77);
    assert.equal(read.data[2]!.item, null);
  });

  it('pages through a query by following the cursor', async () => {
    const seen: string[] = [];
    const pageSizes: number[] = [];
    let cursor: string | null = null;
    do {
      const page: { data: Array<{ orderId: string }>; cursor: string | null } =
        await Order.query.byCustomer({ customerId: 'c1' }).go({ limit: 5, cursor });
      pageSizes.push(page.data.length);
      seen.push(...page.data.map((o) => o.orderId));
      cursor = page.cursor;
      assert.ok(pageSizes.length < 10, 'the cursor ends');
    } while (cursor !== null);
    assert.deepEqual(seen, c1Orders.map((o) => o.orderId));
    assert.deepEqual(pageSizes, [5, 5, 2]);

    // The same on the GSI, in descending order.
    const gsiSeen: string[] = [];
    let gsiCursor: string | null = null;
    let gsiPages = 0;
    do {
      const page: { data: Array<{ orderId: string }>; cursor: string | null } =
        await Order.query.byStatus({ status: 'shipped' }).go({ limit: 2, cursor: gsiCursor, order: 'desc' });
      gsiSeen.push(...page.data.map((o) => o.orderId));
      gsiCursor = page.cursor;
      gsiPages++;
    } while (gsiCursor !== null && gsiPages < 10);
    assert.deepEqual(gsiSeen, ['o12', 'o10', 'o08', 'o06', 'o04', 'o02']);
    assert.ok(gsiPages >= 3);
  });

  it('scans with a filter, only returning items of the entity', async () => {
    const { data } = await Order.scan.where((a, op) => `${op.gt(a.total, 95)} AND ${op.eq(a.status, 'shipped')}`).go({ pages: 'all' });
    assert.deepEqual(data.map((o) => o.orderId).sort(), ['o10', 'o12']);

    const customers = await Customer.scan.where((a, op) => op.begins(a.email, 'b')).go({ pages: 'all' });
    assert.deepEqual(customers.data.map((c) => c.customerId), ['c2']);

    const everyone = await Customer.scan.go({ pages: 'all' });
    assert.deepEqual(everyone.data.map((c) => c.customerId).sort(), ['c1', 'c2', 'c3', 'c4']);
  });
});
