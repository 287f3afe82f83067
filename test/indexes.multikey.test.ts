/**
 * Multi-attribute GSI keys (up to four partition-key and four sort-key attributes)
 * through the AWS SDK and the DocumentClient: validation, sparse maintenance, Query key
 * conditions, ordering, paging, Scan and DescribeTable.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  CreateTableCommand,
  DescribeTableCommand,
  QueryCommand as RawQueryCommand,
  UpdateTableCommand,
  type AttributeDefinition,
  type KeySchemaElement,
} from '@aws-sdk/client-dynamodb';
import { DeleteCommand, PutCommand, QueryCommand, ScanCommand, UpdateCommand, type QueryCommandInput } from '@aws-sdk/lib-dynamodb';
import { expectError, startTestServer, type TestContext } from './helpers.js';

const TABLE = 'Matches';
const INDEX = 'by_tournament';

/** tournament + region partition the index; round, bracket, score sort it. */
const INDEX_KEY: KeySchemaElement[] = [
  { AttributeName: 'tournament', KeyType: 'HASH' },
  { AttributeName: 'region', KeyType: 'HASH' },
  { AttributeName: 'round', KeyType: 'RANGE' },
  { AttributeName: 'bracket', KeyType: 'RANGE' },
  { AttributeName: 'score', KeyType: 'RANGE' },
];

const DEFINITIONS: AttributeDefinition[] = [
  { AttributeName: 'id', AttributeType: 'S' },
  { AttributeName: 'tournament', AttributeType: 'S' },
  { AttributeName: 'region', AttributeType: 'S' },
  { AttributeName: 'round', AttributeType: 'S' },
  { AttributeName: 'bracket', AttributeType: 'S' },
  { AttributeName: 'score', AttributeType: 'N' },
];

interface Match {
  id: string;
  tournament?: string;
  region?: string;
  round?: string;
  bracket?: string;
  score?: number;
}

const MATCHES: Match[] = [
  { id: 'm01', tournament: 'W24', region: 'EU', round: 'FINAL', bracket: 'UPPER', score: 3 },
  { id: 'm02', tournament: 'W24', region: 'EU', round: 'QUARTER', bracket: 'LOWER', score: 10 },
  { id: 'm03', tournament: 'W24', region: 'EU', round: 'QUARTER', bracket: 'UPPER', score: 7 },
  { id: 'm04', tournament: 'W24', region: 'EU', round: 'QUARTER', bracket: 'UPPER', score: -2 },
  { id: 'm05', tournament: 'W24', region: 'EU', round: 'QUARTER', bracket: 'UPPER', score: 12.5 },
  { id: 'm06', tournament: 'W24', region: 'EU', round: 'SEMI', bracket: 'UPPER', score: 1 },
  { id: 'm07', tournament: 'W24', region: 'EU', round: 'SEMI', bracket: 'LOWER', score: 4 },
  { id: 'm08', tournament: 'W24', region: 'NA', round: 'QUARTER', bracket: 'UPPER', score: 5 },
  { id: 'm09', tournament: 'S25', region: 'EU', round: 'QUARTER', bracket: 'UPPER', score: 6 },
  // Sparse: each lacks one key attribute, so none is in the index.
  { id: 'm10', tournament: 'W24', region: 'EU', round: 'QUARTER', bracket: 'UPPER' },
  { id: 'm11', tournament: 'W24', round: 'QUARTER', bracket: 'UPPER', score: 1 },
  { id: 'm12', region: 'EU', round: 'QUARTER', bracket: 'UPPER', score: 1 },
];

/** The ids a Query on the index answers, following every page. */
async function queryIds(t: TestContext, input: Omit<QueryCommandInput, 'TableName' | 'IndexName'>): Promise<string[]> {
  const ids: string[] = [];
  let start: Record<string, unknown> | undefined;
  do {
    const page = await t.doc.send(new QueryCommand({ TableName: TABLE, IndexName: INDEX, ...input, ExclusiveStartKey: start }));
    ids.push(...page.Items!.map((i) => i.id as string));
    start = page.LastEvaluatedKey;
  } while (start !== undefined);
  return ids;
}

