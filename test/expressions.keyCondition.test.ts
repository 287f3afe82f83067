import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { compileRequest } from '../src/expressions/index.js';
import type { KeySchemaInfo } from '../src/values/keys.js';
import { rejects } from './expressions.helpers.js';

const schema: KeySchemaInfo = { hashKey: 'pk', hashType: 'S', rangeKey: 'sk', rangeType: 'N' };
const values = { ':h': { S: 'h' }, ':a': { N: '1' }, ':b': { N: '9' } };

function keyCondition(expression: string, vals: Record<string, unknown> = values, names?: Record<string, string>) {
  return compileRequest('Query', { KeyConditionExpression: expression, ExpressionAttributeValues: vals, ExpressionAttributeNames: names }, schema)
    .keyCondition!;
}

describe('KeyConditionExpression', () => {
  it('hash only', () => {
    assert.deepEqual(keyCondition('pk = :h', { ':h': { S: 'h' } }), { hash: { name: 'pk', value: { S: 'h' } } });
  });

  const ranges: [string, Record<string, unknown>, string, unknown[]][] = [
    ['pk = :h AND sk = :a', { ':h': { S: 'h' }, ':a': { N: '1' } }, 'EQ', [{ N: '1' }]],
    ['pk = :h AND sk < :a', { ':h': { S: 'h' }, ':a': { N: '1' } }, 'LT', [{ N: '1' }]],
    ['pk = :h AND sk <= :a', { ':h': { S: 'h' }, ':a': { N: '1' } }, 'LE', [{ N: '1' }]],
    ['sk > :a AND pk = :h', { ':h': { S: 'h' }, ':a': { N: '1' } }, 'GT', [{ N: '1' }]],
    ['pk = :h AND :a <= sk', { ':h': { S: 'h' }, ':a': { N: '1' } }, 'GE', [{ N: '1' }]],
    ['pk = :h AND sk BETWEEN :a AND :b', values, 'BETWEEN', [{ N: '1' }, { N: '9' }]],
    ['(pk = :h) AND (sk BETWEEN :a AND :b)', values, 'BETWEEN', [{ N: '1' }, { N: '9' }]],
  ];
  for (const [expression, vals, op, rangeValues] of ranges) {
    it(expression, () => {
      assert.deepEqual(keyCondition(expression, vals), { hash: { name: 'pk', value: { S: 'h' } }, range: { name: 'sk', op, values: rangeValues } });
    });
  }

  it('begins_with on a string sort key, through placeholders', () => {
    const s: KeySchemaInfo = { hashKey: 'pk', hashType: 'S', rangeKey: 'name', rangeType: 'S' };
    const kc = compileRequest(
      'Query',
      { KeyConditionExpression: '#p = :h AND begins_with(#n, :p)', ExpressionAttributeNames: { '#p': 'pk', '#n': 'name' }, ExpressionAttributeValues: { ':h': { S: 'h' }, ':p': { S: 'ab' } } },
      s,
    ).keyCondition!;
    assert.deepEqual(kc.range, { name: 'name', op: 'BEGINS_WITH', values: [{ S: 'ab' }] });
  });

  const KCE = 'Invalid KeyConditionExpression: ';
  const errors: [string, Record<string, unknown>, string][] = [
    ['sk = :a', { ':a': { N: '1' } }, 'Query condition missed key schema element: pk'],
    ['pk = :h OR sk = :a', { ':h': { S: 'h' }, ':a': { N: '1' } }, KCE + 'Invalid operator used in KeyConditionExpression: OR'],
    ['NOT pk = :h', { ':h': { S: 'h' } }, KCE + 'Invalid operator used in KeyConditionExpression: NOT'],
    ['pk = :h AND sk <> :a', { ':h': { S: 'h' }, ':a': { N: '1' } }, KCE + 'Invalid operator used in KeyConditionExpression: <>'],
    ['pk = :h AND sk IN (:a)', { ':h': { S: 'h' }, ':a': { N: '1' } }, KCE + 'Invalid operator used in KeyConditionExpression: IN'],
    ['pk = :h AND attribute_exists(sk)', { ':h': { S: 'h' } }, KCE + 'Invalid operator used in KeyConditionExpression: attribute_exists'],
    ['pk = :h AND contains(sk, :a)', { ':h': { S: 'h' }, ':a': { N: '1' } }, KCE + 'Invalid operator used in KeyConditionExpression: contains'],
    ['pk = :h AND size(sk) = :a', { ':h': { S: 'h' }, ':a': { N: '1' } }, KCE + 'Invalid operator used in KeyConditionExpression: size'],
    ['pk = :h AND pk = :h', { ':h': { S: 'h' } }, KCE + 'KeyConditionExpressions must only contain one condition per key'],
    ['pk < :h', { ':h': { S: 'h' } }, 'Query key condition not supported'],
    ['pk = :h AND sk = :a AND extra = :a', { ':h': { S: 'h' }, ':a': { N: '1' } }, 'Query key condition not supported'],
    ['pk = :a', { ':a': { N: '1' } }, 'One or more parameter values were invalid: Condition parameter type does not match schema type'],
    ['pk = :h AND sk = :h', { ':h': { S: 'h' } }, 'One or more parameter values were invalid: Condition parameter type does not match schema type'],
    ['pk = :h AND begins_with(sk, :a)', { ':h': { S: 'h' }, ':a': { N: '1' } }, KCE + 'Incorrect operand type for operator or function; operator or function: begins_with, operand type: N'],
    ['pk = :h AND sk BETWEEN :b AND :a', values, KCE + 'The BETWEEN operator requires upper bound to be greater than or equal to lower bound; lower bound operand: AttributeValue: {N:9}, upper bound operand: AttributeValue: {N:1}'],
    ['', values, KCE + 'The expression can not be empty;'],
  ];
  for (const [expression, vals, message] of errors) {
    it(`rejects ${expression || '(empty)'}`, () => rejects(() => keyCondition(expression, vals), message));
  }

  it('requires a key condition', () => {
    rejects(() => compileRequest('Query', {}, schema), 'Either the KeyConditions or KeyConditionExpression parameter must be specified in the request.');
  });
});

