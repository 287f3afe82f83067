/** DynamoDB Streams through @aws-sdk/client-dynamodb-streams: configuration, records, shards, iterators. */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  BatchWriteItemCommand, CreateTableCommand, DeleteItemCommand, DescribeTableCommand, PutItemCommand,
  TransactWriteItemsCommand, UpdateItemCommand, UpdateTableCommand,
} from '@aws-sdk/client-dynamodb';
import {
  DescribeStreamCommand, GetRecordsCommand, GetShardIteratorCommand, ListStreamsCommand, type DynamoDBStreamsClient,
} from '@aws-sdk/client-dynamodb-streams';
import { expectError, rawRequest, startTestServer, type TestContext } from './helpers.js';
import { allShards, createStreamTable, readShard, readStream, streamsClient } from './streams.helpers.js';

let t: TestContext;
let streams: DynamoDBStreamsClient;

before(async () => {
  t = await startTestServer();
  streams = streamsClient(t.server.url);
});
after(async () => {
  streams.destroy();
  await t.close();
});

describe('stream configuration', () => {
  it('CreateTable and DescribeTable report the stream', async () => {
    const arn = await createStreamTable(t.client, 'cfg1', 'NEW_IMAGE');
    assert.match(arn!, /^arn:aws:dynamodb:us-east-1:000000000000:table\/cfg1\/stream\/\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}$/);
    const d = (await t.client.send(new DescribeTableCommand({ TableName: 'cfg1' }))).Table!;
    assert.deepEqual(d.StreamSpecification, { StreamEnabled: true, StreamViewType: 'NEW_IMAGE' });
    assert.equal(d.LatestStreamArn, arn);
    assert.equal(d.LatestStreamLabel, arn!.split('/stream/')[1]);
  });

  it('refuses a view type on a disabled stream and a missing one on an enabled stream', async () => {
    await expectError(t.client.send(new CreateTableCommand({
      TableName: 'cfg-bad', BillingMode: 'PAY_PER_REQUEST',
      KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }], AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }],
      StreamSpecification: { StreamEnabled: false, StreamViewType: 'KEYS_ONLY' },
    })), 'ValidationException', 'One or more parameter values were invalid: Table is being created with a stream disabled, UpdateViewType should not be specified');
    await createStreamTable(t.client, 'cfg2', undefined);
    await expectError(t.client.send(new UpdateTableCommand({ TableName: 'cfg2', StreamSpecification: { StreamEnabled: true } })), 'ValidationException');
  });

  it('enables, refuses a second enable or a view type change, disables, and re-enables with a new label', async () => {
    await t.client.send(new UpdateTableCommand({ TableName: 'cfg2', StreamSpecification: { StreamEnabled: true, StreamViewType: 'KEYS_ONLY' } }));
    await expectError(t.client.send(new UpdateTableCommand({ TableName: 'cfg2', StreamSpecification: { StreamEnabled: true, StreamViewType: 'OLD_IMAGE' } })),
      'ValidationException', 'Table already has an enabled stream: TableName: cfg2');
    const first = (await t.client.send(new DescribeTableCommand({ TableName: 'cfg2' }))).Table!.LatestStreamArn!;
    const disabled = (await t.client.send(new UpdateTableCommand({ TableName: 'cfg2', StreamSpecification: { StreamEnabled: false } }))).TableDescription!;
    assert.equal(disabled.StreamSpecification, undefined);
    assert.equal(disabled.LatestStreamArn, first);
    await expectError(t.client.send(new UpdateTableCommand({ TableName: 'cfg2', StreamSpecification: { StreamEnabled: false } })), 'ValidationException');
    const { StreamDescription: old } = await streams.send(new DescribeStreamCommand({ StreamArn: first }));
    assert.equal(old!.StreamStatus, 'DISABLED');
    assert.ok(old!.Shards!.every((s) => s.SequenceNumberRange!.EndingSequenceNumber !== undefined), 'a disabled stream has only closed shards');
    const again = (await t.client.send(new UpdateTableCommand({ TableName: 'cfg2', StreamSpecification: { StreamEnabled: true, StreamViewType: 'NEW_IMAGE' } }))).TableDescription!;
    assert.notEqual(again.LatestStreamArn, first);
    const listed = (await streams.send(new ListStreamsCommand({ TableName: 'cfg2' }))).Streams!;
    assert.deepEqual(listed.map((s) => s.StreamArn), [first, again.LatestStreamArn]);
    assert.equal((await streams.send(new DescribeStreamCommand({ StreamArn: again.LatestStreamArn }))).StreamDescription!.StreamStatus, 'ENABLED');
  });

  it('ListStreams pages with Limit and ExclusiveStartStreamArn, and refuses an unknown table', async () => {
    const all = (await streams.send(new ListStreamsCommand({}))).Streams!;
    assert.ok(all.length >= 3);
    const first = await streams.send(new ListStreamsCommand({ Limit: 1 }));
    assert.equal(first.Streams!.length, 1);
    assert.equal(first.LastEvaluatedStreamArn, all[0]!.StreamArn);
    const rest = await streams.send(new ListStreamsCommand({ ExclusiveStartStreamArn: first.LastEvaluatedStreamArn }));
    assert.deepEqual(rest.Streams, all.slice(1));
    await expectError(streams.send(new ListStreamsCommand({ TableName: 'no-such-table' })), 'ResourceNotFoundException');
  });
});

