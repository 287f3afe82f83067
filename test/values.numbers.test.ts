import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DynamoError } from '../src/errors.js';
import { addNumbers, compareNumbers, normalizeNumber, numberSize, subtractNumbers } from '../src/values/numbers.js';

function rejects(fn: () => unknown, message: string): void {
  assert.throws(fn, (error: unknown) => {
    assert.ok(error instanceof DynamoError);
    assert.equal(error.code, 'ValidationException');
    assert.equal(error.message, message);
    return true;
  });
}

const TOO_MANY = 'Attempting to store more than 38 significant digits in a Number';
const OVERFLOW = 'Number overflow. Attempting to store a number with magnitude larger than supported range';
const UNDERFLOW = 'Number underflow. Attempting to store a number with magnitude smaller than supported range';
const MAX = '9.9999999999999999999999999999999999999E+125';

test('normalizeNumber returns the canonical plain form', () => {
  const cases: [string, string][] = [
    ['42', '42'], ['-7', '-7'], ['3.14', '3.14'], ['0', '0'],
    ['1.50', '1.5'], ['-0', '0'], ['-0.000', '0'], ['+0', '0'], ['0e500', '0'],
    ['01', '1'], ['-007.50', '-7.5'], ['1e3', '1000'], ['1E+3', '1000'], ['1.5E3', '1500'],
    ['0.00010', '0.0001'], ['+5', '5'], ['.5', '0.5'], ['5.', '5'], ['-.25e1', '-2.5'],
    ['1234.5e-2', '12.345'], ['100', '100'], ['12e-1', '1.2'], ['1E-7', '0.0000001'],
  ];
  for (const [input, expected] of cases) assert.equal(normalizeNumber(input), expected, input);
});

test('normalizeNumber keeps an already canonical string identical', () => {
  const s = '123456.789';
  assert.equal(normalizeNumber(s), s);
});

test('range limits: 1E-130 and 9.99..E+125 are the extremes', () => {
  assert.equal(normalizeNumber('1E-130'), '0.' + '0'.repeat(129) + '1');
  assert.equal(normalizeNumber('-1E-130'), '-0.' + '0'.repeat(129) + '1');
  assert.equal(normalizeNumber(MAX), '9'.repeat(38) + '0'.repeat(88));
  assert.equal(normalizeNumber('-' + MAX), '-' + '9'.repeat(38) + '0'.repeat(88));
  assert.equal(normalizeNumber('1E125').length, 126);
  rejects(() => normalizeNumber('1E126'), OVERFLOW);
  rejects(() => normalizeNumber('-1E126'), OVERFLOW);
  rejects(() => normalizeNumber('10E125'), OVERFLOW);
  rejects(() => normalizeNumber('1E999999999999999'), OVERFLOW);
  rejects(() => normalizeNumber('1E-131'), UNDERFLOW);
  rejects(() => normalizeNumber('0.1E-130'), UNDERFLOW);
  rejects(() => normalizeNumber('1E-999999999999999'), UNDERFLOW);
});

test('38 significant digits are allowed, 39 are not; zeros at the ends do not count', () => {
  const digits38 = '12345678901234567890123456789012345678';
  assert.equal(normalizeNumber(digits38), digits38);
  assert.equal(normalizeNumber('0.' + digits38), '0.' + digits38);
  assert.equal(normalizeNumber(digits38 + '000000'), digits38 + '000000');
  assert.equal(normalizeNumber('000' + digits38 + '.000'), digits38);
  rejects(() => normalizeNumber(digits38 + '9'), TOO_MANY);
  rejects(() => normalizeNumber('1.' + '0'.repeat(37) + '1'), TOO_MANY);
  // 39 characters but only 38 significant digits:
  assert.equal(normalizeNumber('-' + digits38), '-' + digits38);
});

test('malformed numbers are rejected with the input in the message', () => {
  for (const bad of ['abc', '', '-', '+', '.', '1.2.3', '1e', '1e+', 'e5', '+e2', '1+2', ' 5', '5 ', 'NaN', 'Infinity', '0x10', '1_000', '--1', '1,5']) {
    rejects(() => normalizeNumber(bad), 'The parameter cannot be converted to a numeric value: ' + bad);
  }
});

test('compareNumbers orders numerically', () => {
  const sorted = ['-' + '9'.repeat(38) + '0'.repeat(88), '-1000', '-10.5', '-10', '-9.99', '-1', '-0.5', '-0.05', '-' + '0.' + '0'.repeat(129) + '1',
    '0', '0.' + '0'.repeat(129) + '1', '0.0001', '0.05', '0.5', '1', '1.01', '1.1', '9', '10', '10.5', '99', '100', '12345678901234567890'];
  for (let i = 0; i < sorted.length; i++) {
    for (let j = 0; j < sorted.length; j++) {
      assert.equal(Math.sign(compareNumbers(sorted[i], sorted[j])), Math.sign(i - j), `${sorted[i]} vs ${sorted[j]}`);
    }
  }
});

test('arithmetic is exact decimal arithmetic', () => {
  assert.equal(addNumbers('1', '2'), '3');
  assert.equal(addNumbers('-5', '5'), '0');
  assert.equal(subtractNumbers('5', '7'), '-2');
  assert.equal(addNumbers('0.1', '0.2'), '0.3');
  assert.equal(subtractNumbers('1', '0.9'), '0.1');
  assert.equal(addNumbers('999999999999999', '1'), '1000000000000000');
  assert.equal(addNumbers('9007199254740993', '1'), '9007199254740994');
  assert.equal(addNumbers('1' + '0'.repeat(125), '1' + '0'.repeat(125)), '2' + '0'.repeat(125));
  assert.equal(subtractNumbers('0.' + '0'.repeat(129) + '2', '0.' + '0'.repeat(129) + '1'), '0.' + '0'.repeat(129) + '1');
  assert.equal(addNumbers('-1.5', '0.25'), '-1.25');
});

test('arithmetic enforces the number limits', () => {
  const max = normalizeNumber(MAX);
  rejects(() => addNumbers(max, normalizeNumber('1E+125')), OVERFLOW);
  rejects(() => subtractNumbers('-' + max, normalizeNumber('1E+125')), OVERFLOW);
  rejects(() => addNumbers(normalizeNumber('1E+125'), '1'), TOO_MANY);
});

test('numberSize follows DynamoDB\'s measured sizing', () => {
  assert.equal(numberSize('0'), 1);
  assert.equal(numberSize('27'), 2);
  assert.equal(numberSize('-27'), 3);
  assert.equal(numberSize('461'), 3);
  assert.equal(numberSize('1786461547'), 6);
  assert.equal(numberSize('1000'), 2);
  assert.equal(numberSize('0.001'), 2);
  assert.equal(numberSize('1.5'), 3);
  assert.equal(numberSize('100.5'), 4);
  assert.equal(numberSize('9'.repeat(38)), 20);
  assert.equal(numberSize(normalizeNumber('1E125')), 2);
});