describe('KeyConditions (legacy)', () => {
  const legacy = (conditions: Record<string, unknown>) => compileRequest('Query', { KeyConditions: conditions }, schema).keyCondition!;

  it('translates hash and range', () => {
    assert.deepEqual(
      legacy({
        pk: { ComparisonOperator: 'EQ', AttributeValueList: [{ S: 'h' }] },
        sk: { ComparisonOperator: 'BETWEEN', AttributeValueList: [{ N: '1' }, { N: '2' }] },
      }),
      { hash: { name: 'pk', value: { S: 'h' } }, range: { name: 'sk', op: 'BETWEEN', values: [{ N: '1' }, { N: '2' }] } },
    );
  });

  it('rejects what DynamoDB rejects', () => {
    rejects(() => legacy({ sk: { ComparisonOperator: 'EQ', AttributeValueList: [{ N: '1' }] } }), 'Query condition missed key schema element: pk');
    rejects(() => legacy({ pk: { ComparisonOperator: 'GT', AttributeValueList: [{ S: 'h' }] } }), 'Query key condition not supported');
    rejects(
      () => legacy({ pk: { ComparisonOperator: 'EQ', AttributeValueList: [{ S: 'h' }] }, sk: { ComparisonOperator: 'NE', AttributeValueList: [{ N: '1' }] } }),
      'Attempted conditional constraint is not an indexable operation',
    );
    rejects(
      () => legacy({ pk: { ComparisonOperator: 'EQ', AttributeValueList: [{ N: '1' }] } }),
      'One or more parameter values were invalid: Condition parameter type does not match schema type',
    );
    rejects(
      () => legacy({ a: {}, b: {}, c: {} }),
      'Conditions can be of length 1 or 2 only',
    );
  });
});
