/** Query returns a partition in DynamoDB's sort-key order: N numerically, S by UTF-8 bytes, B by unsigned bytes. */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { QueryCommand as LowQuery } from '@aws-sdk/client-dynamodb';
import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import { Decimal } from 'decimal.js';
import { createTable, startTestServer, type TestContext } from './helpers.js';
import { allItems, putAll, queryPages } from './query.helpers.js';

const NUMBERS = [
  '-9.9999999999999999999999999999999999999E+125', '-12345678901234567890123456789012345678', '-1E+10', '-2E+9',
  '-100', '-10', '-1.5', '-1', '-0.5', '-0.000001', '-1E-130', '0', '1E-130', '1.5E-130', '0.000001', '0.5', '1',
  '1.000000000000000000000000000000000001', '1.5', '2', '10', '99', '100', '2E+9', '1E+10', '10000000001',
  '12345678901234567890123456789012345678', '12345678901234567890123456789012345679', '9.9999999999999999999999999999999999999E+125',
];

// UTF-16 code-unit order differs from UTF-8 byte order for astral-plane characters
// (surrogates D800-DFFF sort below E000-FFFF in UTF-16, but F0.. sorts above EE.. / EF.. in UTF-8).
const STRINGS = [
  'A', 'Z', 'a', 'aa', 'ab', 'a\u0000', 'a\u0000b', 'a\u0001', 'b', '~', '\u00e9', '\u07ff', '\u0800', '\ud7ff',
  '\ue000', '\uff5e', '\ufffd', '\uffff', '\u{10000}', '\u{1f600}', '\u{1f600}a', '\u{10ffff}', '0', '10', '9',
];

const BINARIES = [[0x00], [0x00, 0x00], [0x00, 0x01], [0x00, 0xff], [0x01], [0x7f], [0x80], [0xfe, 0xff], [0xff], [0xff, 0x00], [0xff, 0xff]].map(
  (bytes) => Buffer.from(bytes),
);

