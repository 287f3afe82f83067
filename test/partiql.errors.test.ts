/** Every class of PartiQL error: parse, unsupported, validation, missing resources, conditions, throttling, malformed requests. */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { BatchExecuteStatementCommand, CreateTableCommand, ExecuteStatementCommand, ScanCommand, type AttributeValue } from '@aws-sdk/client-dynamodb';
import { createTable, expectError, rawRequest, startTestServer, type TestContext } from './helpers.js';

const NOT_WELL_FORMED = "Statement wasn't well formed, can't be processed: ";
const KEY_EQUALITY = 'Where clause does not contain a mandatory equality on all key attributes';

describe('PartiQL errors', () => {
  let t: TestContext;
  const run = (Statement: string, extra: Partial<ConstructorParameters<typeof ExecuteStatementCommand>[0]> = {}) =>
    t.client.send(new ExecuteStatementCommand({ Statement, ...extra }));
  const count = async (table: string) => (await t.client.send(new ScanCommand({ TableName: table }))).Count;

  before(async () => {
    t = await startTestServer({ inMemory: true });
    await createTable(t.client, 'Tbl', ['pk', 'S'], ['sk', 'N']);
    await t.client.send(new CreateTableCommand({
      TableName: 'Gsi',
      BillingMode: 'PAY_PER_REQUEST',
      KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
      AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }, { AttributeName: 'g', AttributeType: 'S' }],
      GlobalSecondaryIndexes: [{ IndexName: 'byG', KeySchema: [{ AttributeName: 'g', KeyType: 'HASH' }], Projection: { ProjectionType: 'ALL' } }],
    }));
    await run(`INSERT INTO Tbl VALUE {'pk': 'a', 'sk': 1, 'v': 1}`);
  });
  after(() => t.close());

  it('statements that do not parse', async () => {
    const cases: [string, string][] = [
      ['SELEC * FROM Tbl', 'Unexpected identifier: SELEC'],
      ['SELECT * FROM', 'Unexpected end of statement'],
      ['SELECT * FROM Tbl WHERE', 'Unexpected end of statement'],
      [`SELECT * FROM Tbl WHERE pk = 'a`, 'Unterminated string literal'],
      ['SELECT * FROM "Tbl', 'Unterminated quoted identifier'],
      ['SELECT * FROM Tbl WHERE pk == 1', 'Unexpected token: ='],
      ['SELECT * FROM Tbl extra', 'Unexpected identifier: extra'],
      ['SELECT * FROM Tbl WHERE pk = #', 'Unexpected character: #'],
      ['SELECT * FROM Tbl LIMIT 5', 'Unexpected keyword: LIMIT'],
      ['SELECT * FROM Tbl; SELECT * FROM Tbl', 'Unexpected keyword: SELECT'],
      [`INSERT INTO Tbl {'pk': 'a'}`, 'Unexpected token: {'],
      [`UPDATE Tbl WHERE pk = 'a' AND sk = 1`, 'Unexpected keyword: WHERE'],
      [`DELETE Tbl WHERE pk = 'a'`, 'Unexpected identifier: Tbl'],
      [`UPDATE Tbl SET v = 1 WHERE pk = 'a' AND sk = 1 RETURNING NEW *`, 'Unexpected keyword: NEW'],
      ['CREATE TABLE x', 'Unexpected identifier: CREATE'],
    ];
    for (const [statement, detail] of cases) await expectError(run(statement), 'ValidationException', NOT_WELL_FORMED + detail);
  });

  it('features outside DynamoDB\'s dialect', async () => {
    await expectError(run(`INSERT INTO Tbl VALUES {'pk': 'b', 'sk': 1}`), 'ValidationException', 'Unsupported operation: Inserting multiple items in a single statement is not supported, use "INSERT INTO tableName VALUE item" instead');
    await expectError(run('SELECT DISTINCT pk FROM Tbl'), 'ValidationException', /^Unsupported operation: /);
    await expectError(run('SELECT count(pk) FROM Tbl'), 'ValidationException', /^Unsupported operation: /);
    await expectError(run('SELECT * FROM Tbl WHERE v + 1 = 2'), 'ValidationException', /^Unsupported operation: /);
    await expectError(run('SELECT * FROM Tbl WHERE upper(v) = 2'), 'ValidationException', /^Unsupported operation: /);
    await expectError(run(`INSERT INTO Tbl VALUE 'text'`), 'ValidationException', /map of attribute names to values/);
    await expectError(run(`INSERT INTO Tbl VALUE {'pk': pk, 'sk': 1}`), 'ValidationException', /^Unsupported operation: /);
    await expectError(run(`UPDATE Tbl SET v = set_add(w, <<1>>) WHERE pk = 'a' AND sk = 1`), 'ValidationException', /^Unsupported operation: /);
    await expectError(run(`DELETE FROM Tbl WHERE pk = 'a' AND sk = 1 RETURNING ALL NEW *`), 'ValidationException', /RETURNING ALL OLD/);
  });

  it('writes and single-item reads need the full primary key by equality', async () => {
    await expectError(run(`UPDATE Tbl SET v = 2 WHERE pk = 'a'`), 'ValidationException', KEY_EQUALITY);
    await expectError(run(`UPDATE Tbl SET v = 2 WHERE pk = 'a' OR sk = 1`), 'ValidationException', KEY_EQUALITY);
    await expectError(run(`UPDATE Tbl SET v = 2`), 'ValidationException', KEY_EQUALITY);
    await expectError(run(`DELETE FROM Tbl WHERE pk = 'a' AND sk > 0`), 'ValidationException', KEY_EQUALITY);
    await expectError(run(`DELETE FROM Tbl WHERE v = 1`), 'ValidationException', KEY_EQUALITY);
    assert.equal(await count('Tbl'), 1);
  });

  it('parameters must match the placeholders', async () => {
    const mismatch = "Number of parameters in request and statement don't match.";
    await expectError(run('SELECT * FROM Tbl WHERE pk = ?'), 'ValidationException', mismatch);
    await expectError(run('SELECT * FROM Tbl WHERE pk = ?', { Parameters: [{ S: 'a' }, { S: 'b' }] }), 'ValidationException', mismatch);
    await expectError(run(`SELECT * FROM Tbl WHERE pk = 'a'`, { Parameters: [{ S: 'a' }] }), 'ValidationException', mismatch);
    await expectError(run('INSERT INTO Tbl VALUE {\'pk\': ?, \'sk\': 1}', { Parameters: [{ N: 'not a number' }] }), 'ValidationException');
  });

  it('bad items and keys answer the item API\'s messages, and nothing is written', async () => {
    await expectError(run(`INSERT INTO Tbl VALUE {'pk': 'b'}`), 'ValidationException', 'One or more parameter values were invalid: Missing the key sk in the item');
    await expectError(run(`INSERT INTO Tbl VALUE {'pk': 1, 'sk': 1}`), 'ValidationException', /Type mismatch for key pk expected: S actual: N/);
    await expectError(run(`INSERT INTO Tbl VALUE {'pk': 'b', 'sk': 1, 'x': <<1, 'a'>>}`), 'ValidationException');
    await expectError(run(`INSERT INTO Tbl VALUE {'pk': 'b', 'sk': 1, 'x': <<>>}`), 'ValidationException');
    await expectError(run(`INSERT INTO Tbl VALUE {'pk': 'b', 'sk': 1, 'x': {'k': 1, 'k': 2}}`), 'ValidationException');
    await expectError(run(`UPDATE Tbl SET pk = 'z' WHERE pk = 'a' AND sk = 1`), 'ValidationException', /This attribute is part of the key/);
    await expectError(run(`INSERT INTO Tbl VALUE {'pk': 'b', 'sk': 1, 'big': '${'x'.repeat(9000)}'}`), 'ValidationException', /Member must have length less than or equal to 8192/);
    assert.equal(await count('Tbl'), 1);
  });

  it('tables and indexes that do not exist; rules of the read', async () => {
    await expectError(run('SELECT * FROM Nope'), 'ResourceNotFoundException', 'Requested resource not found');
    await expectError(run(`INSERT INTO Nope VALUE {'a': 1}`), 'ResourceNotFoundException');
    await expectError(run('SELECT * FROM "Gsi"."nope"'), 'ValidationException', 'The table does not have the specified index: nope');
    await expectError(run(`SELECT * FROM "Gsi"."byG" WHERE g = 'x'`, { ConsistentRead: true }), 'ValidationException', 'Consistent reads are not supported on global secondary indexes');
    await expectError(run('SELECT * FROM Tbl ORDER BY sk'), 'ValidationException', 'Must have WHERE clause in the statement when using ORDER BY clause.');
    await expectError(run(`SELECT * FROM Tbl WHERE pk = 'a' ORDER BY v`), 'ValidationException', /ORDER BY/);
    await expectError(run(`UPDATE Tbl SET v = 1 WHERE pk = 'a' AND sk = 1`, { NextToken: 'x' }), 'ValidationException', /NextToken/);
  });

  it('failed conditions, with the item when ReturnValuesOnConditionCheckFailure asks for it', async () => {
    try {
      await run(`UPDATE Tbl SET v = 2 WHERE pk = 'a' AND sk = 1 AND v = 5`, { ReturnValuesOnConditionCheckFailure: 'ALL_OLD' });
      assert.fail('expected a failed condition');
    } catch (err) {
      assert.equal((err as Error).name, 'ConditionalCheckFailedException');
      assert.deepEqual((err as { Item?: Record<string, AttributeValue> }).Item, { pk: { S: 'a' }, sk: { N: '1' }, v: { N: '1' } });
    }
    await expectError(run(`INSERT INTO Tbl VALUE {'pk': 'a', 'sk': 1}`, { ReturnValuesOnConditionCheckFailure: 'ALL_OLD' }), 'DuplicateItemException', 'Duplicate primary key exists in table');
  });

  it('malformed requests over raw HTTP', async () => {
    const url = t.server.url;
    const bad = await rawRequest(url, 'ExecuteStatement', '{"Statement": ');
    assert.equal(bad.status, 400);
    assert.match(bad.json.__type, /SerializationException/);
    const missing = await rawRequest(url, 'ExecuteStatement', '{}');
    assert.equal(missing.status, 400);
    assert.match(missing.json.__type, /ValidationException/);
    const empty = await rawRequest(url, 'ExecuteStatement', '{"Statement": ""}');
    assert.match(empty.json.message, /Member must have length greater than or equal to 1/);
    const params = await rawRequest(url, 'ExecuteStatement', '{"Statement": "SELECT * FROM Tbl WHERE pk = ?", "Parameters": [{"S": "a", "N": "1"}]}');
    assert.equal(params.status, 400);
    const noBatch = await rawRequest(url, 'BatchExecuteStatement', '{"Statements": []}');
    assert.match(noBatch.json.message, /Member must have length greater than or equal to 1/);
    const noTransaction = await rawRequest(url, 'ExecuteTransaction', '{"TransactStatements": "x"}');
    assert.equal(noTransaction.status, 400);
    // The server keeps serving.
    const ok = await rawRequest(url, 'ExecuteStatement', '{"Statement": "SELECT v FROM Tbl WHERE pk = \'a\'"}');
    assert.deepEqual(ok.json, { Items: [{ v: { N: '1' } }] });
  });

  it('throttled statements answer ProvisionedThroughputExceededException (in a batch: per statement)', async () => {
    const throttled = await startTestServer({ inMemory: true, throttle: true });
    try {
      await throttled.client.send(new CreateTableCommand({
        TableName: 'slow',
        KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
        AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }],
        ProvisionedThroughput: { ReadCapacityUnits: 1, WriteCapacityUnits: 1 },
      }));
      const big = 'x'.repeat(5000);
      await throttled.client.send(new ExecuteStatementCommand({ Statement: `INSERT INTO slow VALUE {'id': 'a', 'v': '${big}'}` }));
      await expectError(throttled.client.send(new ExecuteStatementCommand({ Statement: `INSERT INTO slow VALUE {'id': 'b'}` })), 'ProvisionedThroughputExceededException');
      const out = await throttled.client.send(new BatchExecuteStatementCommand({ Statements: [{ Statement: `INSERT INTO slow VALUE {'id': 'c'}` }] }));
      assert.equal(out.Responses![0]!.Error!.Code, 'ProvisionedThroughputExceeded');
    } finally {
      await throttled.close();
    }
  });
});
