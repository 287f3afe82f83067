/** Test helpers for DynamoDB Streams: a Streams SDK client, and reading a whole stream by shard lineage. */
import { CreateTableCommand, type DynamoDBClient, type StreamViewType } from '@aws-sdk/client-dynamodb';
import {
  DescribeStreamCommand, DynamoDBStreamsClient, GetRecordsCommand, GetShardIteratorCommand, type _Record, type Shard,
} from '@aws-sdk/client-dynamodb-streams';

export function streamsClient(url: string): DynamoDBStreamsClient {
  return new DynamoDBStreamsClient({
    endpoint: url,
    region: 'us-east-1',
    credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
    maxAttempts: 1,
  });
}

/**
 * Creates an on-demand table keyed by the string `pk` (and the number `sk` if `range`),
 * with a stream of `viewType` unless undefined; resolves with its LatestStreamArn.
 */
export async function createStreamTable(client: DynamoDBClient, name: string, viewType: StreamViewType | undefined, range = false): Promise<string | undefined> {
  const out = await client.send(new CreateTableCommand({
    TableName: name,
    BillingMode: 'PAY_PER_REQUEST',
    KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }, ...(range ? [{ AttributeName: 'sk', KeyType: 'RANGE' as const }] : [])],
    AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }, ...(range ? [{ AttributeName: 'sk', AttributeType: 'N' as const }] : [])],
    ...(viewType !== undefined ? { StreamSpecification: { StreamEnabled: true, StreamViewType: viewType } } : {}),
  }));
  return out.TableDescription!.LatestStreamArn;
}

/** Every shard of a stream, following DescribeStream's paging. */
export async function allShards(client: DynamoDBStreamsClient, streamArn: string, limit?: number): Promise<Shard[]> {
  const shards: Shard[] = [];
  let start: string | undefined;
  do {
    const { StreamDescription: d } = await client.send(new DescribeStreamCommand({ StreamArn: streamArn, ExclusiveStartShardId: start, Limit: limit }));
    shards.push(...d!.Shards!);
    start = d!.LastEvaluatedShardId;
  } while (start !== undefined);
  return shards;
}

/**
 * Every record of one shard from TRIM_HORIZON, page by page; stops at the end of a
 * closed shard (no NextShardIterator) or, for an open one, at the first empty page.
 */
export async function readShard(client: DynamoDBStreamsClient, streamArn: string, shardId: string, limit?: number): Promise<_Record[]> {
  let iterator = (await client.send(new GetShardIteratorCommand({ StreamArn: streamArn, ShardId: shardId, ShardIteratorType: 'TRIM_HORIZON' }))).ShardIterator;
  const records: _Record[] = [];
  while (iterator !== undefined) {
    const page = await client.send(new GetRecordsCommand({ ShardIterator: iterator, Limit: limit }));
    records.push(...page.Records!);
    if (page.Records!.length === 0) break;
    iterator = page.NextShardIterator;
  }
  return records;
}

/**
 * Every record of a stream, parents before children (as a lineage-following consumer
 * reads them): shards whose parent is gone or already read come next.
 */
export async function readStream(client: DynamoDBStreamsClient, streamArn: string): Promise<_Record[]> {
  const shards = await allShards(client, streamArn);
  const known = new Set(shards.map((s) => s.ShardId));
  const done = new Set<string>();
  const records: _Record[] = [];
  while (done.size < shards.length) {
    const ready = shards.filter((s) => !done.has(s.ShardId!) && (s.ParentShardId === undefined || !known.has(s.ParentShardId) || done.has(s.ParentShardId)));
    if (ready.length === 0) throw new Error('shard lineage has a cycle');
    for (const shard of ready) {
      records.push(...await readShard(client, streamArn, shard.ShardId!));
      done.add(shard.ShardId!);
    }
  }
  return records;
}
