import { test } from 'node:test';
import assert from 'node:assert/strict';
import { compareScalars } from '../src/values/compare.js';
import { decodeKeyValue, encodeKeyValue, partitionHash, prefixEnd, type KeyValue } from '../src/values/keycodec.js';
import { normalizeNumber } from '../src/values/numbers.js';
import type { ScalarKeyType } from '../src/values/types.js';
import { seededRandom } from './seededRandom.js';

const rnd = seededRandom(42);
const pick = <T>(xs: T[]): T => xs[Math.floor(rnd() * xs.length)];
const int = (n: number) => Math.floor(rnd() * n);

function randomNumber(): string {
  if (rnd() < 0.05) return '0';
  const sign = rnd() < 0.5 ? '-' : '';
  // Few distinct digits and short runs make shared prefixes and near-ties likely.
  const count = rnd() < 0.5 ? 1 + int(4) : 1 + int(38);
  let digits = String(1 + int(9));
  for (let i = 1; i < count; i++) digits += pick(['0', '1', '5', '9', String(int(10))]);
  const exponent = rnd() < 0.5 ? int(7) - 3 : int(256) - 130;
  return normalizeNumber(`${sign}${digits[0]}.${digits.slice(1)}E${exponent}`);
}

function randomString(): string {
  const pool = ['a', 'b', '\u0000', '\u0001', '\u00ff', 'é', '\uffff', '😀', 'z'];
  let s = '';
  for (let n = int(5); n > 0; n--) s += pick(pool);
  return s;
}

function randomBinary(): string {
  const bytes = Buffer.alloc(int(5));
  for (let i = 0; i < bytes.length; i++) bytes[i] = pick([0, 1, 0xfe, 0xff, int(256)]);
  return bytes.toString('base64');
}

function randomValue(type: ScalarKeyType): KeyValue {
  if (type === 'N') return { N: randomNumber() };
  if (type === 'S') return { S: randomString() };
  return { B: randomBinary() };
}

for (const type of ['S', 'N', 'B'] as ScalarKeyType[]) {
  test(`${type}: byte order of encodings equals DynamoDB order, and decoding round-trips`, () => {
    const values = Array.from({ length: 1500 }, () => randomValue(type));
    if (type === 'N') {
      values.push({ N: normalizeNumber('9.9999999999999999999999999999999999999E+125') }, { N: normalizeNumber('-9.9999999999999999999999999999999999999E+125') },
        { N: normalizeNumber('1E-130') }, { N: normalizeNumber('-1E-130') }, { N: '1' }, { N: '-1' }, { N: '10' }, { N: '1.01' }, { N: '0.1' });
    }
    const encoded = values.map((v) => encodeKeyValue(v));
    for (let i = 0; i < values.length; i++) {
      const { value, next } = decodeKeyValue(encoded[i], 0, type);
      assert.deepEqual(value, values[i]);
      assert.equal(next, encoded[i].length);
      const j = int(values.length);
      const expected = compareScalars(values[i], values[j]);
      assert.equal(Buffer.compare(encoded[i], encoded[j]), expected, `${JSON.stringify(values[i])} vs ${JSON.stringify(values[j])}`);
    }
    const byBytes = values.map((v, i) => ({ v, e: encoded[i] })).sort((a, b) => Buffer.compare(a.e, b.e)).map((x) => x.v);
    for (let i = 1; i < byBytes.length; i++) assert.ok(compareScalars(byBytes[i - 1], byBytes[i])! <= 0);
  });
}

test('encodings are self-delimiting: concatenated keys sort by (first, second)', () => {
  const types: ScalarKeyType[] = ['S', 'N', 'B'];
  for (let round = 0; round < 3000; round++) {
    const t1 = pick(types);
    const t2 = pick(types);
    const a = [randomValue(t1), randomValue(t2)] as const;
    const b = [rnd() < 0.5 ? a[0] : randomValue(t1), randomValue(t2)] as const;
    const ka = Buffer.concat([encodeKeyValue(a[0]), encodeKeyValue(a[1])]);
    const kb = Buffer.concat([encodeKeyValue(b[0]), encodeKeyValue(b[1])]);
    const expected = compareScalars(a[0], b[0]) || compareScalars(a[1], b[1]);
    assert.equal(Buffer.compare(ka, kb), expected);
    const first = decodeKeyValue(ka, 0, t1);
    const second = decodeKeyValue(ka, first.next, t2);
    assert.deepEqual([first.value, second.value], a);
    assert.equal(second.next, ka.length);
  }
});

test('every string, number or binary key sorts inside [prefix, prefixEnd(prefix))', () => {
  const prefix = Buffer.from([7, 0xff, 0xff]);
  assert.deepEqual(prefixEnd(prefix), Buffer.from([8]));
  assert.deepEqual(prefixEnd(Buffer.from([1, 2])), Buffer.from([1, 3]));
  assert.equal(prefixEnd(Buffer.from([0xff, 0xff])), undefined);
  const end = prefixEnd(prefix)!;
  for (let i = 0; i < 200; i++) {
    const key = Buffer.concat([prefix, encodeKeyValue(randomValue(pick(['S', 'N', 'B'])))]);
    assert.ok(Buffer.compare(key, prefix) >= 0 && Buffer.compare(key, end) < 0);
  }
  const p = Buffer.from([1, 2]);
  assert.deepEqual(p, Buffer.from([1, 2]), 'prefixEnd does not modify its input');
});

test('partitionHash is a uint32 that spreads similar keys evenly', () => {
  const buckets = new Array(16).fill(0);
  const count = 32000;
  for (let i = 0; i < count; i++) {
    const h = partitionHash(encodeKeyValue({ S: `user#${i}` }));
    assert.ok(Number.isInteger(h) && h >= 0 && h <= 0xffffffff);
    buckets[h >>> 28]++;
  }
  for (const n of buckets) assert.ok(Math.abs(n - count / 16) < count / 16 * 0.1, `bucket ${n}`);
  assert.equal(partitionHash(Buffer.from('abc')), partitionHash(Buffer.from('abc')));
  assert.notEqual(partitionHash(Buffer.from('abc')), partitionHash(Buffer.from('abd')));
});
