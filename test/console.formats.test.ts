/**
 * The console's data formats: plain JSON <-> DynamoDB JSON with type hints, DynamoDB
 * JSON checks, CSV and JSON lines round trips (and a CSV import read back through the
 * server), the RCU/WCU calculator against the server's own formulas, /metrics parsing.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { PutItemCommand, QueryCommand } from '@aws-sdk/client-dynamodb';
import { checkItem, fromPlain, itemFromPlain, itemToPlain, toPlain, type Item } from '../src/console/app/attr.js';
import { parseCsv, parseJsonLines, toCsv, toJsonLines } from '../src/console/app/transfer.js';
import { requiredReadCapacity, requiredWriteCapacity, type ReadConsistency } from '../src/console/app/capacityMath.js';
import { parseMetrics, total } from '../src/console/app/metricsText.js';
import * as server from '../src/index.js';
import { createTable, rawRequest, startTestServer } from './helpers.js';

const EVERY_TYPE: Item = {
  id: { S: 'a,"b"\nc' },
  n: { N: '12345678901234567890.123' },
  small: { N: '1.5' },
  b: { B: 'AAEC' },
  t: { BOOL: true },
  z: { NULL: true },
  l: { L: [{ S: 'x' }, { N: '1' }] },
  m: { M: { inner: { SS: ['p', 'q'] } } },
  ss: { SS: ['a', 'b'] },
  ns: { NS: ['1', '99999999999999999999'] },
  bs: { BS: ['AQ=='] },
};

describe('plain JSON and DynamoDB JSON', () => {
  it('shows numbers as JSON numbers only when no digit is lost', () => {
    assert.equal(toPlain({ N: '1.5' }), 1.5);
    assert.equal(toPlain({ N: '1.50' }), 1.5);
    assert.equal(toPlain({ N: '15E-1' }), 1.5);
    assert.equal(toPlain({ N: '-0.001' }), -0.001);
    assert.equal(toPlain({ N: '12345678901234567890.123' }), '12345678901234567890.123');
    assert.equal(toPlain({ N: '9007199254740993' }), '9007199254740993');
    assert.equal(toPlain({ N: '1E+100' }), 1e100);
  });

  it('converts back with the loaded item as hint: sets, binary and big numbers keep their types', () => {
    assert.deepEqual(itemFromPlain(itemToPlain(EVERY_TYPE), EVERY_TYPE), EVERY_TYPE);
  });

  it('without a hint, JSON types map to their DynamoDB types', () => {
    assert.deepEqual(itemFromPlain({ s: 'x', n: 2, t: false, z: null, l: [1, 'a'], m: { k: [] } }), {
      s: { S: 'x' }, n: { N: '2' }, t: { BOOL: false }, z: { NULL: true }, l: { L: [{ N: '1' }, { S: 'a' }] }, m: { M: { k: { L: [] } } },
    });
    // A set emptied in the editor cannot stay a set (DynamoDB has no empty sets): it becomes a list.
    assert.deepEqual(fromPlain([], { SS: ['a'] }), { L: [] });
    assert.deepEqual(fromPlain('not a number', { N: '1' }), { S: 'not a number' });
  });

  it('checks DynamoDB JSON and names the path of a problem', () => {
    assert.deepEqual(checkItem(EVERY_TYPE), EVERY_TYPE);
    assert.throws(() => checkItem({ a: { S: 1 } }), /item\.a\.S must be a string/);
    assert.throws(() => checkItem({ a: { N: '1x' } }), /item\.a\.N is not a number: 1x/);
    assert.throws(() => checkItem({ a: { S: 'x', N: '1' } }), /item\.a must have exactly one type key/);
    assert.throws(() => checkItem({ a: { M: { b: { L: [{ NS: ['1', 'y'] }] } } } }), /item\.a\.b\[0\]\.NS has a value that is not a number: y/);
    assert.throws(() => checkItem({ a: 'plain' }), /item\.a must be a typed value/);
    assert.throws(() => checkItem([]), /item must be an object/);
  });
});

describe('import and export formats', () => {
  it('round-trips every type through JSON lines', () => {
    const text = toJsonLines([EVERY_TYPE, { id: { S: 'second' } }]);
    assert.equal(text.split('\n').length, 3);
    assert.deepEqual(parseJsonLines(text), [EVERY_TYPE, { id: { S: 'second' } }]);
  });

  it('reads plain JSON lines and unwrapped DynamoDB JSON lines too', () => {
    assert.deepEqual(parseJsonLines('{"id":"p","n":3}\r\n\n{"id":{"S":"t"},"n":{"N":"4"}}\n'), [
      { id: { S: 'p' }, n: { N: '3' } },
      { id: { S: 't' }, n: { N: '4' } },
    ]);
    assert.throws(() => parseJsonLines('{"id":"a"}\nnot json'), /line 2 is not JSON/);
    assert.throws(() => parseJsonLines('{"Item":{"id":{"N":"x"}}}'), /line 1\.id\.N is not a number/);
  });

  it('round-trips every type through CSV, quoting what needs quoting', () => {
    const items = [EVERY_TYPE, { id: { S: 'only key' }, t: { BOOL: false } }];
    const csv = toCsv(items, ['id']);
    const [header] = csv.split('\r\n');
    assert.equal(header, 'id,n (N),small (N),b (JSON),t (BOOL),z (JSON),l (JSON),m (JSON),ss (JSON),ns (JSON),bs (JSON)');
    assert.deepEqual(parseCsv(csv), items);
  });

  it('types CSV key columns from the table definition', () => {
    assert.deepEqual(parseCsv('pk,sk,b\n7,AQ==,x\n', { pk: 'N', sk: 'B' }), [{ pk: { N: '7' }, sk: { B: 'AQ==' }, b: { S: 'x' } }]);
    assert.throws(() => parseCsv('id,v (JSON)\na,{oops}\n'), /row 2, column v: not JSON/);
  });

  it('writes what it reads: a CSV import lands in the server intact', async () => {
    const ctx = await startTestServer();
    try {
      await createTable(ctx.client, 'Songs', ['id', 'S']);
      // Raw JSON, as the console sends it (the SDK would take a B string for bytes to encode).
      const items = parseCsv(toCsv([EVERY_TYPE], ['id']), { id: 'S' });
      const written = await rawRequest(ctx.server.url, 'BatchWriteItem', JSON.stringify({ RequestItems: { Songs: items.map((Item) => ({ PutRequest: { Item } })) } }));
      assert.equal(written.status, 200, written.text);
      const read = await rawRequest(ctx.server.url, 'GetItem', JSON.stringify({ TableName: 'Songs', Key: { id: EVERY_TYPE.id } }));
      assert.deepEqual(read.json.Item, EVERY_TYPE);
    } finally {
      await ctx.close();
    }
  });
});

describe('capacity calculator and metrics', () => {
  it('gives the server\'s own answers, the seed\'s examples among them', () => {
    assert.equal(requiredReadCapacity(11 * 1024, 20, 'eventual'), 30);
    assert.equal(requiredWriteCapacity(7 * 1024, 2, false), 14);
    for (const size of [1, 1024, 1025, 4096, 4097, 11 * 1024, 400 * 1024]) {
      for (const rate of [0.5, 1, 3, 120]) {
        for (const consistency of ['eventual', 'strong', 'transactional'] as ReadConsistency[]) {
          assert.equal(requiredReadCapacity(size, rate, consistency), server.requiredReadCapacity({ itemSizeBytes: size, readsPerSecond: rate, consistency }), `${size} ${rate} ${consistency}`);
        }
        for (const transactional of [false, true]) {
          assert.equal(requiredWriteCapacity(size, rate, transactional), server.requiredWriteCapacity({ itemSizeBytes: size, writesPerSecond: rate, transactional }));
        }
      }
    }
  });

  it('reads the server\'s /metrics', async () => {
    const ctx = await startTestServer();
    try {
      await createTable(ctx.client, 'Songs', ['id', 'S']);
      await ctx.client.send(new PutItemCommand({ TableName: 'Songs', Item: { id: { S: 'a' } } }));
      await ctx.client.send(new QueryCommand({ TableName: 'Songs', KeyConditionExpression: 'id = :a', ExpressionAttributeValues: { ':a': { S: 'a' } } }));
      const samples = parseMetrics(await (await fetch(`${ctx.server.url}/metrics`)).text());
      assert.equal(total(samples, 'ConsumedWriteCapacityUnits', 'Songs'), 1);
      assert.equal(total(samples, 'ConsumedReadCapacityUnits', 'Songs'), 0.5);
      assert.equal(total(samples, 'ConsumedReadCapacityUnits', 'Other'), 0);
      assert.ok(total(samples, 'SuccessfulRequestLatency_count', 'Songs') >= 2);
    } finally {
      await ctx.close();
    }
  });

  it('parses label values with escapes', () => {
    assert.deepEqual(parseMetrics('# HELP x y\nx{TableName="a\\"b",Operation="Put"} 2.5\ny 3\n'), [
      { name: 'x', labels: { TableName: 'a"b', Operation: 'Put' }, value: 2.5 },
      { name: 'y', labels: {}, value: 3 },
    ]);
  });
});
