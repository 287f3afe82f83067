import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { applyUpdate, compileRequest } from '../src/expressions/index.js';
import type { KeySchemaInfo } from '../src/values/keys.js';
import type { Item } from '../src/values/types.js';
import { rejects } from './expressions.helpers.js';

const schema: KeySchemaInfo = { hashKey: 'id', hashType: 'S', rangeKey: 'sk', rangeType: 'N' };
const key: Item = { id: { S: 'k' }, sk: { N: '1' } };

function compile(expression: string, values?: Record<string, unknown>, names?: Record<string, string>) {
  return compileRequest(
    'UpdateItem',
    { UpdateExpression: expression, ExpressionAttributeValues: values, ExpressionAttributeNames: names },
    schema,
  ).update!;
}

function update(item: Item | undefined, expression: string, values?: Record<string, unknown>, names?: Record<string, string>) {
  return applyUpdate(compile(expression, values, names), item, schema, key);
}

const UE = 'Invalid UpdateExpression: ';

describe('UpdateExpression: SET', () => {
  it('sets top-level and nested attributes, keeping the key', () => {
    const before: Item = { ...key, m: { M: { a: { N: '1' } } } };
    const { item } = update(before, 'SET x = :v, m.b = :w', { ':v': { S: 'x' }, ':w': { BOOL: true } });
    assert.deepEqual(item, { ...key, x: { S: 'x' }, m: { M: { a: { N: '1' }, b: { BOOL: true } } } });
    assert.deepEqual(before.m, { M: { a: { N: '1' } } }, 'input item untouched');
  });

  it('creates the item from the key when there is none', () => {
    const { item, updatedOld, updatedNew } = update(undefined, 'SET a = :v', { ':v': { N: '1' } });
    assert.deepEqual(item, { ...key, a: { N: '1' } });
    assert.deepEqual(updatedOld, {});
    assert.deepEqual(updatedNew, { a: { N: '1' } });
  });

  it('does arithmetic with + and -', () => {
    const before: Item = { ...key, n: { N: '10' } };
    assert.deepEqual(update(before, 'SET n = n + :d', { ':d': { N: '2.5' } }).item.n, { N: '12.5' });
    assert.deepEqual(update(before, 'SET n = n - :d', { ':d': { N: '11' } }).item.n, { N: '-1' });
    assert.deepEqual(update(before, 'SET c = :a - :b', { ':a': { N: '1' }, ':b': { N: '3' } }).item.c, { N: '-2' });
  });

  it('takes the value in brackets, as DynamoDB does', () => {
    const before: Item = { ...key, n: { N: '10' } };
    const d = { ':d': { N: '3' } };
    const dz = { ...d, ':z': { N: '0' } };
    assert.deepEqual(update(before, 'SET n = (n - :d)', d).item.n, { N: '7' });
    assert.deepEqual(update(before, 'SET n = (if_not_exists(n, :z) - :d), c = (if_not_exists(c, :z) + :d)', dz).item, { ...key, n: { N: '7' }, c: { N: '3' } });
    assert.deepEqual(update(before, 'SET n = ((:d)), c = ( n + :d )', d).item, { ...key, n: { N: '3' }, c: { N: '13' } });
  });

  it('if_not_exists keeps an existing value and supplies a missing one', () => {
    const before: Item = { ...key, n: { N: '10' } };
    assert.deepEqual(update(before, 'SET n = if_not_exists(n, :z) + :one', { ':z': { N: '0' }, ':one': { N: '1' } }).item.n, { N: '11' });
    assert.deepEqual(update(before, 'SET c = if_not_exists(c, :z) + :one', { ':z': { N: '0' }, ':one': { N: '1' } }).item.c, { N: '1' });
  });

  it('list_append joins lists either way round, also with if_not_exists', () => {
    const before: Item = { ...key, l: { L: [{ N: '1' }] } };
    const v = { ':v': { L: [{ N: '2' }] } };
    assert.deepEqual(update(before, 'SET l = list_append(l, :v)', v).item.l, { L: [{ N: '1' }, { N: '2' }] });
    assert.deepEqual(update(before, 'SET l = list_append(:v, l)', v).item.l, { L: [{ N: '2' }, { N: '1' }] });
    assert.deepEqual(
      update(before, 'SET x = list_append(if_not_exists(x, :e), :v)', { ...v, ':e': { L: [] } }).item.x,
      { L: [{ N: '2' }] },
    );
  });

  it('SET on a list index replaces, and past the end appends', () => {
    const before: Item = { ...key, l: { L: [{ N: '1' }, { N: '2' }] } };
    assert.deepEqual(update(before, 'SET l[1] = :v', { ':v': { S: 'x' } }).item.l, { L: [{ N: '1' }, { S: 'x' }] });
    assert.deepEqual(update(before, 'SET l[9] = :v', { ':v': { S: 'x' } }).item.l, { L: [{ N: '1' }, { N: '2' }, { S: 'x' }] });
  });

  it('copies a value from another path, seen before the update', () => {
    const before: Item = { ...key, a: { N: '1' }, b: { N: '2' } };
    const { item } = update(before, 'SET a = b, b = a');
    assert.deepEqual([item.a, item.b], [{ N: '2' }, { N: '1' }]);
  });

  it('rejects paths into missing or mistyped parents', () => {
    const before: Item = { ...key, s: { S: 'x' }, l: { L: [] }, m: { M: {} } };
    for (const expression of ['SET nope.a = :v', 'SET s.a = :v', 'SET l.a = :v', 'SET m[0] = :v', 'SET nope[0] = :v', 'SET m.x.y = :v']) {
      rejects(() => update(before, expression, { ':v': { N: '1' } }), 'The document path provided in the update expression is invalid for update');
    }
  });

  it('rejects arithmetic and list_append on the wrong types', () => {
    const before: Item = { ...key, s: { S: 'x' }, l: { L: [] } };
    const msg = 'An operand in the update expression has an incorrect data type';
    rejects(() => update(before, 'SET s = s + :v', { ':v': { N: '1' } }), msg);
    rejects(() => update(before, 'SET l = list_append(s, l)'), msg);
    rejects(() => update(before, 'SET x = :v + :w', { ':v': { S: 'a' }, ':w': { N: '1' } }), UE + 'Incorrect operand type for operator or function; operator or function: +, operand type: S');
  });

  it('rejects operands that refer to missing attributes', () => {
    rejects(() => update({ ...key }, 'SET a = b'), 'The provided expression refers to an attribute that does not exist in the item');
    rejects(() => update({ ...key }, 'SET a = b + :v', { ':v': { N: '1' } }), 'The provided expression refers to an attribute that does not exist in the item');
  });
});

