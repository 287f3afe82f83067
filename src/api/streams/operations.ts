/** The DynamoDB Streams API (X-Amz-Target `DynamoDBStreams_20120810.*`), served on the same endpoint. */
import type { Operation } from '../context.js';
import { describeStream } from './describeStream.js';
import { getRecords } from './getRecords.js';
import { getShardIterator } from './getShardIterator.js';
import { listStreams } from './listStreams.js';

export const STREAMS_TARGET_PREFIX = 'DynamoDBStreams_20120810.';

/** Keyed by full target, as the router hands them over (shape validation uses the same names). */
export const streamsOperations: Record<string, Operation> = {
  [STREAMS_TARGET_PREFIX + 'ListStreams']: listStreams,
  [STREAMS_TARGET_PREFIX + 'DescribeStream']: describeStream,
  [STREAMS_TARGET_PREFIX + 'GetShardIterator']: getShardIterator,
  [STREAMS_TARGET_PREFIX + 'GetRecords']: getRecords,
};
