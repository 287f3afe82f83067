/** BatchExecuteStatement and ExecuteTransaction through the AWS SDK. */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  BatchExecuteStatementCommand,
  ExecuteStatementCommand,
  ExecuteTransactionCommand,
  TransactionCanceledException,
  TransactWriteItemsCommand,
  type AttributeValue,
} from '@aws-sdk/client-dynamodb';
import { ExecuteTransactionCommand as DocTransaction } from '@aws-sdk/lib-dynamodb';
import { createTable, expectError, sdkClient, startTestServer, type TestContext } from './helpers.js';

describe('BatchExecuteStatement', () => {
  let t: TestContext;
  before(async () => {
    t = await startTestServer({ inMemory: true });
    await createTable(t.client, 'items', ['id', 'S']);
    await createTable(t.client, 'other', ['pk', 'S'], ['sk', 'N']);
    for (const id of ['a', 'b', 'c']) await t.client.send(new ExecuteStatementCommand({ Statement: `INSERT INTO items VALUE {'id': '${id}', 'v': 1}` }));
  });
  after(() => t.close());

  const batch = async (statements: (string | { Statement: string; Parameters?: AttributeValue[]; ReturnValuesOnConditionCheckFailure?: 'ALL_OLD' | 'NONE'; ConsistentRead?: boolean })[], ReturnConsumedCapacity?: 'TOTAL') =>
    t.client.send(new BatchExecuteStatementCommand({
      Statements: statements.map((s) => (typeof s === 'string' ? { Statement: s } : s)),
      ReturnConsumedCapacity,
    }));

  it('reads single items by full key, in statement order, across tables', async () => {
    await t.client.send(new ExecuteStatementCommand({ Statement: `INSERT INTO other VALUE {'pk': 'x', 'sk': 1, 'w': 'yes'}` }));
    const out = await batch([
      `SELECT v FROM items WHERE id = 'b'`,
      `SELECT * FROM items WHERE id = 'missing'`,
      { Statement: 'SELECT * FROM other WHERE pk = ? AND sk = ?', Parameters: [{ S: 'x' }, { N: '1' }], ConsistentRead: true },
    ], 'TOTAL');
    assert.deepEqual(out.Responses, [
      { TableName: 'items', Item: { v: { N: '1' } } },
      { TableName: 'items' },
      { TableName: 'other', Item: { pk: { S: 'x' }, sk: { N: '1' }, w: { S: 'yes' } } },
    ]);
    assert.deepEqual(out.ConsumedCapacity, [
      { TableName: 'items', CapacityUnits: 1 },
      { TableName: 'other', CapacityUnits: 1 },
    ]);
  });

  it('reports each failing statement in its place, and runs the others', async () => {
    const out = await batch([
      `INSERT INTO items VALUE {'id': 'd', 'v': 1}`,
      `INSERT INTO items VALUE {'id': 'a', 'v': 9}`,
      { Statement: `UPDATE items SET v = 2 WHERE id = 'b' AND v = 5`, ReturnValuesOnConditionCheckFailure: 'ALL_OLD' },
      `UPDATE items SET v = 3 WHERE id = 'c'`,
      `DELETE FROM nope WHERE id = 'a'`,
      `UPDATE items SET v = 1 WHERE v = 1`,
      `UPDATE items SET WHERE`,
    ]);
    assert.deepEqual(out.Responses, [
      { TableName: 'items' },
      { TableName: 'items', Error: { Code: 'DuplicateItem', Message: 'Duplicate primary key exists in table' } },
      { TableName: 'items', Error: { Code: 'ConditionalCheckFailed', Message: 'The conditional request failed', Item: { id: { S: 'b' }, v: { N: '1' } } } },
      { TableName: 'items' },
      { Error: { Code: 'ResourceNotFound', Message: 'Requested resource not found' } },
      { Error: { Code: 'ValidationError', Message: 'Where clause does not contain a mandatory equality on all key attributes' } },
      { Error: { Code: 'ValidationError', Message: "Statement wasn't well formed, can't be processed: Unexpected keyword: WHERE" } },
    ]);
    const read = await batch([`SELECT v FROM items WHERE id = 'c'`, `SELECT v FROM items WHERE id = 'd'`]);
    assert.deepEqual(read.Responses!.map((r) => r.Item), [{ v: { N: '3' } }, { v: { N: '1' } }]);
  });

  it('refuses a batch that mixes reads and writes, and reads that are not single-item lookups', async () => {
    await expectError(batch([`SELECT * FROM items WHERE id = 'a'`, `DELETE FROM items WHERE id = 'a'`]), 'ValidationException', /only read statements or only write statements/);
    const out = await batch([`SELECT * FROM items WHERE id IN ['a', 'b']`, `SELECT * FROM items`]);
    assert.equal(out.Responses![0]!.Error!.Code, 'ValidationError');
    assert.equal(out.Responses![1]!.Error!.Code, 'ValidationError');
  });

  it('refuses more than 25 statements', async () => {
    const many = Array.from({ length: 26 }, (_, i) => `SELECT * FROM items WHERE id = '${i}'`);
    await expectError(batch(many), 'ValidationException', /Member must have length less than or equal to 25/);
  });
});

