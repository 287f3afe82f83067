import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DynamoError } from '../src/errors.js';
import { knownOperations, validateInput } from '../src/api/shapeValidation.js';
import { javaPatternToRegExp } from '../src/api/shapes/javaPattern.js';
import model from '../src/api/model/dynamodb-model.json' with { type: 'json' };

const VALIDATION = 'com.amazon.coral.validate#ValidationException';
const SERIALIZATION = 'com.amazon.coral.service#SerializationException';

function rejection(operation: string, body: unknown): DynamoError {
  try {
    validateInput(operation, body);
  } catch (error) {
    assert.ok(error instanceof DynamoError, `expected a DynamoError, got ${error}`);
    return error;
  }
  assert.fail(`${operation} was accepted`);
}

function assertValidation(operation: string, body: unknown, message: string): void {
  const error = rejection(operation, body);
  assert.equal(error.type, VALIDATION);
  assert.equal(error.status, 400);
  assert.equal(error.message, message);
}

function assertSerialization(operation: string, body: unknown, message: string): void {
  const error = rejection(operation, body);
  assert.equal(error.type, SERIALIZATION);
  assert.equal(error.message, message);
}

const one = (detail: string) => `1 validation error detected: ${detail}`;

describe('valid requests pass', () => {
  it('CreateTable with indexes, throughput, streams, SSE and tags', () => {
    validateInput('CreateTable', {
      TableName: 'Orders.v2-test_1',
      AttributeDefinitions: [
        { AttributeName: 'pk', AttributeType: 'S' },
        { AttributeName: 'sk', AttributeType: 'N' },
        { AttributeName: 'gsi1', AttributeType: 'B' },
      ],
      KeySchema: [
        { AttributeName: 'pk', KeyType: 'HASH' },
        { AttributeName: 'sk', KeyType: 'RANGE' },
      ],
      BillingMode: 'PROVISIONED',
      ProvisionedThroughput: { ReadCapacityUnits: 5, WriteCapacityUnits: 5 },
      GlobalSecondaryIndexes: [
        {
          IndexName: 'byGsi1',
          KeySchema: [{ AttributeName: 'gsi1', KeyType: 'HASH' }],
          Projection: { ProjectionType: 'INCLUDE', NonKeyAttributes: ['a', 'b'] },
          ProvisionedThroughput: { ReadCapacityUnits: 1, WriteCapacityUnits: 1 },
        },
      ],
      LocalSecondaryIndexes: [
        {
          IndexName: 'lsi',
          KeySchema: [
            { AttributeName: 'pk', KeyType: 'HASH' },
            { AttributeName: 'gsi1', KeyType: 'RANGE' },
          ],
          Projection: { ProjectionType: 'KEYS_ONLY' },
        },
      ],
      StreamSpecification: { StreamEnabled: true, StreamViewType: 'NEW_AND_OLD_IMAGES' },
      SSESpecification: { Enabled: true, SSEType: 'KMS' },
      Tags: [{ Key: 'env', Value: '' }],
      TableClass: 'STANDARD',
    });
  });

  it('PutItem with every attribute type', () => {
    validateInput('PutItem', {
      TableName: 'Users',
      Item: {
        pk: { S: 'user#1' },
        n: { N: '-12.5e3' },
        b: { B: 'AAEC' },
        flag: { BOOL: false },
        nothing: { NULL: true },
        ss: { SS: ['a', 'b'] },
        ns: { NS: ['1', '2'] },
        bs: { BS: ['AA==', 'AQ=='] },
        list: { L: [{ S: 'x' }, { M: { inner: { L: [] } } }] },
        map: { M: { deep: { M: { deeper: { N: '1' } } } } },
      },
      ConditionExpression: 'attribute_not_exists(pk)',
      ExpressionAttributeNames: { '#n': 'n' },
      ExpressionAttributeValues: { ':v': { N: '1' } },
      ReturnValues: 'ALL_OLD',
      ReturnConsumedCapacity: 'TOTAL',
      ReturnItemCollectionMetrics: 'SIZE',
    });
  });

  it('Query, Scan, UpdateItem, GetItem, DeleteItem', () => {
    validateInput('Query', {
      TableName: 'Users',
      IndexName: 'byEmail',
      KeyConditionExpression: '#pk = :pk AND begins_with(sk, :prefix)',
      FilterExpression: 'age > :age',
      ProjectionExpression: 'pk, sk, age',
      ExpressionAttributeNames: { '#pk': 'pk' },
      ExpressionAttributeValues: { ':pk': { S: 'a' }, ':prefix': { S: 'b' }, ':age': { N: '30' } },
      Limit: 25,
      ScanIndexForward: false,
      ConsistentRead: true,
      Select: 'SPECIFIC_ATTRIBUTES',
      ExclusiveStartKey: { pk: { S: 'a' }, sk: { S: 'b' } },
    });
    validateInput('Scan', { TableName: 'Users', Segment: 0, TotalSegments: 4, Limit: 1 });
    validateInput('UpdateItem', {
      TableName: 'Users',
      Key: { pk: { S: 'a' } },
      UpdateExpression: 'SET #c = #c + :one',
      ExpressionAttributeNames: { '#c': 'count' },
      ExpressionAttributeValues: { ':one': { N: '1' } },
      ReturnValues: 'UPDATED_NEW',
    });
    validateInput('GetItem', { TableName: 'Users', Key: { pk: { S: 'a' } }, AttributesToGet: ['a'] });
    validateInput('DeleteItem', { TableName: 'Users', Key: { pk: { S: 'a' } }, Expected: { a: { Exists: false } } });
  });

  it('batch and transaction operations', () => {
    validateInput('BatchWriteItem', {
      RequestItems: {
        Users: [{ PutRequest: { Item: { pk: { S: 'a' } } } }, { DeleteRequest: { Key: { pk: { S: 'b' } } } }],
      },
    });
    validateInput('BatchGetItem', { RequestItems: { Users: { Keys: [{ pk: { S: 'a' } }], ConsistentRead: true } } });
    validateInput('TransactWriteItems', {
      TransactItems: [
        { Put: { TableName: 'Users', Item: { pk: { S: 'a' } } } },
        { ConditionCheck: { TableName: 'Users', Key: { pk: { S: 'b' } }, ConditionExpression: 'attribute_exists(pk)' } },
      ],
      ClientRequestToken: 'token-1',
    });
  });

  it('operations without required members, and timestamps as epoch seconds', () => {
    validateInput('ListTables', {});
    validateInput('ListTables', undefined);
    validateInput('DescribeLimits', {});
    validateInput('ListBackups', { TimeRangeLowerBound: 1700000000, TimeRangeUpperBound: 1700000000.5 });
  });

  it('ignores unknown members, at the top and nested', () => {
    validateInput('DescribeTable', { TableName: 'Users', Bogus: [1, 2, { x: 1 }] });
    validateInput('PutItem', { TableName: 'Users', Item: { a: { S: 'x', Extra: 5 } } });
  });

  it('leaves AttributeValue semantics (empty, several types, long names) to the values layer', () => {
    validateInput('PutItem', {
      TableName: 'Users',
      Item: { empty: {}, two: { S: 'x', N: '1' }, ['n'.repeat(70_000)]: { S: 'x' }, bad: { N: 'not a number' } },
    });
  });
});

