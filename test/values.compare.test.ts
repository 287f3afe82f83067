import { test } from 'node:test';
import assert from 'node:assert/strict';
import { compareScalars, compareUtf8, valuesEqual } from '../src/values/compare.js';
import type { AttributeValue } from '../src/values/types.js';
import { seededRandom } from './seededRandom.js';

test('strings compare by UTF-8 bytes, not UTF-16 code units', () => {
  const astral = '\u{1F600}'; // surrogate pair D83D DE00, UTF-8 F0 9F 98 80
  const privateUse = '\uFF21'; // UTF-8 EF BC A1
  assert.ok(astral < privateUse, 'JS order puts the surrogate first');
  assert.equal(compareUtf8(astral, privateUse), 1);
  assert.equal(compareUtf8(privateUse, astral), -1);
  assert.equal(compareScalars({ S: 'a' + astral }, { S: 'a' + privateUse }), 1);
  assert.equal(compareUtf8('abc', 'abd'), -1);
  assert.equal(compareUtf8('ab', 'abc'), -1);
  assert.equal(compareUtf8('', ''), 0);
});

test('compareUtf8 matches Buffer.compare on random strings', () => {
  const rnd = seededRandom(7);
  const pool = ['a', 'b', 'z', '\u0000', '\u007f', '\u0080', '\u00e9', '\u07ff', '\u0800', '\ud7ff', '\ue000', '\uffff', '\u{10000}', '\u{1F600}', '\u{10FFFF}'];
  const make = () => {
    let s = '';
    const n = Math.floor(rnd() * 5);
    for (let i = 0; i < n; i++) s += pool[Math.floor(rnd() * pool.length)];
    return s;
  };
  for (let i = 0; i < 5000; i++) {
    const a = make();
    const b = make();
    assert.equal(compareUtf8(a, b), Buffer.compare(Buffer.from(a), Buffer.from(b)), JSON.stringify([a, b]));
  }
});

test('binary compares by unsigned bytes', () => {
  const rnd = seededRandom(11);
  const make = () => {
    const n = Math.floor(rnd() * 5);
    const bytes = Buffer.alloc(n);
    for (let i = 0; i < n; i++) bytes[i] = rnd() < 0.3 ? [0, 255, 128][Math.floor(rnd() * 3)] : Math.floor(rnd() * 256);
    return bytes;
  };
  for (let i = 0; i < 5000; i++) {
    const a = make();
    const b = make();
    const got = compareScalars({ B: a.toString('base64') }, { B: b.toString('base64') });
    assert.equal(got, Buffer.compare(a, b), `${a.toString('hex')} vs ${b.toString('hex')}`);
  }
});

test('numbers compare numerically; other type pairs are incomparable', () => {
  assert.equal(compareScalars({ N: '10' }, { N: '9' }), 1);
  assert.equal(compareScalars({ N: '-10' }, { N: '-9' }), -1);
  assert.equal(compareScalars({ N: '1' }, { S: '1' }), undefined);
  assert.equal(compareScalars({ BOOL: true }, { BOOL: true }), undefined);
  assert.equal(compareScalars({ SS: ['a'] }, { SS: ['a'] }), undefined);
});

test('valuesEqual is deep and treats sets as sets', () => {
  const a: AttributeValue = { M: { x: { L: [{ N: '1' }, { SS: ['p', 'q'] }] }, y: { NULL: true }, z: { BS: ['AQ==', 'Ag=='] } } };
  const b: AttributeValue = { M: { z: { BS: ['Ag==', 'AQ=='] }, y: { NULL: true }, x: { L: [{ N: '1' }, { SS: ['q', 'p'] }] } } };
  assert.equal(valuesEqual(a, b), true);
  assert.equal(valuesEqual({ L: [{ N: '1' }, { N: '2' }] }, { L: [{ N: '2' }, { N: '1' }] }), false);
  assert.equal(valuesEqual({ M: { a: { S: 'x' } } }, { M: { a: { S: 'x' }, b: { S: 'y' } } }), false);
  assert.equal(valuesEqual({ M: { toString: { S: 'x' } } }, { M: { other: { S: 'x' } } }), false);
  assert.equal(valuesEqual({ S: '1' }, { N: '1' }), false);
  assert.equal(valuesEqual({ NS: ['1', '2'] }, { NS: ['1', '3'] }), false);
  assert.equal(valuesEqual({ BOOL: false }, { BOOL: false }), true);
  const big = Array.from({ length: 40 }, (_, i) => String(i));
  assert.equal(valuesEqual({ NS: big }, { NS: big.slice().reverse() }), true);
  assert.equal(valuesEqual({ NS: big }, { NS: [...big.slice(1), '99'] }), false);
});