/** Deterministic shuffle, so writes arrive out of order. */
function shuffled<T>(values: T[]): T[] {
  const out = [...values];
  let seed = 7;
  for (let i = out.length - 1; i > 0; i--) {
    seed = (seed * 1103515245 + 12345) % 2 ** 31;
    const j = seed % (i + 1);
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

const utf8Order = (a: string, b: string) => Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'));

describe('query ordering', () => {
  let t: TestContext;
  before(async () => {
    t = await startTestServer();
    await createTable(t.client, 'nums', ['pk', 'S'], ['sk', 'N']);
    await createTable(t.client, 'strs', ['pk', 'S'], ['sk', 'S']);
    await createTable(t.client, 'bins', ['pk', 'S'], ['sk', 'B']);
    await putAll(t, 'nums', shuffled(NUMBERS).map((n) => ({ pk: { S: 'p' }, sk: { N: n } })));
    // A neighbouring partition must never leak into the query.
    await putAll(t, 'nums', NUMBERS.map((n) => ({ pk: { S: 'q' }, sk: { N: n } })));
    await putAll(t, 'strs', shuffled(STRINGS).map((s) => ({ pk: { S: 'p' }, sk: { S: s } })));
    await putAll(t, 'bins', shuffled(BINARIES).map((b) => ({ pk: { S: 'p' }, sk: { B: b } })));
  });
  after(() => t.close());

  it('orders numbers numerically, whatever their written form', async () => {
    const { Items, Count } = await t.client.send(new LowQuery({
      TableName: 'nums', KeyConditionExpression: 'pk = :p', ExpressionAttributeValues: { ':p': { S: 'p' } },
    }));
    assert.equal(Count, NUMBERS.length);
    const got = Items!.map((i) => new Decimal(i.sk!.N!));
    const expected = NUMBERS.map((n) => new Decimal(n)).sort((a, b) => a.comparedTo(b));
    assert.deepEqual(got.map(String), expected.map(String));
    // Numbers come back in canonical form.
    assert.ok(Items!.some((i) => i.sk!.N === '10000000000'));
    assert.ok(Items!.some((i) => i.sk!.N === '-0.5'));
  });

  it('orders numbers in reverse with ScanIndexForward false, also across pages', async () => {
    const pages = await queryPages(t, {
      TableName: 'nums', KeyConditionExpression: 'pk = :p', ExpressionAttributeValues: { ':p': { S: 'p' } },
      ScanIndexForward: false, Limit: 4,
    });
    const got = allItems(pages).map((i) => new Decimal(i.sk!.N!).toString());
    const expected = NUMBERS.map((n) => new Decimal(n)).sort((a, b) => b.comparedTo(a)).map(String);
    assert.deepEqual(got, expected);
  });

  it('orders number ranges: 2E+9 < 1E+10 and exponent bounds compare numerically', async () => {
    const { Items } = await t.client.send(new LowQuery({
      TableName: 'nums', KeyConditionExpression: 'pk = :p AND sk BETWEEN :lo AND :hi',
      ExpressionAttributeValues: { ':p': { S: 'p' }, ':lo': { N: '2E+9' }, ':hi': { N: '1.00E10' } },
    }));
    assert.deepEqual(Items!.map((i) => i.sk!.N), ['2000000000', '10000000000']);
    const tiny = await t.client.send(new LowQuery({
      TableName: 'nums', KeyConditionExpression: 'pk = :p AND sk BETWEEN :a AND :b',
      ExpressionAttributeValues: { ':p': { S: 'p' }, ':a': { N: '-1E-130' }, ':b': { N: '1.5E-130' } },
    }));
    assert.deepEqual(tiny.Items!.map((i) => new Decimal(i.sk!.N!).toString()), ['-1e-130', '0', '1e-130', '1.5e-130']);
  });

  it('orders strings by UTF-8 bytes, not UTF-16 code units', async () => {
    const { Items } = await t.doc.send(new QueryCommand({
      TableName: 'strs', KeyConditionExpression: 'pk = :p', ExpressionAttributeValues: { ':p': 'p' },
    }));
    const expected = [...STRINGS].sort(utf8Order);
    assert.notDeepEqual(expected, [...STRINGS].sort()); // the test data tells the two orders apart
    assert.deepEqual(Items!.map((i) => i.sk), expected);
    const reverse = await t.doc.send(new QueryCommand({
      TableName: 'strs', KeyConditionExpression: 'pk = :p', ExpressionAttributeValues: { ':p': 'p' }, ScanIndexForward: false,
    }));
    assert.deepEqual(reverse.Items!.map((i) => i.sk), [...expected].reverse());
  });

  it('compares string bounds by UTF-8 bytes', async () => {
    const { Items } = await t.doc.send(new QueryCommand({
      TableName: 'strs', KeyConditionExpression: 'pk = :p AND sk > :v', ExpressionAttributeValues: { ':p': 'p', ':v': '\uffff' },
    }));
    assert.deepEqual(Items!.map((i) => i.sk), ['\u{10000}', '\u{1f600}', '\u{1f600}a', '\u{10ffff}']);
  });

  it('orders binaries by unsigned bytes, forward and reverse', async () => {
    const expected = [...BINARIES].sort(Buffer.compare).map((b) => b.toString('hex'));
    const { Items } = await t.client.send(new LowQuery({
      TableName: 'bins', KeyConditionExpression: 'pk = :p', ExpressionAttributeValues: { ':p': { S: 'p' } },
    }));
    assert.deepEqual(Items!.map((i) => Buffer.from(i.sk!.B!).toString('hex')), expected);
    const reverse = await t.doc.send(new QueryCommand({
      TableName: 'bins', KeyConditionExpression: 'pk = :p', ExpressionAttributeValues: { ':p': 'p' }, ScanIndexForward: false,
    }));
    assert.deepEqual(reverse.Items!.map((i) => Buffer.from(i.sk as Uint8Array).toString('hex')), [...expected].reverse());
  });
});
