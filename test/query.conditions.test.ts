/** Query key conditions, filters, projections, Select and validation, through both SDK clients. */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { QueryCommand as LowQuery, type QueryCommandInput } from '@aws-sdk/client-dynamodb';
import { PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { createTable, expectError, startTestServer, type TestContext } from './helpers.js';
import { putAll } from './query.helpers.js';

describe('query conditions', () => {
  let t: TestContext;
  const query = (input: Omit<QueryCommandInput, 'TableName'> & { TableName?: string }) =>
    t.client.send(new LowQuery({ TableName: 'events', ...input }));
  const sks = (items: { sk?: { N?: string } }[] | undefined) => (items ?? []).map((i) => Number(i.sk!.N));

  before(async () => {
    t = await startTestServer();
    await createTable(t.client, 'users', ['username', 'S'], ['last_name', 'S']);
    await createTable(t.client, 'events', ['pk', 'S'], ['sk', 'N']);
    await createTable(t.client, 'words', ['pk', 'S'], ['w', 'S']);
    await createTable(t.client, 'blobs', ['pk', 'N'], ['b', 'B']);
    await createTable(t.client, 'simple', ['id', 'S']);
    for (const [username, last_name, age] of [['johndoe', 'Doe', 30], ['johndoe', 'Smith', 22], ['janedoe', 'Doe', 25]] as const) {
      await t.doc.send(new PutCommand({ TableName: 'users', Item: { username, last_name, first_name: username.slice(0, 4), age } }));
    }
    await putAll(t, 'events', Array.from({ length: 20 }, (_, i) => ({
      pk: { S: 'e' }, sk: { N: String(i + 1) }, kind: { S: i % 2 === 0 ? 'odd' : 'even' }, n: { N: String(i) }, tags: { SS: ['a', `t${i}`] },
    })));
    await putAll(t, 'words', ['app', 'apple', 'apply', 'apricot', 'ap', 'b', 'a'].map((w) => ({ pk: { S: 'w' }, w: { S: w } })));
    await putAll(t, 'blobs', [[1, 2], [1, 2, 3], [1, 3], [1], [0, 1, 2], [1, 2, 255]].map((bytes) => ({ pk: { N: '1' }, b: { B: Buffer.from(bytes) } })));
    await putAll(t, 'simple', [{ id: { S: 'x' }, v: { N: '1' } }, { id: { S: 'y' } }]);
  });
  after(() => t.close());

  it("runs the seed's users query: Key('username').eq('johndoe')", async () => {
    const doc = await t.doc.send(new QueryCommand({
      TableName: 'users', KeyConditionExpression: 'username = :u', ExpressionAttributeValues: { ':u': 'johndoe' },
    }));
    assert.deepEqual(doc.Items, [
      { username: 'johndoe', last_name: 'Doe', first_name: 'john', age: 30 },
      { username: 'johndoe', last_name: 'Smith', first_name: 'john', age: 22 },
    ]);
    assert.equal(doc.Count, 2);
    assert.equal(doc.ScannedCount, 2);
    assert.equal(doc.LastEvaluatedKey, undefined);
    const low = await t.client.send(new LowQuery({
      TableName: 'users', KeyConditionExpression: '#u = :u', ExpressionAttributeNames: { '#u': 'username' },
      ExpressionAttributeValues: { ':u': { S: 'johndoe' } },
    }));
    assert.deepEqual(low.Items!.map((i) => i.last_name!.S), ['Doe', 'Smith']);
    const none = await t.doc.send(new QueryCommand({
      TableName: 'users', KeyConditionExpression: 'username = :u', ExpressionAttributeValues: { ':u': 'nobody' },
    }));
    assert.deepEqual(none.Items, []);
    assert.equal(none.Count, 0);
  });

  it('supports every sort-key comparison', async () => {
    const v = (n: number) => ({ N: String(n) });
    const cases: [string, Record<string, { N: string }>, number[]][] = [
      ['sk = :a', { ':a': v(5) }, [5]],
      ['sk < :a', { ':a': v(4) }, [1, 2, 3]],
      ['sk <= :a', { ':a': v(4) }, [1, 2, 3, 4]],
      ['sk > :a', { ':a': v(17) }, [18, 19, 20]],
      ['sk >= :a', { ':a': v(17) }, [17, 18, 19, 20]],
      ['sk BETWEEN :a AND :b', { ':a': v(3), ':b': v(6) }, [3, 4, 5, 6]],
      ['sk BETWEEN :a AND :b', { ':a': v(6), ':b': v(6) }, [6]],
      [':a > sk', { ':a': v(3) }, [1, 2]],
      [':a <= sk', { ':a': v(19) }, [19, 20]],
      ['sk = :a', { ':a': v(99) }, []],
      ['sk > :a', { ':a': v(2.5) }, Array.from({ length: 18 }, (_, i) => i + 3)],
    ];
    for (const [cond, values, expected] of cases) {
      const { Items } = await query({ KeyConditionExpression: `pk = :p AND ${cond}`, ExpressionAttributeValues: { ':p': { S: 'e' }, ...values } });
      assert.deepEqual(sks(Items), expected, cond);
      const reverse = await query({ KeyConditionExpression: `${cond} AND pk = :p`, ExpressionAttributeValues: { ':p': { S: 'e' }, ...values }, ScanIndexForward: false });
      assert.deepEqual(sks(reverse.Items), [...expected].reverse(), `${cond} reversed`);
    }
  });

  it('supports begins_with on strings and binaries', async () => {
    const { Items } = await t.doc.send(new QueryCommand({
      TableName: 'words', KeyConditionExpression: 'pk = :p AND begins_with(w, :x)', ExpressionAttributeValues: { ':p': 'w', ':x': 'app' },
    }));
    assert.deepEqual(Items!.map((i) => i.w), ['app', 'apple', 'apply']);
    const reverse = await t.doc.send(new QueryCommand({
      TableName: 'words', KeyConditionExpression: 'pk = :p AND begins_with(w, :x)', ExpressionAttributeValues: { ':p': 'w', ':x': 'ap' },
      ScanIndexForward: false,
    }));
    assert.deepEqual(reverse.Items!.map((i) => i.w), ['apricot', 'apply', 'apple', 'app', 'ap']);
    const bin = await t.client.send(new LowQuery({
      TableName: 'blobs', KeyConditionExpression: 'pk = :p AND begins_with(b, :x)',
      ExpressionAttributeValues: { ':p': { N: '1' }, ':x': { B: Buffer.from([1, 2]) } },
    }));
    assert.deepEqual(bin.Items!.map((i) => Buffer.from(i.b!.B!).toString('hex')), ['0102', '010203', '0102ff']);
  });

  it('supports legacy KeyConditions with every indexable operator', async () => {
    const run = async (op: string, values: string[], forward = true) => {
      const { Items } = await t.client.send(new LowQuery({
        TableName: 'events', ScanIndexForward: forward,
        KeyConditions: {
          pk: { ComparisonOperator: 'EQ', AttributeValueList: [{ S: 'e' }] },
          sk: { ComparisonOperator: op as 'EQ', AttributeValueList: values.map((N) => ({ N })) },
        },
      }));
      return sks(Items);
    };
    assert.deepEqual(await run('EQ', ['3']), [3]);
    assert.deepEqual(await run('LT', ['3']), [1, 2]);
    assert.deepEqual(await run('LE', ['3']), [1, 2, 3]);
    assert.deepEqual(await run('GT', ['18']), [19, 20]);
    assert.deepEqual(await run('GE', ['18']), [18, 19, 20]);
    assert.deepEqual(await run('BETWEEN', ['7', '9'], false), [9, 8, 7]);
    const words = await t.client.send(new LowQuery({
      TableName: 'words',
      KeyConditions: {
        pk: { ComparisonOperator: 'EQ', AttributeValueList: [{ S: 'w' }] },
        w: { ComparisonOperator: 'BEGINS_WITH', AttributeValueList: [{ S: 'apr' }] },
      },
    }));
    assert.deepEqual(words.Items!.map((i) => i.w!.S), ['apricot']);
    const hashOnly = await t.client.send(new LowQuery({
      TableName: 'events', KeyConditions: { pk: { ComparisonOperator: 'EQ', AttributeValueList: [{ S: 'e' }] } },
    }));
    assert.equal(hashOnly.Count, 20);
  });

  it('queries a table without a sort key', async () => {
    const { Items } = await t.doc.send(new QueryCommand({
      TableName: 'simple', KeyConditionExpression: 'id = :x', ExpressionAttributeValues: { ':x': 'x' },
    }));
    assert.deepEqual(Items, [{ id: 'x', v: 1 }]);
    const limited = await t.client.send(new LowQuery({
      TableName: 'simple', KeyConditionExpression: 'id = :x', ExpressionAttributeValues: { ':x': { S: 'y' } }, Limit: 1,
    }));
    assert.deepEqual(limited.LastEvaluatedKey, { id: { S: 'y' } });
  });

  it('filters after reading: Count counts matches, ScannedCount counts reads', async () => {
    const { Items, Count, ScannedCount } = await query({
      KeyConditionExpression: 'pk = :p AND sk <= :m', FilterExpression: 'kind = :k AND n > :z',
      ExpressionAttributeValues: { ':p': { S: 'e' }, ':m': { N: '10' }, ':k': { S: 'even' }, ':z': { N: '2' } },
    });
    assert.deepEqual(sks(Items), [4, 6, 8, 10]);
    assert.equal(Count, 4);
    assert.equal(ScannedCount, 10);
    const legacy = await t.client.send(new LowQuery({
      TableName: 'events',
      KeyConditions: { pk: { ComparisonOperator: 'EQ', AttributeValueList: [{ S: 'e' }] } },
      QueryFilter: { kind: { ComparisonOperator: 'EQ', AttributeValueList: [{ S: 'odd' }] }, n: { ComparisonOperator: 'LT', AttributeValueList: [{ N: '6' }] } },
      ConditionalOperator: 'OR',
    }));
    assert.deepEqual(sks(legacy.Items), [1, 2, 3, 4, 5, 6, 7, 9, 11, 13, 15, 17, 19]);
    assert.equal(legacy.ScannedCount, 20);
    const and = await t.client.send(new LowQuery({
      TableName: 'events',
      KeyConditions: { pk: { ComparisonOperator: 'EQ', AttributeValueList: [{ S: 'e' }] } },
      QueryFilter: { kind: { ComparisonOperator: 'EQ', AttributeValueList: [{ S: 'odd' }] }, n: { ComparisonOperator: 'LT', AttributeValueList: [{ N: '6' }] } },
    }));
    assert.deepEqual(sks(and.Items), [1, 3, 5]);
  });

  it('projects with ProjectionExpression and AttributesToGet', async () => {
    const { Items } = await query({
      KeyConditionExpression: 'pk = :p AND sk = :s', ProjectionExpression: 'n, #k, tags, absent',
      ExpressionAttributeNames: { '#k': 'kind' }, ExpressionAttributeValues: { ':p': { S: 'e' }, ':s': { N: '2' } },
    });
    assert.deepEqual(Items, [{ n: { N: '1' }, kind: { S: 'even' }, tags: { SS: ['a', 't1'] } }]);
    const legacy = await t.client.send(new LowQuery({
      TableName: 'events', AttributesToGet: ['sk', 'kind'], Select: 'SPECIFIC_ATTRIBUTES',
      KeyConditions: { pk: { ComparisonOperator: 'EQ', AttributeValueList: [{ S: 'e' }] }, sk: { ComparisonOperator: 'LT', AttributeValueList: [{ N: '3' }] } },
    }));
    assert.deepEqual(legacy.Items, [{ sk: { N: '1' }, kind: { S: 'odd' } }, { sk: { N: '2' }, kind: { S: 'even' } }]);
    const doc = await t.doc.send(new QueryCommand({
      TableName: 'users', KeyConditionExpression: 'username = :u', ProjectionExpression: 'age', ExpressionAttributeValues: { ':u': 'johndoe' },
    }));
    assert.deepEqual(doc.Items, [{ age: 30 }, { age: 22 }]);
  });

  it('returns only counts with Select COUNT', async () => {
    const out = await query({
      KeyConditionExpression: 'pk = :p', Select: 'COUNT', FilterExpression: 'kind = :k',
      ExpressionAttributeValues: { ':p': { S: 'e' }, ':k': { S: 'odd' } },
    });
    assert.equal(out.Items, undefined);
    assert.equal(out.Count, 10);
    assert.equal(out.ScannedCount, 20);
    const all = await query({ KeyConditionExpression: 'pk = :p', Select: 'ALL_ATTRIBUTES', ExpressionAttributeValues: { ':p': { S: 'e' } } });
    assert.equal(all.Items!.length, 20);
  });

  it('charges capacity on what was read, before filter and projection', async () => {
    // 20 small items, all under one 4 KB unit together.
    const strong = await query({
      KeyConditionExpression: 'pk = :p', ConsistentRead: true, ReturnConsumedCapacity: 'TOTAL',
      FilterExpression: 'kind = :k', ExpressionAttributeValues: { ':p': { S: 'e' }, ':k': { S: 'none' } },
    });
    assert.deepEqual(strong.ConsumedCapacity, { TableName: 'events', CapacityUnits: 1 });
    assert.equal(strong.Count, 0);
    const eventual = await query({ KeyConditionExpression: 'pk = :p', ReturnConsumedCapacity: 'INDEXES', ExpressionAttributeValues: { ':p': { S: 'e' } } });
    assert.deepEqual(eventual.ConsumedCapacity, { TableName: 'events', CapacityUnits: 0.5, Table: { CapacityUnits: 0.5 } });
    const empty = await query({ KeyConditionExpression: 'pk = :p', ReturnConsumedCapacity: 'TOTAL', ExpressionAttributeValues: { ':p': { S: 'none' } } });
    assert.equal(empty.ConsumedCapacity!.CapacityUnits, 0.5);
    const none = await query({ KeyConditionExpression: 'pk = :p', ReturnConsumedCapacity: 'NONE', ExpressionAttributeValues: { ':p': { S: 'e' } } });
    assert.equal(none.ConsumedCapacity, undefined);
  });

  describe('validation', () => {
    const P = { ':p': { S: 'e' } };
    const cases: [string, Omit<QueryCommandInput, 'TableName'> & { TableName?: string }, string][] = [
      ['no key condition', {}, 'Either the KeyConditions or KeyConditionExpression parameter must be specified in the request.'],
      ['no partition key', { KeyConditionExpression: 'sk = :n', ExpressionAttributeValues: { ':n': { N: '1' } } }, 'Query condition missed key schema element: pk'],
      ['partition key range', { KeyConditionExpression: 'pk > :p', ExpressionAttributeValues: P }, 'Query key condition not supported'],
      ['non-key attribute', { KeyConditionExpression: 'pk = :p AND kind = :k', ExpressionAttributeValues: { ...P, ':k': { S: 'x' } } }, 'Query condition missed key schema element: sk'],
      ['two sort-key conditions', { KeyConditionExpression: 'pk = :p AND sk > :a AND sk < :b', ExpressionAttributeValues: { ...P, ':a': { N: '1' }, ':b': { N: '5' } } },
        'Invalid KeyConditionExpression: KeyConditionExpressions must only contain one condition per key'],
      ['OR', { KeyConditionExpression: 'pk = :p OR sk = :a', ExpressionAttributeValues: { ...P, ':a': { N: '1' } } }, 'Invalid KeyConditionExpression: Invalid operator used in KeyConditionExpression: OR'],
      ['<>', { KeyConditionExpression: 'pk = :p AND sk <> :a', ExpressionAttributeValues: { ...P, ':a': { N: '1' } } }, 'Invalid KeyConditionExpression: Invalid operator used in KeyConditionExpression: <>'],
      ['IN', { KeyConditionExpression: 'pk = :p AND sk IN (:a)', ExpressionAttributeValues: { ...P, ':a': { N: '1' } } }, 'Invalid KeyConditionExpression: Invalid operator used in KeyConditionExpression: IN'],
      ['contains', { KeyConditionExpression: 'pk = :p AND contains(sk, :a)', ExpressionAttributeValues: { ...P, ':a': { N: '1' } } }, 'Invalid KeyConditionExpression: Invalid operator used in KeyConditionExpression: contains'],
      ['wrong partition key type', { KeyConditionExpression: 'pk = :n', ExpressionAttributeValues: { ':n': { N: '1' } } }, 'One or more parameter values were invalid: Condition parameter type does not match schema type'],
      ['wrong sort key type', { KeyConditionExpression: 'pk = :p AND sk = :s', ExpressionAttributeValues: { ...P, ':s': { S: '1' } } }, 'One or more parameter values were invalid: Condition parameter type does not match schema type'],
      ['begins_with on a number', { KeyConditionExpression: 'pk = :p AND begins_with(sk, :a)', ExpressionAttributeValues: { ...P, ':a': { N: '1' } } },
        'Invalid KeyConditionExpression: Incorrect operand type for operator or function; operator or function: begins_with, operand type: N'],
      ['BETWEEN bounds reversed', { KeyConditionExpression: 'pk = :p AND sk BETWEEN :b AND :a', ExpressionAttributeValues: { ...P, ':a': { N: '1' }, ':b': { N: '5' } } },
        'Invalid KeyConditionExpression: The BETWEEN operator requires upper bound to be greater than or equal to lower bound; lower bound operand: AttributeValue: {N:5}, upper bound operand: AttributeValue: {N:1}'],
      ['filter on a key attribute', { KeyConditionExpression: 'pk = :p', FilterExpression: 'sk > :a', ExpressionAttributeValues: { ...P, ':a': { N: '1' } } },
        'Filter Expression can only contain non-primary key attributes: Primary key attribute: sk'],
      ['legacy filter on a key attribute', { KeyConditions: { pk: { ComparisonOperator: 'EQ', AttributeValueList: [{ S: 'e' }] } }, QueryFilter: { pk: { ComparisonOperator: 'NOT_NULL' } } },
        'QueryFilter can only contain non-key attributes: Primary key attribute: pk'],
      ['legacy non-indexable operator', { KeyConditions: { pk: { ComparisonOperator: 'EQ', AttributeValueList: [{ S: 'e' }] }, sk: { ComparisonOperator: 'NE', AttributeValueList: [{ N: '1' }] } } },
        'Attempted conditional constraint is not an indexable operation'],
      ['legacy missing partition key', { KeyConditions: { sk: { ComparisonOperator: 'EQ', AttributeValueList: [{ N: '1' }] } } }, 'Query condition missed key schema element: pk'],
      ['expression and legacy mixed', { KeyConditionExpression: 'pk = :p', ExpressionAttributeValues: P, QueryFilter: { kind: { ComparisonOperator: 'NULL' } } },
        'Can not use both expression and non-expression parameters in the same request: Non-expression parameters: {QueryFilter} Expression parameters: {KeyConditionExpression}'],
      ['SPECIFIC_ATTRIBUTES without projection', { KeyConditionExpression: 'pk = :p', ExpressionAttributeValues: P, Select: 'SPECIFIC_ATTRIBUTES' },
        'Must specify the AttributesToGet or ProjectionExpression when choosing to get SPECIFIC_ATTRIBUTES'],
      ['COUNT with projection', { KeyConditionExpression: 'pk = :p', ExpressionAttributeValues: P, Select: 'COUNT', ProjectionExpression: 'n' },
        'Cannot specify the ProjectionExpression when choosing to get COUNT'],
      ['ALL_ATTRIBUTES with AttributesToGet', { KeyConditions: { pk: { ComparisonOperator: 'EQ', AttributeValueList: [{ S: 'e' }] } }, Select: 'ALL_ATTRIBUTES', AttributesToGet: ['n'] },
        'Cannot specify the AttributesToGet when choosing to get ALL_ATTRIBUTES'],
      ['ALL_PROJECTED_ATTRIBUTES on a table', { KeyConditionExpression: 'pk = :p', ExpressionAttributeValues: P, Select: 'ALL_PROJECTED_ATTRIBUTES' },
        'ALL_PROJECTED_ATTRIBUTES can be used only when Querying using an IndexName'],
      ['Limit 0', { KeyConditionExpression: 'pk = :p', ExpressionAttributeValues: P, Limit: 0 },
        "1 validation error detected: Value at 'Limit' failed to satisfy constraint: Member must have value greater than or equal to 1"],
      ['malformed start key', { KeyConditionExpression: 'pk = :p', ExpressionAttributeValues: P, ExclusiveStartKey: { pk: { S: 'e' } } }, 'The provided starting key is invalid'],
      ['start key of the wrong type', { KeyConditionExpression: 'pk = :p', ExpressionAttributeValues: P, ExclusiveStartKey: { pk: { S: 'e' }, sk: { S: '1' } } }, 'The provided starting key is invalid'],
      ['start key in another partition', { KeyConditionExpression: 'pk = :p', ExpressionAttributeValues: P, ExclusiveStartKey: { pk: { S: 'f' }, sk: { N: '1' } } },
        'The provided starting key is outside query boundaries based on provided conditions'],
    ];
    for (const [name, input, message] of cases) {
      it(`rejects ${name}`, () => expectError(query(input), 'ValidationException', message));
    }

    it('answers ResourceNotFoundException for a missing table, after request checks', async () => {
      await expectError(query({ TableName: 'nope', KeyConditionExpression: 'pk = :p', ExpressionAttributeValues: P }), 'ResourceNotFoundException', 'Requested resource not found');
      await expectError(query({ TableName: 'nope', Select: 'SPECIFIC_ATTRIBUTES' }), 'ValidationException',
        'Must specify the AttributesToGet or ProjectionExpression when choosing to get SPECIFIC_ATTRIBUTES');
    });
  });
});
