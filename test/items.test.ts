/** The item API through the AWS SDK (low-level and DocumentClient), including the seed's examples. */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  CreateTableCommand, DescribeTableCommand, GetItemCommand, PutItemCommand, UpdateItemCommand,
} from '@aws-sdk/client-dynamodb';
import { DeleteCommand, GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { expectError, startTestServer, type TestContext } from './helpers.js';

async function createTable(t: TestContext, name: string, hash: [string, 'S' | 'N' | 'B'], range?: [string, 'S' | 'N' | 'B']) {
  await t.client.send(new CreateTableCommand({
    TableName: name,
    KeySchema: [{ AttributeName: hash[0], KeyType: 'HASH' }, ...(range ? [{ AttributeName: range[0], KeyType: 'RANGE' as const }] : [])],
    AttributeDefinitions: [{ AttributeName: hash[0], AttributeType: hash[1] }, ...(range ? [{ AttributeName: range[0], AttributeType: range[1] }] : [])],
    ProvisionedThroughput: { ReadCapacityUnits: 5, WriteCapacityUnits: 5 },
  }));
}

describe('items', () => {
  let t: TestContext;
  before(async () => {
    t = await startTestServer();
    await createTable(t, 'users', ['username', 'S'], ['last_name', 'S']);
    await createTable(t, 'SensorLocation', ['SensorId', 'S']);
    await createTable(t, 'SensorReadings', ['SensorId', 'S'], ['Time', 'S']);
    await createTable(t, 'Pets', ['AnimalType', 'S'], ['Name', 'S']);
    await createTable(t, 'numbers', ['id', 'N']);
    await createTable(t, 'binaries', ['id', 'B'], ['sk', 'N']);
  });
  after(() => t.close());

  it('runs the seed users walkthrough: put, update age, get, delete', async () => {
    const key = { username: 'janedoe', last_name: 'Doe' };
    await t.doc.send(new PutCommand({ TableName: 'users', Item: { ...key, first_name: 'Jane', age: 25, account_type: 'standard_user' } }));
    let { Item } = await t.doc.send(new GetCommand({ TableName: 'users', Key: key }));
    assert.deepEqual(Item, { username: 'janedoe', first_name: 'Jane', last_name: 'Doe', age: 25, account_type: 'standard_user' });
    await t.doc.send(new UpdateCommand({ TableName: 'users', Key: key, UpdateExpression: 'SET age = :val1', ExpressionAttributeValues: { ':val1': 26 } }));
    ({ Item } = await t.doc.send(new GetCommand({ TableName: 'users', Key: key })));
    assert.equal(Item!.age, 26);
    await t.doc.send(new DeleteCommand({ TableName: 'users', Key: key }));
    ({ Item } = await t.doc.send(new GetCommand({ TableName: 'users', Key: key })));
    assert.equal(Item, undefined);
  });

  it('stores the seed sensor tables', async () => {
    await t.doc.send(new PutCommand({ TableName: 'SensorLocation', Item: { SensorId: 'SensorA', Latitude: 40.712784, Longitude: -74.005941 } }));
    await t.doc.send(new PutCommand({ TableName: 'SensorLocation', Item: { SensorId: 'SensorB', Latitude: 35.689488, Longitude: 139.691706 } }));
    for (const [id, time, value] of [['SensorA', '2018-01-03T10:15:30', 30], ['SensorA', '2018-01-04T10:19:30', 35], ['SensorB', '2018-03-04T11:21:20', 28]] as const) {
      await t.doc.send(new PutCommand({ TableName: 'SensorReadings', Item: { SensorId: id, Time: time, Value: value } }));
    }
    const loc = await t.doc.send(new GetCommand({ TableName: 'SensorLocation', Key: { SensorId: 'SensorB' } }));
    assert.deepEqual(loc.Item, { SensorId: 'SensorB', Latitude: 35.689488, Longitude: 139.691706 });
    const reading = await t.doc.send(new GetCommand({ TableName: 'SensorReadings', Key: { SensorId: 'SensorA', Time: '2018-01-04T10:19:30' } }));
    assert.equal(reading.Item!.Value, 35);
    const { Table } = await t.client.send(new DescribeTableCommand({ TableName: 'SensorReadings' }));
    assert.equal(Table!.ItemCount, 3);
  });

  it('stores the seed Pets items under a composite key', async () => {
    await t.doc.send(new PutCommand({ TableName: 'Pets', Item: { AnimalType: 'Dog', Name: 'Fido', Breed: 'Beagle' } }));
    await t.doc.send(new PutCommand({ TableName: 'Pets', Item: { AnimalType: 'Dog', Name: 'Rover' } }));
    await t.doc.send(new PutCommand({ TableName: 'Pets', Item: { AnimalType: 'Cat', Name: 'Fido' } }));
    const fido = await t.doc.send(new GetCommand({ TableName: 'Pets', Key: { AnimalType: 'Dog', Name: 'Fido' } }));
    assert.equal(fido.Item!.Breed, 'Beagle');
    const cat = await t.doc.send(new GetCommand({ TableName: 'Pets', Key: { AnimalType: 'Cat', Name: 'Fido' } }));
    assert.deepEqual(cat.Item, { AnimalType: 'Cat', Name: 'Fido' });
  });

  it('round-trips all ten attribute types', async () => {
    const item = {
      username: { S: 'types' }, last_name: { S: 'x' },
      s: { S: '' }, n: { N: '-12.5' }, b: { B: new Uint8Array([0, 1, 255]) }, t: { BOOL: true }, nul: { NULL: true },
      ss: { SS: ['a', 'b'] }, ns: { NS: ['1', '2.5'] }, bs: { BS: [new Uint8Array([1]), new Uint8Array([2])] },
      l: { L: [{ S: 'x' }, { N: '1' }, { L: [] }] }, m: { M: { inner: { M: { deep: { BOOL: false } } } } },
    };
    await t.client.send(new PutItemCommand({ TableName: 'users', Item: item }));
    const { Item } = await t.client.send(new GetItemCommand({ TableName: 'users', Key: { username: { S: 'types' }, last_name: { S: 'x' } }, ConsistentRead: true }));
    assert.deepEqual(Item, item);
  });

  it('normalises numbers as DynamoDB does', async () => {
    await t.client.send(new PutItemCommand({ TableName: 'numbers', Item: { id: { N: '1.50' }, a: { N: '-0' }, b: { N: '0001.000' }, c: { NS: ['1.0', '2'] } } }));
    const { Item } = await t.client.send(new GetItemCommand({ TableName: 'numbers', Key: { id: { N: '1.5' } } }));
    assert.deepEqual(Item, { id: { N: '1.5' }, a: { N: '0' }, b: { N: '1' }, c: { NS: ['1', '2'] } });
  });

  it('uses binary keys', async () => {
    const key = { id: { B: new Uint8Array([0, 0, 1]) }, sk: { N: '7' } };
    await t.client.send(new PutItemCommand({ TableName: 'binaries', Item: { ...key, v: { S: 'bin' } } }));
    const { Item } = await t.client.send(new GetItemCommand({ TableName: 'binaries', Key: key }));
    assert.equal(Item!.v!.S, 'bin');
    const other = await t.client.send(new GetItemCommand({ TableName: 'binaries', Key: { id: { B: new Uint8Array([0, 0]) }, sk: { N: '7' } } }));
    assert.equal(other.Item, undefined);
  });

  it('returns old and new values as ReturnValues asks', async () => {
    const key = { username: 'rv', last_name: 'x' };
    const first = await t.doc.send(new PutCommand({ TableName: 'users', Item: { ...key, a: 1 }, ReturnValues: 'ALL_OLD' }));
    assert.equal(first.Attributes, undefined);
    const second = await t.doc.send(new PutCommand({ TableName: 'users', Item: { ...key, a: 2, b: 'x' }, ReturnValues: 'ALL_OLD' }));
    assert.deepEqual(second.Attributes, { ...key, a: 1 });
    let u = await t.doc.send(new UpdateCommand({ TableName: 'users', Key: key, UpdateExpression: 'SET a = :v', ExpressionAttributeValues: { ':v': 3 }, ReturnValues: 'UPDATED_OLD' }));
    assert.deepEqual(u.Attributes, { a: 2 });
    u = await t.doc.send(new UpdateCommand({ TableName: 'users', Key: key, UpdateExpression: 'SET a = :v', ExpressionAttributeValues: { ':v': 4 }, ReturnValues: 'UPDATED_NEW' }));
    assert.deepEqual(u.Attributes, { a: 4 });
    u = await t.doc.send(new UpdateCommand({ TableName: 'users', Key: key, UpdateExpression: 'REMOVE b', ReturnValues: 'ALL_NEW' }));
    assert.deepEqual(u.Attributes, { ...key, a: 4 });
    u = await t.doc.send(new UpdateCommand({ TableName: 'users', Key: key, UpdateExpression: 'SET c = :v', ExpressionAttributeValues: { ':v': 'c' }, ReturnValues: 'ALL_OLD' }));
    assert.deepEqual(u.Attributes, { ...key, a: 4 });
    const d = await t.doc.send(new DeleteCommand({ TableName: 'users', Key: key, ReturnValues: 'ALL_OLD' }));
    assert.deepEqual(d.Attributes, { ...key, a: 4, c: 'c' });
    await expectError(t.doc.send(new PutCommand({ TableName: 'users', Item: key, ReturnValues: 'ALL_NEW' })), 'ValidationException',
      'ReturnValues can only be ALL_OLD or NONE');
  });

  it('creates an item on UpdateItem of a missing key', async () => {
    const key = { username: 'upsert', last_name: 'x' };
    await t.doc.send(new UpdateCommand({ TableName: 'users', Key: key, UpdateExpression: 'SET visits = :one', ExpressionAttributeValues: { ':one': 1 } }));
    const { Item } = await t.doc.send(new GetCommand({ TableName: 'users', Key: key }));
    assert.deepEqual(Item, { ...key, visits: 1 });
  });

  it('enforces conditions and can return the item on failure', async () => {
    const key = { username: 'cond', last_name: 'x' };
    await t.doc.send(new PutCommand({ TableName: 'users', Item: { ...key, version: 1 }, ConditionExpression: 'attribute_not_exists(username)' }));
    await expectError(
      t.doc.send(new PutCommand({ TableName: 'users', Item: { ...key, version: 9 }, ConditionExpression: 'attribute_not_exists(username)' })),
      'ConditionalCheckFailedException', 'The conditional request failed');
    try {
      await t.client.send(new UpdateItemCommand({
        TableName: 'users', Key: { username: { S: 'cond' }, last_name: { S: 'x' } },
        UpdateExpression: 'SET version = :new', ConditionExpression: 'version = :expected',
        ExpressionAttributeValues: { ':new': { N: '3' }, ':expected': { N: '2' } },
        ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
      }));
      assert.fail('should have failed');
    } catch (err: any) {
      assert.equal(err.name, 'ConditionalCheckFailedException');
      assert.deepEqual(err.Item, { username: { S: 'cond' }, last_name: { S: 'x' }, version: { N: '1' } });
    }
    // Optimistic locking: the update with the right version succeeds.
    await t.doc.send(new UpdateCommand({ TableName: 'users', Key: key, UpdateExpression: 'SET version = :new', ConditionExpression: 'version = :expected', ExpressionAttributeValues: { ':new': 2, ':expected': 1 } }));
    await expectError(t.doc.send(new DeleteCommand({ TableName: 'users', Key: key, ConditionExpression: 'version = :v', ExpressionAttributeValues: { ':v': 1 } })), 'ConditionalCheckFailedException');
    const { Item } = await t.doc.send(new GetCommand({ TableName: 'users', Key: key }));
    assert.equal(Item!.version, 2, 'failed writes changed nothing');
  });

  it('projects top-level attributes with ProjectionExpression and AttributesToGet', async () => {
    const key = { username: 'proj', last_name: 'x' };
    await t.doc.send(new PutCommand({ TableName: 'users', Item: { ...key, a: 1, b: 2, c: 3 } }));
    let { Item } = await t.doc.send(new GetCommand({ TableName: 'users', Key: key, ProjectionExpression: 'a, #c', ExpressionAttributeNames: { '#c': 'c' } }));
    assert.deepEqual(Item, { a: 1, c: 3 });
    ({ Item } = await t.doc.send(new GetCommand({ TableName: 'users', Key: key, AttributesToGet: ['b', 'username'] })));
    assert.deepEqual(Item, { b: 2, username: 'proj' });
    // An existing item whose attributes the projection all misses is answered as {}; a missing one not at all.
    ({ Item } = await t.doc.send(new GetCommand({ TableName: 'users', Key: key, ProjectionExpression: 'nothing' })));
    assert.deepEqual(Item, {});
    ({ Item } = await t.doc.send(new GetCommand({ TableName: 'users', Key: { ...key, username: 'absent' }, ProjectionExpression: 'nothing' })));
    assert.equal(Item, undefined);
  });

  it('returns consumed capacity when asked', async () => {
    const key = { username: 'cap', last_name: 'x' };
    const put = await t.doc.send(new PutCommand({ TableName: 'users', Item: { ...key, blob: 'x'.repeat(1500) }, ReturnConsumedCapacity: 'TOTAL' }));
    assert.deepEqual(put.ConsumedCapacity, { TableName: 'users', CapacityUnits: 2 });
    const get = await t.doc.send(new GetCommand({ TableName: 'users', Key: key, ReturnConsumedCapacity: 'TOTAL' }));
    assert.equal(get.ConsumedCapacity!.CapacityUnits, 0.5);
    const strong = await t.doc.send(new GetCommand({ TableName: 'users', Key: key, ConsistentRead: true, ReturnConsumedCapacity: 'INDEXES' }));
    assert.deepEqual(strong.ConsumedCapacity, { TableName: 'users', CapacityUnits: 1, Table: { CapacityUnits: 1 } });
  });
});

describe('item validation', () => {
  let t: TestContext;
  before(async () => {
    t = await startTestServer();
    await createTable(t, 'vtable', ['pk', 'S'], ['sk', 'N']);
  });
  after(() => t.close());

  const put = (item: Record<string, any>) => t.client.send(new PutItemCommand({ TableName: 'vtable', Item: item }));

  it('rejects a missing table after validating the request', async () => {
    await expectError(t.client.send(new GetItemCommand({ TableName: 'none', Key: { pk: { S: 'a' } } })), 'ResourceNotFoundException', 'Requested resource not found');
  });

  it('rejects missing and mistyped keys', async () => {
    await expectError(put({ pk: { S: 'a' } }), 'ValidationException', 'One or more parameter values were invalid: Missing the key sk in the item');
    await expectError(put({ pk: { N: '1' }, sk: { N: '1' } }), 'ValidationException', 'One or more parameter values were invalid: Type mismatch for key pk expected: S actual: N');
    await expectError(t.client.send(new GetItemCommand({ TableName: 'vtable', Key: { pk: { S: 'a' } } })), 'ValidationException', 'The provided key element does not match the schema');
    await expectError(t.client.send(new GetItemCommand({ TableName: 'vtable', Key: { pk: { S: 'a' }, sk: { N: '1' }, x: { S: 'y' } } })), 'ValidationException', 'The provided key element does not match the schema');
    await expectError(put({ pk: { S: '' }, sk: { N: '1' } }), 'ValidationException', /empty string value/);
  });

  it('rejects bad values and writes nothing', async () => {
    const key = { pk: { S: 'bad' }, sk: { N: '1' } };
    await expectError(put({ ...key, s: { SS: [] } }), 'ValidationException');
    await expectError(put({ ...key, s: { SS: ['a', 'a'] } }), 'ValidationException', /contains duplicates/);
    await expectError(put({ ...key, n: { N: 'abc' } }), 'ValidationException');
    await expectError(put({ ...key, n: { N: '1'.repeat(39) } }), 'ValidationException', /38 significant digits/);
    await expectError(put({ ...key, n: { N: '1E126' } }), 'ValidationException', /Number overflow/);
    await expectError(put({ ...key, x: {} as any }), 'ValidationException', 'Supplied AttributeValue is empty, must contain exactly one of the supported datatypes');
    await expectError(put({ ...key, x: { S: 'a', N: '1' } as any }), 'ValidationException', 'Supplied AttributeValue has more than one datatypes set, must contain exactly one of the supported datatypes');
    await expectError(put({ ...key, big: { S: 'x'.repeat(400 * 1024) } }), 'ValidationException', 'Item size has exceeded the maximum allowed size');
    let deep: any = { S: 'leaf' };
    for (let i = 0; i < 40; i++) deep = { L: [deep] };
    await expectError(put({ ...key, deep }), 'ValidationException');
    const { Item } = await t.client.send(new GetItemCommand({ TableName: 'vtable', Key: key }));
    assert.equal(Item, undefined);
  });

  it('stores keys at the size limits even when they encode long (NUL bytes are escaped)', async () => {
    const key = { pk: { S: '\u0000'.repeat(2048) }, sk: { N: '1' } };
    await put({ ...key, v: { S: 'max' } });
    const { Item } = await t.client.send(new GetItemCommand({ TableName: 'vtable', Key: key }));
    assert.equal(Item!.v!.S, 'max');
    const other = await t.client.send(new GetItemCommand({ TableName: 'vtable', Key: { pk: { S: '\u0000'.repeat(2047) }, sk: { N: '1' } } }));
    assert.equal(other.Item, undefined);
  });

  it('enforces key size limits', async () => {
    await expectError(put({ pk: { S: 'x'.repeat(2049) }, sk: { N: '1' } }), 'ValidationException');
    await put({ pk: { S: 'x'.repeat(2048) }, sk: { N: '1' } });
  });
});