describe('null members', () => {
  it('treats a null member as absent and removes it', () => {
    const body: Record<string, unknown> = { TableName: 'Users', Item: { a: { S: 'x', N: null } }, ConditionExpression: null };
    validateInput('PutItem', body);
    assert.equal('ConditionExpression' in body, false);
    assert.deepEqual(body.Item, { a: { S: 'x' } });
  });

  it('reports a null required member as missing', () => {
    assertValidation(
      'DescribeTable',
      { TableName: null },
      one("Value null at 'tableName' failed to satisfy constraint: Member must not be null"),
    );
  });
});

describe('constraint violations (ValidationException)', () => {
  it('missing required members, in member order', () => {
    assertValidation(
      'CreateTable',
      {},
      '3 validation errors detected: ' +
        "Value null at 'attributeDefinitions' failed to satisfy constraint: Member must not be null; " +
        "Value null at 'tableName' failed to satisfy constraint: Member must not be null; " +
        "Value null at 'keySchema' failed to satisfy constraint: Member must not be null",
    );
  });

  it('string length bounds', () => {
    assertValidation(
      'DescribeTable',
      { TableName: 'ab' },
      one("Value 'ab' at 'tableName' failed to satisfy constraint: Member must have length greater than or equal to 3"),
    );
    const long = 'a'.repeat(256);
    assertValidation(
      'DescribeTable',
      { TableName: long },
      one(`Value '${long}' at 'tableName' failed to satisfy constraint: Member must have length less than or equal to 255`),
    );
  });

  it('pattern and length on one value: pattern first', () => {
    assertValidation(
      'DeleteTable',
      { TableName: 'a;' },
      '2 validation errors detected: ' +
        "Value 'a;' at 'tableName' failed to satisfy constraint: Member must satisfy regular expression pattern: [a-zA-Z0-9_.-]+; " +
        "Value 'a;' at 'tableName' failed to satisfy constraint: Member must have length greater than or equal to 3",
    );
  });

  it('two members at once, as in the brief', () => {
    assertValidation(
      'CreateTable',
      { TableName: 'x', AttributeDefinitions: [{ AttributeName: 'a', AttributeType: 'S' }] },
      '2 validation errors detected: ' +
        "Value 'x' at 'tableName' failed to satisfy constraint: Member must have length greater than or equal to 3; " +
        "Value null at 'keySchema' failed to satisfy constraint: Member must not be null",
    );
  });

  it('enums, with nested 1-based list paths', () => {
    assertValidation(
      'CreateTable',
      {
        TableName: 'Users',
        AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }],
        KeySchema: [
          { AttributeName: 'pk', KeyType: 'HASH' },
          { AttributeName: 'sk', KeyType: 'SORT' },
        ],
      },
      one("Value 'SORT' at 'keySchema.2.member.keyType' failed to satisfy constraint: Member must satisfy enum value set: [HASH, RANGE]"),
    );
    assertValidation(
      'Query',
      { TableName: 'Users', Select: 'EVERYTHING' },
      one(
        "Value 'EVERYTHING' at 'select' failed to satisfy constraint: " +
          'Member must satisfy enum value set: [ALL_ATTRIBUTES, ALL_PROJECTED_ATTRIBUTES, SPECIFIC_ATTRIBUTES, COUNT]',
      ),
    );
  });

  it('list length, quoting the list as DynamoDB prints it', () => {
    assertValidation(
      'TransactWriteItems',
      { TransactItems: [] },
      one("Value '[]' at 'transactItems' failed to satisfy constraint: Member must have length greater than or equal to 1"),
    );
  });

  it('numeric ranges', () => {
    assertValidation(
      'Query',
      { TableName: 'Users', Limit: 0 },
      one("Value '0' at 'limit' failed to satisfy constraint: Member must have value greater than or equal to 1"),
    );
    assertValidation(
      'Scan',
      { TableName: 'Users', Segment: 1000000, TotalSegments: 1000001 },
      '2 validation errors detected: ' +
        "Value '1000001' at 'totalSegments' failed to satisfy constraint: Member must have value less than or equal to 1000000; " +
        "Value '1000000' at 'segment' failed to satisfy constraint: Member must have value less than or equal to 999999",
    );
    assertValidation(
      'UpdateTable',
      { TableName: 'Users', ProvisionedThroughput: { ReadCapacityUnits: 0, WriteCapacityUnits: 1 } },
      one(
        "Value '0' at 'provisionedThroughput.readCapacityUnits' failed to satisfy constraint: " +
          'Member must have value greater than or equal to 1',
      ),
    );
  });

  it('member paths lower only the first letter (SSESpecification -> sSESpecification)', () => {
    assertValidation(
      'UpdateTable',
      { TableName: 'Users', SSESpecification: { SSEType: 'DES' } },
      one("Value 'DES' at 'sSESpecification.sSEType' failed to satisfy constraint: Member must satisfy enum value set: [AES256, KMS]"),
    );
  });

  it('deeply nested paths through lists of structures', () => {
    assertValidation(
      'CreateTable',
      {
        TableName: 'Users',
        AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }],
        KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
        GlobalSecondaryIndexes: [
          { IndexName: 'ok-index', KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }], Projection: { ProjectionType: 'ALL' } },
          { IndexName: 'second', KeySchema: [{ AttributeName: 'pk' }], Projection: { ProjectionType: 'INCLUDE', NonKeyAttributes: [''] } },
        ],
      },
      '2 validation errors detected: ' +
        "Value null at 'globalSecondaryIndexes.2.member.keySchema.1.member.keyType' failed to satisfy constraint: Member must not be null; " +
        "Value '' at 'globalSecondaryIndexes.2.member.projection.nonKeyAttributes.1.member' failed to satisfy constraint: " +
        'Member must have length greater than or equal to 1',
    );
  });

  it('map keys and values report all their constraints at the map', () => {
    const writes = Array.from({ length: 26 }, () => ({ DeleteRequest: { Key: { pk: { S: 'a' } } } }));
    const error = rejection('BatchWriteItem', { RequestItems: { Users: writes } });
    assert.equal(error.type, VALIDATION);
    const firstWrite = 'WriteRequest(putRequest=null, deleteRequest=DeleteRequest(key={pk=com.amazonaws.dynamodb.v20120810.AttributeValue@';
    assert.ok(error.message.startsWith(`1 validation error detected: Value '{Users=[${firstWrite}`), error.message);
    assert.ok(
      error.message.endsWith(
        "' at 'requestItems' failed to satisfy constraint: Map value must satisfy constraint: " +
          '[Member must have length less than or equal to 25, Member must have length greater than or equal to 1]',
      ),
      error.message,
    );
    // DynamoDB prints an AttributeValue as Java's default toString: the class name and an
    // arbitrary identity hash, different on every call. Only the shape is asserted.
    const batchGet = rejection('BatchGetItem', { RequestItems: { ab: { Keys: [{ pk: { S: 'a' } }] } } });
    assert.equal(batchGet.type, VALIDATION);
    const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    const shape = new RegExp(
      '^' + escape("1 validation error detected: Value '{ab=KeysAndAttributes(keys=[{pk=com.amazonaws.dynamodb.v20120810.AttributeValue@") +
        '[0-9a-f]{1,8}' +
        escape(
          "}], attributesToGet=null, consistentRead=null, projectionExpression=null, expressionAttributeNames=null)}' at 'requestItems' " +
            'failed to satisfy constraint: Map key must satisfy constraint: [Member must have length less than or equal to 255, ' +
            'Member must have length greater than or equal to 3, Member must satisfy regular expression pattern: [a-zA-Z0-9_.-]+]',
        ) +
        '$',
    );
    assert.match(batchGet.message, shape);
  });

  it('validates inside map values with <map>.<key>.member paths', () => {
    assertValidation(
      'BatchWriteItem',
      { RequestItems: { Users: [{ PutRequest: {} }] } },
      one("Value null at 'requestItems.Users.member.1.member.putRequest.item' failed to satisfy constraint: Member must not be null"),
    );
  });

  it('lists at most 10 violations', () => {
    const tags = Array.from({ length: 12 }, () => ({ Key: '', Value: 'v' }));
    const error = rejection('TagResource', { ResourceArn: 'arn', Tags: tags });
    assert.equal(error.type, VALIDATION);
    assert.ok(error.message.startsWith('10 validation errors detected: '), error.message);
    assert.equal(error.message.split('; ').length, 10);
    assert.ok(error.message.includes("at 'tags.10.member.key'"));
    assert.ok(!error.message.includes("at 'tags.11.member.key'"));
  });
});

