/** Scheduled shard rollover, 24-hour retention and trimming, and the flags that set them. */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { CreateTableCommand, PutItemCommand, UpdateTableCommand } from '@aws-sdk/client-dynamodb';
import { DescribeStreamCommand, GetRecordsCommand, GetShardIteratorCommand, ListStreamsCommand } from '@aws-sdk/client-dynamodb-streams';
import { expectError, startTestServer } from './helpers.js';
import { allShards, readShard, streamsClient } from './streams.helpers.js';
import { parseCliArgs } from '../src/cli/args.js';
import { parseDuration } from '../src/cli/duration.js';
import { until } from './support/polling.js';

const DAY = 24 * 60 * 60 * 1000;


describe('stream retention', () => {
  it('rolls shards over on schedule and trims closed shards a day later', async () => {
    const t = await startTestServer({ streamShardRolloverMs: 200 });
    const streams = streamsClient(t.server.url);
    try {
      const { TableDescription } = await t.client.send(new CreateTableCommand({
        TableName: 'rolling', BillingMode: 'PAY_PER_REQUEST',
        KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }], AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }],
        StreamSpecification: { StreamEnabled: true, StreamViewType: 'KEYS_ONLY' },
      }));
      const arn = TableDescription!.LatestStreamArn!;
      await t.client.send(new PutItemCommand({ TableName: 'rolling', Item: { pk: { S: 'a' } } }));
      await until(async () => (await allShards(streams, arn)).length >= 8, 'a scheduled rollover', 5_000);
      let first;
      for (const shard of (await allShards(streams, arn)).slice(0, 4)) if ((await readShard(streams, arn, shard.ShardId!)).length === 1) first = shard;
      assert.ok(first, 'the record is in one of the first shards');
      const early = (await streams.send(new GetShardIteratorCommand({ StreamArn: arn, ShardId: first!.ShardId, ShardIteratorType: 'TRIM_HORIZON' }))).ShardIterator!;
      // Ten minutes short of a day: the first shard is still kept; an iterator taken now is young.
      t.server.clock.advance(DAY - 10 * 60_000);
      const late = (await streams.send(new GetShardIteratorCommand({ StreamArn: arn, ShardId: first!.ShardId, ShardIteratorType: 'TRIM_HORIZON' }))).ShardIterator!;
      assert.equal((await streams.send(new GetRecordsCommand({ ShardIterator: late }))).Records!.length, 1);
      await expectError(streams.send(new GetRecordsCommand({ ShardIterator: early })), 'ExpiredIteratorException', /^Iterator expired\./);
      t.server.clock.advance(11 * 60_000);
      await until(async () => !(await allShards(streams, arn)).some((s) => s.ShardId === first!.ShardId), 'trimming of closed shards', 5_000);
      await expectError(streams.send(new GetRecordsCommand({ ShardIterator: late })), 'TrimmedDataAccessException');

      // A disabled stream stays listed for 24 hours.
      await t.client.send(new UpdateTableCommand({ TableName: 'rolling', StreamSpecification: { StreamEnabled: false } }));
      assert.equal((await streams.send(new ListStreamsCommand({ TableName: 'rolling' }))).Streams!.length, 1);
      assert.equal((await streams.send(new DescribeStreamCommand({ StreamArn: arn }))).StreamDescription!.StreamStatus, 'DISABLED');
      t.server.clock.advance(DAY + 1000);
      assert.equal((await streams.send(new ListStreamsCommand({ TableName: 'rolling' }))).Streams!.length, 0);
      await expectError(streams.send(new DescribeStreamCommand({ StreamArn: arn })), 'ResourceNotFoundException');
    } finally {
      streams.destroy();
      await t.close();
    }
  });

  it('parses --ttl-interval and --stream-shard-rollover', () => {
    assert.equal(parseDuration('10s'), 10_000);
    assert.equal(parseDuration('250ms'), 250);
    assert.equal(parseDuration('4h'), 4 * 3600_000);
    assert.equal(parseDuration('1.5m'), 90_000);
    assert.equal(parseDuration('0s'), undefined);
    assert.equal(parseDuration('10'), 10);
    assert.equal(parseDuration('soon'), undefined);
    const config = parseCliArgs(['--ttl-interval', '5s', '--stream-shard-rollover', '10s', '--triggers', 'triggers.json'], {});
    assert.equal(config.ttlIntervalMs, 5000);
    assert.equal(config.streamShardRolloverMs, 10_000);
    assert.equal(config.triggersFile, 'triggers.json');
    assert.equal(parseCliArgs([], { OPENDDB_TTL_INTERVAL: '2m' }).ttlIntervalMs, 120_000);
    assert.throws(() => parseCliArgs(['--ttl-interval', 'soon'], {}), /invalid --ttl-interval: soon/);
  });
});
