/** Finding the stream and shard a Streams API request names, with DynamoDB's errors. */
import { dynamoError, resourceNotFound } from '../../errors.js';
import type { Database } from '../../engine/database.js';
import { findStream, type StreamRef } from '../../engine/changelog/streams.js';
import { parseStreamArn } from './streamArn.js';

export function requireStream(db: Database, arn: string): StreamRef {
  const parsed = parseStreamArn(arn);
  const ref = parsed === undefined ? undefined : findStream(db, parsed.tableName, parsed.label);
  if (ref === undefined) throw resourceNotFound(`Requested resource not found: Stream: ${arn} not found`);
  return ref;
}

export function trimmed(): Error {
  return dynamoError('TrimmedDataAccessException', 'The data you are trying to access has been trimmed.');
}