describe('JSON type mismatches (SerializationException)', () => {
  it('scalars of the wrong type', () => {
    assertSerialization('DescribeTable', { TableName: 5 }, 'NUMBER_VALUE cannot be converted to String');
    assertSerialization('DescribeTable', { TableName: true }, 'TRUE_VALUE cannot be converted to String');
    assertSerialization('Query', { TableName: 'Users', Limit: '10' }, 'STRING_VALUE cannot be converted to Integer');
    assertSerialization(
      'UpdateTable',
      { TableName: 'Users', ProvisionedThroughput: { ReadCapacityUnits: '1', WriteCapacityUnits: 1 } },
      'STRING_VALUE cannot be converted to Long',
    );
    assertSerialization('GetItem', { TableName: 'Users', Key: {}, ConsistentRead: 'true' }, 'STRING_VALUE cannot be converted to Boolean');
    assertSerialization('ListBackups', { TimeRangeLowerBound: '2024-01-01' }, 'STRING_VALUE cannot be converted to Timestamp');
  });

  it('AttributeValue members are type-checked at any depth', () => {
    assertSerialization('PutItem', { TableName: 'Users', Item: { a: { N: 5 } } }, 'NUMBER_VALUE cannot be converted to String');
    assertSerialization('PutItem', { TableName: 'Users', Item: { a: { B: 1 } } }, 'NUMBER_VALUE cannot be converted to Blob');
    assertSerialization('PutItem', { TableName: 'Users', Item: { a: { BOOL: 'yes' } } }, 'STRING_VALUE cannot be converted to Boolean');
    assertSerialization('PutItem', { TableName: 'Users', Item: { a: { SS: 'a' } } }, 'Unexpected field type');
    assertSerialization('PutItem', { TableName: 'Users', Item: { a: { L: { S: 'x' } } } }, 'Start of structure or map found where not expected');
    assertSerialization(
      'PutItem',
      { TableName: 'Users', Item: { a: { M: { b: { L: [{ S: 'ok' }, { NS: [1] }] } } } } },
      'NUMBER_VALUE cannot be converted to String',
    );
  });

  it('containers of the wrong type', () => {
    assertSerialization('DescribeTable', { TableName: { S: 'x' } }, 'Start of structure or map found where not expected');
    assertSerialization('DescribeTable', { TableName: ['x'] }, 'Start of list found where not expected');
    assertSerialization('Query', { TableName: 'Users', ExpressionAttributeNames: '{"#a":"a"}' }, 'Unexpected field type');
    assertSerialization('PutItem', { TableName: 'Users', Item: [] }, 'Start of list found where not expected');
    assertSerialization('CreateTable', { KeySchema: 'pk' }, 'Unexpected field type');
    assertSerialization('CreateTable', { KeySchema: { AttributeName: 'pk' } }, 'Start of structure or map found where not expected');
    assertSerialization('ListTables', [], 'Start of list found where not expected');
  });

  it('wins over constraint violations found earlier in the body', () => {
    assertSerialization('Query', { TableName: 'x', Select: 'NOPE', Limit: '1' }, 'STRING_VALUE cannot be converted to Integer');
  });
});

