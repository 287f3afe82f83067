/** Local secondary indexes: the seed's Music table, base-item fetches, item collections. */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { CreateTableCommand, DescribeTableCommand } from '@aws-sdk/client-dynamodb';
import { DeleteCommand, PutCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { Database } from '../src/engine/database.js';
import { MemoryStore } from '../src/storage/memory.js';
import { DynamoError } from '../src/errors.js';
import { expectError, startTestServer, type TestContext } from './helpers.js';

describe('local secondary indexes', () => {
  let t: TestContext;
  before(async () => {
    t = await startTestServer();
    await t.client.send(new CreateTableCommand({
      TableName: 'Music',
      KeySchema: [{ AttributeName: 'Artist', KeyType: 'HASH' }, { AttributeName: 'SongTitle', KeyType: 'RANGE' }],
      AttributeDefinitions: [
        { AttributeName: 'Artist', AttributeType: 'S' },
        { AttributeName: 'SongTitle', AttributeType: 'S' },
        { AttributeName: 'AlbumTitle', AttributeType: 'S' },
        { AttributeName: 'Genre', AttributeType: 'S' },
      ],
      BillingMode: 'PAY_PER_REQUEST',
      LocalSecondaryIndexes: [{
        IndexName: 'ArtistAlbumTitle',
        KeySchema: [{ AttributeName: 'Artist', KeyType: 'HASH' }, { AttributeName: 'AlbumTitle', KeyType: 'RANGE' }],
        Projection: { ProjectionType: 'INCLUDE', NonKeyAttributes: ['Genre'] },
      }],
      GlobalSecondaryIndexes: [{
        IndexName: 'GenreAlbumTitle',
        KeySchema: [{ AttributeName: 'Genre', KeyType: 'HASH' }, { AttributeName: 'AlbumTitle', KeyType: 'RANGE' }],
        Projection: { ProjectionType: 'ALL' },
      }],
    }));
    const songs = [
      { Artist: 'No One You Know', SongTitle: 'My Dog Spot', AlbumTitle: 'Hey Now', Genre: 'Country', Price: 1.98 },
      { Artist: 'No One You Know', SongTitle: 'Somewhere Down The Road', AlbumTitle: 'Somewhat Famous', Genre: 'Country', Year: 1984 },
      { Artist: 'The Acme Band', SongTitle: 'Still in Love', AlbumTitle: 'The Buck Starts Here', Genre: 'Rock', Price: 2.47 },
      { Artist: 'The Acme Band', SongTitle: 'Look Out, World', AlbumTitle: 'The Buck Starts Here', Genre: 'Rock', Price: 0.99 },
    ];
    for (const song of songs) await t.doc.send(new PutCommand({ TableName: 'Music', Item: song }));
  });
  after(() => t.close());

  const byAlbum = (extra: Record<string, unknown> = {}) => t.doc.send(new QueryCommand({
    TableName: 'Music', IndexName: 'ArtistAlbumTitle', KeyConditionExpression: 'Artist = :a AND begins_with(AlbumTitle, :p)',
    ExpressionAttributeValues: { ':a': 'No One You Know', ':p': 'S' }, ReturnConsumedCapacity: 'TOTAL', ...extra,
  }));

  it('serves projected attributes from the index and fetches the rest from the table (and charges for it)', async () => {
    const projected = await byAlbum();
    assert.deepEqual(projected.Items, [{ Artist: 'No One You Know', SongTitle: 'Somewhere Down The Road', AlbumTitle: 'Somewhat Famous', Genre: 'Country' }]);
    const fetched = await byAlbum({ ProjectionExpression: 'SongTitle, #y', ExpressionAttributeNames: { '#y': 'Year' } });
    assert.deepEqual(fetched.Items, [{ SongTitle: 'Somewhere Down The Road', Year: 1984 }]);
    const everything = await byAlbum({ Select: 'ALL_ATTRIBUTES', ConsistentRead: true });
    assert.equal(everything.Items![0]!.Year, 1984);
    assert.equal(everything.ConsumedCapacity!.CapacityUnits, 1);
    assert.equal(projected.ConsumedCapacity!.CapacityUnits, 0.5);
  });

  it('queries the seed GSI and keeps both indexes in step with writes', async () => {
    const rock = await t.doc.send(new QueryCommand({
      TableName: 'Music', IndexName: 'GenreAlbumTitle', KeyConditionExpression: 'Genre = :g', ExpressionAttributeValues: { ':g': 'Rock' },
    }));
    assert.deepEqual(rock.Items!.map((s) => s.SongTitle), ['Look Out, World', 'Still in Love']); // equal index keys: base key order
    await t.doc.send(new UpdateCommand({ TableName: 'Music', Key: { Artist: 'No One You Know', SongTitle: 'My Dog Spot' }, UpdateExpression: 'SET AlbumTitle = :t', ExpressionAttributeValues: { ':t': 'Sit' } }));
    assert.deepEqual((await byAlbum()).Items!.map((s) => s.AlbumTitle), ['Sit', 'Somewhat Famous']);
    const d = (await t.client.send(new DescribeTableCommand({ TableName: 'Music' }))).Table!;
    const lsi = d.LocalSecondaryIndexes![0]!;
    assert.equal(lsi.IndexName, 'ArtistAlbumTitle');
    assert.equal(lsi.ItemCount, 4);
    assert.ok(lsi.IndexSizeBytes! > 0 && lsi.IndexSizeBytes! < d.TableSizeBytes!);
    assert.equal(lsi.IndexArn, `${d.TableArn}/index/ArtistAlbumTitle`);
    assert.equal((lsi as Record<string, unknown>).IndexStatus, undefined);
  });

  it('returns ItemCollectionMetrics for writes when asked', async () => {
    const put = await t.doc.send(new PutCommand({
      TableName: 'Music', Item: { Artist: 'Solo', SongTitle: 'One', AlbumTitle: 'First' }, ReturnItemCollectionMetrics: 'SIZE',
    }));
    assert.deepEqual(put.ItemCollectionMetrics, { ItemCollectionKey: { Artist: 'Solo' }, SizeEstimateRangeGB: [0, 1] });
    const upd = await t.doc.send(new UpdateCommand({
      TableName: 'Music', Key: { Artist: 'Solo', SongTitle: 'One' }, UpdateExpression: 'SET Genre = :g', ExpressionAttributeValues: { ':g': 'Pop' }, ReturnItemCollectionMetrics: 'SIZE',
    }));
    assert.deepEqual(upd.ItemCollectionMetrics!.ItemCollectionKey, { Artist: 'Solo' });
    const del = await t.doc.send(new DeleteCommand({ TableName: 'Music', Key: { Artist: 'Solo', SongTitle: 'One' }, ReturnItemCollectionMetrics: 'SIZE' }));
    assert.deepEqual(del.ItemCollectionMetrics!.SizeEstimateRangeGB, [0, 1]);
    const none = await t.doc.send(new PutCommand({ TableName: 'Music', Item: { Artist: 'Solo', SongTitle: 'Two' } }));
    assert.equal(none.ItemCollectionMetrics, undefined);
  });

  it('rejects a Query key condition on the table sort key when reading the LSI', async () => {
    await expectError(t.doc.send(new QueryCommand({
      TableName: 'Music', IndexName: 'ArtistAlbumTitle', KeyConditionExpression: 'Artist = :a AND SongTitle = :s', ExpressionAttributeValues: { ':a': 'x', ':s': 'y' },
    })), 'ValidationException');
  });
});

describe('item collection size limit', () => {
  it('refuses writes that grow a collection past the limit, and tracks shrinking', async () => {
    const db = await Database.open(new MemoryStore(), { region: 'us-east-1', accountId: '000000000000', delayTransientStatuses: false, itemCollectionLimitBytes: 1000 });
    await db.createTable({
      name: 'c',
      keySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }, { AttributeName: 'sk', KeyType: 'RANGE' }],
      attributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }, { AttributeName: 'sk', AttributeType: 'S' }, { AttributeName: 'l', AttributeType: 'S' }],
      billingMode: 'PAY_PER_REQUEST',
      provisioned: { read: 0, write: 0, decreasesToday: 0 },
      tableClass: 'STANDARD',
      deletionProtection: false,
      tags: [],
      indexes: [{ name: 'lsi', no: 1, kind: 'LSI', keySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }, { AttributeName: 'l', KeyType: 'RANGE' }], projection: { ProjectionType: 'ALL' }, status: 'ACTIVE' }],
      nextIndexNo: 2,
    });
    const table = db.table('c');
    const item = (sk: string) => ({ pk: { S: 'a' }, sk: { S: sk }, l: { S: 'x' }, pad: { S: 'p'.repeat(200) } });
    const first = await db.writeItem(table, item('1'), () => item('1'));
    assert.ok(first.collectionBytes! > 400 && first.collectionBytes! < 500); // item + its LSI entry
    await db.writeItem(table, item('2'), () => item('2'));
    await assert.rejects(db.writeItem(table, item('3'), () => item('3')), (err: unknown) =>
      err instanceof DynamoError && err.code === 'ItemCollectionSizeLimitExceededException');
    // Another partition key value has its own collection; shrinking is always allowed.
    await db.writeItem(table, { ...item('3'), pk: { S: 'b' } }, () => ({ ...item('3'), pk: { S: 'b' } }));
    const shrunk = await db.writeItem(table, item('2'), () => undefined);
    assert.equal(shrunk.collectionBytes, first.collectionBytes);
    await db.writeItem(table, item('3'), () => item('3'));
  });
});
