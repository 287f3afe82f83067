/** The PartiQL front end's pieces: parsing (and its cache), and how a WHERE clause plans a read. */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { compileStatement, parseCached, type KeySchemas } from '../src/partiql/index.js';
import { parseStatement } from '../src/partiql/parser.js';

const schemas: KeySchemas = (table, index) => (index === 'byStatus' ? { hashKey: 'status', rangeKey: 'sk' } : { hashKey: 'pk', rangeKey: 'sk' });
const compile = (text: string, params: never[] = []) => compileStatement(parseStatement(text).statement, params, schemas);

describe('PartiQL parsing', () => {
  it('parses once per statement text', () => {
    const text = `SELECT * FROM "cached" WHERE pk = ?`;
    assert.equal(parseCached(text), parseCached(text));
    assert.equal(parseCached(text).parameters, 1);
  });

  it('builds nested paths, quoted names and literals', () => {
    const { statement } = parseStatement(`SELECT a.b[2]."c.d", "x y" FROM t WHERE e = <<1, 2>> AND f = {'k': [true, null]}`);
    assert.equal(statement.kind, 'select');
    if (statement.kind !== 'select') return;
    assert.deepEqual(statement.projection, [{ kind: 'path', steps: ['a', 'b', 2, 'c.d'] }, { kind: 'path', steps: ['x y'] }]);
    assert.deepEqual(statement.where, {
      kind: 'and',
      left: { kind: 'compare', op: '=', left: { kind: 'path', steps: ['e'] }, right: { kind: 'set', items: [{ kind: 'number', text: '1' }, { kind: 'number', text: '2' }] } },
      right: {
        kind: 'compare',
        op: '=',
        left: { kind: 'path', steps: ['f'] },
        right: { kind: 'map', entries: [['k', { kind: 'list', items: [{ kind: 'bool', value: true }, { kind: 'null' }] }]] },
      },
    });
  });

  it('binds AND tighter than OR, and NOT tighter than AND', () => {
    const { statement } = parseStatement('SELECT * FROM t WHERE NOT a = 1 AND b = 2 OR c = 3');
    assert.equal(statement.kind === 'select' && statement.where?.kind, 'or');
  });
});

describe('PartiQL read planning', () => {
  it('pins partitions by equality, IN or an OR of equalities: a Query', () => {
    for (const where of [`pk = 'a'`, `'a' = pk`, `pk IN ['a']`, `pk = 'a' AND x = 1`, `x = 1 AND pk = 'a'`]) {
      const compiled = compile(`SELECT * FROM t WHERE ${where}`);
      assert.equal(compiled.kind === 'select' && compiled.partitions?.length, 1, where);
    }
    const or = compile(`SELECT * FROM t WHERE pk = 'a' OR pk = 'b' OR pk = 'a'`);
    assert.deepEqual(or.kind === 'select' && or.partitions, [{ S: 'a' }, { S: 'b' }]);
  });

  it('anything else is a Scan with the whole WHERE clause as filter', () => {
    for (const where of [`pk > 'a'`, `pk = 'a' OR x = 1`, `NOT pk = 'a'`, `pk = x`, `sk = 1`]) {
      const compiled = compile(`SELECT * FROM t WHERE ${where}`);
      assert.equal(compiled.kind === 'select' && compiled.partitions, undefined, where);
      assert.ok(compiled.kind === 'select' && compiled.request.FilterExpression !== undefined, where);
    }
  });

  it('one sort-key condition becomes the key condition, the rest filters', () => {
    const compiled = compile(`SELECT * FROM t WHERE pk = 'a' AND 5 < sk AND sk < 9 AND x = 1`);
    assert.equal(compiled.kind, 'select');
    if (compiled.kind !== 'select') return;
    assert.equal(compiled.request.KeyConditionExpression, '#n0 = :pk AND #n1 > :v0');
    assert.equal(compiled.request.FilterExpression, '(#n1 < :v1) AND (#n2 = :v2)');
    assert.deepEqual(compiled.request.ExpressionAttributeNames, { '#n0': 'pk', '#n1': 'sk', '#n2': 'x' });
  });

  it('reads an index by its own key attributes', () => {
    const compiled = compile(`SELECT * FROM t."byStatus" WHERE status = 'open' ORDER BY sk DESC`);
    assert.ok(compiled.kind === 'select');
    assert.equal(compiled.request.IndexName, 'byStatus');
    assert.equal(compiled.request.ScanIndexForward, false);
    assert.deepEqual(compiled.partitions, [{ S: 'open' }]);
  });

  it('writes compile to the item API requests', () => {
    const update = compile(`UPDATE t SET a = a + 1 SET s = set_delete(s, <<'x'>>) REMOVE b WHERE sk = 1 AND pk = 'p' AND c <> 2 RETURNING MODIFIED NEW *`);
    assert.ok(update.kind === 'write');
    assert.deepEqual(update.request, {
      TableName: 't',
      Key: { pk: { S: 'p' }, sk: { N: '1' } },
      UpdateExpression: 'SET #n0 = #n0 + :v0 REMOVE #n2 DELETE #n1 :v1',
      ConditionExpression: 'attribute_exists(#n3) AND (#n4 <> :v2)',
      ReturnValues: 'UPDATED_NEW',
      ExpressionAttributeNames: { '#n0': 'a', '#n1': 's', '#n2': 'b', '#n3': 'pk', '#n4': 'c' },
      ExpressionAttributeValues: { ':v0': { N: '1' }, ':v1': { SS: ['x'] }, ':v2': { N: '2' } },
    });
    const insert = compile(`INSERT INTO t VALUE {'pk': 'p', 'sk': 1}`);
    assert.ok(insert.kind === 'write' && insert.insert);
    assert.equal(insert.request.ConditionExpression, 'attribute_not_exists(#n0)');
  });
});