describe('deep nesting', () => {
  function nested(levels: number): unknown {
    let value: unknown = { S: 'leaf' };
    for (let i = 0; i < levels; i++) value = i % 2 === 0 ? { L: [value] } : { M: { k: value } };
    return value;
  }

  it('accepts DynamoDB-legal depths', () => {
    validateInput('PutItem', { TableName: 'Users', Item: { doc: nested(32) } });
  });

  it('rejects 10,000 levels with an error, not a stack overflow', () => {
    assertValidation(
      'PutItem',
      { TableName: 'Users', Item: { doc: nested(10_000) } },
      'Nesting Levels have exceeded supported limits: Attributes in the item have nested levels beyond supported limit',
    );
  });
});

describe('operations and patterns', () => {
  it('knows every operation of the model', () => {
    assert.equal(knownOperations.size, 56);
    for (const op of ['PutItem', 'Query', 'TransactWriteItems', 'ExecuteStatement', 'UpdateTimeToLive', 'PutResourcePolicy', 'GetResourcePolicy', 'DeleteResourcePolicy']) {
      assert.ok(knownOperations.has(op), op);
    }
    assert.equal(knownOperations.has('DropTable'), false);
    assert.equal(rejection('DropTable', {}).code, 'UnknownOperationException');
  });

  it('compiles every pattern of the model', () => {
    for (const shape of Object.values(model.shapes) as { pattern?: string }[]) {
      if (shape.pattern !== undefined) assert.doesNotThrow(() => javaPatternToRegExp(shape.pattern!), shape.pattern);
    }
  });

  it('translates Java regex features to JavaScript', () => {
    const print = javaPatternToRegExp('\\p{Print}+');
    assert.ok(print.test('Scale out ~ 50%'));
    assert.equal(print.test('caf\u00e9'), false);
    assert.equal(print.test(''), false);
    const arn = javaPatternToRegExp('[\\u0020-\\uD7FF\\uE000-\\uFFFD\\uD800\\uDC00-\\uDBFF\\uDFFF\\r\\n\\t]*');
    assert.ok(arn.test('arn:aws:iam::1:role/\u{1F600}\n'));
    assert.equal(arn.test('bad\u0001'), false);
    const rule = javaPatternToRegExp('[A-Za-z0-9][A-Za-z0-9\\-\\_\\.]{0,126}[A-Za-z0-9]');
    assert.ok(rule.test('my_rule-1.x'));
    assert.equal(rule.test('_rule'), false);
    assert.equal(javaPatternToRegExp('[a-z]+').test('abc1'), false, 'matches the whole value only');
  });
});
