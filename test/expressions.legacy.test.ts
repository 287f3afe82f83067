import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { applyUpdate, compileRequest, evaluateCondition } from '../src/expressions/index.js';
import type { KeySchemaInfo } from '../src/values/keys.js';
import type { Item } from '../src/values/types.js';
import { rejects } from './expressions.helpers.js';

const item: Item = { id: { S: 'k' }, n: { N: '5' }, s: { S: 'hello' }, ss: { SS: ['a', 'b'] } };

function expected(map: Record<string, unknown>, op?: string) {
  return compileRequest('PutItem', { Expected: map, ConditionalOperator: op }).condition!;
}

describe('Expected', () => {
  const cases: [Record<string, unknown>, boolean][] = [
    [{ n: { Value: { N: '5' } } }, true],
    [{ n: { Exists: true, Value: { N: '6' } } }, false],
    [{ absent: { Exists: false } }, true],
    [{ n: { Exists: false } }, false],
    [{ n: { ComparisonOperator: 'EQ', AttributeValueList: [{ N: '5' }] } }, true],
    [{ n: { ComparisonOperator: 'NE', AttributeValueList: [{ N: '5' }] } }, false],
    [{ absent: { ComparisonOperator: 'NE', AttributeValueList: [{ N: '5' }] } }, true],
    [{ n: { ComparisonOperator: 'LT', AttributeValueList: [{ N: '6' }] } }, true],
    [{ n: { ComparisonOperator: 'LE', AttributeValueList: [{ N: '5' }] } }, true],
    [{ n: { ComparisonOperator: 'GT', AttributeValueList: [{ N: '5' }] } }, false],
    [{ n: { ComparisonOperator: 'GE', AttributeValueList: [{ N: '5' }] } }, true],
    [{ n: { ComparisonOperator: 'NOT_NULL' } }, true],
    [{ n: { ComparisonOperator: 'NULL' } }, false],
    [{ s: { ComparisonOperator: 'CONTAINS', AttributeValueList: [{ S: 'ell' }] } }, true],
    [{ ss: { ComparisonOperator: 'CONTAINS', AttributeValueList: [{ S: 'b' }] } }, true],
    [{ ss: { ComparisonOperator: 'NOT_CONTAINS', AttributeValueList: [{ S: 'c' }] } }, true],
    [{ absent: { ComparisonOperator: 'NOT_CONTAINS', AttributeValueList: [{ S: 'c' }] } }, false],
    [{ s: { ComparisonOperator: 'BEGINS_WITH', AttributeValueList: [{ S: 'he' }] } }, true],
    [{ n: { ComparisonOperator: 'IN', AttributeValueList: [{ N: '1' }, { N: '5' }] } }, true],
    [{ n: { ComparisonOperator: 'BETWEEN', AttributeValueList: [{ N: '1' }, { N: '5' }] } }, true],
    [{ n: { ComparisonOperator: 'BETWEEN', AttributeValueList: [{ N: '6' }, { N: '9' }] } }, false],
  ];
  for (const [map, result] of cases) {
    it(`${JSON.stringify(map)} -> ${result}`, () => assert.equal(evaluateCondition(expected(map), item), result));
  }

  it('combines with ConditionalOperator (AND by default)', () => {
    const map = { n: { Value: { N: '5' } }, s: { Value: { S: 'nope' } } };
    assert.equal(evaluateCondition(expected(map), item), false);
    assert.equal(evaluateCondition(expected(map, 'AND'), item), false);
    assert.equal(evaluateCondition(expected(map, 'OR'), item), true);
  });

  const P = 'One or more parameter values were invalid: ';
  const errors: [Record<string, unknown>, string][] = [
    [{ a: { Exists: true } }, '1 validation error detected: ' + P + 'Value must be provided when Exists is true for Attribute: a'],
    [{ a: {} }, '1 validation error detected: ' + P + 'Value must be provided when Exists is null for Attribute: a'],
    [{ a: { Exists: false, Value: { N: '1' } } }, '1 validation error detected: ' + P + 'Value cannot be used when Exists is false for Attribute: a'],
    [{ a: { Exists: true, ComparisonOperator: 'EQ', AttributeValueList: [{ N: '1' }] } }, '1 validation error detected: ' + P + 'Exists and ComparisonOperator cannot be used together for Attribute: a'],
    [{ a: { ComparisonOperator: 'EQ' } }, P + 'Invalid number of argument(s) for the EQ ComparisonOperator'],
    [{ a: { ComparisonOperator: 'NULL', AttributeValueList: [{ N: '1' }] } }, P + 'Invalid number of argument(s) for the NULL ComparisonOperator'],
    [{ a: { ComparisonOperator: 'BETWEEN', AttributeValueList: [{ N: '1' }] } }, P + 'Invalid number of argument(s) for the BETWEEN ComparisonOperator'],
    [{ a: { ComparisonOperator: 'IN', AttributeValueList: [] } }, P + 'Invalid number of argument(s) for the IN ComparisonOperator'],
    [{ a: { ComparisonOperator: 'GT', AttributeValueList: [{ SS: ['x'] }] } }, P + 'ComparisonOperator GT is not valid for SS AttributeValue type'],
    [{ a: { ComparisonOperator: 'BEGINS_WITH', AttributeValueList: [{ N: '1' }] } }, P + 'ComparisonOperator BEGINS_WITH is not valid for N AttributeValue type'],
    [{ a: { ComparisonOperator: 'CONTAINS', AttributeValueList: [{ L: [] }] } }, P + 'ComparisonOperator CONTAINS is not valid for L AttributeValue type'],
    [{ a: { ComparisonOperator: 'BETWEEN', AttributeValueList: [{ N: '5' }, { N: '1' }] } }, 'The BETWEEN condition was provided a range where the lower bound is greater than the upper bound'],
    [{ a: { AttributeValueList: [{ N: '1' }] } }, P + 'AttributeValueList can only be used with a ComparisonOperator for Attribute: a'],
  ];
  for (const [map, message] of errors) {
    it(`rejects ${JSON.stringify(map)}`, () => rejects(() => expected(map), message));
  }
});