const EU_W24 = 'tournament = :t AND #region = :r';
const NAMES = { '#region': 'region', '#round': 'round' };

describe('multi-attribute GSI keys', () => {
  let t: TestContext;
  before(async () => {
    t = await startTestServer();
    await t.client.send(new CreateTableCommand({
      TableName: TABLE,
      BillingMode: 'PAY_PER_REQUEST',
      KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
      AttributeDefinitions: DEFINITIONS,
      GlobalSecondaryIndexes: [{ IndexName: INDEX, KeySchema: INDEX_KEY, Projection: { ProjectionType: 'ALL' } }],
    }));
    for (const match of MATCHES) await t.doc.send(new PutCommand({ TableName: TABLE, Item: match }));
  });
  after(() => t.close());

  it('DescribeTable shows the key schema in order, and only items with every key attribute are indexed', async () => {
    const table = (await t.client.send(new DescribeTableCommand({ TableName: TABLE }))).Table!;
    const gsi = table.GlobalSecondaryIndexes![0]!;
    assert.deepEqual(gsi.KeySchema, INDEX_KEY);
    assert.equal(gsi.ItemCount, 9);
    const scanned = await t.doc.send(new ScanCommand({ TableName: TABLE, IndexName: INDEX }));
    assert.deepEqual(scanned.Items!.map((i) => i.id).sort(), MATCHES.slice(0, 9).map((m) => m.id));
  });

  it('a partition is every partition-key attribute; sort attributes order left to right', async () => {
    const ids = await queryIds(t, { KeyConditionExpression: EU_W24, ExpressionAttributeNames: { '#region': 'region' }, ExpressionAttributeValues: { ':t': 'W24', ':r': 'EU' } });
    // round (S), then bracket (S), then score (N, numeric order).
    assert.deepEqual(ids, ['m01', 'm02', 'm04', 'm03', 'm05', 'm07', 'm06']);
    const back = await queryIds(t, {
      KeyConditionExpression: EU_W24, ScanIndexForward: false, ExpressionAttributeNames: { '#region': 'region' }, ExpressionAttributeValues: { ':t': 'W24', ':r': 'EU' },
    });
    assert.deepEqual(back, [...ids].reverse());
    const na = await queryIds(t, { KeyConditionExpression: EU_W24, ExpressionAttributeNames: { '#region': 'region' }, ExpressionAttributeValues: { ':t': 'W24', ':r': 'NA' } });
    assert.deepEqual(na, ['m08']);
  });

  it('sort conditions: equality on a prefix, then one range operator on the last attribute given', async () => {
    const q = (cond: string, values: Record<string, unknown>) =>
      queryIds(t, { KeyConditionExpression: `${EU_W24} AND ${cond}`, ExpressionAttributeNames: NAMES, ExpressionAttributeValues: { ':t': 'W24', ':r': 'EU', ...values } });
    assert.deepEqual(await q('#round = :x', { ':x': 'QUARTER' }), ['m02', 'm04', 'm03', 'm05']);
    assert.deepEqual(await q('#round = :x AND bracket = :b', { ':x': 'QUARTER', ':b': 'UPPER' }), ['m04', 'm03', 'm05']);
    assert.deepEqual(await q('#round = :x AND bracket = :b AND score > :s', { ':x': 'QUARTER', ':b': 'UPPER', ':s': 0 }), ['m03', 'm05']);
    assert.deepEqual(await q('#round = :x AND bracket = :b AND score <= :s', { ':x': 'QUARTER', ':b': 'UPPER', ':s': 7 }), ['m04', 'm03']);
    assert.deepEqual(await q('#round = :x AND bracket = :b AND score BETWEEN :lo AND :hi', { ':x': 'QUARTER', ':b': 'UPPER', ':lo': -2, ':hi': 7 }), ['m04', 'm03']);
    assert.deepEqual(await q('#round = :x AND bracket = :b AND score = :s', { ':x': 'QUARTER', ':b': 'UPPER', ':s': 12.5 }), ['m05']);
    assert.deepEqual(await q('#round = :x AND begins_with(bracket, :b)', { ':x': 'QUARTER', ':b': 'UP' }), ['m04', 'm03', 'm05']);
    assert.deepEqual(await q('#round = :x AND bracket < :b', { ':x': 'QUARTER', ':b': 'UPPER' }), ['m02']);
    assert.deepEqual(await q('#round > :x', { ':x': 'QUARTER' }), ['m07', 'm06']);
    assert.deepEqual(await q('#round < :x', { ':x': 'QUARTER' }), ['m01']);
    assert.deepEqual(await q('#round >= :x', { ':x': 'QUARTER' }), ['m02', 'm04', 'm03', 'm05', 'm07', 'm06']);
    assert.deepEqual(await q('begins_with(#round, :x)', { ':x': 'S' }), ['m07', 'm06']);
    // Condition order in the expression does not matter, only which attributes are given.
    assert.deepEqual(await q('score > :s AND bracket = :b AND #round = :x', { ':x': 'QUARTER', ':b': 'UPPER', ':s': 0 }), ['m03', 'm05']);
  });

  it('legacy KeyConditions work the same way', async () => {
    const result = await t.client.send(new RawQueryCommand({
      TableName: TABLE,
      IndexName: INDEX,
      KeyConditions: {
        tournament: { ComparisonOperator: 'EQ', AttributeValueList: [{ S: 'W24' }] },
        region: { ComparisonOperator: 'EQ', AttributeValueList: [{ S: 'EU' }] },
        round: { ComparisonOperator: 'EQ', AttributeValueList: [{ S: 'QUARTER' }] },
        bracket: { ComparisonOperator: 'BEGINS_WITH', AttributeValueList: [{ S: 'L' }] },
      },
    }));
    assert.deepEqual(result.Items!.map((i) => i.id!.S), ['m02']);
  });

  it('pages carry every index key attribute plus the table key, and resume exactly', async () => {
    const first = await t.doc.send(new QueryCommand({
      TableName: TABLE, IndexName: INDEX, Limit: 2,
      KeyConditionExpression: `${EU_W24} AND #round = :x`, ExpressionAttributeNames: NAMES, ExpressionAttributeValues: { ':t': 'W24', ':r': 'EU', ':x': 'QUARTER' },
    }));
    assert.deepEqual(first.LastEvaluatedKey, { id: 'm04', tournament: 'W24', region: 'EU', round: 'QUARTER', bracket: 'UPPER', score: -2 });
    const paged = await queryIds(t, {
      Limit: 1, KeyConditionExpression: `${EU_W24} AND #round = :x AND bracket = :b AND score >= :s`, ExpressionAttributeNames: NAMES,
      ExpressionAttributeValues: { ':t': 'W24', ':r': 'EU', ':x': 'QUARTER', ':b': 'UPPER', ':s': -2 },
    });
    assert.deepEqual(paged, ['m04', 'm03', 'm05']);
    // Backward, one item a page, through a range on the first of three sort attributes.
    const backward = await queryIds(t, {
      Limit: 1, ScanIndexForward: false, KeyConditionExpression: `${EU_W24} AND #round >= :x`, ExpressionAttributeNames: NAMES,
      ExpressionAttributeValues: { ':t': 'W24', ':r': 'EU', ':x': 'QUARTER' },
    });
    assert.deepEqual(backward, ['m06', 'm07', 'm05', 'm03', 'm04', 'm02']);
    const between = await queryIds(t, {
      Limit: 2, ScanIndexForward: false, KeyConditionExpression: `${EU_W24} AND #round = :x AND bracket BETWEEN :a AND :b`, ExpressionAttributeNames: NAMES,
      ExpressionAttributeValues: { ':t': 'W24', ':r': 'EU', ':x': 'QUARTER', ':a': 'LOWER', ':b': 'UPPER' },
    });
    assert.deepEqual(between, ['m05', 'm03', 'm04', 'm02']);
    const scanPage = await t.doc.send(new ScanCommand({ TableName: TABLE, IndexName: INDEX, Limit: 1 }));
    assert.deepEqual(Object.keys(scanPage.LastEvaluatedKey!).sort(), ['bracket', 'id', 'region', 'round', 'score', 'tournament']);
    // A start key from another partition, or outside the fixed sort prefix, is refused.
    await expectError(
      t.doc.send(new QueryCommand({
        TableName: TABLE, IndexName: INDEX, KeyConditionExpression: EU_W24, ExpressionAttributeNames: { '#region': 'region' },
        ExpressionAttributeValues: { ':t': 'W24', ':r': 'NA' }, ExclusiveStartKey: first.LastEvaluatedKey,
      })),
      'ValidationException', 'The provided starting key is outside query boundaries based on provided conditions',
    );
    await expectError(
      t.doc.send(new QueryCommand({
        TableName: TABLE, IndexName: INDEX, KeyConditionExpression: `${EU_W24} AND #round = :x AND bracket > :b`, ExpressionAttributeNames: NAMES,
        ExpressionAttributeValues: { ':t': 'W24', ':r': 'EU', ':x': 'SEMI', ':b': 'A' }, ExclusiveStartKey: first.LastEvaluatedKey,
      })),
      'ValidationException', 'The provided starting key does not match the range key predicate',
    );
    // A start key missing one of the index key attributes does not match the schema.
    const { score: _score, ...partial } = first.LastEvaluatedKey!;
    await expectError(
      t.doc.send(new QueryCommand({
        TableName: TABLE, IndexName: INDEX, KeyConditionExpression: EU_W24, ExpressionAttributeNames: { '#region': 'region' },
        ExpressionAttributeValues: { ':t': 'W24', ':r': 'EU' }, ExclusiveStartKey: partial,
      })),
      'ValidationException', 'The provided starting key is invalid',
    );
  });

  it('refuses key conditions that miss a partition attribute, skip a sort attribute or put a range before the last', async () => {
    const bad = (cond: string, values: Record<string, unknown>) =>
      t.doc.send(new QueryCommand({ TableName: TABLE, IndexName: INDEX, KeyConditionExpression: cond, ExpressionAttributeNames: NAMES, ExpressionAttributeValues: values }));
    await expectError(bad('tournament = :t AND #round = :x', { ':t': 'W24', ':x': 'SEMI' }), 'ValidationException', 'Query condition missed key schema element: region');
    await expectError(bad(`${EU_W24} AND bracket = :b`, { ':t': 'W24', ':r': 'EU', ':b': 'UPPER' }), 'ValidationException', 'Query condition missed key schema element: round');
    await expectError(
      bad(`${EU_W24} AND #round = :x AND score = :s`, { ':t': 'W24', ':r': 'EU', ':x': 'SEMI', ':s': 1 }),
      'ValidationException', 'Query condition missed key schema element: bracket',
    );
    await expectError(
      bad(`${EU_W24} AND #round > :x AND bracket = :b`, { ':t': 'W24', ':r': 'EU', ':x': 'SEMI', ':b': 'UPPER' }),
      'ValidationException', 'Query key condition not supported',
    );
    await expectError(bad('tournament = :t AND #region > :r', { ':t': 'W24', ':r': 'EU' }), 'ValidationException', 'Query key condition not supported');
    await expectError(
      bad(`${EU_W24} AND #region = :r`, { ':t': 'W24', ':r': 'EU' }),
      'ValidationException', 'Invalid KeyConditionExpression: KeyConditionExpressions must only contain one condition per key',
    );
    await expectError(bad(`${EU_W24} AND #round = :x`, { ':t': 'W24', ':r': 'EU', ':x': 5 }), 'ValidationException', 'One or more parameter values were invalid: Condition parameter type does not match schema type');
    await expectError(
      bad(`${EU_W24} AND #round = :x AND bracket = :b AND score = :s AND id = :i`, { ':t': 'W24', ':r': 'EU', ':x': 'SEMI', ':b': 'UPPER', ':s': 1, ':i': 'm06' }),
      'ValidationException', 'Query key condition not supported',
    );
    await expectError(
      t.doc.send(new QueryCommand({
        TableName: TABLE, IndexName: INDEX, KeyConditionExpression: EU_W24, FilterExpression: 'score > :s', ExpressionAttributeNames: { '#region': 'region' },
        ExpressionAttributeValues: { ':t': 'W24', ':r': 'EU', ':s': 1 },
      })),
      'ValidationException', 'Filter Expression can only contain non-primary key attributes: Primary key attribute: score',
    );
  });

  it('entries follow updates and deletes of any key attribute', async () => {
    const quarterUpper = () =>
      queryIds(t, {
        KeyConditionExpression: `${EU_W24} AND #round = :x AND bracket = :b`, ExpressionAttributeNames: NAMES,
        ExpressionAttributeValues: { ':t': 'W24', ':r': 'EU', ':x': 'QUARTER', ':b': 'UPPER' },
      });
    await t.doc.send(new PutCommand({ TableName: TABLE, Item: { id: 'n1', tournament: 'W24', region: 'EU', round: 'QUARTER', bracket: 'UPPER' } }));
    assert.deepEqual(await quarterUpper(), ['m04', 'm03', 'm05']);
    // Adding the last missing attribute puts the item in the index, in sort order.
    await t.doc.send(new UpdateCommand({ TableName: TABLE, Key: { id: 'n1' }, UpdateExpression: 'SET score = :s', ExpressionAttributeValues: { ':s': 0 } }));
    assert.deepEqual(await quarterUpper(), ['m04', 'n1', 'm03', 'm05']);
    await t.doc.send(new UpdateCommand({ TableName: TABLE, Key: { id: 'n1' }, UpdateExpression: 'SET score = :s', ExpressionAttributeValues: { ':s': 100 } }));
    assert.deepEqual(await quarterUpper(), ['m04', 'm03', 'm05', 'n1']);
    // Changing a partition attribute moves the entry to another partition.
    await t.doc.send(new UpdateCommand({ TableName: TABLE, Key: { id: 'n1' }, UpdateExpression: 'SET #region = :r', ExpressionAttributeNames: { '#region': 'region' }, ExpressionAttributeValues: { ':r': 'NA' } }));
    assert.deepEqual(await quarterUpper(), ['m04', 'm03', 'm05']);
    assert.deepEqual(await queryIds(t, { KeyConditionExpression: EU_W24, ExpressionAttributeNames: { '#region': 'region' }, ExpressionAttributeValues: { ':t': 'W24', ':r': 'NA' } }), ['m08', 'n1']);
    // Removing any key attribute drops the entry.
    await t.doc.send(new UpdateCommand({ TableName: TABLE, Key: { id: 'n1' }, UpdateExpression: 'REMOVE bracket' }));
    assert.deepEqual(await queryIds(t, { KeyConditionExpression: EU_W24, ExpressionAttributeNames: { '#region': 'region' }, ExpressionAttributeValues: { ':t': 'W24', ':r': 'NA' } }), ['m08']);
    await t.doc.send(new DeleteCommand({ TableName: TABLE, Key: { id: 'n1' } }));
    const table = (await t.client.send(new DescribeTableCommand({ TableName: TABLE }))).Table!;
    assert.equal(table.GlobalSecondaryIndexes![0]!.ItemCount, 9);
  });

  it('rejects a wrong type or an empty value for any key attribute, writing nothing', async () => {
    await expectError(
      t.doc.send(new PutCommand({ TableName: TABLE, Item: { id: 'bad', tournament: 'W24', region: 'EU', round: 'FINAL', bracket: 'UPPER', score: 'high' } })),
      'ValidationException', 'One or more parameter values were invalid: Type mismatch for Index Key score Expected: N Actual: S IndexName: by_tournament',
    );
    await expectError(
      t.doc.send(new PutCommand({ TableName: TABLE, Item: { id: 'bad', tournament: 'W24', region: '', round: 'FINAL' } })),
      'ValidationException', /empty string value\. IndexName: by_tournament, IndexKey: region$/,
    );
    // The size limit applies to the sort-key attributes together.
    await expectError(
      t.doc.send(new PutCommand({ TableName: TABLE, Item: { id: 'bad', tournament: 'W24', region: 'EU', round: 'r'.repeat(600), bracket: 'b'.repeat(600), score: 1 } })),
      'ValidationException', 'One or more parameter values were invalid: Aggregated size of all range keys has exceeded the size limit of 1024 bytes',
    );
    const scanned = await t.doc.send(new ScanCommand({ TableName: TABLE, ConsistentRead: true }));
    assert.ok(!scanned.Items!.some((i) => i.id === 'bad'));
  });
});

