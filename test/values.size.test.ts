import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DynamoError } from '../src/errors.js';
import { attributeValueSize, checkItemSize, itemSize, MAX_ITEM_SIZE } from '../src/values/size.js';

test('scalar sizes', () => {
  assert.equal(attributeValueSize({ S: 'hello' }), 5);
  assert.equal(attributeValueSize({ S: 'é€😀' }), 2 + 3 + 4);
  assert.equal(attributeValueSize({ S: 'x'.repeat(100) + 'é' }), 102);
  assert.equal(attributeValueSize({ B: Buffer.alloc(10).toString('base64') }), 10);
  assert.equal(attributeValueSize({ B: '' }), 0);
  assert.equal(attributeValueSize({ BOOL: true }), 1);
  assert.equal(attributeValueSize({ NULL: true }), 1);
  assert.equal(attributeValueSize({ N: '27' }), 2);
  assert.equal(attributeValueSize({ N: '-27' }), 3);
});

test('sets sum their members; lists and maps add 3 bytes plus 1 per element', () => {
  assert.equal(attributeValueSize({ SS: ['ab', 'c'] }), 3);
  assert.equal(attributeValueSize({ NS: ['1', '123'] }), 2 + 3);
  assert.equal(attributeValueSize({ BS: ['AQ==', 'AQI='] }), 3);
  assert.equal(attributeValueSize({ L: [] }), 3);
  assert.equal(attributeValueSize({ M: {} }), 3);
  assert.equal(attributeValueSize({ L: [{ S: 'abc' }, { BOOL: true }] }), 3 + (1 + 3) + (1 + 1));
  assert.equal(attributeValueSize({ M: { ab: { S: 'xyz' } } }), 3 + 1 + 2 + 3);
});

test('item size adds attribute names', () => {
  assert.equal(itemSize({ id: { S: 'abc' }, n: { N: '461' } }), 2 + 3 + 1 + 3);
  assert.equal(itemSize({}), 0);
});

test('400 KB limit', () => {
  const fits = { a: { S: 'x'.repeat(MAX_ITEM_SIZE - 1) } };
  assert.equal(checkItemSize(fits), MAX_ITEM_SIZE);
  const over = { a: { S: 'x'.repeat(MAX_ITEM_SIZE) } };
  assert.throws(() => checkItemSize(over), (error: unknown) =>
    error instanceof DynamoError && error.code === 'ValidationException' && error.message === 'Item size has exceeded the maximum allowed size');
});
