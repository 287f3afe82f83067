import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Item } from '../src/values/types.js';
import { check, condition, rejects } from './expressions.helpers.js';

const item: Item = {
  id: { S: 'k1' },
  n: { N: '5' },
  s: { S: 'hello' },
  b: { B: 'AQID' }, // bytes 1 2 3
  t: { BOOL: true },
  z: { NULL: true },
  ss: { SS: ['a', 'b'] },
  ns: { NS: ['1', '2.5'] },
  bs: { BS: ['AQ=='] },
  l: { L: [{ S: 'x' }, { N: '1' }, { M: { deep: { S: 'y' } } }] },
  m: { M: { a: { N: '1' }, b: { M: { c: { S: 'd' } } }, 'odd-name': { S: 'o' } } },
  e: { S: 'é𝄞' },
};

describe('condition evaluation', () => {
  const cases: [string, Record<string, unknown> | undefined, boolean][] = [
    ['n = :v', { ':v': { N: '5' } }, true],
    ['n = :v', { ':v': { N: '5.0' } }, true],
    ['n = :v', { ':v': { S: '5' } }, false],
    ['n <> :v', { ':v': { S: '5' } }, true],
    ['absent <> :v', { ':v': { N: '1' } }, true],
    ['absent = :v', { ':v': { N: '1' } }, false],
    ['n < :v', { ':v': { N: '10' } }, true],
    ['n < :v', { ':v': { S: 'zzz' } }, false],
    ['n <= :v', { ':v': { N: '5' } }, true],
    ['n > :v', { ':v': { N: '-1' } }, true],
    ['n >= :v', { ':v': { N: '6' } }, false],
    ['s > :v', { ':v': { S: 'hell' } }, true],
    ['b < :v', { ':v': { B: 'AQQ=' } }, true],
    ['absent < :v', { ':v': { N: '1' } }, false],
    ['n BETWEEN :a AND :b', { ':a': { N: '1' }, ':b': { N: '5' } }, true],
    ['n BETWEEN :a AND :b', { ':a': { N: '6' }, ':b': { N: '9' } }, false],
    ['s BETWEEN :a AND :b', { ':a': { N: '1' }, ':b': { N: '9' } }, false],
    ['n IN (:a, :b)', { ':a': { N: '1' }, ':b': { N: '5' } }, true],
    ['n IN (:a)', { ':a': { S: '5' } }, false],
    ['ss = :v', { ':v': { SS: ['b', 'a'] } }, true],
    ['m.b.c = :v', { ':v': { S: 'd' } }, true],
    ['l[2].deep = :v', { ':v': { S: 'y' } }, true],
    ['l[0] = :v', { ':v': { S: 'x' } }, true],
    ['l[9] = :v', { ':v': { S: 'x' } }, false],
    ['m[0] = :v', { ':v': { S: 'x' } }, false],
    ['l.a = :v', { ':v': { S: 'x' } }, false],
    ['n = :v AND s = :w', { ':v': { N: '5' }, ':w': { S: 'nope' } }, false],
    ['n = :v OR s = :w', { ':v': { N: '5' }, ':w': { S: 'nope' } }, true],
    ['NOT n = :v', { ':v': { N: '5' } }, false],
    ['not n = :v', { ':v': { N: '4' } }, true],
    // NOT binds tighter than AND, AND tighter than OR.
    ['NOT n = :v AND n = :v', { ':v': { N: '5' } }, false],
    ['n = :x OR n = :v AND n = :x', { ':v': { N: '5' }, ':x': { N: '1' } }, false],
    ['n = :v OR n = :x AND n = :x', { ':v': { N: '5' }, ':x': { N: '1' } }, true],
    ['(n = :v OR n = :x) AND n = :x', { ':v': { N: '5' }, ':x': { N: '1' } }, false],
    ['attribute_exists(n)', undefined, true],
    ['attribute_exists(m.b.c)', undefined, true],
    ['attribute_exists(m.b.x)', undefined, false],
    ['attribute_not_exists(absent)', undefined, true],
    ['attribute_not_exists(z)', undefined, false],
    ['attribute_type(n, :t)', { ':t': { S: 'N' } }, true],
    ['attribute_type(ss, :t)', { ':t': { S: 'SS' } }, true],
    ['attribute_type(z, :t)', { ':t': { S: 'NULL' } }, true],
    ['attribute_type(n, :t)', { ':t': { S: 'S' } }, false],
    ['begins_with(s, :p)', { ':p': { S: 'he' } }, true],
    ['begins_with(s, :p)', { ':p': { S: 'lo' } }, false],
    ['begins_with(b, :p)', { ':p': { B: 'AQI=' } }, true],
    ['begins_with(n, :p)', { ':p': { S: '5' } }, false],
    ['contains(s, :p)', { ':p': { S: 'ell' } }, true],
    ['contains(ss, :p)', { ':p': { S: 'b' } }, true],
    ['contains(ss, :p)', { ':p': { S: 'c' } }, false],
    ['contains(ns, :p)', { ':p': { N: '2.50' } }, true],
    ['contains(bs, :p)', { ':p': { B: 'AQ==' } }, true],
    ['contains(b, :p)', { ':p': { B: 'AgM=' } }, true],
    ['contains(l, :p)', { ':p': { N: '1' } }, true],
    ['contains(l, :p)', { ':p': { M: { deep: { S: 'y' } } } }, true],
    ['contains(n, :p)', { ':p': { N: '5' } }, false],
    ['contains(absent, :p)', { ':p': { S: 'x' } }, false],
    ['size(s) = :v', { ':v': { N: '5' } }, true],
    ['size(e) = :v', { ':v': { N: '3' } }, true],
    ['size(b) = :v', { ':v': { N: '3' } }, true],
    ['size(ss) = :v', { ':v': { N: '2' } }, true],
    ['size(l) > :v', { ':v': { N: '2' } }, true],
    ['size(m) = :v', { ':v': { N: '3' } }, true],
    ['size(n) = :v', { ':v': { N: '1' } }, false],
    ['size(absent) = :v', { ':v': { N: '0' } }, false],
    ['size(s) BETWEEN :a AND :b', { ':a': { N: '1' }, ':b': { N: '9' } }, true],
    ['n = n2', undefined, false],
    ['ADDRESS_x = :v OR n = :w', { ':v': { N: '1' }, ':w': { N: '5' } }, true],
  ];
  for (const [expression, values, expected] of cases) {
    it(`${expression} -> ${expected}`, () => {
      assert.equal(check(expression, item, values), expected);
    });
  }

  it('placeholder names resolve, including names that are reserved words or have odd characters', () => {
    assert.equal(check('#s = :v AND #m.#o = :w', item, { ':v': { S: 'hello' }, ':w': { S: 'o' } }, { '#s': 's', '#m': 'm', '#o': 'odd-name' }), true);
  });

  it('a absent item satisfies attribute_not_exists and fails comparisons', () => {
    assert.equal(check('attribute_not_exists(id)', undefined), true);
    assert.equal(check('id = :v', undefined, { ':v': { S: 'k1' } }), false);
  });

  it('prototype names never reach Object.prototype', () => {
    assert.equal(check('attribute_exists(#c)', {}, undefined, { '#c': 'constructor' }), false);
    assert.equal(check('attribute_exists(m.#p)', item, undefined, { '#p': '__proto__' }), false);
  });

  it('keywords are case-insensitive, function names are not', () => {
    assert.equal(check('n between :a and :b', item, { ':a': { N: '1' }, ':b': { N: '9' } }), true);
    rejects(() => condition('Size(n) = :v', { ':v': { N: '1' } }), 'Invalid ConditionExpression: Invalid function name; function: Size');
  });

  it('is compiled once and reused across items', () => {
    const c = condition('n > :v', { ':v': { N: '2' } });
    const results = [1, 2, 3, 4].map((i) => c.test({ n: { N: String(i) } }));
    assert.deepEqual(results, [false, false, true, true]);
  });
});
