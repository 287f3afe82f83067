/** Finding the stream and shard a Streams API request names, with DynamoDB's errors. */
import { dynamoError, resourceNotFound } from '../../errors.js';
import type { ApiContext } from '../context.js';
import { findStream, type StreamRef } from '../../engine/changelog/streams.js';
import { parseStreamArn } from './streamArn.js';

/** The stream an ARN names, in the namespace its table ARN names (seen from the request's). */
export function requireStream(ctx: ApiContext, arn: string): StreamRef {
  const parsed = parseStreamArn(arn);
  const ref = parsed === undefined ? undefined : findStreamOrNothing(ctx, parsed.tableArn, parsed.label);
  if (ref === undefined) throw resourceNotFound(`Requested resource not found: Stream: ${arn} not found`);
  return ref;
}

export function trimmed(): Error {
  return dynamoError('TrimmedDataAccessException', 'The data you are trying to access has been trimmed.');
}

/** Another account's or region's table ARN the namespace cannot reach is a stream that is not there. */
function findStreamOrNothing(ctx: ApiContext, tableArn: string, label: string): StreamRef | undefined {
  try {
    return findStream(ctx.db, tableArn, label, ctx.namespace);
  } catch {
    return undefined;
  }
}
