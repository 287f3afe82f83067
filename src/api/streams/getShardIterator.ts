/** GetShardIterator: TRIM_HORIZON, LATEST, AT_SEQUENCE_NUMBER and AFTER_SEQUENCE_NUMBER. */
import { resourceNotFound, validationError } from '../../errors.js';
import type { Operation } from '../context.js';
import { endOfShard, shardById } from '../../engine/changelog/streams.js';
import { parseSequenceNumber } from '../../engine/changelog/record.js';
import { encodeIterator } from './iterator.js';
import { requireStream } from './lookup.js';
import { streamArn } from './streamArn.js';

export const getShardIterator: Operation = async (ctx, input) => {
  const ref = requireStream(ctx, input.StreamArn);
  const shard = await shardById(ctx.db, ref, input.ShardId);
  if (shard === undefined) throw resourceNotFound(`Requested resource not found: Shard does not exist`);
  const type = input.ShardIteratorType as string;
  let counter: number;
  if (type === 'TRIM_HORIZON') counter = 1;
  else if (type === 'LATEST') counter = await endOfShard(ctx.db, ref, shard);
  else {
    if (input.SequenceNumber === undefined) throw validationError(`A SequenceNumber must be provided for ShardIteratorType ${type}`);
    const position = parseSequenceNumber(input.SequenceNumber);
    if (position === undefined || position.shardNo !== shard.no || position.counter < 1 || position.counter >= (await endOfShard(ctx.db, ref, shard))) {
      throw validationError(`Invalid SequenceNumber ${input.SequenceNumber} for shard ${shard.id}`);
    }
    counter = type === 'AT_SEQUENCE_NUMBER' ? position.counter : position.counter + 1;
  }
  const iterator = encodeIterator({ streamArn: streamArn(ref.table.arn, ref.stream.label), shardNo: shard.no, counter, issuedAt: ctx.db.clock.now() });
  return { ShardIterator: iterator };
};
