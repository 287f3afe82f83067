/** Online index creation: backfill under concurrent writes, and resuming after a restart. */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { CreateTableCommand, DescribeTableCommand, UpdateTableCommand } from '@aws-sdk/client-dynamodb';
import { BatchWriteCommand, DeleteCommand, PutCommand, UpdateCommand, paginateScan } from '@aws-sdk/lib-dynamodb';
import { Database } from '../src/engine/database.js';
import { catalogKey, indexPrefix } from '../src/engine/keyspace.js';
import { MemoryStore } from '../src/storage/memory.js';
import { prefixEnd } from '../src/values/keycodec.js';
import { startTestServer, type TestContext } from './helpers.js';
import { hashKeyedSpec } from './support/engineFixtures.js';

const ITEMS = 5000;
const WRITERS = 20;

async function scanAll(t: TestContext, input: Record<string, unknown>): Promise<Record<string, any>[]> {
  const items: Record<string, any>[] = [];
  for await (const page of paginateScan({ client: t.doc }, { TableName: 'big', ...input })) items.push(...page.Items!);
  return items;
}

describe('index backfill', () => {
  let t: TestContext;
  before(async () => {
    t = await startTestServer();
  });
  after(() => t.close());

  it(`loses no write made while ${ITEMS} items are backfilled`, async () => {
    await t.client.send(new CreateTableCommand({
      TableName: 'big', KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
      AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'N' }], BillingMode: 'PAY_PER_REQUEST',
    }));
    const batches = Array.from({ length: ITEMS / 25 }, (_, b) =>
      Array.from({ length: 25 }, (_, j) => ({ PutRequest: { Item: { id: b * 25 + j, color: `c${(b * 25 + j) % 10}` } } })));
    await Promise.all(batches.map((batch) => t.doc.send(new BatchWriteCommand({ RequestItems: { big: batch } }))));
    await t.client.send(new UpdateTableCommand({
      TableName: 'big', AttributeDefinitions: [{ AttributeName: 'color', AttributeType: 'S' }],
      GlobalSecondaryIndexUpdates: [{ Create: { IndexName: 'by_color', KeySchema: [{ AttributeName: 'color', KeyType: 'HASH' }], Projection: { ProjectionType: 'KEYS_ONLY' } } }],
    }));
    // 20 writers change index keys, remove them, delete and add items until the index is ACTIVE.
    let active = false;
    let writes = 0;
    let sawBackfilling = false;
    const writer = async (w: number) => {
      let n = 0;
      while (!active) {
        const id = Math.floor(Math.random() * (ITEMS + 200));
        const op = (w + n++) % 4;
        if (op === 0) await t.doc.send(new UpdateCommand({ TableName: 'big', Key: { id }, UpdateExpression: 'SET color = :c', ExpressionAttributeValues: { ':c': `w${w}` } }));
        else if (op === 1) await t.doc.send(new UpdateCommand({ TableName: 'big', Key: { id }, UpdateExpression: 'REMOVE color' }));
        else if (op === 2) await t.doc.send(new DeleteCommand({ TableName: 'big', Key: { id } }));
        else await t.doc.send(new PutCommand({ TableName: 'big', Item: { id, color: `n${w}` } }));
        writes++;
      }
    };
    const watcher = async () => {
      while (!active) {
        const d = (await t.client.send(new DescribeTableCommand({ TableName: 'big' }))).Table!;
        const gsi = d.GlobalSecondaryIndexes![0]!;
        if (gsi.Backfilling) sawBackfilling = true;
        active = gsi.IndexStatus === 'ACTIVE';
        await new Promise((r) => setTimeout(r, 5));
      }
    };
    const started = Date.now();
    await Promise.all([watcher(), ...Array.from({ length: WRITERS }, (_, w) => writer(w))]);
    assert.ok(sawBackfilling);
    assert.ok(writes >= WRITERS, `writes during backfill: ${writes} in ${Date.now() - started} ms`);

    const base = await scanAll(t, {});
    const expected = base.filter((i) => i.color !== undefined).map((i) => `${i.id}:${i.color}`).sort();
    const entries = await scanAll(t, { IndexName: 'by_color' });
    assert.deepEqual(entries.map((i) => `${i.id}:${i.color}`).sort(), expected);
    const d = (await t.client.send(new DescribeTableCommand({ TableName: 'big' }))).Table!;
    assert.equal(d.GlobalSecondaryIndexes![0]!.ItemCount, expected.length);
    assert.equal(d.ItemCount, base.length);
  });
});

describe('index jobs across a restart', () => {
  const options = { region: 'us-east-1', accountId: '000000000000', delayTransientStatuses: false };
  const spec = hashKeyedSpec('r', [{ AttributeName: 'g', AttributeType: 'S' }]);
  const countKeys = (store: MemoryStore, tableId: number, no: number) => {
    const prefix = indexPrefix(tableId, no);
    return [...store.range({ gte: prefix, lt: prefixEnd(prefix)! })].length;
  };
  const waitFor = async (check: () => boolean) => {
    for (let i = 0; i < 500 && !check(); i++) await new Promise((r) => setTimeout(r, 5));
    assert.ok(check());
  };

  it('resumes an interrupted backfill, then an interrupted drop, when the database is opened again', async () => {
    const store = new MemoryStore();
    const first = await Database.open(store, options);
    const meta = await first.createTable(spec);
    const table = first.table('r');
    for (let i = 0; i < 1200; i++) {
      const item = { id: { S: `i${i}` }, ...(i % 4 === 0 ? {} : { g: { S: `g${i % 3}` } }) };
      await first.writeItem(table, item, () => item);
    }
    // A catalog entry as a crash in the middle of a backfill leaves it: the index is CREATING.
    const creating = { ...meta, indexes: [{ name: 'gi', no: 1, kind: 'GSI' as const, keySchema: [{ AttributeName: 'g', KeyType: 'HASH' as const }], projection: { ProjectionType: 'ALL' as const }, status: 'CREATING' as const, backfilling: true }], nextIndexNo: 2 };
    await store.transact((txn) => txn.put(catalogKey('r'), Buffer.from(JSON.stringify(creating))));
    await first.close(); // the process stops; its background jobs with it

    const second = await Database.open(store, options);
    await waitFor(() => second.findTable('r')!.meta.indexes![0]!.status === 'ACTIVE');
    assert.equal(countKeys(store, meta.id, 1), 900);
    assert.deepEqual((await second.stats(second.table('r').meta)).indexes.gi!.itemCount, 900);

    const deleting = { ...second.table('r').meta, indexes: [{ ...creating.indexes[0]!, status: 'DELETING' as const, backfilling: undefined }] };
    await store.transact((txn) => txn.put(catalogKey('r'), Buffer.from(JSON.stringify(deleting))));
    await second.close();
    const third = await Database.open(store, options);
    await waitFor(() => (third.findTable('r')!.meta.indexes ?? []).length === 0);
    assert.equal(countKeys(store, meta.id, 1), 0);
    assert.deepEqual(third.table('r').meta.attributeDefinitions, [{ AttributeName: 'id', AttributeType: 'S' }]);
    await third.close();
  });
});