describe('QueryFilter / ScanFilter', () => {
  it('translate to filters', () => {
    const scan = compileRequest('Scan', { ScanFilter: { n: { ComparisonOperator: 'GT', AttributeValueList: [{ N: '1' }] } } });
    assert.equal(evaluateCondition(scan.filter!, item), true);
    const query = compileRequest(
      'Query',
      {
        KeyConditions: { id: { ComparisonOperator: 'EQ', AttributeValueList: [{ S: 'k' }] } },
        QueryFilter: { n: { ComparisonOperator: 'LT', AttributeValueList: [{ N: '1' }] }, s: { ComparisonOperator: 'NOT_NULL' } },
        ConditionalOperator: 'OR',
      },
      { hashKey: 'id', hashType: 'S' },
    );
    assert.equal(evaluateCondition(query.filter!, item), true);
  });
});

describe('AttributeUpdates', () => {
  const schema: KeySchemaInfo = { hashKey: 'id', hashType: 'S' };
  const run = (updates: Record<string, unknown>, before: Item | undefined) =>
    applyUpdate(compileRequest('UpdateItem', { AttributeUpdates: updates }, schema).update!, before, schema, { id: { S: 'k' } });

  it('PUT, ADD (numbers, sets, lists) and DELETE (attributes, set elements)', () => {
    const before: Item = { id: { S: 'k' }, n: { N: '1' }, ss: { SS: ['a', 'b'] }, l: { L: [{ N: '1' }] }, gone: { S: 'x' } };
    const { item, updatedNew } = run(
      {
        p: { Value: { S: 'put' } },
        n: { Action: 'ADD', Value: { N: '2' } },
        ss: { Action: 'DELETE', Value: { SS: ['a'] } },
        l: { Action: 'ADD', Value: { L: [{ N: '2' }] } },
        nl: { Action: 'ADD', Value: { L: [{ N: '3' }] } },
        gone: { Action: 'DELETE' },
      },
      before,
    );
    assert.deepEqual(item, {
      id: { S: 'k' }, n: { N: '3' }, ss: { SS: ['b'] }, l: { L: [{ N: '1' }, { N: '2' }] }, nl: { L: [{ N: '3' }] }, p: { S: 'put' },
    });
    assert.deepEqual(updatedNew.n, { N: '3' });
  });

  it('rejects key updates and bad actions', () => {
    rejects(() => run({ id: { Value: { S: 'x' } } }, undefined), 'One or more parameter values were invalid: Cannot update attribute id. This attribute is part of the key');
    rejects(() => run({ a: { Action: 'PUT' } }, undefined), 'One or more parameter values were invalid: Only DELETE action is allowed when no attribute value is specified');
  });
});
