/** DescribeStream: status, key schema and shards (with lineage), paged by ExclusiveStartShardId; ShardFilter CHILD_SHARDS. */
import type { Operation } from '../context.js';
import { shardsOf } from '../../engine/changelog/streams.js';
import { sequenceNumber } from '../../engine/changelog/record.js';
import type { ShardMeta } from '../../engine/changelog/shards.js';
import { requireStream } from './lookup.js';
import { streamArn } from './streamArn.js';

const MAX_LIMIT = 100;

export const describeStream: Operation = async (ctx, input) => {
  const ref = requireStream(ctx, input.StreamArn);
  let shards = await shardsOf(ctx.db, ref);
  if (input.ShardFilter?.Type === 'CHILD_SHARDS' && input.ShardFilter.ShardId !== undefined) {
    shards = shards.filter((s) => s.parentId === input.ShardFilter.ShardId);
  }
  const start = input.ExclusiveStartShardId === undefined ? 0 : shards.findIndex((s) => s.id === input.ExclusiveStartShardId) + 1;
  const limit = Math.min(input.Limit ?? MAX_LIMIT, MAX_LIMIT);
  const page = shards.slice(start, start + limit);
  const description: Record<string, unknown> = {
    StreamArn: streamArn(ref.table.arn, ref.stream.label),
    StreamLabel: ref.stream.label,
    StreamStatus: ref.stream.disabledAt === undefined ? 'ENABLED' : 'DISABLED',
    StreamViewType: ref.stream.viewType,
    CreationRequestDateTime: ref.stream.createdAt / 1000,
    TableName: ref.table.name,
    KeySchema: ref.table.keySchema,
    Shards: page.map(shardDescription),
  };
  if (start + limit < shards.length) description.LastEvaluatedShardId = page.at(-1)!.id;
  return { StreamDescription: description };
};

function shardDescription(shard: ShardMeta): Record<string, unknown> {
  const range: Record<string, string> = { StartingSequenceNumber: sequenceNumber(shard.no, 1) };
  if (shard.closedAt !== undefined) range.EndingSequenceNumber = sequenceNumber(shard.no, shard.lastCounter!);
  return {
    ShardId: shard.id,
    SequenceNumberRange: range,
    ...(shard.parentId !== undefined ? { ParentShardId: shard.parentId } : {}),
  };
}
