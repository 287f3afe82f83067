/** PartiQL statements through the AWS SDK: every form of SELECT, INSERT, UPDATE and DELETE. */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { CreateTableCommand, ExecuteStatementCommand, type AttributeValue } from '@aws-sdk/client-dynamodb';
import { ExecuteStatementCommand as DocExecuteStatementCommand, GetCommand } from '@aws-sdk/lib-dynamodb';
import { createTable, expectError, startTestServer, type TestContext } from './helpers.js';

describe('PartiQL statements', () => {
  let t: TestContext;
  const run = async (Statement: string, Parameters?: AttributeValue[]) => (await t.client.send(new ExecuteStatementCommand({ Statement, Parameters }))).Items ?? [];
  const names = (items: Record<string, AttributeValue>[]) => items.map((i) => `${i.pk?.S}/${i.sk?.N}`);

  before(async () => {
    t = await startTestServer({ inMemory: true });
    await t.client.send(new CreateTableCommand({
      TableName: 'Orders',
      BillingMode: 'PAY_PER_REQUEST',
      KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }, { AttributeName: 'sk', KeyType: 'RANGE' }],
      AttributeDefinitions: [
        { AttributeName: 'pk', AttributeType: 'S' },
        { AttributeName: 'sk', AttributeType: 'N' },
        { AttributeName: 'status', AttributeType: 'S' },
      ],
      GlobalSecondaryIndexes: [{ IndexName: 'byStatus', KeySchema: [{ AttributeName: 'status', KeyType: 'HASH' }, { AttributeName: 'sk', KeyType: 'RANGE' }], Projection: { ProjectionType: 'ALL' } }],
    }));
    for (const [pk, sk, status, total] of [['a', 1, 'open', 10], ['a', 2, 'shipped', 20], ['a', 3, 'open', 30], ['b', 1, 'open', 5], ['c', 7, 'shipped', 70]] as const) {
      await run(`INSERT INTO "Orders" VALUE {'pk': ?, 'sk': ?, 'status': ?, 'total': ?, 'note': 'order ${pk}${sk}'}`, [{ S: pk }, { N: String(sk) }, { S: status }, { N: String(total) }]);
    }
  });
  after(() => t.close());

  it('INSERT stores every literal type, and refuses an existing key with DuplicateItemException', async () => {
    await run(`INSERT INTO Orders VALUE {'pk': 'lit', 'sk': 1, 's': 'it''s', 'n': -1.5e2, 'yes': true, 'no': false, 'nothing': null,
      'ss': <<'x', 'y'>>, 'ns': <<1, 2>>, 'bs': ?, 'l': [1, 'two', [3]], 'm': {'inner': {'deep': 'v'}}, "quoted key": 1}`, [{ B: new Uint8Array([1, 2]) }]);
    const stored = await t.doc.send(new GetCommand({ TableName: 'Orders', Key: { pk: 'lit', sk: 1 } }));
    assert.equal(stored.Item!.s, "it's");
    assert.equal(stored.Item!.n, -150);
    assert.equal(stored.Item!.yes, true);
    assert.equal(stored.Item!.no, false);
    assert.equal(stored.Item!.nothing, null);
    assert.deepEqual([...(stored.Item!.ss as Set<string>)].sort(), ['x', 'y']);
    assert.deepEqual([...(stored.Item!.ns as Set<number>)].sort(), [1, 2]);
    assert.deepEqual(stored.Item!.bs, new Uint8Array([1, 2]));
    assert.deepEqual(stored.Item!.l, [1, 'two', [3]]);
    assert.deepEqual(stored.Item!.m, { inner: { deep: 'v' } });
    assert.equal(stored.Item!['quoted key'], 1);
    await expectError(run(`INSERT INTO Orders VALUE {'pk': 'lit', 'sk': 1}`), 'DuplicateItemException', 'Duplicate primary key exists in table');
    await run(`DELETE FROM Orders WHERE pk = 'lit' AND sk = 1`);
  });

  it('INSERT takes a whole item as one map parameter', async () => {
    await run('INSERT INTO Orders VALUE ?', [{ M: { pk: { S: 'param' }, sk: { N: '1' }, x: { S: 'y' } } }]);
    assert.deepEqual(await run(`SELECT x FROM Orders WHERE pk = 'param'`), [{ x: { S: 'y' } }]);
    await run(`DELETE FROM Orders WHERE pk = 'param' AND sk = 1`);
  });

  it('SELECT * without WHERE scans the table', async () => {
    assert.deepEqual(names(await run('SELECT * FROM Orders')).sort(), ['a/1', 'a/2', 'a/3', 'b/1', 'c/7']);
  });

  it('SELECT with the partition key queries it, sort key conditions narrowing the range', async () => {
    assert.deepEqual(names(await run(`SELECT * FROM "Orders" WHERE "pk" = 'a'`)), ['a/1', 'a/2', 'a/3']);
    assert.deepEqual(names(await run(`SELECT * FROM Orders WHERE pk = 'a' AND sk >= 2`)), ['a/2', 'a/3']);
    assert.deepEqual(names(await run(`SELECT * FROM Orders WHERE pk = 'a' AND 2 > sk`)), ['a/1']);
    assert.deepEqual(names(await run(`SELECT * FROM Orders WHERE pk = 'a' AND sk BETWEEN 2 AND 3`)), ['a/2', 'a/3']);
    assert.deepEqual(names(await run(`SELECT * FROM Orders WHERE pk = 'a' AND sk > 1 AND sk < 3`)), ['a/2']);
    assert.deepEqual(names(await run(`SELECT * FROM Orders WHERE pk = 'a' AND sk IN [1, 3]`)), ['a/1', 'a/3']);
    assert.deepEqual(names(await run(`SELECT * FROM Orders WHERE pk = 'a' AND total > 15 AND status = 'open'`)), ['a/3']);
  });

  it('SELECT over several partitions: IN and OR of equalities, ORDER BY the keys', async () => {
    assert.deepEqual(names(await run(`SELECT * FROM Orders WHERE pk IN ['b', 'a'] ORDER BY pk`)), ['a/1', 'a/2', 'a/3', 'b/1']);
    assert.deepEqual(names(await run(`SELECT * FROM Orders WHERE pk IN ('b', 'a') ORDER BY pk DESC, sk DESC`)), ['b/1', 'a/3', 'a/2', 'a/1']);
    assert.deepEqual(names(await run(`SELECT * FROM Orders WHERE pk = 'c' OR pk = 'b' ORDER BY pk ASC`)), ['b/1', 'c/7']);
    assert.deepEqual(names(await run(`SELECT * FROM Orders WHERE pk = 'a' ORDER BY sk DESC`)), ['a/3', 'a/2', 'a/1']);
  });

  it('SELECT with a condition on other attributes (or an OR across keys) scans with a filter', async () => {
    assert.deepEqual(names(await run(`SELECT * FROM Orders WHERE total >= 30`)).sort(), ['a/3', 'c/7']);
    assert.deepEqual(names(await run(`SELECT * FROM Orders WHERE pk = 'c' OR total = 5`)).sort(), ['b/1', 'c/7']);
    assert.deepEqual(names(await run(`SELECT * FROM Orders WHERE NOT (status = 'open') AND sk <> 7`)), ['a/2']);
    assert.deepEqual(names(await run(`SELECT * FROM Orders WHERE total BETWEEN 6 AND 20 AND status IN ['open', 'shipped']`)).sort(), ['a/1', 'a/2']);
  });

  it('SELECT reads a global secondary index with FROM "Table"."Index"', async () => {
    assert.deepEqual(names(await run(`SELECT * FROM "Orders"."byStatus" WHERE status = 'shipped'`)).sort(), ['a/2', 'c/7']);
    assert.deepEqual(names(await run(`SELECT * FROM "Orders"."byStatus" WHERE status = 'open' AND sk > 1`)), ['a/3']);
    await expectError(run(`SELECT * FROM "Orders"."nope"`), 'ValidationException', 'The table does not have the specified index: nope');
  });

  it('projects attribute lists and nested paths', async () => {
    await run(`INSERT INTO Orders VALUE {'pk': 'doc', 'sk': 1, 'a': {'b': [{'c': 1}, {'c': 2, 'd': 3}]}, 'e': 'x'}`);
    assert.deepEqual(await run(`SELECT a.b[1].c, e FROM Orders WHERE pk = 'doc'`), [{ a: { M: { b: { L: [{ M: { c: { N: '2' } } }] } } }, e: { S: 'x' } }]);
    assert.deepEqual(await run(`SELECT "a"."b"[0] FROM Orders WHERE pk = 'doc' AND a.b[1].d = 3`), [{ a: { M: { b: { L: [{ M: { c: { N: '1' } } }] } } } }]);
    await run(`DELETE FROM Orders WHERE pk = 'doc' AND sk = 1`);
  });

  it('supports the condition functions and IS [NOT] MISSING / NULL', async () => {
    await run(`INSERT INTO Orders VALUE {'pk': 'f', 'sk': 1, 'name': 'alpha', 'tags': <<'red', 'blue'>>, 'empty': null}`);
    await run(`INSERT INTO Orders VALUE {'pk': 'f', 'sk': 2, 'name': 'beta', 'list': [1, 2, 3]}`);
    const sks = async (where: string) => (await run(`SELECT sk FROM Orders WHERE pk = 'f' AND ${where}`)).map((i) => i.sk!.N);
    assert.deepEqual(await sks(`begins_with(name, 'al')`), ['1']);
    assert.deepEqual(await sks(`contains(tags, 'red')`), ['1']);
    assert.deepEqual(await sks(`contains(name, 'et')`), ['2']);
    assert.deepEqual(await sks(`attribute_type(list, 'L')`), ['2']);
    assert.deepEqual(await sks(`size(list) = 3`), ['2']);
    assert.deepEqual(await sks(`size(name) > 4`), ['1']);
    assert.deepEqual(await sks(`tags IS MISSING`), ['2']);
    assert.deepEqual(await sks(`tags IS NOT MISSING`), ['1']);
    assert.deepEqual(await sks(`tags = MISSING`), ['2']);
    assert.deepEqual(await sks(`empty IS NULL`), ['1', '2']);
    assert.deepEqual(await sks(`empty IS NOT NULL`), []);
    assert.deepEqual(await sks(`name IS NOT NULL`), ['1', '2']);
    assert.deepEqual(await sks(`name != 'alpha'`), ['2']);
    assert.deepEqual(await sks(`begins_with(sk, 1) OR name = 'beta'`).catch((e: Error) => e.name), 'ValidationException');
  });

  it('UPDATE: SET values, arithmetic, list_append, set_add / set_delete, REMOVE, with RETURNING', async () => {
    await run(`INSERT INTO Orders VALUE {'pk': 'u', 'sk': 1, 'n': 10, 'l': [1], 'tags': <<'a', 'b'>>, 'gone': 'x', 'keep': 'k'}`);
    const updated = await run(
      `UPDATE Orders SET n = n + 5 SET l = list_append(l, [2, 3]) SET tags = set_add(tags, <<'c'>>) SET m.x = 'ignored' WHERE pk = 'u' AND sk = 1`,
    ).catch((e: Error) => e.name);
    // m does not exist, so m.x is an invalid document path, as in UpdateItem.
    assert.equal(updated, 'ValidationException');
    const items = await run(
      `UPDATE Orders SET n = n + 5, l = list_append(l, [2, 3]) SET tags = set_add(tags, <<'c'>>), m = {'x': 1} REMOVE gone WHERE pk = 'u' AND sk = 1 RETURNING ALL NEW *`,
    );
    assert.deepEqual(items[0]!.n, { N: '15' });
    assert.deepEqual(items[0]!.l, { L: [{ N: '1' }, { N: '2' }, { N: '3' }] });
    assert.deepEqual(items[0]!.tags!.SS!.sort(), ['a', 'b', 'c']);
    assert.deepEqual(items[0]!.m, { M: { x: { N: '1' } } });
    assert.equal(items[0]!.gone, undefined);
    assert.deepEqual(await run(`UPDATE Orders SET tags = set_delete(tags, <<'a'>>) SET n = 7 - n WHERE pk = 'u' AND sk = 1 RETURNING MODIFIED NEW *`), [
      { tags: { SS: ['b', 'c'] }, n: { N: '-8' } },
    ]);
    assert.deepEqual(await run(`UPDATE Orders SET n = 1 WHERE pk = 'u' AND sk = 1 RETURNING MODIFIED OLD *`), [{ n: { N: '-8' } }]);
    const old = await run(`UPDATE Orders SET n = 2 WHERE pk = 'u' AND sk = 1 RETURNING ALL OLD *`);
    assert.deepEqual(old[0]!.n, { N: '1' });
    assert.deepEqual(old[0]!.keep, { S: 'k' });
    assert.deepEqual(await run(`UPDATE Orders SET n = 3 WHERE pk = 'u' AND sk = 1`), []);
  });

  it('UPDATE with extra WHERE conditions updates only when they hold, and never creates an item', async () => {
    await run(`UPDATE Orders SET total = 11 WHERE pk = 'a' AND sk = 1 AND status = 'open'`);
    assert.deepEqual(await run(`SELECT total FROM Orders WHERE pk = 'a' AND sk = 1`), [{ total: { N: '11' } }]);
    await expectError(run(`UPDATE Orders SET total = 12 WHERE pk = 'a' AND sk = 1 AND status = 'shipped'`), 'ConditionalCheckFailedException', 'The conditional request failed');
    await expectError(run(`UPDATE Orders SET total = 1 WHERE pk = 'nobody' AND sk = 1`), 'ConditionalCheckFailedException');
    assert.deepEqual(await run(`SELECT * FROM Orders WHERE pk = 'nobody'`), []);
  });

  it('DELETE by full key, with conditions and RETURNING ALL OLD *; deleting a missing item succeeds', async () => {
    await run(`INSERT INTO Orders VALUE {'pk': 'd', 'sk': 1, 'v': 1}`);
    await expectError(run(`DELETE FROM Orders WHERE pk = 'd' AND sk = 1 AND v = 2`), 'ConditionalCheckFailedException');
    assert.deepEqual(await run(`DELETE FROM Orders WHERE pk = 'd' AND sk = 1 AND v = 1 RETURNING ALL OLD *`), [{ pk: { S: 'd' }, sk: { N: '1' }, v: { N: '1' } }]);
    assert.deepEqual(await run(`DELETE FROM Orders WHERE pk = 'd' AND sk = 1 AND v = 1`), []);
    assert.deepEqual(await run(`SELECT * FROM Orders WHERE pk = 'd'`), []);
  });

  it('works through the document client, with native parameters', async () => {
    await t.doc.send(new DocExecuteStatementCommand({ Statement: 'INSERT INTO Orders VALUE ?', Parameters: [{ pk: 'doc2', sk: 5, list: [1, 'a'], flag: true }] }));
    const out = await t.doc.send(new DocExecuteStatementCommand({ Statement: 'SELECT * FROM Orders WHERE pk = ? AND sk = ?', Parameters: ['doc2', 5] }));
    assert.deepEqual(out.Items, [{ pk: 'doc2', sk: 5, list: [1, 'a'], flag: true }]);
  });

  it('keywords are case-insensitive, names case-sensitive; a trailing semicolon and comments are allowed', async () => {
    assert.equal((await run(`select * from Orders where pk = 'b';`)).length, 1);
    assert.equal((await run(`SeLeCt * -- comment\nFROM Orders WHERE PK = 'b'`)).length, 0);
    await createTable(t.client, 'lower', ['id', 'S']);
    await expectError(run(`SELECT * FROM LOWER`), 'ResourceNotFoundException');
  });
});
