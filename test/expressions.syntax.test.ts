import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { compileRequest } from '../src/expressions/index.js';
import { condition, rejects } from './expressions.helpers.js';

const N1 = { ':v': { N: '1' } };
const CE = 'Invalid ConditionExpression: ';

describe('condition grammar errors', () => {
  const cases: [string, Record<string, unknown> | undefined, string][] = [
    ['a = ', N1, 'Syntax error; token: "<EOF>", near: "= "'],
    ['a = = :v', N1, 'Syntax error; token: "=", near: "= = :v"'],
    ['a :v', N1, 'Syntax error; token: ":v", near: "a :v"'],
    ['a = :v b', N1, 'Syntax error; token: "b", near: ":v b"'],
    ['a == :v', N1, 'Syntax error; token: "=", near: "== :v"'],
    ['a = :v AND', N1, 'Syntax error; token: "<EOF>", near: "AND"'],
    ['a = $v', N1, 'Syntax error; token: "$", near: "= $v"'],
    ['a[x] = :v', N1, 'Syntax error; token: "x", near: "[x]"'],
    ['a.1 = :v', N1, 'Syntax error; token: "1", near: ".1 ="'],
    ['1a = :v', N1, 'Syntax error; token: "1", near: "1a"'],
    ['a BETWEEN :v', N1, 'Syntax error; token: "<EOF>", near: ":v"'],
    ['a IN :v', N1, 'Syntax error; token: ":v", near: "IN :v"'],
    ['(a = :v', N1, 'Syntax error; token: "<EOF>", near: ":v"'],
    ['status = :v', N1, 'Attribute name is a reserved keyword; reserved keyword: status'],
    ['a.Name = :v', N1, 'Attribute name is a reserved keyword; reserved keyword: Name'],
    ['size(a) = :v AND attribute_exists(a)', N1, ''],
    ['size(a)', undefined, 'The function is not allowed to be used this way in an expression; function: size'],
    ['attribute_exists(a) = :v', N1, 'The function is not allowed to be used this way in an expression; function: attribute_exists'],
    ['a = begins_with(a, :v)', N1, 'The function is not allowed to be used this way in an expression; function: begins_with'],
    ['if_not_exists(a, :v) = :v', N1, 'The function is not allowed to be used this way in an expression; function: if_not_exists'],
    ['begins_with(a)', undefined, 'Incorrect number of operands for operator or function; operator or function: begins_with, number of operands: 1'],
    ['attribute_exists(a, b)', undefined, 'Incorrect number of operands for operator or function; operator or function: attribute_exists, number of operands: 2'],
    ['size() = :v', N1, 'Incorrect number of operands for operator or function; operator or function: size, number of operands: 0'],
    ['foo(a)', undefined, 'Invalid function name; function: foo'],
    ['attribute_exists(:v)', N1, 'Operator or function requires a document path; operator or function: attribute_exists'],
    ['size(:v) = :v', N1, 'Operator or function requires a document path; operator or function: size'],
    ['begins_with(a, :v)', N1, 'Incorrect operand type for operator or function; operator or function: begins_with, operand type: N'],
    ['attribute_type(a, :v)', N1, 'Incorrect operand type for operator or function; operator or function: attribute_type, operand type: N'],
    ['attribute_type(a, :t)', { ':t': { S: 'STRING' } }, 'Invalid attribute type name found; type: STRING, valid types: { B; NULL; SS; BOOL; L; BS; N; NS; S; M }'],
    ['a < :v', { ':v': { BOOL: true } }, 'Incorrect operand type for operator or function; operator or function: <, operand type: BOOL'],
    ['a BETWEEN :a AND :b', { ':a': { N: '5' }, ':b': { N: '1' } }, 'The BETWEEN operator requires upper bound to be greater than or equal to lower bound; lower bound operand: AttributeValue: {N:5}, upper bound operand: AttributeValue: {N:1}'],
    ['a BETWEEN :a AND :b', { ':a': { N: '1' }, ':b': { S: 'x' } }, 'The BETWEEN operator requires same data type for lower and upper bounds; lower bound operand: AttributeValue: {N:1}, upper bound operand: AttributeValue: {S:x}'],
    ['a = a', undefined, 'The first operand must be distinct from the remaining operands for this operator or function; operator: =, first operand: [a]'],
    ['((a = :v))', N1, 'The expression has redundant parentheses;'],
    ['#n = :v', N1, 'An expression attribute name used in the document path is not defined; attribute name: #n'],
    ['a = :w', N1, 'An expression attribute value used in expression is not defined; attribute value: :w'],
    ['a' + '.b'.repeat(32) + ' = :v', N1, 'The document path has too many nesting levels; nesting levels: 33'],
  ];
  for (const [expression, values, message] of cases) {
    if (message === '') continue;
    it(expression, () => rejects(() => condition(expression, values), CE + message));
  }

  it('accepts single parentheses, nested logic and 100 IN operands', () => {
    condition('(a = :v)', N1);
    condition('(a = :v OR (b = :v AND NOT (c = :v)))', N1);
    const list = Array.from({ length: 100 }, () => ':v').join(', ');
    condition(`a IN (${list})`, N1);
  });

  it('rejects more than 100 IN operands', () => {
    const list = Array.from({ length: 101 }, () => ':v').join(', ');
    rejects(() => condition(`a IN (${list})`, N1), CE + 'The IN operator is provided with too many operands; number of operands: 101');
  });

  it('rejects every documented reserved word, in any case, unless escaped', () => {
    for (const word of ['ABORT', 'zone', 'Status', 'DATA', 'ttl', 'year', 'values', 'name']) {
      rejects(() => condition(`${word} = :v`, N1), CE + `Attribute name is a reserved keyword; reserved keyword: ${word}`);
      condition('#w = :v', N1, { '#w': word });
    }
    // Not reserved.
    condition('statuses = :v AND items2 = :v AND aname = :v', N1);
  });

  it('labels errors with the parameter they came from', () => {
    rejects(
      () => compileRequest('Scan', { FilterExpression: 'a = ', ExpressionAttributeValues: N1 }),
      'Invalid FilterExpression: Syntax error; token: "<EOF>", near: "= "',
    );
  });
});

describe('expression limits', () => {
  it('rejects expressions over 4 KB', () => {
    const long = 'a'.repeat(4092) + ' = :v';
    rejects(
      () => condition(long, N1),
      CE + 'Expression size has exceeded the maximum allowed size; expression size: 4097',
    );
  });
  it('accepts an expression of exactly 4096 bytes', () => {
    const expression = 'a'.repeat(4096 - 5) + ' = :v';
    assert.equal(Buffer.byteLength(expression), 4096);
    condition(expression, N1);
  });
});