describe('multi-attribute GSI key schemas: CreateTable and UpdateTable', () => {
  let t: TestContext;
  before(async () => {
    t = await startTestServer();
  });
  after(() => t.close());

  const definitions = (names: string[]): AttributeDefinition[] => names.map((AttributeName) => ({ AttributeName, AttributeType: 'S' }));
  const key = (...parts: string[]): KeySchemaElement[] =>
    parts.map((p) => ({ AttributeName: p.slice(2), KeyType: p.startsWith('H:') ? 'HASH' : 'RANGE' }) as KeySchemaElement);
  const create = (name: string, gsiKey: KeySchemaElement[], attrs: string[]) =>
    t.client.send(new CreateTableCommand({
      TableName: name,
      BillingMode: 'PAY_PER_REQUEST',
      KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
      AttributeDefinitions: definitions(['id', ...attrs]),
      GlobalSecondaryIndexes: [{ IndexName: 'gsi', KeySchema: gsiKey, Projection: { ProjectionType: 'KEYS_ONLY' } }],
    }));

  it('accepts up to four partition and four sort attributes, including two partition attributes alone', async () => {
    const full = key('H:a', 'H:b', 'H:c', 'H:d', 'R:e', 'R:f', 'R:g', 'R:h');
    const created = await create('full', full, ['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h']);
    assert.deepEqual(created.TableDescription!.GlobalSecondaryIndexes![0]!.KeySchema, full);
    await create('twoHash', key('H:a', 'H:b'), ['a', 'b']);
    await t.doc.send(new PutCommand({ TableName: 'twoHash', Item: { id: '1', a: 'x', b: 'y' } }));
    await t.doc.send(new PutCommand({ TableName: 'twoHash', Item: { id: '2', a: 'x', b: 'z' } }));
    const result = await t.doc.send(new QueryCommand({
      TableName: 'twoHash', IndexName: 'gsi', KeyConditionExpression: 'a = :a AND b = :b', ExpressionAttributeValues: { ':a': 'x', ':b': 'y' },
    }));
    assert.deepEqual(result.Items, [{ id: '1', a: 'x', b: 'y' }]);
  });

  it('refuses more than four of a kind, a HASH after a RANGE, repeated names and undefined attributes', async () => {
    const five = ['a', 'b', 'c', 'd', 'e'];
    await expectError(create('badx1', key('H:a', 'H:b', 'H:c', 'H:d', 'H:e'), five), 'ValidationException', 'Invalid KeySchema: The KeySchema exceeds the maximum allowed number of HASH key attributes');
    await expectError(create('badx2', key('H:a', 'R:b', 'R:c', 'R:d', 'R:e', 'R:f'), [...five, 'f']), 'ValidationException', 'Invalid KeySchema: The KeySchema exceeds the maximum allowed number of RANGE key attributes');
    await expectError(create('badx3', key('H:a', 'R:b', 'H:c'), ['a', 'b', 'c']), 'ValidationException', 'Invalid KeySchema: All HASH key attributes must precede RANGE key attributes in the KeySchema');
    await expectError(create('badx4', key('R:a', 'H:b', 'H:c'), ['a', 'b', 'c']), 'ValidationException', 'Invalid KeySchema: The first KeySchemaElement is not a HASH key type');
    await expectError(create('badx5', key('H:a', 'H:b', 'R:a'), ['a', 'b']), 'ValidationException', 'Invalid KeySchema: The attribute a appears more than once in the KeySchema');
    await expectError(
      create('badx6', key('H:a', 'H:b', 'R:c'), ['a', 'b']),
      'ValidationException', 'One or more parameter values were invalid: Some index key attributes are not defined in AttributeDefinitions. Keys: [c], AttributeDefinitions: [id, a, b]',
    );
  });

  it('keeps tables and LSIs to one partition and one sort attribute', async () => {
    const tooBig = /Member must have length less than or equal to 2$/;
    await expectError(
      t.client.send(new CreateTableCommand({
        TableName: 'tableKey', BillingMode: 'PAY_PER_REQUEST', AttributeDefinitions: definitions(['a', 'b', 'c']), KeySchema: key('H:a', 'R:b', 'R:c'),
      })),
      'ValidationException', tooBig,
    );
    await expectError(
      t.client.send(new CreateTableCommand({
        TableName: 'tableKey', BillingMode: 'PAY_PER_REQUEST', AttributeDefinitions: definitions(['a', 'b']), KeySchema: key('H:a', 'H:b'),
      })),
      'ValidationException', 'Invalid KeySchema: The second KeySchemaElement is not a RANGE key type',
    );
    await expectError(
      t.client.send(new CreateTableCommand({
        TableName: 'lsiKey', BillingMode: 'PAY_PER_REQUEST', AttributeDefinitions: definitions(['a', 'b', 'c', 'd']), KeySchema: key('H:a', 'R:b'),
        LocalSecondaryIndexes: [{ IndexName: 'lsi', KeySchema: key('H:a', 'R:c', 'R:d'), Projection: { ProjectionType: 'ALL' } }],
      })),
      'ValidationException', tooBig,
    );
  });

  it('UpdateTable adds a multi-attribute GSI to a live table and backfills only complete items', async () => {
    await t.client.send(new CreateTableCommand({
      TableName: 'live', BillingMode: 'PAY_PER_REQUEST', KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }], AttributeDefinitions: definitions(['id']),
    }));
    await t.doc.send(new PutCommand({ TableName: 'live', Item: { id: '1', org: 'o', dept: 'd', year: 2024, month: 5 } }));
    await t.doc.send(new PutCommand({ TableName: 'live', Item: { id: '2', org: 'o', dept: 'd', year: 2024, month: 3 } }));
    await t.doc.send(new PutCommand({ TableName: 'live', Item: { id: '3', org: 'o', dept: 'd', year: 2023 } }));
    await expectError(
      t.client.send(new UpdateTableCommand({
        TableName: 'live',
        AttributeDefinitions: [{ AttributeName: 'org', AttributeType: 'S' }, { AttributeName: 'dept', AttributeType: 'S' }],
        GlobalSecondaryIndexUpdates: [{ Create: { IndexName: 'bad', KeySchema: key('H:org', 'R:dept', 'H:year'), Projection: { ProjectionType: 'ALL' } } }],
      })),
      'ValidationException', 'Invalid KeySchema: All HASH key attributes must precede RANGE key attributes in the KeySchema',
    );
    await t.client.send(new UpdateTableCommand({
      TableName: 'live',
      AttributeDefinitions: [
        { AttributeName: 'org', AttributeType: 'S' }, { AttributeName: 'dept', AttributeType: 'S' },
        { AttributeName: 'year', AttributeType: 'N' }, { AttributeName: 'month', AttributeType: 'N' },
      ],
      GlobalSecondaryIndexUpdates: [{ Create: { IndexName: 'by_team', KeySchema: key('H:org', 'H:dept', 'R:year', 'R:month'), Projection: { ProjectionType: 'ALL' } } }],
    }));
    let items: Record<string, unknown>[] | undefined;
    for (let i = 0; i < 500 && items === undefined; i++) {
      try {
        items = (await t.doc.send(new QueryCommand({
          TableName: 'live', IndexName: 'by_team', KeyConditionExpression: 'org = :o AND dept = :d AND #year = :y',
          ExpressionAttributeNames: { '#year': 'year' }, ExpressionAttributeValues: { ':o': 'o', ':d': 'd', ':y': 2024 },
        }))).Items;
      } catch (err) {
        if (!/backfilling/.test((err as Error).message)) throw err;
        await new Promise((r) => setTimeout(r, 10));
      }
    }
    assert.deepEqual(items?.map((i) => i.id), ['2', '1']);
  });
});
