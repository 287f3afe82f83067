/**
 * dynamodb-admin (v5, the web GUI people run beside a local DynamoDB) works against OpenDDB
 * unchanged. Its express app is built from the SDK client of the front under test and driven
 * over HTTP the way its pages do: the table list (HTML and /api/tables), the create-table route
 * (a GSI and an LSI; the form's string capacities are refused as real DynamoDB refuses them),
 * add-item, view and edit an item, the items scan with its filters, queries on the table and on the GSI, its pagination,
 * the meta, get and TTL pages, item delete, purge, table delete and delete-all. Every change
 * is checked through the SDK as well.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { once } from 'node:events';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  DescribeTableCommand,
  GetItemCommand,
  ListTablesCommand,
  ScanCommand,
} from '@aws-sdk/client-dynamodb';
import { createServer } from 'dynamodb-admin';
import { jsonOrUndefined, startTestServer, type TestContext } from './helpers.js';

const ORDERS = 'admin_orders';
const COUNTERS = 'admin_counters';

/** Undoes the HTML escaping that EJS applies to `<%= %>` output. */
function unescapeHtml(html: string): string {
  return html
    .replace(/&#34;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');
}

describe('dynamodb-admin against OpenDDB', () => {
  let t: TestContext;
  let admin: Server;
  let base: string;

  async function get(path: string, init?: RequestInit): Promise<{ status: number; text: string; headers: Headers }> {
    const res = await fetch(base + path, init);
    return { status: res.status, text: await res.text(), headers: res.headers };
  }

  async function send(method: string, path: string, body?: unknown): Promise<{ status: number; text: string; json: any }> {
    const res = await fetch(base + path, {
      method,
      headers: body === undefined ? {} : { 'Content-Type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    const json = jsonOrUndefined(text);
    return { status: res.status, text, json };
  }

  /** Runs a request that dynamodb-admin answers with a 500, whose stack it prints with console.info. */
  async function expecting500<T>(request: () => Promise<T>): Promise<T> {
    const info = console.info;
    console.info = () => {};
    try {
      return await request();
    } finally {
      console.info = info;
    }
  }

  /** The items JSON endpoint the table page fetches, with its query-string parameters. */
  async function items(table: string, params: Record<string, string | object>): Promise<any> {
    const qs = new URLSearchParams();
    for (const [k, v] of Object.entries(params)) qs.set(k, typeof v === 'string' ? v : JSON.stringify(v));
    const res = await send('GET', `/tables/${table}/items?${qs}`);
    assert.equal(res.status, 200, res.text);
    return res.json;
  }

  before(async () => {
    t = await startTestServer();
    const app = createServer({ dynamoDbClient: t.client });
    admin = app.listen(0, '127.0.0.1') as Server;
    await once(admin, 'listening');
    base = `http://127.0.0.1:${(admin.address() as AddressInfo).port}`;
  });

  after(async () => {
    admin.closeAllConnections();
    await new Promise<void>((resolve) => admin.close(() => resolve()));
    await t.close();
  });

  it('creates a table with a GSI and an LSI through the create-table form', async () => {
    const form = await get('/create-table');
    assert.equal(form.status, 200);
    assert.match(form.text, /Secondary Index|TableName/);

    // The form posts what jQuery's serializeArray gives: strings, so capacities arrive as "5".
    // dynamodb-admin passes them on untouched (its issue #518) and the SDK sends
    // "ReadCapacityUnits":"5"; real DynamoDB refuses a string for a Long with this
    // SerializationException, and so does OpenDDB.
    const definition = {
      TableName: ORDERS,
      HashAttributeName: 'pk',
      HashAttributeType: 'S',
      RangeAttributeName: 'sk',
      RangeAttributeType: 'S',
      ReadCapacityUnits: '5',
      WriteCapacityUnits: '3',
    };
    const asTheFormPosts = await expecting500(() => send('POST', '/create-table', { TableDefinition: definition }));
    assert.equal(asTheFormPosts.status, 500);
    assert.deepEqual(asTheFormPosts.json, { message: 'STRING_VALUE cannot be converted to Long' });
    assert.deepEqual((await t.client.send(new ListTablesCommand({}))).TableNames, []);

    // With numbers (a form whose inputs are read as numbers) the route creates the table.
    const res = await send('POST', '/create-table', {
      TableDefinition: { ...definition, ReadCapacityUnits: 5, WriteCapacityUnits: 3 },
      SecondaryIndexes: [
        {
          IndexName: 'byStatus',
          IndexType: 'global',
          HashAttributeName: 'status',
          HashAttributeType: 'S',
          RangeAttributeName: 'total',
          RangeAttributeType: 'N',
          ReadCapacityUnits: 2,
          WriteCapacityUnits: 1,
        },
        {
          IndexName: 'bySku',
          IndexType: 'local',
          HashAttributeName: 'pk',
          HashAttributeType: 'S',
          RangeAttributeName: 'sku',
          RangeAttributeType: 'S',
        },
      ],
    });
    assert.equal(res.status, 204, res.text);

    const numeric = await send('POST', '/create-table', {
      TableDefinition: {
        TableName: COUNTERS,
        HashAttributeName: 'id',
        HashAttributeType: 'N',
        RangeAttributeName: '',
        RangeAttributeType: 'S',
        ReadCapacityUnits: 1,
        WriteCapacityUnits: 1,
      },
    });
    assert.equal(numeric.status, 204, numeric.text);

    const { Table } = await t.client.send(new DescribeTableCommand({ TableName: ORDERS }));
    assert.deepEqual(Table?.KeySchema, [
      { AttributeName: 'pk', KeyType: 'HASH' },
      { AttributeName: 'sk', KeyType: 'RANGE' },
    ]);
    assert.equal(Table?.ProvisionedThroughput?.ReadCapacityUnits, 5);
    assert.equal(Table?.ProvisionedThroughput?.WriteCapacityUnits, 3);
    const gsi = Table?.GlobalSecondaryIndexes?.[0];
    assert.equal(gsi?.IndexName, 'byStatus');
    assert.deepEqual(gsi?.KeySchema, [
      { AttributeName: 'status', KeyType: 'HASH' },
      { AttributeName: 'total', KeyType: 'RANGE' },
    ]);
    assert.equal(gsi?.Projection?.ProjectionType, 'ALL');
    assert.equal(gsi?.ProvisionedThroughput?.ReadCapacityUnits, 2);
    assert.equal(Table?.LocalSecondaryIndexes?.[0]?.IndexName, 'bySku');
    const types = Object.fromEntries((Table?.AttributeDefinitions ?? []).map((d) => [d.AttributeName, d.AttributeType]));
    assert.deepEqual(types, { pk: 'S', sk: 'S', status: 'S', total: 'N', sku: 'S' });

    const counters = await t.client.send(new DescribeTableCommand({ TableName: COUNTERS }));
    assert.deepEqual(counters.Table?.KeySchema, [{ AttributeName: 'id', KeyType: 'HASH' }]);
  });

  it('refuses a range key without a type, as its form handler does', async () => {
    const res = await send('POST', '/create-table', {
      TableDefinition: { TableName: 'nope', HashAttributeName: 'pk', HashAttributeType: 'S', RangeAttributeName: 'sk', ReadCapacityUnits: '1', WriteCapacityUnits: '1' },
    });
    assert.equal(res.status, 400);
    assert.match(res.json.message, /range attribute "sk"/);
  });

  it('lists the tables with their item counts', async () => {
    const page = await get('/');
    assert.equal(page.status, 200);
    assert.match(page.text, new RegExp(`data-table-name="${ORDERS}"`));
    assert.match(page.text, new RegExp(`data-table-name="${COUNTERS}"`));
    assert.match(page.text, /badge-secondary badge-pill float-right ml-1">\s*0\s*</);

    const api = await send('GET', '/api/tables');
    assert.equal(api.status, 200);
    const names = api.json.map((d: any) => d.TableName).sort();
    assert.deepEqual(names, [COUNTERS, ORDERS]);
    const orders = api.json.find((d: any) => d.TableName === ORDERS);
    assert.equal(orders.TableStatus, 'ACTIVE');
    assert.equal(orders.ItemCount, 0);
  });

  it('adds items through add-item and shows them', async () => {
    const form = await get(`/tables/${ORDERS}/add-item`);
    assert.equal(form.status, 200);
    // The new-item template holds the key attributes, empty.
    assert.match(unescapeHtml(form.text), /"pk": "",\s*"sk": ""/);

    const orders = [
      { pk: 'c1', sk: 'o1', status: 'open', total: 42, sku: 'A-1', tags: ['x', 'y'], address: { city: 'Oslo', zip: '0150' } },
      { pk: 'c1', sk: 'o2', status: 'shipped', total: 7.5, sku: 'B-2' },
      { pk: 'c2', sk: 'o1', status: 'open', total: 5, sku: 'A-1', gift: true, note: null },
    ];
    for (const order of orders) {
      const res = await send('PUT', `/tables/${ORDERS}/add-item`, order);
      assert.equal(res.status, 200, res.text);
      assert.deepEqual(res.json, { pk: order.pk, sk: order.sk });
    }

    const counter = await send('PUT', `/tables/${COUNTERS}/add-item`, { id: 7, hits: 1 });
    assert.equal(counter.status, 200, counter.text);
    assert.deepEqual(counter.json, { id: 7 });

    const stored = await t.client.send(new GetItemCommand({ TableName: ORDERS, Key: { pk: { S: 'c1' }, sk: { S: 'o1' } } }));
    assert.deepEqual(stored.Item, {
      pk: { S: 'c1' },
      sk: { S: 'o1' },
      status: { S: 'open' },
      total: { N: '42' },
      sku: { S: 'A-1' },
      tags: { L: [{ S: 'x' }, { S: 'y' }] },
      address: { M: { city: { S: 'Oslo' }, zip: { S: '0150' } } },
    });
    const third = await t.client.send(new GetItemCommand({ TableName: ORDERS, Key: { pk: { S: 'c2' }, sk: { S: 'o1' } } }));
    assert.deepEqual(third.Item?.gift, { BOOL: true });
    assert.deepEqual(third.Item?.note, { NULL: true });

    // The item page (where add-item's save redirects) renders the stored item.
    const view = await get(`/tables/${ORDERS}/items/${encodeURIComponent('c1,o1')}`);
    assert.equal(view.status, 200);
    const shown = unescapeHtml(view.text);
    assert.match(shown, /"pk": "c1",\s*"sk": "o1"/);
    assert.match(shown, /"status": "open"/);
    assert.match(shown, /"total": 42/);
    assert.match(shown, /"city": "Oslo"/);

    const numericView = await get(`/tables/${COUNTERS}/items/7`);
    assert.equal(numericView.status, 200);
    assert.match(unescapeHtml(numericView.text), /"hits": 1/);

    const missing = await get(`/tables/${ORDERS}/items/${encodeURIComponent('c9,o9')}`);
    assert.equal(missing.status, 404);
  });

  it('edits an item in place', async () => {
    const res = await send('PUT', `/tables/${ORDERS}/items/${encodeURIComponent('c1,o1')}`, {
      pk: 'c1', sk: 'o1', status: 'paid', total: 43, sku: 'A-1', tags: ['x'],
    });
    assert.equal(res.status, 200, res.text);
    assert.deepEqual(res.json, { pk: 'c1', sk: 'o1', status: 'paid', total: 43, sku: 'A-1', tags: ['x'] });

    const stored = await t.client.send(new GetItemCommand({ TableName: ORDERS, Key: { pk: { S: 'c1' }, sk: { S: 'o1' } } }));
    assert.deepEqual(stored.Item?.status, { S: 'paid' });
    assert.deepEqual(stored.Item?.total, { N: '43' });
    assert.equal(stored.Item?.address, undefined, 'the put replaces the whole item');

    const counter = await send('PUT', `/tables/${COUNTERS}/items/7`, { id: 7, hits: 2 });
    assert.equal(counter.status, 200, counter.text);
    assert.deepEqual(counter.json, { id: 7, hits: 2 });
  });

  it('renders the table page with its indexes and scans its items', async () => {
    const page = await get(`/tables/${ORDERS}`);
    assert.equal(page.status, 200);
    assert.ok(page.text.includes(ORDERS));
    assert.match(page.text, /value="byStatus"/);

    const all = await items(ORDERS, {});
    assert.equal(all.Items.length, 3);
    assert.deepEqual(all.uniqueKeys.slice(0, 2), ['pk', 'sk']);
    for (const k of ['status', 'total', 'sku', 'tags', 'gift', 'note']) assert.ok(all.uniqueKeys.includes(k), k);
    const keys = all.Items.map((i: any) => `${i.__key.pk},${i.__key.sk}`).sort();
    assert.deepEqual(keys, ['c1,o1', 'c1,o2', 'c2,o1']);
    assert.equal(all.nextKey, null);
    assert.equal(all.Table.TableName, ORDERS);
  });

  it('filters a scan with its filter rows', async () => {
    const open = await items(ORDERS, { operationType: 'scan', filters: { status: { operator: '=', value: 'open', type: 'S' } } });
    assert.deepEqual(open.Items.map((i: any) => `${i.pk},${i.sk}`), ['c2,o1']);

    const big = await items(ORDERS, { filters: { total: { operator: '>', value: '6', type: 'N' } } });
    assert.deepEqual(big.Items.map((i: any) => i.total).sort((a: number, b: number) => a - b), [7.5, 43]);

    const prefix = await items(ORDERS, { filters: { sku: { operator: 'begins_with', value: 'A', type: 'S' } } });
    assert.equal(prefix.Items.length, 2);

    const not = await items(ORDERS, { filters: { status: { operator: '<>', value: 'paid', type: 'S' }, sku: { operator: '=', value: 'A-1', type: 'S' } } });
    assert.deepEqual(not.Items.map((i: any) => `${i.pk},${i.sk}`), ['c2,o1']);
  });

  it('queries the table and the GSI', async () => {
    const c1 = await items(ORDERS, {
      operationType: 'query',
      queryableSelection: 'table',
      filters: { pk: { operator: '=', value: 'c1', type: 'S' }, sk: { operator: 'begins_with', value: 'o', type: 'S' } },
    });
    assert.deepEqual(c1.Items.map((i: any) => i.sk), ['o1', 'o2']);

    const withFilter = await items(ORDERS, {
      operationType: 'query',
      queryableSelection: 'table',
      filters: { pk: { operator: '=', value: 'c1', type: 'S' }, status: { operator: '=', value: 'shipped', type: 'S' } },
    });
    assert.deepEqual(withFilter.Items.map((i: any) => i.sk), ['o2']);

    const open = await items(ORDERS, {
      operationType: 'query',
      queryableSelection: 'byStatus',
      filters: { status: { operator: '=', value: 'open', type: 'S' }, total: { operator: '>=', value: '5', type: 'N' } },
    });
    assert.deepEqual(open.Items.map((i: any) => `${i.pk},${i.sk}`), ['c2,o1']);

    const paid = await items(ORDERS, {
      operationType: 'query',
      queryableSelection: 'byStatus',
      filters: { status: { operator: '=', value: 'paid', type: 'S' } },
    });
    assert.deepEqual(paid.Items.map((i: any) => i.total), [43]);
  });

  it('pages through the items with its startKey links', async () => {
    const first = await items(ORDERS, { pageSize: '2' });
    assert.equal(first.Items.length, 2);
    assert.ok(first.nextKey, 'a next-page key');
    const nextKey = JSON.parse(decodeURIComponent(first.nextKey));
    assert.deepEqual(nextKey, first.Items[1].__key);

    const second = await items(ORDERS, { pageSize: '2', pageNum: '2', startKey: decodeURIComponent(first.nextKey) });
    assert.equal(second.pageNum, 2);
    assert.equal(second.Items.length, 1);
    assert.equal(second.nextKey, null);
    const seen = [...first.Items, ...second.Items].map((i: any) => `${i.pk},${i.sk}`).sort();
    assert.deepEqual(seen, ['c1,o1', 'c1,o2', 'c2,o1']);
  });

  it('renders the meta, get and TTL pages', async () => {
    const meta = await get(`/tables/${ORDERS}/meta`);
    assert.equal(meta.status, 200);
    const described = unescapeHtml(meta.text);
    assert.match(described, new RegExp(`"TableName": "${ORDERS}"`));
    assert.match(described, /"IndexName": "byStatus"/);
    assert.match(described, /"IndexName": "bySku"/);
    assert.match(described, /"TableStatus": "ACTIVE"/);
    assert.match(described, /"ItemCount": 3/);

    const getPage = await get(`/tables/${ORDERS}/get`);
    assert.equal(getPage.status, 200);
    assert.ok(getPage.text.includes('pk') && getPage.text.includes('sk'));

    const redirect = await get(`/tables/${ORDERS}/get?hash=c1&range=o2`, { redirect: 'manual' });
    assert.equal(redirect.status, 302);
    assert.equal(redirect.headers.get('location'), `/tables/${ORDERS}/items/c1,o2`);

    const ttl = await get(`/tables/${ORDERS}/ttl`);
    assert.equal(ttl.status, 200);
    assert.match(ttl.text, /DISABLED/);
  });

  it('deletes an item', async () => {
    const res = await send('DELETE', `/tables/${ORDERS}/items/${encodeURIComponent('c1,o2')}`);
    assert.equal(res.status, 204, res.text);
    const gone = await t.client.send(new GetItemCommand({ TableName: ORDERS, Key: { pk: { S: 'c1' }, sk: { S: 'o2' } } }));
    assert.equal(gone.Item, undefined);
    assert.equal((await get(`/tables/${ORDERS}/items/${encodeURIComponent('c1,o2')}`)).status, 404);

    const counter = await send('DELETE', `/tables/${COUNTERS}/items/7`);
    assert.equal(counter.status, 204, counter.text);
    const counterGone = await t.client.send(new GetItemCommand({ TableName: COUNTERS, Key: { id: { N: '7' } } }));
    assert.equal(counterGone.Item, undefined);

    const page = await get('/');
    assert.match(page.text, /badge-secondary badge-pill float-right ml-1">\s*2\s*</);
  });

  it('purges a table through batch deletes', async () => {
    for (let i = 0; i < 30; i++) {
      const res = await send('PUT', `/tables/${ORDERS}/add-item`, { pk: 'bulk', sk: `s${String(i).padStart(2, '0')}`, n: i });
      assert.equal(res.status, 200, res.text);
    }
    assert.equal((await t.client.send(new ScanCommand({ TableName: ORDERS, Select: 'COUNT' }))).Count, 32);

    const res = await send('DELETE', `/tables/${ORDERS}/all`);
    assert.equal(res.status, 200, res.text);
    assert.equal((await t.client.send(new ScanCommand({ TableName: ORDERS, Select: 'COUNT' }))).Count, 0);
    assert.equal((await items(ORDERS, {})).Items.length, 0);
  });

  it('deletes a table, then all tables', async () => {
    const res = await send('DELETE', `/tables/${ORDERS}`);
    assert.equal(res.status, 204, res.text);
    const after1 = await t.client.send(new ListTablesCommand({}));
    assert.deepEqual(after1.TableNames, [COUNTERS]);

    const missing = await expecting500(() => send('GET', `/tables/${ORDERS}/meta`));
    assert.equal(missing.status, 500);
    assert.match(missing.json.message, /not found|ResourceNotFound|non-existent/i);

    const all = await send('DELETE', '/tables');
    assert.equal(all.status, 200);
    assert.equal(all.text, 'Tables deleted');
    assert.deepEqual((await t.client.send(new ListTablesCommand({}))).TableNames, []);

    const none = await send('DELETE', '/tables');
    assert.equal(none.text, 'There are no tables to delete');
    const page = await get('/');
    assert.equal(page.status, 200);
    assert.doesNotMatch(page.text, /data-table-name=/);
  });
});