describe('ExecuteTransaction', () => {
  let t: TestContext;
  before(async () => {
    t = await startTestServer({ inMemory: true });
    await createTable(t.client, 'accounts', ['id', 'S']);
    for (let i = 0; i < 5; i++) await t.client.send(new ExecuteStatementCommand({ Statement: `INSERT INTO accounts VALUE {'id': 'acct${i}', 'balance': 100}` }));
  });
  after(() => t.close());

  const transact = (statements: string[], extra: { ClientRequestToken?: string; ReturnConsumedCapacity?: 'TOTAL' } = {}) =>
    t.client.send(new ExecuteTransactionCommand({ TransactStatements: statements.map((Statement) => ({ Statement })), ...extra }));
  const balances = async () => {
    const out = await t.client.send(new ExecuteStatementCommand({ Statement: 'SELECT id, balance FROM accounts' }));
    return Object.fromEntries(out.Items!.map((i) => [i.id!.S!, Number(i.balance!.N)])) as Record<string, number>;
  };

  it('commits every write of a transaction, or none', async () => {
    await transact([
      `UPDATE accounts SET balance = balance - 10 WHERE id = 'acct0' AND balance >= 10`,
      `UPDATE accounts SET balance = balance + 10 WHERE id = 'acct1'`,
      `EXISTS(SELECT * FROM accounts WHERE id = 'acct2' AND balance = 100)`,
    ]);
    assert.deepEqual(await balances(), { acct0: 90, acct1: 110, acct2: 100, acct3: 100, acct4: 100 });
    try {
      await transact([
        `UPDATE accounts SET balance = balance - 500 WHERE id = 'acct3' AND balance >= 500`,
        `UPDATE accounts SET balance = balance + 500 WHERE id = 'acct4'`,
        `INSERT INTO accounts VALUE {'id': 'acct0', 'balance': 1}`,
        `EXISTS(SELECT * FROM accounts WHERE id = 'nobody')`,
      ]);
      assert.fail('expected a cancellation');
    } catch (err) {
      assert.ok(err instanceof TransactionCanceledException);
      assert.deepEqual(err.CancellationReasons!.map((r) => r.Code), ['ConditionalCheckFailed', 'None', 'DuplicateItem', 'ConditionalCheckFailed']);
      assert.equal(err.message, 'Transaction cancelled, please refer cancellation reasons for specific reasons [ConditionalCheckFailed, None, DuplicateItem, ConditionalCheckFailed]');
    }
    assert.deepEqual(await balances(), { acct0: 90, acct1: 110, acct2: 100, acct3: 100, acct4: 100 });
  });

  it('reads items by full key as TransactGetItems does', async () => {
    const out = await t.doc.send(new DocTransaction({
      TransactStatements: [
        { Statement: 'SELECT balance FROM accounts WHERE id = ?', Parameters: ['acct1'] },
        { Statement: `SELECT * FROM accounts WHERE id = 'nobody'` },
      ],
    }));
    assert.deepEqual(out.Responses, [{ Item: { balance: 110 } }, {}]);
  });

  it('refuses mixing reads and writes, RETURNING, and lookups that are not by full key', async () => {
    await expectError(transact([`SELECT * FROM accounts WHERE id = 'acct0'`, `DELETE FROM accounts WHERE id = 'acct0'`]), 'ValidationException', /only read statements or only write statements/);
    await expectError(transact([`UPDATE accounts SET x = 1 WHERE id = 'acct0' RETURNING ALL NEW *`]), 'ValidationException', /RETURNING is not supported in transactions/);
    await expectError(transact([`SELECT * FROM accounts`]), 'ValidationException', 'Where clause does not contain a mandatory equality on all key attributes');
    await expectError(transact([`UPDATE accounts SET x = 1 WHERE id = 'acct0'`, `DELETE FROM accounts WHERE id = 'acct0'`]), 'ValidationException', 'Transaction request cannot include multiple operations on one item');
    await expectError(t.client.send(new ExecuteStatementCommand({ Statement: `EXISTS(SELECT * FROM accounts WHERE id = 'acct0')` })), 'ValidationException');
  });

  it('ClientRequestToken makes a transaction idempotent, sharing tokens with TransactWriteItems', async () => {
    const statements = [`UPDATE accounts SET balance = balance + 1 WHERE id = 'acct2'`];
    await transact(statements, { ClientRequestToken: 'token-1' });
    await transact(statements, { ClientRequestToken: 'token-1' });
    assert.equal((await balances()).acct2, 101);
    await expectError(transact([`UPDATE accounts SET balance = balance + 2 WHERE id = 'acct2'`], { ClientRequestToken: 'token-1' }), 'IdempotentParameterMismatchException');
    await expectError(t.client.send(new TransactWriteItemsCommand({
      ClientRequestToken: 'token-1',
      TransactItems: [{ Update: { TableName: 'accounts', Key: { id: { S: 'acct3' } }, UpdateExpression: 'SET balance = :b', ExpressionAttributeValues: { ':b': { N: '0' } } } }],
    })), 'IdempotentParameterMismatchException');
    assert.equal((await balances()).acct2, 101);
  });

  it('conserves the total under concurrent transfers from many clients', async () => {
    const before = Object.values(await balances()).reduce((a, b) => a + b, 0);
    const clients = Array.from({ length: 20 }, () => sdkClient(t.server.url));
    let committed = 0;
    let cancelled = 0;
    await Promise.all(clients.map(async (client, c) => {
      for (let i = 0; i < 15; i++) {
        const from = (c + i) % 5;
        const to = (from + 1 + (i % 4)) % 5;
        const amount = 1 + ((c * 7 + i * 13) % 40);
        try {
          await client.send(new ExecuteTransactionCommand({
            TransactStatements: [
              { Statement: 'UPDATE accounts SET balance = balance - ? WHERE id = ? AND balance >= ?', Parameters: [{ N: String(amount) }, { S: `acct${from}` }, { N: String(amount) }] },
              { Statement: 'UPDATE accounts SET balance = balance + ? WHERE id = ?', Parameters: [{ N: String(amount) }, { S: `acct${to}` }] },
            ],
          }));
          committed++;
        } catch (err) {
          if (!(err instanceof TransactionCanceledException)) throw err;
          cancelled++;
        }
      }
    }));
    clients.forEach((c) => c.destroy());
    const after = await balances();
    assert.equal(Object.values(after).reduce((a, b) => a + b, 0), before);
    assert.ok(Object.values(after).every((b) => b >= 0));
    assert.equal(committed + cancelled, 300);
    assert.ok(committed > 0);
  });
});
