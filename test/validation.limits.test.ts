/** DynamoDB's limits and messages on expressions, attribute names, key schemas and sets, through the SDK. */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { CreateTableCommand, GetItemCommand, PutItemCommand, QueryCommand, ScanCommand, UpdateItemCommand } from '@aws-sdk/client-dynamodb';
import { createTable, expectError, startTestServer, type TestContext } from './helpers.js';

const TOO_MANY = (kind: string) => `Invalid ${kind}: The expression contains too many operators; operator count: 301`;

describe('expression and naming limits', () => {
  let t: TestContext;
  before(async () => {
    t = await startTestServer();
    await createTable(t.client, 'limits', ['pk', 'S'], ['sk', 'N']);
    await t.client.send(new PutItemCommand({ TableName: 'limits', Item: { pk: { S: 'p' }, sk: { N: '1' }, a: { N: '1' } } }));
  });
  after(() => t.close());

  const scanWith = (FilterExpression: string) =>
    t.client.send(new ScanCommand({ TableName: 'limits', FilterExpression, ExpressionAttributeValues: { ':v': { N: '1' } } }));

  it('300 operators pass, the 301st is refused', async () => {
    const ok = Array.from({ length: 150 }, () => 'a = :v').join(' AND '); // 150 comparisons + 149 ANDs
    assert.equal((await scanWith(ok)).Count, 1);
    const over = Array.from({ length: 151 }, () => 'a = :v').join(' AND ');
    await expectError(scanWith(over), 'ValidationException', TOO_MANY('FilterExpression'));
    // In an update, arithmetic and functions count.
    const update = (n: number) => t.client.send(new UpdateItemCommand({
      TableName: 'limits', Key: { pk: { S: 'p' }, sk: { N: '2' } }, ExpressionAttributeValues: { ':v': { N: '1' } },
      UpdateExpression: 'SET ' + Array.from({ length: n }, (_, i) => `c${i}=:v+:v`).join(','),
    }));
    await update(300);
    await expectError(update(301), 'ValidationException', TOO_MANY('UpdateExpression'));
  });

  it('deep nesting answers 400, never 500', async () => {
    // Hundreds of NOTs: each one is an operator.
    await expectError(scanWith('NOT '.repeat(900) + 'a = :v'), 'ValidationException', TOO_MANY('FilterExpression'));
    // Two thousand parentheses around one comparison: redundant.
    await expectError(scanWith('('.repeat(2000) + 'a = :v' + ')'.repeat(2000)), 'ValidationException',
      'Invalid FilterExpression: The expression has redundant parentheses;');
    // Left-nested conjunctions, 400 levels deep: too many operators.
    const leftNested = '('.repeat(302) + 'a=:v' + ' AND a=:v)'.repeat(302);
    assert.ok(Buffer.byteLength(leftNested) <= 4096);
    await expectError(scanWith(leftNested), 'ValidationException', TOO_MANY('FilterExpression'));
    await expectError(scanWith('('.repeat(350) + 'a = :v' + ')'.repeat(350)), 'ValidationException',
      'Invalid FilterExpression: The expression has redundant parentheses;');
    // Moderately nested, valid expressions still work.
    assert.equal((await scanWith('(((a = :v) AND a = :v) AND a = :v)')).Count, 1);
    assert.equal((await scanWith('NOT NOT a = :v')).Count, 1);
  });

  it('attribute names: 65535 bytes pass, 65536 are too large, empty names are refused', async () => {
    const longest = 'n'.repeat(65535);
    await t.client.send(new PutItemCommand({ TableName: 'limits', Item: { pk: { S: 'long' }, sk: { N: '1' }, [longest]: { S: 'x' } } }));
    const tooLarge = '1 validation error detected: Attribute name is too large, must be less than 65536 bytes';
    await expectError(t.client.send(new PutItemCommand({ TableName: 'limits', Item: { pk: { S: 'long' }, sk: { N: '2' }, ['n'.repeat(65536)]: { S: 'x' } } })),
      'ValidationException', tooLarge);
    await expectError(t.client.send(new PutItemCommand({ TableName: 'limits', Item: { pk: { S: 'long' }, sk: { N: '2' }, doc: { M: { ['é'.repeat(32768)]: { S: 'x' } } } } })),
      'ValidationException', tooLarge);
    await expectError(t.client.send(new UpdateItemCommand({
      TableName: 'limits', Key: { pk: { S: 'long' }, sk: { N: '2' } }, UpdateExpression: 'SET #n = :v',
      ExpressionAttributeNames: { '#n': 'n'.repeat(65536) }, ExpressionAttributeValues: { ':v': { S: 'x' } },
    })), 'ValidationException', tooLarge);
    await expectError(t.client.send(new PutItemCommand({ TableName: 'limits', Item: { pk: { S: 'long' }, sk: { N: '2' }, '': { S: 'x' } } })),
      'ValidationException', 'One or more parameter values were invalid: An attribute name may not be empty');
    await expectError(t.client.send(new GetItemCommand({
      TableName: 'limits', Key: { pk: { S: 'p' }, sk: { N: '1' } }, ProjectionExpression: '#e', ExpressionAttributeNames: { '#e': '' },
    })), 'ValidationException', 'ExpressionAttributeNames contains invalid value: Empty attribute name for key #e');
    const { Items } = await t.client.send(new QueryCommand({ TableName: 'limits', KeyConditionExpression: 'pk = :p', ExpressionAttributeValues: { ':p': { S: 'long' } } }));
    assert.equal(Items!.length, 1, 'nothing refused was written');
  });

  it('an empty binary set, and one key attribute named twice', async () => {
    await expectError(t.client.send(new PutItemCommand({ TableName: 'limits', Item: { pk: { S: 'b' }, sk: { N: '1' }, bs: { BS: [] } } })),
      'ValidationException', 'One or more parameter values were invalid: Binary sets should not be empty');
    await expectError(t.client.send(new PutItemCommand({ TableName: 'limits', Item: { pk: { S: 'b' }, sk: { N: '1' }, ss: { SS: [] } } })),
      'ValidationException', 'One or more parameter values were invalid: An string set  may not be empty');
    await expectError(t.client.send(new CreateTableCommand({
      TableName: 'twice', BillingMode: 'PAY_PER_REQUEST',
      KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }, { AttributeName: 'pk', KeyType: 'RANGE' }],
      AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }],
    })), 'ValidationException', 'Invalid KeySchema: Some index key attribute have no definition');
  });

  it('KeyConditions may come with FilterExpression and ProjectionExpression', async () => {
    const { Items } = await t.client.send(new QueryCommand({
      TableName: 'limits', KeyConditions: { pk: { ComparisonOperator: 'EQ', AttributeValueList: [{ S: 'p' }] } },
      FilterExpression: 'a = :v', ProjectionExpression: 'a', ExpressionAttributeValues: { ':v': { N: '1' } },
    }));
    assert.deepEqual(Items, [{ a: { N: '1' } }]);
    await expectError(t.client.send(new QueryCommand({
      TableName: 'limits', KeyConditions: { pk: { ComparisonOperator: 'EQ', AttributeValueList: [{ S: 'p' }] } },
      KeyConditionExpression: 'pk = :p', ExpressionAttributeValues: { ':p': { S: 'p' } },
    })), 'ValidationException',
    'Can not use both expression and non-expression parameters in the same request: Non-expression parameters: {KeyConditions} Expression parameters: {KeyConditionExpression}');
    await expectError(t.client.send(new QueryCommand({
      TableName: 'limits', KeyConditions: { pk: { ComparisonOperator: 'EQ', AttributeValueList: [{ S: 'p' }] } },
      QueryFilter: { a: { ComparisonOperator: 'EQ', AttributeValueList: [{ N: '1' }] } }, ProjectionExpression: 'a',
    })), 'ValidationException',
    'Can not use both expression and non-expression parameters in the same request: Non-expression parameters: {QueryFilter} Expression parameters: {ProjectionExpression}');
  });

  it('CreateTable tags: key 1..128 and value 0..256 characters, at most 50 keys', async () => {
    const create = (Tags: { Key: string; Value: string }[], TableName = 'tagged') => t.client.send(new CreateTableCommand({
      TableName, BillingMode: 'PAY_PER_REQUEST', Tags,
      KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }], AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }],
    }));
    await expectError(create([{ Key: 'k'.repeat(129), Value: '' }]), 'ValidationException',
      `1 validation error detected: Value '${'k'.repeat(129)}' at 'tags.1.member.key' failed to satisfy constraint: Member must have length less than or equal to 128`);
    await expectError(create([{ Key: 'k', Value: 'v'.repeat(257) }]), 'ValidationException',
      `1 validation error detected: Value '${'v'.repeat(257)}' at 'tags.1.member.value' failed to satisfy constraint: Member must have length less than or equal to 256`);
    await expectError(create(Array.from({ length: 51 }, (_, i) => ({ Key: `k${i}`, Value: '' }))), 'LimitExceededException',
      'Tag limit exceeded: a resource can have at most 50 tags');
    await create(Array.from({ length: 50 }, (_, i) => ({ Key: `k${i}`, Value: 'v'.repeat(256) })));
  });
});
