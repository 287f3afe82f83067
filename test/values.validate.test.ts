import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DynamoError } from '../src/errors.js';
import { validateAttributeValue, validateItem } from '../src/values/validate.js';

function fails(fn: () => unknown, code: string, message: string): void {
  assert.throws(fn, (error: unknown) => {
    assert.ok(error instanceof DynamoError, String(error));
    assert.equal(error.code, code);
    assert.equal(error.message, message);
    return true;
  });
}
const invalid = (fn: () => unknown, message: string) => fails(fn, 'ValidationException', message);
const malformed = (fn: () => unknown, message: string) => fails(fn, 'SerializationException', message);

const EMPTY = 'Supplied AttributeValue is empty, must contain exactly one of the supported datatypes';
const SEVERAL = 'Supplied AttributeValue has more than one datatypes set, must contain exactly one of the supported datatypes';
const TOO_DEEP = 'Nesting Levels have exceeded supported limits: Attributes in the item have nested levels beyond supported limit';

test('valid values pass and canonical input is returned as the same object', () => {
  const values = [{ S: '' }, { S: 'x' }, { N: '42' }, { B: 'AQID' }, { B: '' }, { BOOL: false }, { NULL: true }, { SS: ['', 'a'] },
    { NS: ['1', '2.5'] }, { BS: ['AQ==', 'Ag=='] }, { L: [] }, { M: {} }, { L: [{ S: 'a' }, { M: { b: { N: '1' } } }] }];
  for (const value of values) assert.equal(validateAttributeValue(value), value);
  const item = { a: { S: 'x' }, b: { N: '1' } };
  assert.equal(validateItem(item), item);
});

test('numbers and binary come back canonical, without touching the input', () => {
  const input = { M: { n: { N: '1.50' }, keep: { S: 'k' }, l: { L: [{ N: '1e2' }] }, ns: { NS: ['+3', '4'] }, b: { B: 'AR==' } } };
  const snapshot = JSON.stringify(input);
  const out = validateAttributeValue(input);
  assert.deepEqual(out, { M: { n: { N: '1.5' }, keep: { S: 'k' }, l: { L: [{ N: '100' }] }, ns: { NS: ['3', '4'] }, b: { B: 'AQ==' } } });
  assert.equal(JSON.stringify(input), snapshot);
  assert.equal((out as { M: Record<string, unknown> }).M.keep, input.M.keep);
});

test('exactly one datatype', () => {
  invalid(() => validateAttributeValue({}), EMPTY);
  invalid(() => validateAttributeValue({ X: 'a' }), EMPTY);
  invalid(() => validateAttributeValue({ S: null }), EMPTY);
  invalid(() => validateAttributeValue(null), EMPTY);
  invalid(() => validateAttributeValue({ S: 'a', N: '1' }), SEVERAL);
  invalid(() => validateItem({ a: {} }), EMPTY);
  assert.deepEqual(validateAttributeValue({ S: 'a', N: null, Extra: 1 }), { S: 'a' });
});

test('NULL must be true; sets must be non-empty and duplicate-free', () => {
  invalid(() => validateAttributeValue({ NULL: false }), 'One or more parameter values were invalid: Null attribute value types must have the value of true');
  invalid(() => validateAttributeValue({ SS: [] }), 'One or more parameter values were invalid: An string set  may not be empty');
  invalid(() => validateAttributeValue({ NS: [] }), 'One or more parameter values were invalid: An number set  may not be empty');
  invalid(() => validateAttributeValue({ BS: [] }), 'One or more parameter values were invalid: Binary sets should not be empty');
  invalid(() => validateAttributeValue({ SS: ['a', 'b', 'a'] }), 'One or more parameter values were invalid: Input collection [a, b, a] contains duplicates.');
  invalid(() => validateAttributeValue({ NS: ['1', '1.0'] }), 'One or more parameter values were invalid: Input collection [1, 1.0] contains duplicates.');
  const many = Array.from({ length: 30 }, (_, i) => `s${i}`);
  invalid(() => validateAttributeValue({ SS: [...many, 's0'] }), `One or more parameter values were invalid: Input collection [${[...many, 's0'].join(', ')}] contains duplicates.`);
  assert.ok(validateAttributeValue({ SS: many }));
});

