/**
 * GetRecords: up to Limit (<= 1,000) records and about 1 MB from the iterator's position.
 * An open shard always hands back a NextShardIterator; a closed shard's last page does not.
 */
import { validationError } from '../../errors.js';
import type { Operation } from '../context.js';
import { endOfShard, readRecords, shardByNo } from '../../engine/changelog/streams.js';
import { decodeIterator, encodeIterator } from './iterator.js';
import { requireStream, trimmed } from './lookup.js';
import { streamRecord } from './recordView.js';

const MAX_LIMIT = 1000;
const MAX_BYTES = 1024 * 1024;

export const getRecords: Operation = async (ctx, input) => {
  if (input.Limit !== undefined && input.Limit > MAX_LIMIT) {
    throw validationError(`1 validation error detected: Value '${input.Limit}' at 'limit' failed to satisfy constraint: Member must have value less than or equal to ${MAX_LIMIT}`);
  }
  const now = ctx.db.clock.now();
  const position = decodeIterator(input.ShardIterator, now);
  const ref = requireStream(ctx, position.streamArn);
  const shard = await shardByNo(ctx.db, ref, position.shardNo);
  if (shard === undefined) throw trimmed();
  const page = await readRecords(ctx.db, ref, shard.no, position.counter, input.Limit ?? MAX_LIMIT, MAX_BYTES);
  const region = ref.table.arn.split(':')[3]!;
  const records = page.records.map((r) => streamRecord(r, ref.table.id, shard.no, ref.stream.viewType, region));
  const output: Record<string, unknown> = { Records: records };
  const closedAndRead = shard.closedAt !== undefined && page.next >= (await endOfShard(ctx.db, ref, shard));
  if (!closedAndRead) output.NextShardIterator = encodeIterator({ ...position, counter: page.next, issuedAt: now });
  return output;
};
