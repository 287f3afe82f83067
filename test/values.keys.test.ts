import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DynamoError } from '../src/errors.js';
import { extractKey, validateItemKey, validateKey, type KeySchemaInfo } from '../src/values/keys.js';

function invalid(fn: () => unknown, message: string): void {
  assert.throws(fn, (error: unknown) => {
    assert.ok(error instanceof DynamoError, String(error));
    assert.equal(error.code, 'ValidationException');
    assert.equal(error.message, message);
    return true;
  });
}

const hashOnly: KeySchemaInfo = { hashKey: 'pk', hashType: 'S' };
const composite: KeySchemaInfo = { hashKey: 'pk', hashType: 'S', rangeKey: 'sk', rangeType: 'N' };
const MISMATCH = 'The provided key element does not match the schema';

test('validateKey accepts exactly the key and normalises it', () => {
  assert.deepEqual(validateKey({ pk: { S: 'a' } }, hashOnly), { pk: { S: 'a' } });
  assert.deepEqual(validateKey({ pk: { S: 'a' }, sk: { N: '01.0' } }, composite), { pk: { S: 'a' }, sk: { N: '1' } });
});

test('validateKey rejects any other shape', () => {
  invalid(() => validateKey({}, hashOnly), MISMATCH);
  invalid(() => validateKey({ pk: { S: 'a' }, x: { S: 'b' } }, hashOnly), MISMATCH);
  invalid(() => validateKey({ other: { S: 'a' } }, hashOnly), MISMATCH);
  invalid(() => validateKey({ pk: { N: '1' } }, hashOnly), MISMATCH);
  invalid(() => validateKey({ pk: { S: 'a' } }, composite), MISMATCH);
  invalid(() => validateKey({ pk: { S: 'a' }, sk: { S: '1' } }, composite), MISMATCH);
  invalid(() => validateKey({ toString: { S: 'a' } }, { hashKey: 'toString', hashType: 'N' }), MISMATCH);
  invalid(() => validateKey({ pk: {} }, hashOnly), 'Supplied AttributeValue is empty, must contain exactly one of the supported datatypes');
});

test('empty key strings and binaries are rejected', () => {
  invalid(() => validateKey({ pk: { S: '' } }, hashOnly),
    'One or more parameter values are not valid. The AttributeValue for a key attribute cannot contain an empty string value. Key: pk');
  invalid(() => validateKey({ pk: { B: '' } }, { hashKey: 'pk', hashType: 'B' }),
    'One or more parameter values are not valid. The AttributeValue for a key attribute cannot contain an empty binary value. Key: pk');
  invalid(() => validateItemKey({ pk: { S: 'a' }, sk: { S: '' } }, { hashKey: 'pk', hashType: 'S', rangeKey: 'sk', rangeType: 'S' }),
    'One or more parameter values are not valid. The AttributeValue for a key attribute cannot contain an empty string value. Key: sk');
});

test('key size limits: 2048 bytes partition, 1024 bytes sort', () => {
  const stringRange: KeySchemaInfo = { hashKey: 'pk', hashType: 'S', rangeKey: 'sk', rangeType: 'S' };
  assert.ok(validateKey({ pk: { S: 'x'.repeat(2048) }, sk: { S: 'y'.repeat(1024) } }, stringRange));
  invalid(() => validateKey({ pk: { S: 'x'.repeat(2049) }, sk: { S: 'y' } }, stringRange),
    'One or more parameter values were invalid: Size of hashkey has exceeded the maximum size limit of2048 bytes');
  invalid(() => validateItemKey({ pk: { S: 'é'.repeat(1025) } }, hashOnly),
    'One or more parameter values were invalid: Size of hashkey has exceeded the maximum size limit of2048 bytes');
  invalid(() => validateKey({ pk: { S: 'x' }, sk: { S: 'y'.repeat(1025) } }, stringRange),
    'One or more parameter values were invalid: Aggregated size of all range keys has exceeded the size limit of 1024 bytes');
  const binary: KeySchemaInfo = { hashKey: 'pk', hashType: 'B' };
  assert.ok(validateKey({ pk: { B: Buffer.alloc(2048, 1).toString('base64') } }, binary));
  invalid(() => validateKey({ pk: { B: Buffer.alloc(2049, 1).toString('base64') } }, binary),
    'One or more parameter values were invalid: Size of hashkey has exceeded the maximum size limit of2048 bytes');
});

test('validateItemKey: missing keys and type mismatches', () => {
  validateItemKey({ pk: { S: 'a' }, sk: { N: '1' }, other: { BOOL: true } }, composite);
  invalid(() => validateItemKey({ sk: { N: '1' } }, composite), 'One or more parameter values were invalid: Missing the key pk in the item');
  invalid(() => validateItemKey({ pk: { S: 'a' } }, composite), 'One or more parameter values were invalid: Missing the key sk in the item');
  invalid(() => validateItemKey({ pk: { N: '1' }, sk: { N: '1' } }, composite),
    'One or more parameter values were invalid: Type mismatch for key pk expected: S actual: N');
  invalid(() => validateItemKey({ pk: { S: 'a' }, sk: { SS: ['1'] } }, composite),
    'One or more parameter values were invalid: Type mismatch for key sk expected: N actual: SS');
});

test('extractKey picks the key attributes', () => {
  assert.deepEqual(extractKey({ pk: { S: 'a' }, sk: { N: '1' }, x: { S: 'y' } }, composite), { pk: { S: 'a' }, sk: { N: '1' } });
});