test('bad numbers are validation errors', () => {
  invalid(() => validateAttributeValue({ N: 'abc' }), 'The parameter cannot be converted to a numeric value: abc');
  invalid(() => validateAttributeValue({ NS: ['1', 'x'] }), 'The parameter cannot be converted to a numeric value: x');
  invalid(() => validateItem({ a: { N: '1e200' } }), 'Number overflow. Attempting to store a number with magnitude larger than supported range');
});

test('JSON type errors are serialization errors', () => {
  malformed(() => validateAttributeValue({ S: 5 }), 'NUMBER_VALUE cannot be converted to String');
  malformed(() => validateAttributeValue({ N: 5 }), 'NUMBER_VALUE cannot be converted to String');
  malformed(() => validateAttributeValue({ S: true }), 'TRUE_VALUE cannot be converted to String');
  malformed(() => validateAttributeValue({ S: {} }), 'Start of structure or map found where not expected.');
  malformed(() => validateAttributeValue({ S: [] }), 'Start of list found where not expected');
  malformed(() => validateAttributeValue({ BOOL: 'true' }), 'STRING_VALUE cannot be converted to Boolean');
  malformed(() => validateAttributeValue({ NULL: 1 }), 'NUMBER_VALUE cannot be converted to Boolean');
  malformed(() => validateAttributeValue({ SS: 'a' }), 'STRING_VALUE cannot be converted to List');
  malformed(() => validateAttributeValue({ SS: [1] }), 'NUMBER_VALUE cannot be converted to String');
  malformed(() => validateAttributeValue({ L: {} }), 'Start of structure or map found where not expected.');
  malformed(() => validateAttributeValue({ M: [] }), 'Start of list found where not expected');
  malformed(() => validateAttributeValue('x'), 'STRING_VALUE cannot be converted to AttributeValue');
  malformed(() => validateItem([]), 'Start of list found where not expected');
  malformed(() => validateItem(7), 'NUMBER_VALUE cannot be converted to Map');
  malformed(() => validateItem(null), 'Null value cannot be converted to Map');
  malformed(() => validateAttributeValue({ BOOL: false, M: 'x' }), 'STRING_VALUE cannot be converted to Map');
  malformed(() => validateAttributeValue({ B: 'abc' }), 'Base64 encoded length is expected a multiple of 4 bytes but found: 3');
  malformed(() => validateAttributeValue({ B: 'ab$=' }), 'Invalid Base64 character found in binary value');
  malformed(() => validateAttributeValue({ BS: ['AQ==', 'A'] }), 'Base64 encoded length is expected a multiple of 4 bytes but found: 1');
});

test('a serialization error anywhere wins over a validation error', () => {
  malformed(() => validateItem({ a: { NULL: false }, b: { S: 5 } }), 'NUMBER_VALUE cannot be converted to String');
  malformed(() => validateItem({ a: { N: 'bad' }, b: { L: [{ M: { c: { BOOL: 0 } } }] } }), 'NUMBER_VALUE cannot be converted to Boolean');
});

test('nesting: 32 levels are allowed, 33 are not', () => {
  const nest = (levels: number) => {
    let value: unknown = { S: 'leaf' };
    for (let i = 1; i < levels; i++) value = i % 2 ? { M: { k: value } } : { L: [value] };
    return value;
  };
  assert.ok(validateItem({ a: nest(32) }));
  invalid(() => validateItem({ a: nest(33) }), TOO_DEEP);
  invalid(() => validateAttributeValue(nest(5000)), TOO_DEEP);
});

test('odd attribute names survive copying', () => {
  const item = JSON.parse('{"__proto__": {"N": "01"}, "constructor": {"S": "c"}}');
  const out = validateItem(item);
  assert.deepEqual(Object.keys(out), ['__proto__', 'constructor']);
  assert.deepEqual(Object.getOwnPropertyDescriptor(out, '__proto__')?.value, { N: '1' });
  assert.equal(Object.getPrototypeOf(out), Object.prototype);
});