describe('stream records', () => {
  let arn: string;
  before(async () => {
    arn = (await createStreamTable(t.client, 'rec', 'NEW_AND_OLD_IMAGES'))!;
  });

  it('records real changes only, with DynamoDB\'s record shape', async () => {
    const key = { pk: { S: 'a' } };
    await t.client.send(new PutItemCommand({ TableName: 'rec', Item: { ...key, v: { N: '1' } } }));
    await t.client.send(new PutItemCommand({ TableName: 'rec', Item: { v: { N: '1' }, ...key } })); // identical: none
    await t.client.send(new UpdateItemCommand({ TableName: 'rec', Key: key, UpdateExpression: 'SET v = :v', ExpressionAttributeValues: { ':v': { N: '2' } } }));
    await t.client.send(new UpdateItemCommand({ TableName: 'rec', Key: key, UpdateExpression: 'SET v = :v', ExpressionAttributeValues: { ':v': { N: '2.0' } } })); // same value: none
    await t.client.send(new DeleteItemCommand({ TableName: 'rec', Key: key }));
    await t.client.send(new DeleteItemCommand({ TableName: 'rec', Key: key })); // missing: none
    const records = await readStream(streams, arn);
    assert.deepEqual(records.map((r) => r.eventName), ['INSERT', 'MODIFY', 'REMOVE']);
    const [insert, modify, remove] = records;
    for (const r of records) {
      assert.equal(r.eventVersion, '1.1');
      assert.equal(r.eventSource, 'aws:dynamodb');
      assert.equal(r.awsRegion, 'us-east-1');
      assert.match(r.eventID!, /^[0-9a-f]{32}$/);
      assert.match(r.dynamodb!.SequenceNumber!, /^\d{21,}$/);
      assert.equal(r.dynamodb!.StreamViewType, 'NEW_AND_OLD_IMAGES');
      assert.deepEqual(r.dynamodb!.Keys, key);
      assert.ok(r.dynamodb!.SizeBytes! > 0);
      assert.ok(r.dynamodb!.ApproximateCreationDateTime instanceof Date);
      assert.ok(Math.abs(r.dynamodb!.ApproximateCreationDateTime.getTime() - Date.now()) < 60_000);
      assert.equal(r.userIdentity, undefined);
    }
    assert.deepEqual(insert!.dynamodb!.NewImage, { pk: { S: 'a' }, v: { N: '1' } });
    assert.equal(insert!.dynamodb!.OldImage, undefined);
    assert.deepEqual(modify!.dynamodb!.OldImage, { pk: { S: 'a' }, v: { N: '1' } });
    assert.deepEqual(modify!.dynamodb!.NewImage, { pk: { S: 'a' }, v: { N: '2' } });
    assert.deepEqual(remove!.dynamodb!.OldImage, { pk: { S: 'a' }, v: { N: '2' } });
    assert.equal(remove!.dynamodb!.NewImage, undefined);
    const seqs = records.map((r) => BigInt(r.dynamodb!.SequenceNumber!));
    assert.ok(seqs[0]! < seqs[1]! && seqs[1]! < seqs[2]!);
    assert.equal(new Set(records.map((r) => r.eventID)).size, 3);
  });

  it('BatchWriteItem and TransactWriteItems write records', async () => {
    await t.client.send(new BatchWriteItemCommand({ RequestItems: { rec: [
      { PutRequest: { Item: { pk: { S: 'b1' } } } }, { PutRequest: { Item: { pk: { S: 'b2' } } } },
    ] } }));
    await t.client.send(new TransactWriteItemsCommand({ TransactItems: [
      { Put: { TableName: 'rec', Item: { pk: { S: 't1' } } } },
      { Delete: { TableName: 'rec', Key: { pk: { S: 'b1' } } } },
      { ConditionCheck: { TableName: 'rec', Key: { pk: { S: 'b2' } }, ConditionExpression: 'attribute_exists(pk)' } },
    ] }));
    const records = (await readStream(streams, arn)).filter((r) => r.dynamodb!.Keys!.pk!.S !== 'a');
    const events = records.map((r) => `${r.eventName}:${r.dynamodb!.Keys!.pk!.S}`).sort();
    assert.deepEqual(events, ['INSERT:b1', 'INSERT:b2', 'INSERT:t1', 'REMOVE:b1']);
  });

  for (const viewType of ['KEYS_ONLY', 'NEW_IMAGE', 'OLD_IMAGE', 'NEW_AND_OLD_IMAGES'] as const) {
    it(`filters images for ${viewType}`, async () => {
      const table = `view-${viewType.toLowerCase().replace(/_/g, '-')}`;
      const streamArn = (await createStreamTable(t.client, table, viewType))!;
      const key = { pk: { S: 'k' } };
      await t.client.send(new PutItemCommand({ TableName: table, Item: { ...key, a: { S: 'one' } } }));
      await t.client.send(new PutItemCommand({ TableName: table, Item: { ...key, a: { S: 'two' } } }));
      const [, modify] = await readStream(streams, streamArn);
      const wantsNew = viewType === 'NEW_IMAGE' || viewType === 'NEW_AND_OLD_IMAGES';
      const wantsOld = viewType === 'OLD_IMAGE' || viewType === 'NEW_AND_OLD_IMAGES';
      assert.deepEqual(modify!.dynamodb!.Keys, key);
      assert.deepEqual(modify!.dynamodb!.NewImage, wantsNew ? { ...key, a: { S: 'two' } } : undefined);
      assert.deepEqual(modify!.dynamodb!.OldImage, wantsOld ? { ...key, a: { S: 'one' } } : undefined);
      assert.equal(modify!.dynamodb!.StreamViewType, viewType);
    });
  }
});

