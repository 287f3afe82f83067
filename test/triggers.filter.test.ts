/** Lambda FilterCriteria patterns over stream records. */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { compileFilters, FilterError, passes } from '../src/triggers/filter.js';

const record = {
  eventName: 'MODIFY',
  dynamodb: {
    Keys: { pk: { S: 'order#17' } },
    NewImage: { pk: { S: 'order#17' }, status: { S: 'Shipped' }, total: { N: '42.5' }, tags: { SS: ['a', 'b'] } },
  },
};

const filters = (...patterns: unknown[]) => compileFilters({ Filters: patterns.map((p) => ({ Pattern: JSON.stringify(p) })) });

describe('FilterCriteria', () => {
  it('passes everything without filters, and when any filter matches', () => {
    assert.equal(passes([], record), true);
    assert.equal(passes(filters({ eventName: ['INSERT'] }, { eventName: ['MODIFY'] }), record), true);
    assert.equal(passes(filters({ eventName: ['INSERT', 'REMOVE'] }), record), false);
  });

  it('matches nested literals, and every key of a pattern must match', () => {
    assert.equal(passes(filters({ dynamodb: { NewImage: { status: { S: ['Shipped'] } } } }), record), true);
    assert.equal(passes(filters({ eventName: ['MODIFY'], dynamodb: { NewImage: { status: { S: ['Lost'] } } } }), record), false);
    assert.equal(passes(filters({ dynamodb: { NewImage: { tags: { SS: ['b'] } } } }), record), true, 'a list matches a member');
  });

  it('supports prefix, suffix, equals-ignore-case, anything-but, numeric and exists', () => {
    const one = (condition: unknown, path: (c: unknown) => unknown) => passes(filters(path([condition])), record);
    const pk = (c: unknown) => ({ dynamodb: { Keys: { pk: { S: c } } } });
    const total = (c: unknown) => ({ dynamodb: { NewImage: { total: { N: c } } } });
    const status = (c: unknown) => ({ dynamodb: { NewImage: { status: { S: c } } } });
    assert.equal(one({ prefix: 'order#' }, pk), true);
    assert.equal(one({ prefix: 'user#' }, pk), false);
    assert.equal(one({ suffix: '#17' }, pk), true);
    assert.equal(one({ 'equals-ignore-case': 'SHIPPED' }, status), true);
    assert.equal(one({ 'anything-but': ['Lost', 'Returned'] }, status), true);
    assert.equal(one({ 'anything-but': 'Shipped' }, status), false);
    assert.equal(one({ numeric: ['>', 40, '<=', 42.5] }, total), true);
    assert.equal(one({ numeric: ['<', 40] }, total), false);
    assert.equal(passes(filters({ dynamodb: { OldImage: [{ exists: false }] } }), record), true);
    assert.equal(passes(filters({ dynamodb: { NewImage: { status: [{ exists: true }] } } }), record), true);
  });

  it('refuses patterns that are not JSON objects', () => {
    assert.throws(() => compileFilters({ Filters: [{ Pattern: 'nope' }] }), FilterError);
    assert.throws(() => compileFilters({ Filters: [{ Pattern: '[1]' }] }), FilterError);
  });
});
