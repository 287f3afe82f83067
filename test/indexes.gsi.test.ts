/** Global secondary indexes through the AWS SDK: maintenance, projections, Query/Scan on an index, online creation. */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { CreateTableCommand, DescribeTableCommand, UpdateTableCommand, type TableDescription } from '@aws-sdk/client-dynamodb';
import { DeleteCommand, PutCommand, QueryCommand, ScanCommand, UpdateCommand, paginateQuery } from '@aws-sdk/lib-dynamodb';
import { expectError, startTestServer, type TestContext } from './helpers.js';

async function describeTable(t: TestContext, name: string): Promise<TableDescription> {
  return (await t.client.send(new DescribeTableCommand({ TableName: name }))).Table!;
}

async function waitForIndex(t: TestContext, table: string, index: string, status: 'ACTIVE' | 'GONE'): Promise<TableDescription> {
  for (let i = 0; i < 500; i++) {
    const d = await describeTable(t, table);
    const gsi = d.GlobalSecondaryIndexes?.find((g) => g.IndexName === index);
    if (status === 'GONE' ? gsi === undefined : gsi?.IndexStatus === 'ACTIVE') return d;
    await new Promise((r) => setTimeout(r, 10));
  }
  throw new Error(`index ${index} never became ${status}`);
}