describe('UpdateExpression: REMOVE', () => {
  it('removes attributes, nested keys, and list elements by original index', () => {
    const before: Item = {
      ...key,
      a: { N: '1' },
      m: { M: { x: { N: '1' }, y: { N: '2' } } },
      l: { L: [{ N: '0' }, { N: '1' }, { N: '2' }, { N: '3' }] },
    };
    const { item } = update(before, 'REMOVE a, m.x, l[1], l[3], l[9], gone');
    assert.deepEqual(item, { ...key, m: { M: { y: { N: '2' } } }, l: { L: [{ N: '0' }, { N: '2' }] } });
  });

  it('SET and REMOVE on one list both use the original indexes', () => {
    const before: Item = { ...key, l: { L: [{ N: '0' }, { N: '1' }, { N: '2' }] } };
    const { item } = update(before, 'REMOVE l[0] SET l[2] = :v', { ':v': { S: 'x' } });
    assert.deepEqual(item.l, { L: [{ N: '1' }, { S: 'x' }] });
  });

  it('removes inside a later element before shifting earlier ones', () => {
    const before: Item = { ...key, l: { L: [{ N: '0' }, { M: { a: { N: '1' }, b: { N: '2' } } }] } };
    const { item } = update(before, 'REMOVE l[0], l[1].a');
    assert.deepEqual(item.l, { L: [{ M: { b: { N: '2' } } }] });
  });
});

describe('UpdateExpression: ADD and DELETE', () => {
  it('ADD sums numbers and creates missing ones', () => {
    const before: Item = { ...key, n: { N: '1' } };
    const { item } = update(before, 'ADD n :v, c :v', { ':v': { N: '2' } });
    assert.deepEqual([item.n, item.c], [{ N: '3' }, { N: '2' }]);
  });

  it('ADD unions sets and creates missing ones', () => {
    const before: Item = { ...key, ss: { SS: ['a', 'b'] } };
    const { item } = update(before, 'ADD ss :v, added :v', { ':v': { SS: ['b', 'c'] } });
    assert.deepEqual(item.ss, { SS: ['a', 'b', 'c'] });
    assert.deepEqual(item.added, { SS: ['b', 'c'] });
  });

  it('DELETE removes set elements; emptying a set removes the attribute', () => {
    const before: Item = { ...key, ns: { NS: ['1', '2', '3'] }, one: { NS: ['1'] } };
    const { item } = update(before, 'DELETE ns :v, one :v, gone :v', { ':v': { NS: ['1', '3'] } });
    assert.deepEqual(item.ns, { NS: ['2'] });
    assert.equal('one' in item, false);
    assert.equal('gone' in item, false);
  });

  it('rejects mismatched types at apply time and non-set/number operands up front', () => {
    const before: Item = { ...key, s: { S: 'x' }, ss: { SS: ['a'] } };
    const msg = 'An operand in the update expression has an incorrect data type';
    rejects(() => update(before, 'ADD s :v', { ':v': { N: '1' } }), msg);
    rejects(() => update(before, 'ADD ss :v', { ':v': { NS: ['1'] } }), msg);
    rejects(() => update(before, 'DELETE s :v', { ':v': { SS: ['x'] } }), msg);
    rejects(() => compile('ADD s :v', { ':v': { S: 'x' } }), UE + 'Incorrect operand type for operator or function; operator: ADD, operand type: STRING');
    rejects(() => compile('DELETE s :v', { ':v': { N: '1' } }), UE + 'Incorrect operand type for operator or function; operator: DELETE, operand type: NUMBER');
  });
});