describe('shards and iterators', () => {
  let arn: string;
  before(async () => {
    arn = (await createStreamTable(t.client, 'shards', 'KEYS_ONLY', true))!;
  });

  it('spreads partition keys over several shards, one key always in one shard', async () => {
    for (let i = 0; i < 40; i++) {
      for (let s = 0; s < 2; s++) await t.client.send(new PutItemCommand({ TableName: 'shards', Item: { pk: { S: `p${i}` }, sk: { N: String(s) } } }));
    }
    const shards = await allShards(streams, arn);
    assert.equal(shards.length, 4);
    const shardOfKey = new Map<string, string>();
    let total = 0;
    for (const shard of shards) {
      assert.match(shard.ShardId!, /^shardId-\d{20}-[0-9a-f]{8}$/);
      assert.equal(shard.SequenceNumberRange!.EndingSequenceNumber, undefined);
      const records = await readShard(streams, arn, shard.ShardId!, 7);
      total += records.length;
      for (const r of records) {
        const pk = r.dynamodb!.Keys!.pk!.S!;
        assert.equal(shardOfKey.get(pk) ?? shard.ShardId, shard.ShardId, `${pk} is in one shard`);
        shardOfKey.set(pk, shard.ShardId!);
      }
    }
    assert.equal(total, 80);
    assert.ok(new Set(shardOfKey.values()).size > 1, 'keys land in more than one shard');
    const page = await streams.send(new DescribeStreamCommand({ StreamArn: arn, Limit: 3 }));
    assert.equal(page.StreamDescription!.Shards!.length, 3);
    assert.equal(page.StreamDescription!.LastEvaluatedShardId, shards[2]!.ShardId);
  });

  it('rolls shards over: parents close, children carry on, a closed shard\'s last page has no next iterator', async () => {
    const before = await allShards(streams, arn);
    assert.equal(await t.server.rollStreamShards('shards'), true);
    await t.client.send(new PutItemCommand({ TableName: 'shards', Item: { pk: { S: 'p0' }, sk: { N: '9' } } }));
    const shards = await allShards(streams, arn);
    assert.equal(shards.length, 8);
    for (const parent of before) {
      const closed = shards.find((s) => s.ShardId === parent.ShardId)!;
      assert.ok(closed.SequenceNumberRange!.EndingSequenceNumber !== undefined);
      const children = (await streams.send(new DescribeStreamCommand({ StreamArn: arn, ShardFilter: { Type: 'CHILD_SHARDS', ShardId: parent.ShardId } }))).StreamDescription!.Shards!;
      assert.equal(children.length, 1);
      assert.equal(children[0]!.ParentShardId, parent.ShardId);
      assert.ok(BigInt(children[0]!.SequenceNumberRange!.StartingSequenceNumber!) > BigInt(closed.SequenceNumberRange!.EndingSequenceNumber!));
      let iterator = (await streams.send(new GetShardIteratorCommand({ StreamArn: arn, ShardId: parent.ShardId, ShardIteratorType: 'TRIM_HORIZON' }))).ShardIterator;
      let pages = 0;
      while (iterator !== undefined) {
        iterator = (await streams.send(new GetRecordsCommand({ ShardIterator: iterator, Limit: 1000 }))).NextShardIterator;
        assert.ok(++pages < 5, 'a closed shard ends');
      }
    }
    const all = await readStream(streams, arn);
    assert.equal(all.length, 81);
  });

  it('LATEST, AT_SEQUENCE_NUMBER and AFTER_SEQUENCE_NUMBER', async () => {
    const shards = (await allShards(streams, arn)).filter((s) => s.SequenceNumberRange!.EndingSequenceNumber === undefined);
    const latest = new Map<string, string>();
    for (const s of shards) {
      latest.set(s.ShardId!, (await streams.send(new GetShardIteratorCommand({ StreamArn: arn, ShardId: s.ShardId, ShardIteratorType: 'LATEST' }))).ShardIterator!);
    }
    await t.client.send(new PutItemCommand({ TableName: 'shards', Item: { pk: { S: 'late' }, sk: { N: '1' } } }));
    await t.client.send(new PutItemCommand({ TableName: 'shards', Item: { pk: { S: 'late' }, sk: { N: '2' } } }));
    let seen: string[] = [];
    let shardId = '';
    for (const [id, iterator] of latest) {
      const records = (await streams.send(new GetRecordsCommand({ ShardIterator: iterator }))).Records!;
      if (records.length > 0) shardId = id;
      seen.push(...records.map((r) => r.dynamodb!.SequenceNumber!));
    }
    assert.equal(seen.length, 2);
    const at = (await streams.send(new GetShardIteratorCommand({ StreamArn: arn, ShardId: shardId, ShardIteratorType: 'AT_SEQUENCE_NUMBER', SequenceNumber: seen[0] }))).ShardIterator;
    assert.deepEqual((await streams.send(new GetRecordsCommand({ ShardIterator: at }))).Records!.map((r) => r.dynamodb!.SequenceNumber), seen);
    const afterIt = (await streams.send(new GetShardIteratorCommand({ StreamArn: arn, ShardId: shardId, ShardIteratorType: 'AFTER_SEQUENCE_NUMBER', SequenceNumber: seen[0] }))).ShardIterator;
    seen = (await streams.send(new GetRecordsCommand({ ShardIterator: afterIt }))).Records!.map((r) => r.dynamodb!.SequenceNumber!);
    assert.equal(seen.length, 1);
  });

  it('iterators expire after 15 minutes; bad iterators, streams and shards are refused', async () => {
    const [shard] = await allShards(streams, arn);
    const iterator = (await streams.send(new GetShardIteratorCommand({ StreamArn: arn, ShardId: shard!.ShardId, ShardIteratorType: 'TRIM_HORIZON' }))).ShardIterator;
    t.server.clock.advance(15 * 60 * 1000 + 1000);
    try {
      await expectError(streams.send(new GetRecordsCommand({ ShardIterator: iterator })), 'ExpiredIteratorException', /^Iterator expired\./);
    } finally {
      t.server.clock.reset();
    }
    await expectError(streams.send(new GetRecordsCommand({ ShardIterator: 'garbage' })), 'ValidationException');
    await expectError(streams.send(new GetRecordsCommand({ ShardIterator: iterator, Limit: 1001 })), 'ValidationException');
    await expectError(streams.send(new DescribeStreamCommand({ StreamArn: arn.replace('shards', 'nothere') })), 'ResourceNotFoundException');
    await expectError(streams.send(new GetShardIteratorCommand({ StreamArn: arn, ShardId: 'shardId-00000000000000000000-00000000', ShardIteratorType: 'LATEST' })), 'ResourceNotFoundException');
    await expectError(streams.send(new GetShardIteratorCommand({ StreamArn: arn, ShardId: shard!.ShardId, ShardIteratorType: 'AT_SEQUENCE_NUMBER', SequenceNumber: '999999999999999999999999' })), 'ValidationException');
  });

  it('answers the Streams targets only under their own prefix', async () => {
    const res = await rawRequest(t.server.url, 'DynamoDBStreams_20120810.ListStreams', '{}');
    assert.equal(res.json.__type, 'com.amazon.coral.service#UnknownOperationException');
    const wrong = await rawRequest(t.server.url, 'GetRecords', '{"ShardIterator":"x"}');
    assert.equal(wrong.json.__type, 'com.amazon.coral.service#UnknownOperationException');
    const bad = await rawRequest(t.server.url, undefined, '{"StreamArn":1}', { 'X-Amz-Target': 'DynamoDBStreams_20120810.DescribeStream' });
    assert.equal(bad.status, 400);
    assert.equal(bad.json.__type, 'com.amazon.coral.service#SerializationException');
  });
});
