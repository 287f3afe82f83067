import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { applyProjection, compileRequest, projectionTopLevelNames } from '../src/expressions/index.js';
import type { Item } from '../src/values/types.js';
import { rejects } from './expressions.helpers.js';

describe('ExpressionAttributeNames / ExpressionAttributeValues', () => {
  const put = (request: Record<string, unknown>) => compileRequest('PutItem', request);

  it('rejects unused names and values', () => {
    rejects(
      () => put({ ConditionExpression: 'a = :v', ExpressionAttributeValues: { ':v': { N: '1' }, ':w': { N: '2' }, ':x': { N: '3' } } }),
      'Value provided in ExpressionAttributeValues unused in expressions: keys: {:w, :x}',
    );
    rejects(
      () => put({ ConditionExpression: 'a = :v', ExpressionAttributeValues: { ':v': { N: '1' } }, ExpressionAttributeNames: { '#n': 'x' } }),
      'Value provided in ExpressionAttributeNames unused in expressions: keys: {#n}',
    );
  });

  it('counts use across all expressions of the request', () => {
    const compiled = compileRequest('UpdateItem', {
      UpdateExpression: 'SET #a = :v',
      ConditionExpression: '#b = :w',
      ExpressionAttributeNames: { '#a': 'a', '#b': 'b' },
      ExpressionAttributeValues: { ':v': { N: '1' }, ':w': { N: '2' } },
    });
    assert.ok(compiled.update && compiled.condition);
    const query = compileRequest(
      'Query',
      {
        KeyConditionExpression: '#k = :k',
        FilterExpression: '#f > :f',
        ProjectionExpression: '#p',
        ExpressionAttributeNames: { '#k': 'id', '#f': 'f', '#p': 'p' },
        ExpressionAttributeValues: { ':k': { S: 'x' }, ':f': { N: '1' } },
      },
      { hashKey: 'id', hashType: 'S' },
    );
    assert.ok(query.keyCondition && query.filter && query.projection);
  });

  it('validates keys, emptiness and values', () => {
    rejects(() => put({ ConditionExpression: 'a = :v', ExpressionAttributeValues: {} }), 'ExpressionAttributeValues must not be empty');
    rejects(() => put({ ConditionExpression: 'a = b', ExpressionAttributeNames: {} }), 'ExpressionAttributeNames must not be empty');
    rejects(
      () => put({ ConditionExpression: 'a = b', ExpressionAttributeNames: { x: 'y' } }),
      'ExpressionAttributeNames contains invalid key: Syntax error; key: "x"',
    );
    rejects(
      () => put({ ConditionExpression: 'a = :v', ExpressionAttributeValues: { x: { N: '1' } } }),
      'ExpressionAttributeValues contains invalid key: Syntax error; key: "x"',
    );
    rejects(
      () => put({ ConditionExpression: 'a = :v', ExpressionAttributeValues: { ':v': { N: '1', S: 'x' } } }),
      'ExpressionAttributeValues contains invalid value: Supplied AttributeValue has more than one datatypes set, must contain exactly one of the supported datatypes for key :v',
    );
  });

  it('rejects placeholder maps without expressions', () => {
    rejects(() => put({ ExpressionAttributeNames: { '#n': 'x' } }), 'ExpressionAttributeNames can only be specified when using expressions');
    rejects(() => put({ ExpressionAttributeValues: { ':v': { N: '1' } } }), 'ExpressionAttributeValues can only be specified when using expressions');
  });

  it('normalises values (numbers compare canonically)', () => {
    const c = put({ ConditionExpression: 'a = :v', ExpressionAttributeValues: { ':v': { N: '01.50' } } }).condition!;
    assert.equal(c.test({ a: { N: '1.5' } }), true);
  });

  it('rejects empty expressions', () => {
    rejects(() => put({ ConditionExpression: '' }), 'Invalid ConditionExpression: The expression can not be empty;');
    rejects(() => compileRequest('GetItem', { ProjectionExpression: ' ' }), 'Invalid ProjectionExpression: The expression can not be empty;');
  });
});