describe('global secondary indexes', () => {
  let t: TestContext;
  before(async () => {
    t = await startTestServer();
  });
  after(() => t.close());

  it('lostcats lab: adds breed_index to a live table and queries it once ACTIVE', async () => {
    await t.client.send(new CreateTableCommand({
      TableName: 'lostcats',
      KeySchema: [{ AttributeName: 'catID', KeyType: 'HASH' }],
      AttributeDefinitions: [{ AttributeName: 'catID', AttributeType: 'S' }],
      BillingMode: 'PAY_PER_REQUEST',
    }));
    const cats = [
      { catID: 'c1', name: 'Tiddles', breed: 'Siamese', age: 3 },
      { catID: 'c2', name: 'Socks', breed: 'Persian', age: 5 },
      { catID: 'c3', name: 'Shadow', breed: 'Siamese', age: 7 },
      { catID: 'c4', name: 'Nameless' },
    ];
    for (const cat of cats) await t.doc.send(new PutCommand({ TableName: 'lostcats', Item: cat }));
    await t.doc.send(new UpdateCommand({ TableName: 'lostcats', Key: { catID: 'c2' }, UpdateExpression: 'SET breed = :b', ExpressionAttributeValues: { ':b': 'Siamese' } }));

    const started = (await t.client.send(new UpdateTableCommand({
      TableName: 'lostcats',
      AttributeDefinitions: [{ AttributeName: 'breed', AttributeType: 'S' }],
      GlobalSecondaryIndexUpdates: [{ Create: { IndexName: 'breed_index', KeySchema: [{ AttributeName: 'breed', KeyType: 'HASH' }], Projection: { ProjectionType: 'ALL' } } }],
    }))).TableDescription!;
    const creating = started.GlobalSecondaryIndexes![0]!;
    assert.equal(creating.IndexStatus, 'CREATING');
    assert.equal(creating.Backfilling, true);
    assert.deepEqual(started.AttributeDefinitions!.map((d) => d.AttributeName).sort(), ['breed', 'catID']);

    const d = await waitForIndex(t, 'lostcats', 'breed_index', 'ACTIVE');
    const gsi = d.GlobalSecondaryIndexes![0]!;
    assert.equal(gsi.Backfilling, undefined);
    assert.equal(gsi.ItemCount, 3); // the nameless cat has no breed: sparse
    assert.ok(gsi.IndexSizeBytes! > 0);
    assert.equal(gsi.IndexArn, `${d.TableArn}/index/breed_index`);
    assert.deepEqual(gsi.ProvisionedThroughput, { NumberOfDecreasesToday: 0, ReadCapacityUnits: 0, WriteCapacityUnits: 0 });

    const siamese = await t.doc.send(new QueryCommand({
      TableName: 'lostcats', IndexName: 'breed_index', KeyConditionExpression: 'breed = :b', ExpressionAttributeValues: { ':b': 'Siamese' },
    }));
    assert.deepEqual(siamese.Items!.map((c) => c.catID).sort(), ['c1', 'c2', 'c3']);
    assert.equal(siamese.Items!.find((c) => c.catID === 'c3')!.name, 'Shadow');
    const persian = await t.doc.send(new QueryCommand({
      TableName: 'lostcats', IndexName: 'breed_index', KeyConditionExpression: 'breed = :b', ExpressionAttributeValues: { ':b': 'Persian' },
    }));
    assert.equal(persian.Count, 0);
  });

  it('refuses to read an index that is still backfilling', async () => {
    await t.client.send(new CreateTableCommand({
      TableName: 'busy', KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
      AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }], BillingMode: 'PAY_PER_REQUEST',
    }));
    await Promise.all(Array.from({ length: 1500 }, (_, i) => t.doc.send(new PutCommand({ TableName: 'busy', Item: { id: `i${i}`, g: `g${i % 3}` } }))));
    await t.client.send(new UpdateTableCommand({
      TableName: 'busy', AttributeDefinitions: [{ AttributeName: 'g', AttributeType: 'S' }],
      GlobalSecondaryIndexUpdates: [{ Create: { IndexName: 'g_index', KeySchema: [{ AttributeName: 'g', KeyType: 'HASH' }], Projection: { ProjectionType: 'KEYS_ONLY' } } }],
    }));
    await expectError(
      t.doc.send(new QueryCommand({ TableName: 'busy', IndexName: 'g_index', KeyConditionExpression: 'g = :g', ExpressionAttributeValues: { ':g': 'g1' } })),
      'ValidationException', 'Cannot read from backfilling global secondary index: g_index');
    await waitForIndex(t, 'busy', 'g_index', 'ACTIVE');
    const page = await t.doc.send(new QueryCommand({ TableName: 'busy', IndexName: 'g_index', KeyConditionExpression: 'g = :g', ExpressionAttributeValues: { ':g': 'g1' } }));
    assert.equal(page.Count, 500);
  });

  describe('on a table created with indexes', () => {
    before(async () => {
      await t.client.send(new CreateTableCommand({
        TableName: 'players',
        KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
        AttributeDefinitions: [
          { AttributeName: 'id', AttributeType: 'S' },
          { AttributeName: 'team', AttributeType: 'S' },
          { AttributeName: 'score', AttributeType: 'N' },
          { AttributeName: 'badge', AttributeType: 'S' },
        ],
        BillingMode: 'PROVISIONED',
        ProvisionedThroughput: { ReadCapacityUnits: 5, WriteCapacityUnits: 5 },
        GlobalSecondaryIndexes: [
          { IndexName: 'by_team', KeySchema: [{ AttributeName: 'team', KeyType: 'HASH' }, { AttributeName: 'score', KeyType: 'RANGE' }],
            Projection: { ProjectionType: 'INCLUDE', NonKeyAttributes: ['nick'] }, ProvisionedThroughput: { ReadCapacityUnits: 3, WriteCapacityUnits: 2 } },
          { IndexName: 'badges', KeySchema: [{ AttributeName: 'badge', KeyType: 'HASH' }],
            Projection: { ProjectionType: 'KEYS_ONLY' }, ProvisionedThroughput: { ReadCapacityUnits: 1, WriteCapacityUnits: 1 } },
          { IndexName: 'everything', KeySchema: [{ AttributeName: 'team', KeyType: 'HASH' }],
            Projection: { ProjectionType: 'ALL' }, ProvisionedThroughput: { ReadCapacityUnits: 1, WriteCapacityUnits: 1 } },
        ],
      }));
      await t.doc.send(new PutCommand({ TableName: 'players', Item: { id: 'p1', team: 'red', score: 10, nick: 'ace', bio: 'long text', badge: 'gold' } }));
      await t.doc.send(new PutCommand({ TableName: 'players', Item: { id: 'p2', team: 'red', score: 30, nick: 'bo', bio: 'more' } }));
      await t.doc.send(new PutCommand({ TableName: 'players', Item: { id: 'p3', team: 'blue', score: 20, nick: 'cy' } }));
    });

    const byTeam = (team: string, extra: Record<string, unknown> = {}) =>
      t.doc.send(new QueryCommand({ TableName: 'players', IndexName: 'by_team', KeyConditionExpression: 'team = :t', ExpressionAttributeValues: { ':t': team }, ...extra }));

    it('stores exactly the projected attributes (INCLUDE, KEYS_ONLY, ALL)', async () => {
      const red = await byTeam('red');
      assert.deepEqual(red.Items, [
        { id: 'p1', team: 'red', score: 10, nick: 'ace' },
        { id: 'p2', team: 'red', score: 30, nick: 'bo' },
      ]);
      const gold = await t.doc.send(new QueryCommand({ TableName: 'players', IndexName: 'badges', KeyConditionExpression: 'badge = :b', ExpressionAttributeValues: { ':b': 'gold' } }));
      assert.deepEqual(gold.Items, [{ id: 'p1', badge: 'gold' }]);
      const all = await t.doc.send(new QueryCommand({ TableName: 'players', IndexName: 'everything', KeyConditionExpression: 'team = :t', ExpressionAttributeValues: { ':t': 'red' } }));
      assert.deepEqual(all.Items!.find((p) => p.id === 'p1'), { id: 'p1', team: 'red', score: 10, nick: 'ace', bio: 'long text', badge: 'gold' });
      const selected = await byTeam('red', { Select: 'ALL_PROJECTED_ATTRIBUTES', ScanIndexForward: false });
      assert.deepEqual(selected.Items!.map((p) => p.id), ['p2', 'p1']);
    });

    it('rejects reading what a GSI does not project, and consistent reads', async () => {
      await expectError(byTeam('red', { ProjectionExpression: 'nick, bio, badge' }), 'ValidationException',
        'One or more parameter values were invalid: Global secondary index by_team does not project [bio, badge]');
      await expectError(byTeam('red', { Select: 'ALL_ATTRIBUTES' }), 'ValidationException',
        'One or more parameter values were invalid: Select type ALL_ATTRIBUTES is not supported for global secondary index by_team because its projection type is not ALL');
      await expectError(byTeam('red', { ConsistentRead: true }), 'ValidationException', 'Consistent reads are not supported on global secondary indexes');
      const nicks = await byTeam('red', { ProjectionExpression: 'nick' });
      assert.deepEqual(nicks.Items, [{ nick: 'ace' }, { nick: 'bo' }]);
      await expectError(
        t.doc.send(new QueryCommand({ TableName: 'players', IndexName: 'nope', KeyConditionExpression: 'team = :t', ExpressionAttributeValues: { ':t': 'red' } })),
        'ValidationException', 'The table does not have the specified index: nope');
    });

    it('moves entries when an index key changes, and drops them when it goes away (sparse)', async () => {
      await t.doc.send(new UpdateCommand({ TableName: 'players', Key: { id: 'p1' }, UpdateExpression: 'SET team = :t, score = :s REMOVE badge', ExpressionAttributeValues: { ':t': 'blue', ':s': 5 } }));
      assert.deepEqual((await byTeam('red')).Items!.map((p) => p.id), ['p2']);
      assert.deepEqual((await byTeam('blue')).Items!.map((p) => [p.id, p.score]), [['p1', 5], ['p3', 20]]);
      const badges = await t.doc.send(new ScanCommand({ TableName: 'players', IndexName: 'badges' }));
      assert.equal(badges.Count, 0);
      await t.doc.send(new UpdateCommand({ TableName: 'players', Key: { id: 'p3' }, UpdateExpression: 'REMOVE score' }));
      assert.deepEqual((await byTeam('blue')).Items!.map((p) => p.id), ['p1']); // by_team needs both key attributes
      await t.doc.send(new DeleteCommand({ TableName: 'players', Key: { id: 'p1' } }));
      assert.equal((await byTeam('blue')).Count, 0);
      const d = await describeTable(t, 'players');
      const stats = Object.fromEntries(d.GlobalSecondaryIndexes!.map((g) => [g.IndexName, g.ItemCount]));
      assert.deepEqual(stats, { by_team: 1, badges: 0, everything: 2 });
    });

    it('rejects index key values of the wrong type or empty, writing nothing', async () => {
      await expectError(t.doc.send(new PutCommand({ TableName: 'players', Item: { id: 'bad', team: 'red', score: 'high' } })), 'ValidationException',
        'One or more parameter values were invalid: Type mismatch for Index Key score Expected: N Actual: S IndexName: by_team');
      await expectError(t.doc.send(new PutCommand({ TableName: 'players', Item: { id: 'bad', badge: '' } })), 'ValidationException',
        'One or more parameter values are not valid. A value specified for a secondary index key is not supported. The AttributeValue for a key attribute cannot contain an empty string value. IndexName: badges, IndexKey: badge');
      await expectError(t.doc.send(new UpdateCommand({ TableName: 'players', Key: { id: 'p2' }, UpdateExpression: 'SET team = :n', ExpressionAttributeValues: { ':n': 7 } })),
        'ValidationException', 'One or more parameter values were invalid: Type mismatch for Index Key team Expected: S Actual: N IndexName: by_team');
      const scan = await t.doc.send(new ScanCommand({ TableName: 'players' }));
      assert.equal(scan.Items!.some((p) => p.id === 'bad'), false);
      assert.equal(scan.Items!.find((p) => p.id === 'p2')!.team, 'red');
    });

    it('describes every index completely', async () => {
      const d = await describeTable(t, 'players');
      const byTeamIndex = d.GlobalSecondaryIndexes!.find((g) => g.IndexName === 'by_team')!;
      assert.deepEqual(byTeamIndex.KeySchema, [{ AttributeName: 'team', KeyType: 'HASH' }, { AttributeName: 'score', KeyType: 'RANGE' }]);
      assert.deepEqual(byTeamIndex.Projection, { ProjectionType: 'INCLUDE', NonKeyAttributes: ['nick'] });
      assert.equal(byTeamIndex.IndexStatus, 'ACTIVE');
      assert.deepEqual(byTeamIndex.ProvisionedThroughput, { NumberOfDecreasesToday: 0, ReadCapacityUnits: 3, WriteCapacityUnits: 2 });
      assert.equal(byTeamIndex.IndexArn, 'arn:aws:dynamodb:us-east-1:000000000000:table/players/index/by_team');
      assert.equal(d.LocalSecondaryIndexes, undefined);
      const updated = (await t.client.send(new UpdateTableCommand({
        TableName: 'players', GlobalSecondaryIndexUpdates: [{ Update: { IndexName: 'by_team', ProvisionedThroughput: { ReadCapacityUnits: 6, WriteCapacityUnits: 2 } } }],
      }))).TableDescription!;
      assert.equal(updated.GlobalSecondaryIndexes!.find((g) => g.IndexName === 'by_team')!.ProvisionedThroughput!.ReadCapacityUnits, 6);
    });
  });

  it('pages through many equal index keys in base-key order without losing or repeating items', async () => {
    await t.client.send(new CreateTableCommand({
      TableName: 'events', KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }, { AttributeName: 'sk', KeyType: 'RANGE' }],
      AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }, { AttributeName: 'sk', AttributeType: 'N' }, { AttributeName: 'kind', AttributeType: 'S' }],
      BillingMode: 'PAY_PER_REQUEST',
      GlobalSecondaryIndexes: [{ IndexName: 'by_kind', KeySchema: [{ AttributeName: 'kind', KeyType: 'HASH' }], Projection: { ProjectionType: 'KEYS_ONLY' } }],
    }));
    const keys: string[] = [];
    for (let i = 0; i < 60; i++) {
      await t.doc.send(new PutCommand({ TableName: 'events', Item: { pk: `p${i % 7}`, sk: i, kind: 'click' } }));
      keys.push(`p${i % 7}/${i}`);
    }
    const seen: string[] = [];
    let pages = 0;
    for await (const page of paginateQuery({ client: t.doc, pageSize: 7 }, {
      TableName: 'events', IndexName: 'by_kind', KeyConditionExpression: 'kind = :k', ExpressionAttributeValues: { ':k': 'click' },
    })) {
      pages++;
      if (page.LastEvaluatedKey) assert.deepEqual(Object.keys(page.LastEvaluatedKey).sort(), ['kind', 'pk', 'sk']);
      for (const item of page.Items!) seen.push(`${item.pk}/${item.sk}`);
    }
    assert.equal(pages, 9);
    assert.deepEqual([...seen].sort(), [...keys].sort());
    assert.equal(new Set(seen).size, 60);
    // Within one index key, entries follow the base key: pk, then sk numerically.
    const order = seen.map((k) => k.split('/')).map(([pk, sk]) => [pk!, Number(sk)] as const);
    for (let i = 1; i < order.length; i++) {
      const [a, b] = [order[i - 1]!, order[i]!];
      assert.ok(a[0] !== b[0] || a[1] < b[1], `${a} before ${b}`);
    }
    await expectError(
      t.doc.send(new QueryCommand({ TableName: 'events', IndexName: 'by_kind', KeyConditionExpression: 'kind = :k', ExpressionAttributeValues: { ':k': 'click' }, ExclusiveStartKey: { kind: 'click' } })),
      'ValidationException');
  });

  it('deletes an index: DELETING, then gone, and its entries purged', async () => {
    const d = (await t.client.send(new UpdateTableCommand({ TableName: 'events', GlobalSecondaryIndexUpdates: [{ Delete: { IndexName: 'by_kind' } }] }))).TableDescription!;
    assert.equal(d.GlobalSecondaryIndexes![0]!.IndexStatus, 'DELETING');
    const gone = await waitForIndex(t, 'events', 'by_kind', 'GONE');
    assert.equal(gone.GlobalSecondaryIndexes, undefined);
    assert.deepEqual(gone.AttributeDefinitions!.map((a) => a.AttributeName).sort(), ['pk', 'sk']);
    await expectError(
      t.doc.send(new QueryCommand({ TableName: 'events', IndexName: 'by_kind', KeyConditionExpression: 'kind = :k', ExpressionAttributeValues: { ':k': 'click' } })),
      'ValidationException', 'The table does not have the specified index: by_kind');
    // Writes after the drop still work and the index can come back under the same name.
    await t.doc.send(new PutCommand({ TableName: 'events', Item: { pk: 'x', sk: 1, kind: 'view' } }));
    await t.client.send(new UpdateTableCommand({
      TableName: 'events', AttributeDefinitions: [{ AttributeName: 'kind', AttributeType: 'S' }],
      GlobalSecondaryIndexUpdates: [{ Create: { IndexName: 'by_kind', KeySchema: [{ AttributeName: 'kind', KeyType: 'HASH' }], Projection: { ProjectionType: 'KEYS_ONLY' } } }],
    }));
    const again = await waitForIndex(t, 'events', 'by_kind', 'ACTIVE');
    assert.equal(again.GlobalSecondaryIndexes![0]!.ItemCount, 61);
  });
});
