/** TransactGetItems: ordered responses, projections, one snapshot, validation. */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { TransactGetItemsCommand, type TransactGetItem } from '@aws-sdk/client-dynamodb';
import { PutCommand, TransactGetCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { createTable, expectError, startTestServer, type TestContext } from './helpers.js';

describe('TransactGetItems', () => {
  let t: TestContext;
  before(async () => {
    t = await startTestServer();
    await createTable(t.client, 'players', ['id', 'S']);
    await createTable(t.client, 'games', ['gameId', 'S'], ['round', 'N']);
    await t.doc.send(new PutCommand({ TableName: 'players', Item: { id: 'p1', name: 'Ann', score: 10, secret: 'x' } }));
    await t.doc.send(new PutCommand({ TableName: 'games', Item: { gameId: 'g', round: 1, winner: 'p1' } }));
  });
  after(() => t.close());

  it('answers in request order, with {} for missing items and per-Get projections', async () => {
    const out = await t.doc.send(new TransactGetCommand({
      ReturnConsumedCapacity: 'TOTAL',
      TransactItems: [
        { Get: { TableName: 'games', Key: { gameId: 'g', round: 1 } } },
        { Get: { TableName: 'players', Key: { id: 'missing' } } },
        { Get: { TableName: 'players', Key: { id: 'p1' }, ProjectionExpression: '#n, score', ExpressionAttributeNames: { '#n': 'name' } } },
      ],
    }));
    assert.deepEqual(out.Responses, [{ Item: { gameId: 'g', round: 1, winner: 'p1' } }, {}, { Item: { name: 'Ann', score: 10 } }]);
    assert.deepEqual(out.ConsumedCapacity, [
      { TableName: 'games', CapacityUnits: 2, ReadCapacityUnits: 2 },
      { TableName: 'players', CapacityUnits: 4, ReadCapacityUnits: 4 },
    ]);
  });

  it('never sees half of a concurrent transaction', async () => {
    await t.doc.send(new PutCommand({ TableName: 'players', Item: { id: 'left', v: 0 } }));
    await t.doc.send(new PutCommand({ TableName: 'players', Item: { id: 'right', v: 0 } }));
    let stop = false;
    const writer = (async () => {
      for (let i = 1; !stop; i++) {
        await t.doc.send(new TransactWriteCommand({
          TransactItems: ['left', 'right'].map((id) => ({ Put: { TableName: 'players', Item: { id, v: i } } })),
        }));
      }
    })();
    for (let i = 0; i < 200; i++) {
      const { Responses } = await t.doc.send(new TransactGetCommand({
        TransactItems: ['left', 'right'].map((id) => ({ Get: { TableName: 'players', Key: { id } } })),
      }));
      assert.equal(Responses![0]!.Item!.v, Responses![1]!.Item!.v);
    }
    stop = true;
    await writer;
  });

  it('rejects invalid requests', async () => {
    const get = (id: string, table = 'players'): TransactGetItem => ({ Get: { TableName: table, Key: { id: { S: id } } } });
    const send = (items: TransactGetItem[]) => t.client.send(new TransactGetItemsCommand({ TransactItems: items }));
    await expectError(send([get('p1'), get('p1')]), 'ValidationException', 'Transaction request cannot include multiple operations on one item');
    await expectError(send([get('p1', 'nope')]), 'ResourceNotFoundException', 'Requested resource not found');
    const err = await send([get('p1'), { Get: { TableName: 'games', Key: { gameId: { S: 'g' } } } }]).then(() => assert.fail('accepted'), (e) => e);
    assert.equal(err.name, 'TransactionCanceledException');
    assert.equal(err.message, 'Transaction cancelled, please refer cancellation reasons for specific reasons [None, ValidationError]');
    assert.deepEqual(err.CancellationReasons, [{ Code: 'None' }, { Code: 'ValidationError', Message: 'The provided key element does not match the schema' }]);
    await expectError(send([{ Get: { TableName: 'players', Key: { id: { N: 'x' } } } }]), 'ValidationException', /^The parameter cannot be converted to a numeric value/);
    await expectError(send(Array.from({ length: 101 }, (_, i) => get(`p${i}`))), 'ValidationException', /Member must have length less than or equal to 100/);
    await expectError(send([{ Get: { TableName: 'players', Key: { id: { S: 'p1' } }, ProjectionExpression: '#x' } }]), 'ValidationException', /#x/);
  });
});