describe('UpdateExpression: validation', () => {
  const v = { ':v': { N: '1' } };
  const cases: [string, string][] = [
    ['SET a = :v SET b = :v', UE + 'The "SET" section can only be used once in an update expression;'],
    ['REMOVE a ADD b :v REMOVE c', UE + 'The "REMOVE" section can only be used once in an update expression;'],
    ['SET a.b = :v, a = :v', UE + 'Two document paths overlap with each other; must remove or rewrite one of these paths; path one: [a, b], path two: [a]'],
    ['SET a = :v REMOVE a', UE + 'Two document paths overlap with each other; must remove or rewrite one of these paths; path one: [a], path two: [a]'],
    ['SET a[1] = :v, a.b = :v', UE + 'Two document paths conflict with each other; must remove or rewrite one of these paths; path one: [a, [1]], path two: [a, b]'],
    ['SET id = :v', 'One or more parameter values were invalid: Cannot update attribute id. This attribute is part of the key'],
    ['REMOVE sk', 'One or more parameter values were invalid: Cannot update attribute sk. This attribute is part of the key'],
    ['UPDATE a = :v', UE + 'Syntax error; token: "UPDATE", near: "UPDATE a"'],
    ['SET a :v', UE + 'Syntax error; token: ":v", near: "a :v"'],
    ['SET a = :v + :v + :v', UE + 'Syntax error; token: "+", near: ":v + :v"'],
    ['SET a = (:v', UE + 'Syntax error; token: "<EOF>", near: ":v"'],
    ['SET a = (:v + :v) + :v', UE + 'Syntax error; token: "+", near: ") + :v"'],
    ['ADD a b', UE + 'Syntax error; token: "b", near: "a b"'],
    ['SET a = size(b)', UE + 'The function is not allowed to be used this way in an expression; function: size'],
    ['SET a = if_not_exists(:v, :v)', UE + 'Operator or function requires a document path; operator or function: if_not_exists'],
    ['SET a = list_append(:v)', UE + 'Incorrect number of operands for operator or function; operator or function: list_append, number of operands: 1'],
    ['SET a = list_append(b, :v)', UE + 'Incorrect operand type for operator or function; operator or function: list_append, operand type: N'],
    ['SET status = :v', UE + 'Attribute name is a reserved keyword; reserved keyword: status'],
    ['  ', UE + 'The expression can not be empty;'],
  ];
  for (const [expression, message] of cases) {
    it(expression, () => rejects(() => compile(expression, expression.includes(':v') ? v : undefined), message));
  }

  it('accepts all four clauses once each, in any order and case', () => {
    compile('remove a set b = :v add c :v delete d :s', { ':v': { N: '1' }, ':s': { NS: ['1'] } });
  });

  it('checks the key at apply time too', () => {
    const u = compileRequest('UpdateItem', { UpdateExpression: 'SET id = :v', ExpressionAttributeValues: v }).update!;
    rejects(() => applyUpdate(u, undefined, schema, key), 'One or more parameter values were invalid: Cannot update attribute id. This attribute is part of the key');
  });
});

describe('UPDATED_OLD / UPDATED_NEW', () => {
  it('return the touched paths, nested as DynamoDB returns them', () => {
    const before: Item = {
      ...key,
      untouched: { S: 'u' },
      n: { N: '1' },
      m: { M: { a: { N: '1' }, keep: { N: '0' } } },
      l: { L: [{ N: '0' }, { N: '1' }] },
      gone: { S: 'g' },
    };
    const r = update(before, 'SET m.a = :v, l[1] = :v, fresh = :v ADD n :v REMOVE gone', { ':v': { N: '5' } });
    assert.deepEqual(r.updatedOld, { n: { N: '1' }, m: { M: { a: { N: '1' } } }, l: { L: [{ N: '1' }] }, gone: { S: 'g' } });
    assert.deepEqual(r.updatedNew, { n: { N: '6' }, m: { M: { a: { N: '5' } } }, l: { L: [{ N: '5' }] }, fresh: { N: '5' } });
  });
});
