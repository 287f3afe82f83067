/** TransactWriteItems through the AWS SDK: atomicity, cancellation reasons, validation, idempotency. */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  GetItemCommand, PutItemCommand, TransactWriteItemsCommand, TransactionCanceledException,
  type TransactWriteItem,
} from '@aws-sdk/client-dynamodb';
import { GetCommand, PutCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createTable, expectError, startTestServer, TEST_FRONT, type TestContext } from './helpers.js';

const CANCELLED = 'Transaction cancelled, please refer cancellation reasons for specific reasons';

async function cancellation(promise: Promise<unknown>): Promise<TransactionCanceledException> {
  try {
    await promise;
  } catch (err) {
    assert.ok(err instanceof TransactionCanceledException, `expected TransactionCanceledException, got ${(err as Error).name}: ${(err as Error).message}`);
    return err;
  }
  throw new Error('expected TransactionCanceledException but the call succeeded');
}

describe('TransactWriteItems', () => {
  let t: TestContext;
  before(async () => {
    t = await startTestServer();
    await createTable(t.client, 'accounts', ['id', 'S']);
    await createTable(t.client, 'orders', ['orderId', 'S']);
    await createTable(t.client, 'inventory', ['sku', 'S']);
    await createTable(t.client, 'customers', ['customerId', 'S'], ['kind', 'S']);
  });
  after(() => t.close());

  const get = async (table: string, key: Record<string, unknown>) => (await t.doc.send(new GetCommand({ TableName: table, Key: key, ConsistentRead: true }))).Item;

  it('applies Put, Update, Delete and ConditionCheck together', async () => {
    await t.doc.send(new PutCommand({ TableName: 'accounts', Item: { id: 'a1', balance: 100 } }));
    await t.doc.send(new PutCommand({ TableName: 'accounts', Item: { id: 'gone', balance: 1 } }));
    await t.doc.send(new PutCommand({ TableName: 'accounts', Item: { id: 'checked', open: true } }));
    const out = await t.doc.send(new TransactWriteCommand({
      TransactItems: [
        { Put: { TableName: 'accounts', Item: { id: 'a2', balance: 5 }, ConditionExpression: 'attribute_not_exists(id)' } },
        { Update: { TableName: 'accounts', Key: { id: 'a1' }, UpdateExpression: 'SET balance = balance - :n', ExpressionAttributeValues: { ':n': 30 } } },
        { Delete: { TableName: 'accounts', Key: { id: 'gone' } } },
        { ConditionCheck: { TableName: 'accounts', Key: { id: 'checked' }, ConditionExpression: '#o = :t', ExpressionAttributeNames: { '#o': 'open' }, ExpressionAttributeValues: { ':t': true } } },
      ],
    }));
    assert.equal(out.ConsumedCapacity, undefined);
    assert.deepEqual(await get('accounts', { id: 'a2' }), { id: 'a2', balance: 5 });
    assert.deepEqual(await get('accounts', { id: 'a1' }), { id: 'a1', balance: 70 });
    assert.equal(await get('accounts', { id: 'gone' }), undefined);
    assert.deepEqual(await get('accounts', { id: 'checked' }), { id: 'checked', open: true });
  });

  it('cancels everything when one condition fails, with reasons in action order', async () => {
    await t.doc.send(new PutCommand({ TableName: 'accounts', Item: { id: 'c1', balance: 10 } }));
    const err = await cancellation(t.client.send(new TransactWriteItemsCommand({
      TransactItems: [
        { Put: { TableName: 'accounts', Item: { id: { S: 'c-new' } } } },
        {
          Update: {
            TableName: 'accounts', Key: { id: { S: 'c1' } }, UpdateExpression: 'SET balance = balance - :n',
            ConditionExpression: 'balance >= :n', ExpressionAttributeValues: { ':n': { N: '50' } },
            ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
          },
        },
        { ConditionCheck: { TableName: 'accounts', Key: { id: { S: 'nobody' } }, ConditionExpression: 'attribute_exists(id)' } },
        { Delete: { TableName: 'accounts', Key: { id: { S: 'c1-other' } } } },
      ],
    })));
    assert.equal(err.message, `${CANCELLED} [None, ConditionalCheckFailed, ConditionalCheckFailed, None]`);
    assert.deepEqual(err.CancellationReasons, [
      { Code: 'None' },
      { Code: 'ConditionalCheckFailed', Message: 'The conditional request failed', Item: { id: { S: 'c1' }, balance: { N: '10' } } },
      { Code: 'ConditionalCheckFailed', Message: 'The conditional request failed' },
      { Code: 'None' },
    ]);
    assert.equal(await get('accounts', { id: 'c-new' }), undefined, 'the Put before the failure was rolled back');
    assert.deepEqual(await get('accounts', { id: 'c1' }), { id: 'c1', balance: 10 });
  });

  it('reports a data-dependent update error as a ValidationError reason', async () => {
    await t.doc.send(new PutCommand({ TableName: 'accounts', Item: { id: 'v1', balance: 'not a number' } }));
    const err = await cancellation(t.doc.send(new TransactWriteCommand({
      TransactItems: [
        { Put: { TableName: 'accounts', Item: { id: 'v-new' } } },
        { Update: { TableName: 'accounts', Key: { id: 'v1' }, UpdateExpression: 'SET balance = balance + :n', ExpressionAttributeValues: { ':n': 1 } } },
      ],
    })));
    assert.equal(err.message, `${CANCELLED} [None, ValidationError]`);
    assert.equal(err.CancellationReasons![1]!.Code, 'ValidationError');
    assert.match(err.CancellationReasons![1]!.Message!, /incorrect data type/);
    assert.equal(await get('accounts', { id: 'v-new' }), undefined);
  });

  it('commits or rolls back an order that touches three tables as a whole', async () => {
    await t.doc.send(new PutCommand({ TableName: 'inventory', Item: { sku: 'widget', stock: 1 } }));
    await t.doc.send(new PutCommand({ TableName: 'customers', Item: { customerId: 'cust', kind: 'profile', status: 'active', orders: 0 } }));
    const order = (orderId: string): TransactWriteCommand => new TransactWriteCommand({
      TransactItems: [
        { Put: { TableName: 'orders', Item: { orderId, sku: 'widget', customerId: 'cust' }, ConditionExpression: 'attribute_not_exists(orderId)' } },
        { Update: { TableName: 'inventory', Key: { sku: 'widget' }, UpdateExpression: 'SET stock = stock - :one', ConditionExpression: 'stock >= :one', ExpressionAttributeValues: { ':one': 1 } } },
        { Update: { TableName: 'customers', Key: { customerId: 'cust', kind: 'profile' }, UpdateExpression: 'ADD orders :one', ConditionExpression: '#s = :active', ExpressionAttributeNames: { '#s': 'status' }, ExpressionAttributeValues: { ':one': 1, ':active': 'active' } } },
      ],
    });
    await t.doc.send(order('o1'));
    assert.deepEqual(await get('orders', { orderId: 'o1' }), { orderId: 'o1', sku: 'widget', customerId: 'cust' });
    assert.equal((await get('inventory', { sku: 'widget' }))!.stock, 0);
    assert.equal((await get('customers', { customerId: 'cust', kind: 'profile' }))!.orders, 1);

    // Out of stock: the second order leaves all three tables untouched.
    const err = await cancellation(t.doc.send(order('o2')));
    assert.equal(err.message, `${CANCELLED} [None, ConditionalCheckFailed, None]`);
    assert.equal(await get('orders', { orderId: 'o2' }), undefined);
    assert.equal((await get('inventory', { sku: 'widget' }))!.stock, 0);
    assert.equal((await get('customers', { customerId: 'cust', kind: 'profile' }))!.orders, 1);
  });

  it('counts transactional capacity double, per table', async () => {
    await t.doc.send(new PutCommand({ TableName: 'orders', Item: { orderId: 'cap', pad: 'x'.repeat(1500) } }));
    const out = await t.doc.send(new TransactWriteCommand({
      ReturnConsumedCapacity: 'TOTAL',
      TransactItems: [
        { Update: { TableName: 'orders', Key: { orderId: 'cap' }, UpdateExpression: 'SET n = :n', ExpressionAttributeValues: { ':n': 1 } } },
        { Put: { TableName: 'accounts', Item: { id: 'cap' } } },
        { ConditionCheck: { TableName: 'inventory', Key: { sku: 'widget' }, ConditionExpression: 'attribute_exists(sku)' } },
      ],
    }));
    assert.deepEqual(out.ConsumedCapacity, [
      { TableName: 'orders', CapacityUnits: 4, WriteCapacityUnits: 4 },
      { TableName: 'accounts', CapacityUnits: 2, WriteCapacityUnits: 2 },
      { TableName: 'inventory', CapacityUnits: 2, ReadCapacityUnits: 2 },
    ]);
  });

  it('rejects invalid requests as a whole, before writing anything', async () => {
    const put = (id: string): TransactWriteItem => ({ Put: { TableName: 'accounts', Item: { id: { S: id } } } });
    const send = (items: TransactWriteItem[]) => t.client.send(new TransactWriteItemsCommand({ TransactItems: items }));
    await expectError(send([put('dup'), { Delete: { TableName: 'accounts', Key: { id: { S: 'dup' } } } }]), 'ValidationException',
      'Transaction request cannot include multiple operations on one item');
    await expectError(send([put('x1'), { Put: { TableName: 'nope', Item: { id: { S: 'x' } } } }]), 'ResourceNotFoundException', 'Requested resource not found');
    await expectError(send([{ Put: { TableName: 'accounts', Item: { id: { S: 'k' } } }, Delete: { TableName: 'accounts', Key: { id: { S: 'k' } } } }]),
      'ValidationException', 'TransactItems can only contain one of Check, Put, Update or Delete');
    await expectError(send([{}]), 'ValidationException', 'TransactItems can only contain one of Check, Put, Update or Delete');
    await expectError(send([{ Update: { TableName: 'accounts', Key: { id: { S: 'k' } }, UpdateExpression: 'SET id = :v', ExpressionAttributeValues: { ':v': { S: 'z' } } } }]),
      'ValidationException', /Cannot update attribute id/);
    await expectError(send([put('x2'), { Put: { TableName: 'accounts', Item: { id: { N: 'not a number' } } } }]), 'ValidationException',
      'The parameter cannot be converted to a numeric value: not a number');
    await expectError(send([{ Put: { TableName: 'accounts', Item: { id: { S: 'e' } }, ConditionExpression: 'attribute_exists(#a)' } }]),
      'ValidationException', /attribute name used in the document path is not defined; attribute name: #a/);
    await expectError(send(Array.from({ length: 101 }, (_, i) => put(`many${i}`))), 'ValidationException', /Member must have length less than or equal to 100/);
    await expectError(send([]), 'ValidationException', /Member must have length greater than or equal to 1/);
    for (const id of ['dup', 'x1', 'x2', 'k', 'many0']) assert.equal(await get('accounts', { id }), undefined);
  });

  it("cancels the transaction when an action's own item is at fault: ValidationError in its slot", async () => {
    const send = (items: TransactWriteItem[]) => t.client.send(new TransactWriteItemsCommand({ TransactItems: items }));
    const cancelled = async (items: TransactWriteItem[], codes: string[], message: string) => {
      const err = await send(items).then(() => assert.fail('accepted'), (e: TransactionCanceledException) => e);
      assert.equal(err.name, 'TransactionCanceledException');
      assert.equal(err.message, `${CANCELLED} [${codes.join(', ')}]`);
      const slot = codes.indexOf('ValidationError');
      assert.deepEqual(err.CancellationReasons![slot], { Code: 'ValidationError', Message: message });
    };
    const ok: TransactWriteItem = { Put: { TableName: 'accounts', Item: { id: { S: 'v-ok' } } } };
    await cancelled([ok, { Delete: { TableName: 'accounts', Key: { other: { S: 'x' } } } }], ['None', 'ValidationError'],
      'The provided key element does not match the schema');
    await cancelled([{ Update: { TableName: 'accounts', Key: { id: { N: '1' } }, UpdateExpression: 'SET a = :v', ExpressionAttributeValues: { ':v': { S: 'z' } } } }, ok],
      ['ValidationError', 'None'], 'The provided key element does not match the schema');
    await cancelled([ok, { Put: { TableName: 'accounts', Item: { other: { S: 'x' } } } }], ['None', 'ValidationError'],
      'One or more parameter values were invalid: Missing the key id in the item');
    await cancelled([ok, { Put: { TableName: 'accounts', Item: { id: { S: 'big' }, pad: { S: 'x'.repeat(410_000) } } } }], ['None', 'ValidationError'],
      'Item size has exceeded the maximum allowed size');
    await cancelled([{ ConditionCheck: { TableName: 'accounts', Key: { id: { B: new Uint8Array([1]) } }, ConditionExpression: 'attribute_exists(id)' } }, ok],
      ['ValidationError', 'None'], 'The provided key element does not match the schema');
    assert.equal(await get('accounts', { id: 'v-ok' }), undefined, 'nothing was written');
  });

  it('rejects a transaction over 4 MB of items', async () => {
    const items: TransactWriteItem[] = Array.from({ length: 11 }, (_, i) => ({
      Put: { TableName: 'orders', Item: { orderId: { S: `big${i}` }, pad: { S: 'x'.repeat(400_000) } } },
    }));
    await expectError(t.client.send(new TransactWriteItemsCommand({ TransactItems: items })), 'ValidationException',
      'Transaction size has exceeded the maximum allowed size of 4 MB');
    assert.equal(await get('orders', { orderId: 'big0' }), undefined);
  });

  describe('ClientRequestToken', () => {
    const increment = (token: string, by = 1) => new TransactWriteCommand({
      ClientRequestToken: token,
      TransactItems: [{ Update: { TableName: 'accounts', Key: { id: 'counter' }, UpdateExpression: 'ADD n :by', ExpressionAttributeValues: { ':by': by } } }],
    });

    it('runs a repeated request once and answers it again', async () => {
      await t.doc.send(increment('token-1'));
      await t.doc.send(increment('token-1'));
      await t.doc.send(increment('token-1'));
      assert.equal((await get('accounts', { id: 'counter' }))!.n, 1);
      await t.doc.send(increment('token-2'));
      assert.equal((await get('accounts', { id: 'counter' }))!.n, 2);
    });

    it('answers a replay with read capacity instead of writing', async () => {
      const first = await t.client.send(new TransactWriteItemsCommand({
        ClientRequestToken: 'cap-token', ReturnConsumedCapacity: 'TOTAL',
        TransactItems: [{ Put: { TableName: 'accounts', Item: { id: { S: 'cap-replay' } } } }],
      }));
      assert.deepEqual(first.ConsumedCapacity, [{ TableName: 'accounts', CapacityUnits: 2, WriteCapacityUnits: 2 }]);
      const again = await t.client.send(new TransactWriteItemsCommand({
        ReturnConsumedCapacity: 'TOTAL', ClientRequestToken: 'cap-token',
        TransactItems: [{ Put: { Item: { id: { S: 'cap-replay' } }, TableName: 'accounts' } }],
      }));
      assert.deepEqual(again.ConsumedCapacity, [{ TableName: 'accounts', CapacityUnits: 1, ReadCapacityUnits: 1 }]);
    });

    it('refuses the same token with a different request', async () => {
      await t.doc.send(increment('token-3'));
      await expectError(t.doc.send(increment('token-3', 5)), 'IdempotentParameterMismatchException');
    });

    // The overlap comes from concurrent sockets racing a durable commit: an HTTP-front test.
    it('answers TransactionInProgressException while the first request is still committing', { skip: TEST_FRONT === 'inprocess' && 'needs concurrent HTTP requests' }, async () => {
      // A durable store: its commits take long enough for retries to overlap them.
      const dir = mkdtempSync(join(tmpdir(), 'openddb-inflight-'));
      const durable = await startTestServer({ dataDir: dir });
      try {
        await createTable(durable.client, 'accounts', ['id', 'S']);
        const raw = () => durable.raw('TransactWriteItems', JSON.stringify({
          ClientRequestToken: 'token-inflight',
          TransactItems: [{ Update: { TableName: 'accounts', Key: { id: { S: 'inflight' } }, UpdateExpression: 'ADD n :one', ExpressionAttributeValues: { ':one': { N: '1' } } } }],
        }));
        const results = await Promise.all(Array.from({ length: 20 }, raw));
        const ok = results.filter((r) => r.status === 200).length;
        const busy = results.filter((r) => r.json?.__type === 'com.amazonaws.dynamodb.v20120810#TransactionInProgressException');
        assert.equal(ok + busy.length, 20);
        assert.ok(busy.length > 0, 'concurrent requests with one token overlap the first commit');
        assert.equal(busy[0]!.json.message, 'The transaction with the given request token is already in progress.');
        const { Item } = await durable.doc.send(new GetCommand({ TableName: 'accounts', Key: { id: 'inflight' } }));
        assert.equal(Item!.n, 1);
      } finally {
        await durable.close();
        rmSync(dir, { recursive: true, force: true });
      }
    });

    it('does not record the token of a cancelled transaction', async () => {
      const guarded = new TransactWriteCommand({
        ClientRequestToken: 'token-cancelled',
        TransactItems: [{ Put: { TableName: 'accounts', Item: { id: 'later' }, ConditionExpression: 'attribute_exists(ready)' } }],
      });
      await cancellation(t.doc.send(guarded));
      await t.doc.send(new PutCommand({ TableName: 'accounts', Item: { id: 'later', ready: true } }));
      await t.doc.send(guarded);
      assert.deepEqual(await get('accounts', { id: 'later' }), { id: 'later' });
    });
  });

  it('works with the low-level client for a plain PutItem afterwards (no leftover state)', async () => {
    await t.client.send(new PutItemCommand({ TableName: 'accounts', Item: { id: { S: 'after' } } }));
    const { Item } = await t.client.send(new GetItemCommand({ TableName: 'accounts', Key: { id: { S: 'after' } } }));
    assert.deepEqual(Item, { id: { S: 'after' } });
  });
});