describe('legacy and expression parameters together', () => {
  it('are rejected, naming both sides', () => {
    rejects(
      () => compileRequest('PutItem', { Expected: { a: { Exists: false } }, ConditionExpression: 'attribute_not_exists(a)' }),
      'Can not use both expression and non-expression parameters in the same request: Non-expression parameters: {Expected} Expression parameters: {ConditionExpression}',
    );
    rejects(
      () => compileRequest('Query', { AttributesToGet: ['a'], KeyConditions: {}, KeyConditionExpression: 'a = :v' }),
      'Can not use both expression and non-expression parameters in the same request: Non-expression parameters: {AttributesToGet, KeyConditions} Expression parameters: {KeyConditionExpression}',
    );
    rejects(
      () => compileRequest('GetItem', { AttributesToGet: ['a'], ProjectionExpression: 'a' }),
      'Can not use both expression and non-expression parameters in the same request: Non-expression parameters: {AttributesToGet} Expression parameters: {ProjectionExpression}',
    );
  });
});

describe('ProjectionExpression', () => {
  const item: Item = {
    a: { L: [{ M: { b: { N: '1' }, x: { N: '2' } } }, { M: { b: { N: '3' }, x: { N: '4' } } }, { S: 's' }] },
    c: { M: { d: { S: 'd' }, e: { S: 'e' } } },
    top: { S: 't' },
    'odd.name': { S: 'o' },
  };
  const project = (expression: string, names?: Record<string, string>) =>
    applyProjection(compileRequest('GetItem', { ProjectionExpression: expression, ExpressionAttributeNames: names }).projection!, item);

  it('returns exactly the sub-document shape', () => {
    assert.deepEqual(project('a[1].b, c.d'), { a: { L: [{ M: { b: { N: '3' } } }] }, c: { M: { d: { S: 'd' } } } });
    assert.deepEqual(project('a[2], a[0].x'), { a: { L: [{ M: { x: { N: '2' } } }, { S: 's' }] } });
    assert.deepEqual(project('top, #o', { '#o': 'odd.name' }), { top: { S: 't' }, 'odd.name': { S: 'o' } });
  });

  it('omits missing paths and paths through the wrong type', () => {
    assert.deepEqual(project('nope, a[7], c.zz, top.x, a[2].b'), {});
  });

  it('rejects overlapping and conflicting paths', () => {
    rejects(
      () => project('a, a[0].b'),
      'Invalid ProjectionExpression: Two document paths overlap with each other; must remove or rewrite one of these paths; path one: [a], path two: [a, [0], b]',
    );
    rejects(
      () => project('c.d, c[0]'),
      'Invalid ProjectionExpression: Two document paths conflict with each other; must remove or rewrite one of these paths; path one: [c, d], path two: [c, [0]]',
    );
    rejects(() => project('top, top'), 'Invalid ProjectionExpression: Two document paths overlap with each other; must remove or rewrite one of these paths; path one: [top], path two: [top]');
  });

  it('rejects reserved words and syntax errors', () => {
    rejects(() => project('a, name'), 'Invalid ProjectionExpression: Attribute name is a reserved keyword; reserved keyword: name');
    rejects(() => project('a,'), 'Invalid ProjectionExpression: Syntax error; token: "<EOF>", near: ","');
    rejects(() => project('a b'), 'Invalid ProjectionExpression: Syntax error; token: "b", near: "a b"');
  });

  it('lists its top-level names', () => {
    const p = compileRequest('Scan', { ProjectionExpression: 'a[1].b, c.d, top' }).projection!;
    assert.deepEqual(projectionTopLevelNames(p), ['a', 'c', 'top']);
  });

  it('AttributesToGet projects top-level names and rejects duplicates', () => {
    const p = compileRequest('GetItem', { AttributesToGet: ['top', 'nope'] }).projection!;
    assert.deepEqual(applyProjection(p, item), { top: { S: 't' } });
    rejects(() => compileRequest('GetItem', { AttributesToGet: ['a', 'a'] }), 'One or more parameter values were invalid: Duplicate value in attribute name: a');
  });
});
