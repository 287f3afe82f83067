/**
 * Dynamoose (v4) works against OpenDDB unchanged: it creates its own tables (GSIs, range
 * key, TTL, tags, table class, stream), waits for them without a second look, updates an
 * existing table to a changed model, and its item, query, scan, update, batch,
 * conditional-save and transaction calls come back with the values DynamoDB would give.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { DescribeTableCommand, DescribeTimeToLiveCommand, DynamoDB, GetItemCommand, ListTagsOfResourceCommand } from '@aws-sdk/client-dynamodb';
import dynamoose from 'dynamoose';
import type { AnyItem } from 'dynamoose/dist/Item.js';
import { TableClass } from 'dynamoose/dist/Table/types.js';
import { expectError, startTestServer, TEST_FRONT, type TestContext } from './helpers.js';

type Model = ReturnType<typeof dynamoose.model<AnyItem>>;


describe('dynamoose against OpenDDB', () => {
  let t: TestContext;
  let ddb: DynamoDB;
  /** Operations dynamoose sent, in order (commandName of each SDK call). */
  const sent: string[] = [];
  /** What `sent` held when every model was ready. */
  let setup: string[] = [];
  let User: Model;
  let Order: Model;
  let Doc: Model;
  let Session: Model;
  let Account: Model;
  let Audit: Model;

  before(async () => {
    t = await startTestServer();
    // Dynamoose calls methods of the aggregated `DynamoDB` class (ddb.putItem(...)), which the
    // bare DynamoDBClient in `t.client` lacks: build one with the same settings and front.
    ddb = new DynamoDB({
      endpoint: t.server.url,
      region: 'us-east-1',
      credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
      maxAttempts: 1,
      requestHandler: TEST_FRONT === 'inprocess' ? t.server.requestHandler : undefined,
    });
    ddb.middlewareStack.add((next, context) => async (args) => {
      sent.push(String(context.commandName).replace(/Command$/, ''));
      return next(args);
    }, { step: 'initialize', name: 'recordOperations' });
    dynamoose.aws.ddb.set(ddb);
    // Quick table-status checks: OpenDDB tables are ACTIVE at once, so no check should wait.
    const waitForActive = { enabled: true, check: { timeout: 3000, frequency: 50 } };

    User = dynamoose.model('DmUser', new dynamoose.Schema({
      id: String,
      email: { type: String, index: { name: 'byEmail', type: 'global' } },
      age: Number,
      nick: String,
      tags: { type: Set, schema: [String] },
    }, { timestamps: true }), { waitForActive });
    Order = dynamoose.model('DmOrder', new dynamoose.Schema({
      customer: { type: String, hashKey: true },
      seq: { type: Number, rangeKey: true },
      status: { type: String, index: { name: 'byStatus', type: 'global', rangeKey: 'total' } },
      total: Number,
    }), { throughput: 'ON_DEMAND', waitForActive });
    Doc = dynamoose.model('DmDoc', new dynamoose.Schema({
      id: Number,
      when: Date,
      words: { type: Set, schema: [String] },
      numbers: { type: Set, schema: [Number] },
      blobs: { type: Set, schema: [Buffer] },
      data: Buffer,
      ok: Boolean,
      address: { type: Object, schema: { city: String, geo: { type: Object, schema: { lat: Number, lng: Number } } } },
      lines: { type: Array, schema: [{ type: Object, schema: { sku: String, qty: Number } }] },
      list: { type: Array, schema: [String] },
    }), { waitForActive });
    Session = dynamoose.model('DmSession', new dynamoose.Schema({ id: String, user: String }), {
      waitForActive,
      expires: { ttl: 60 * 60 * 1000, attribute: 'expiresAt', items: { returnExpired: false } },
    });
    Account = dynamoose.model('DmAccount', new dynamoose.Schema({ id: String, balance: Number }), { waitForActive });
    Audit = dynamoose.model('DmAudit', new dynamoose.Schema({ id: String }), {
      waitForActive, throughput: { read: 3, write: 2 }, tags: { team: 'core', env: 'test' },
      tableClass: TableClass.infrequentAccess, streamOptions: { enabled: true, type: 'NEW_AND_OLD_IMAGES' },
    });
    // Every model's setup flow (describe, create, wait, TTL) runs now; wait for all of them.
    await Promise.all([User.get('none'), Order.get({ customer: 'none', seq: 0 }), Doc.get(0), Session.get('none'), Account.get('none'), Audit.get('none')]);
    setup = sent.filter((op) => op !== 'GetItem');
  });
  after(async () => {
    ddb.destroy();
    await t.close();
  });

  it('created each table itself, with the keys, GSIs, billing and TTL the schemas ask for', async () => {
    const { Table: user } = await t.client.send(new DescribeTableCommand({ TableName: 'DmUser' }));
    assert.equal(user!.TableStatus, 'ACTIVE');
    assert.deepEqual(user!.KeySchema, [{ AttributeName: 'id', KeyType: 'HASH' }]);
    assert.deepEqual(user!.ProvisionedThroughput && [user!.ProvisionedThroughput.ReadCapacityUnits, user!.ProvisionedThroughput.WriteCapacityUnits], [1, 1]);
    assert.deepEqual(user!.GlobalSecondaryIndexes!.map((g) => [g.IndexName, g.IndexStatus, g.KeySchema, g.Projection!.ProjectionType]),
      [['byEmail', 'ACTIVE', [{ AttributeName: 'email', KeyType: 'HASH' }], 'ALL']]);

    const { Table: order } = await t.client.send(new DescribeTableCommand({ TableName: 'DmOrder' }));
    assert.deepEqual(order!.KeySchema, [{ AttributeName: 'customer', KeyType: 'HASH' }, { AttributeName: 'seq', KeyType: 'RANGE' }]);
    assert.equal(order!.BillingModeSummary?.BillingMode, 'PAY_PER_REQUEST');
    assert.deepEqual(order!.GlobalSecondaryIndexes!.map((g) => g.KeySchema),
      [[{ AttributeName: 'status', KeyType: 'HASH' }, { AttributeName: 'total', KeyType: 'RANGE' }]]);
    assert.deepEqual(
      [...order!.AttributeDefinitions!].sort((a, b) => a.AttributeName!.localeCompare(b.AttributeName!)),
      [{ AttributeName: 'customer', AttributeType: 'S' }, { AttributeName: 'seq', AttributeType: 'N' },
        { AttributeName: 'status', AttributeType: 'S' }, { AttributeName: 'total', AttributeType: 'N' }],
    );

    const ttl = await t.client.send(new DescribeTimeToLiveCommand({ TableName: 'DmSession' }));
    assert.deepEqual(ttl.TimeToLiveDescription, { TimeToLiveStatus: 'ENABLED', AttributeName: 'expiresAt' });
    // Dynamoose's own setup, per table: DescribeTable (not found), CreateTable, DescribeTable,
    // which found the table and its GSIs ACTIVE the first time (no polling); TTL for DmSession.
    const count = (op: string) => setup.filter((o) => o === op).length;
    assert.deepEqual([count('CreateTable'), count('DescribeTable'), count('DescribeTimeToLive'), count('UpdateTimeToLive')], [6, 12, 1, 1]);
    assert.equal(setup.length, 20);
  });

  it('created a table with the tags, table class, throughput and stream a model asks for', async () => {
    const { Table: audit } = await t.client.send(new DescribeTableCommand({ TableName: 'DmAudit' }));
    assert.equal(audit!.TableClassSummary?.TableClass, 'STANDARD_INFREQUENT_ACCESS');
    assert.deepEqual([audit!.ProvisionedThroughput!.ReadCapacityUnits, audit!.ProvisionedThroughput!.WriteCapacityUnits], [3, 2]);
    assert.deepEqual(audit!.StreamSpecification, { StreamEnabled: true, StreamViewType: 'NEW_AND_OLD_IMAGES' });
    assert.match(audit!.LatestStreamArn!, /^arn:aws:dynamodb:us-east-1:\d{12}:table\/DmAudit\/stream\/.+$/);
    const { Tags } = await t.client.send(new ListTagsOfResourceCommand({ ResourceArn: audit!.TableArn }));
    assert.deepEqual([...Tags!].sort((a, b) => a.Key!.localeCompare(b.Key!)), [{ Key: 'env', Value: 'test' }, { Key: 'team', Value: 'core' }]);
    await Audit.create({ id: 'x' });
    assert.equal((await Audit.get('x')).id, 'x');
  });

  it('brings an existing table up to a changed model with update: true', async () => {
    const waitForActive = { enabled: true, check: { timeout: 3000, frequency: 50 } };
    const V1 = dynamoose.model('DmEvolveV1', new dynamoose.Schema({ id: String, x: String }), { waitForActive });
    await V1.create({ id: 'old', x: 'one' });
    const from = sent.length;
    const V2 = dynamoose.model('DmEvolveV2', new dynamoose.Schema({ id: String, x: { type: String, index: { name: 'byX', type: 'global' } } }));
    new dynamoose.Table('DmEvolveV1', [V2], {
      waitForActive, update: true, throughput: { read: 5, write: 4 }, tags: { stage: 'two' },
      tableClass: TableClass.infrequentAccess, streamOptions: { enabled: true, type: 'KEYS_ONLY' }, expires: 60_000,
    });
    assert.equal((await V2.get('old')).x, 'one');
    const ops = sent.slice(from);
    for (const op of ['UpdateTimeToLive', 'UpdateTable', 'ListTagsOfResource', 'TagResource']) assert.ok(ops.includes(op), `${op} was sent: ${ops.join(',')}`);
    assert.equal(ops.filter((op) => op === 'UpdateTable').length, 4); // throughput, index, table class, stream

    const { Table } = await t.client.send(new DescribeTableCommand({ TableName: 'DmEvolveV1' }));
    assert.deepEqual([Table!.ProvisionedThroughput!.ReadCapacityUnits, Table!.ProvisionedThroughput!.WriteCapacityUnits], [5, 4]);
    assert.deepEqual(Table!.GlobalSecondaryIndexes!.map((g) => [g.IndexName, g.IndexStatus]), [['byX', 'ACTIVE']]);
    assert.equal(Table!.TableClassSummary?.TableClass, 'STANDARD_INFREQUENT_ACCESS');
    assert.deepEqual(Table!.StreamSpecification, { StreamEnabled: true, StreamViewType: 'KEYS_ONLY' });
    assert.deepEqual((await t.client.send(new ListTagsOfResourceCommand({ ResourceArn: Table!.TableArn }))).Tags, [{ Key: 'stage', Value: 'two' }]);
    assert.equal((await t.client.send(new DescribeTimeToLiveCommand({ TableName: 'DmEvolveV1' }))).TimeToLiveDescription!.TimeToLiveStatus, 'ENABLED');
    // The index built over the item already there.
    assert.deepEqual((await V2.query('x').eq('one').using('byX').exec()).map((i: any) => i.id), ['old']);
  });

  it('creates, gets and overwrites items, with timestamps', async () => {
    const created = await User.create({ id: 'u1', email: 'ann@example.com', age: 30, nick: 'annie', tags: new Set(['a', 'b']) });
    assert.equal(created.id, 'u1');
    const got = await User.get('u1');
    assert.equal(got.email, 'ann@example.com');
    assert.equal(got.age, 30);
    assert.equal(got.nick, 'annie');
    assert.deepEqual(got.tags, new Set(['a', 'b']));
    assert.ok(got.createdAt instanceof Date && got.updatedAt instanceof Date);
    assert.equal(got.createdAt.getTime(), got.updatedAt.getTime());
    assert.ok(Math.abs(got.createdAt.getTime() - Date.now()) < 10_000);

    // Stored as DynamoDB would: numbers for the timestamps (ms), a string set for tags.
    const raw = (await t.client.send(new GetItemCommand({ TableName: 'DmUser', Key: { id: { S: 'u1' } } }))).Item!;
    assert.deepEqual(raw.tags, { SS: ['a', 'b'] });
    assert.equal(raw.createdAt!.N, String(got.createdAt.getTime()));

    await new Promise((resolve) => setTimeout(resolve, 5));
    got.age = 31;
    await got.save();
    const again = await User.get({ id: 'u1' });
    assert.equal(again.age, 31);
    assert.ok(again.updatedAt.getTime() > again.createdAt.getTime(), 'save moved updatedAt on');
    assert.equal(await User.get('missing'), undefined);
  });

  it('surfaces ConditionalCheckFailedException for save({ overwrite: false }) on an existing key', async () => {
    await new User({ id: 'u2', email: 'bob@example.com', age: 40 }).save({ overwrite: false, return: 'item' });
    const err = await expectError(new User({ id: 'u2', email: 'other@example.com', age: 1 }).save({ overwrite: false, return: 'item' }), 'ConditionalCheckFailedException');
    assert.equal(err.message, 'The conditional request failed');
    assert.equal(err.$metadata.httpStatusCode, 400);
    await expectError(User.create({ id: 'u2', age: 2 }), 'ConditionalCheckFailedException'); // create never overwrites
    const kept = await User.get('u2');
    assert.equal(kept.email, 'bob@example.com');
    assert.equal(kept.age, 40);
  });

  it('updates with $SET, $ADD and $REMOVE and returns the new item', async () => {
    await User.create({ id: 'u3', email: 'cy@example.com', age: 20, nick: 'cy', tags: new Set(['x']) });
    const updated = await User.update({ id: 'u3' }, { $SET: { email: 'cyril@example.com' }, $ADD: { age: 5, tags: ['y', 'z'] }, $REMOVE: ['nick'] });
    assert.equal(updated.email, 'cyril@example.com');
    assert.equal(updated.age, 25);
    assert.deepEqual(updated.tags, new Set(['x', 'y', 'z']));
    assert.equal(updated.nick, undefined);
    const got = await User.get('u3');
    assert.equal(got.age, 25);
    assert.equal(got.nick, undefined);
    assert.deepEqual(got.tags, new Set(['x', 'y', 'z']));
    // A plain object is $SET; a conditional update that fails surfaces the DynamoDB error.
    assert.equal((await User.update({ id: 'u3' }, { age: 26 })).age, 26);
    await expectError(User.update({ id: 'u3' }, { age: 99 }, { condition: new dynamoose.Condition('age').lt(10) }), 'ConditionalCheckFailedException');
    assert.equal((await User.get('u3')).age, 26);
  });

  it('queries on the key and on GSIs, paging with limit and startAt', async () => {
    for (let seq = 1; seq <= 7; seq++) await Order.create({ customer: 'c1', seq, status: seq % 2 ? 'open' : 'shipped', total: seq * 10 });
    await Order.create({ customer: 'c2', seq: 1, status: 'open', total: 5 });

    const range = await Order.query('customer').eq('c1').where('seq').between(2, 5).exec();
    assert.deepEqual(range.map((o: any) => o.seq), [2, 3, 4, 5]);
    assert.equal(range.count, 4);
    const desc = await Order.query('customer').eq('c1').where('seq').ge(5).sort('descending').exec();
    assert.deepEqual(desc.map((o: any) => o.seq), [7, 6, 5]);
    const filtered = await Order.query('customer').eq('c1').filter('status').eq('shipped').exec();
    assert.deepEqual(filtered.map((o: any) => o.seq), [2, 4, 6]);
    assert.equal(filtered.count, 3);

    // Pages of 2 over the GSI, ordered by its range key (total), continued from lastKey.
    const seen: number[] = [];
    let lastKey: any;
    let pages = 0;
    do {
      const page = await Order.query('status').eq('open').using('byStatus').limit(2).startAt(lastKey).exec();
      seen.push(...page.map((o: any) => o.total));
      lastKey = page.lastKey;
      pages++;
      if (lastKey) assert.deepEqual(Object.keys(lastKey).sort(), ['customer', 'seq', 'status', 'total']);
    } while (lastKey && pages < 10);
    assert.deepEqual(seen, [5, 10, 30, 50, 70]);
    assert.equal(pages, 3);

    const byEmail = await User.query('email').eq('ann@example.com').using('byEmail').exec();
    assert.deepEqual(byEmail.map((u: any) => u.id), ['u1']);
    const gsiRange = await Order.query('status').eq('shipped').where('total').gt(25).using('byStatus').exec();
    assert.deepEqual(gsiRange.map((o: any) => [o.customer, o.seq]), [['c1', 4], ['c1', 6]]);
    const counted = await Order.query('customer').eq('c1').count().exec();
    assert.equal(counted.count, 7);
  });

  it('scans with a filter, and pages a scan', async () => {
    const adults = await User.scan('age').ge(26).exec();
    assert.deepEqual(adults.map((u: any) => u.id).sort(), ['u1', 'u2', 'u3']);
    const named = await User.scan({ email: { contains: 'example.com' }, age: { lt: 35 } }).exec();
    assert.deepEqual(named.map((u: any) => u.id).sort(), ['u1', 'u3']);
    const first = await Order.scan().limit(3).exec();
    assert.equal(first.length, 3);
    assert.ok(first.lastKey);
    const all = await Order.scan().all().exec();
    assert.equal(all.length, 8);
    const shipped = await Order.scan('status').eq('shipped').attributes(['seq']).exec();
    assert.deepEqual(shipped.map((o: any) => o.seq).sort(), [2, 4, 6]);
    assert.equal(shipped[0].total, undefined);
  });

  it('deletes, and batch puts and gets', async () => {
    await User.create({ id: 'gone', age: 1 });
    await User.delete('gone');
    assert.equal(await User.get('gone'), undefined);
    await User.delete({ id: 'never-was' }); // deleting a missing item is not an error

    const put = await Account.batchPut([{ id: 'a1', balance: 100 }, { id: 'a2', balance: 50 }, { id: 'a3', balance: 0 }]);
    assert.deepEqual(put.unprocessedItems, []);
    const got = await Account.batchGet(['a1', 'a3', 'nope', 'a2']);
    assert.deepEqual(got.map((a: any) => [a.id, a.balance]).sort(), [['a1', 100], ['a2', 50], ['a3', 0]]);
    assert.deepEqual(got.unprocessedKeys, []);
    await Account.batchDelete(['a3']);
    assert.equal(await Account.get('a3'), undefined);
  });

  it('runs transactions, and cancels one whose condition fails, writing nothing', async () => {
    await dynamoose.transaction([
      Account.transaction.update({ id: 'a1' }, { $ADD: { balance: -30 } }),
      Account.transaction.update({ id: 'a2' }, { $ADD: { balance: 30 } }),
    ]);
    assert.equal((await Account.get('a1')).balance, 70);
    assert.equal((await Account.get('a2')).balance, 80);

    const err = await expectError(dynamoose.transaction([
      Account.transaction.create({ id: 'a9', balance: 1 }),
      Account.transaction.update({ id: 'a1' }, { $ADD: { balance: -500 } }),
      Account.transaction.condition('a2', new dynamoose.Condition('balance').ge(1000)),
    ]), 'TransactionCanceledException');
    assert.match(err.message, /^Transaction cancelled, please refer cancellation reasons for specific reasons \[None, None, ConditionalCheckFailed\]$/);
    assert.deepEqual(err.CancellationReasons.map((r: any) => r.Code), ['None', 'None', 'ConditionalCheckFailed']);
    assert.equal(await Account.get('a9'), undefined);
    assert.equal((await Account.get('a1')).balance, 70);

    const read = await dynamoose.transaction([Account.transaction.get('a1'), Account.transaction.get('a2')]);
    assert.deepEqual(read.map((a: any) => [a.id, a.balance]), [['a1', 70], ['a2', 80]]);
  });

  it('round-trips Date, sets, nested maps, lists, Buffer and Boolean', async () => {
    const when = new Date('2024-02-29T12:34:56.789Z');
    await Doc.create({
      id: 1, when, ok: false,
      words: new Set(['héllo', 'wörld']), numbers: new Set([1, 2.5, -3]), blobs: new Set([Buffer.from([1, 2]), Buffer.from([255])]),
      data: Buffer.from([0, 1, 2, 253, 254, 255]),
      address: { city: 'Oslo', geo: { lat: 59.91, lng: 10.75 } },
      lines: [{ sku: 'A-1', qty: 2 }, { sku: 'B-2', qty: 0 }],
      list: ['z', 'a', 'z'],
    });
    const doc = await Doc.get(1);
    assert.ok(doc.when instanceof Date);
    assert.equal(doc.when.toISOString(), when.toISOString());
    assert.equal(doc.ok, false);
    assert.deepEqual(doc.words, new Set(['héllo', 'wörld']));
    assert.deepEqual(doc.numbers, new Set([1, 2.5, -3]));
    // Set elements come back as the SDK's Uint8Array (dynamoose converts only top-level Buffer attributes).
    assert.deepEqual([...doc.blobs].map((b: Uint8Array) => Buffer.from(b).toString('hex')).sort(), ['0102', 'ff']);
    assert.ok(Buffer.isBuffer(doc.data));
    assert.equal(doc.data.toString('hex'), '000102fdfeff');
    assert.deepEqual(doc.address, { city: 'Oslo', geo: { lat: 59.91, lng: 10.75 } });
    assert.deepEqual(doc.lines, [{ sku: 'A-1', qty: 2 }, { sku: 'B-2', qty: 0 }]);
    assert.deepEqual(doc.list, ['z', 'a', 'z']);

    const raw = (await t.client.send(new GetItemCommand({ TableName: 'DmDoc', Key: { id: { N: '1' } } }))).Item!;
    assert.deepEqual(raw.when, { N: String(when.getTime()) });
    assert.deepEqual(raw.ok, { BOOL: false });
    assert.deepEqual([...raw.numbers!.NS!].sort(), ['-3', '1', '2.5']);
    assert.deepEqual(raw.address!.M!.geo!.M!.lat, { N: '59.91' });
    assert.deepEqual(raw.lines!.L![1], { M: { sku: { S: 'B-2' }, qty: { N: '0' } } });
    assert.equal(Buffer.from(raw.data!.B!).toString('hex'), '000102fdfeff');
    assert.deepEqual(raw.blobs!.BS!.map((b) => Buffer.from(b).toString('hex')).sort(), ['0102', 'ff']);

    const updated = await Doc.update({ id: 1 }, { $SET: { address: { city: 'Bergen', geo: { lat: 60.39, lng: 5.32 } }, lines: [{ sku: 'C', qty: 1 }] }, $ADD: { numbers: [7] } });
    assert.deepEqual(updated.address, { city: 'Bergen', geo: { lat: 60.39, lng: 5.32 } });
    assert.deepEqual(updated.lines, [{ sku: 'C', qty: 1 }]);
    assert.deepEqual(updated.numbers, new Set([1, 2.5, -3, 7]));
    // Dynamoose sends a dotted key as one name (#a0 = "address.geo.lat"): as in DynamoDB, that is
    // a new top-level attribute whose name has dots, not a path into the map.
    await Doc.update({ id: 1 }, { $SET: { 'address.geo.lat': 61 } });
    const after = (await t.client.send(new GetItemCommand({ TableName: 'DmDoc', Key: { id: { N: '1' } } }))).Item!;
    assert.deepEqual(after['address.geo.lat'], { N: '61' });
    assert.deepEqual(after.address!.M!.geo!.M!.lat, { N: '60.39' });
  });

  it('writes the TTL attribute in epoch seconds and hides expired items when asked to', async () => {
    const before = Math.floor(Date.now() / 1000);
    await Session.create({ id: 's1', user: 'u1' });
    const raw = (await t.client.send(new GetItemCommand({ TableName: 'DmSession', Key: { id: { S: 's1' } } }))).Item!;
    const expiresAt = Number(raw.expiresAt!.N);
    assert.ok(Number.isInteger(expiresAt));
    assert.ok(expiresAt >= before + 3600 && expiresAt <= before + 3602, `expiresAt ${expiresAt} is an hour from ${before}`);
    const live = await Session.get('s1');
    assert.equal(live.user, 'u1');
    assert.equal(Math.floor(live.expiresAt.getTime() / 1000), expiresAt);

    // An item whose TTL has passed but which DynamoDB has not yet deleted: dynamoose hides it.
    await Session.create({ id: 's2', user: 'u2', expiresAt: new Date(Date.now() - 60_000) });
    assert.equal(await Session.get('s2'), undefined);
    assert.deepEqual((await Session.scan().exec()).map((s: any) => s.id), ['s1']);
  });
});
