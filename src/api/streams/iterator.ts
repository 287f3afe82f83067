/**
 * Shard iterators: opaque to clients, they name a stream, a shard and a position in it,
 * and when they were issued (they expire after 15 minutes, as DynamoDB's do).
 * Form: `<stream ARN>|1|<base64url of [shard no, next counter, issued ms]>`.
 */
import { dynamoError, validationError } from '../../errors.js';

export const ITERATOR_LIFETIME_MS = 15 * 60 * 1000;

export interface IteratorPosition {
  streamArn: string;
  shardNo: number;
  /** The counter of the next record to read. */
  counter: number;
  issuedAt: number;
}

export function encodeIterator(position: IteratorPosition): string {
  const payload = Buffer.from(JSON.stringify([position.shardNo, position.counter, position.issuedAt]), 'utf8').toString('base64url');
  return `${position.streamArn}|1|${payload}`;
}

/** The position an iterator names; ValidationException if it is not one, ExpiredIteratorException if too old. */
export function decodeIterator(iterator: string, now: number): IteratorPosition {
  const [streamArn, version, payload, extra] = iterator.split('|');
  let fields: unknown;
  try {
    fields = version === '1' && extra === undefined ? JSON.parse(Buffer.from(payload ?? '', 'base64url').toString('utf8')) : undefined;
  } catch {
    fields = undefined;
  }
  if (!Array.isArray(fields) || fields.length !== 3 || !fields.every((n) => Number.isSafeInteger(n) && n >= 0) || streamArn === undefined) {
    throw validationError('Invalid ShardIterator');
  }
  const [shardNo, counter, issuedAt] = fields as number[];
  if (now - issuedAt! > ITERATOR_LIFETIME_MS) {
    throw dynamoError('ExpiredIteratorException', `Iterator expired. The iterator was created at time ${new Date(issuedAt!).toUTCString()} while right now it is ${new Date(now).toUTCString()} which is further in the future than the tolerated delay of ${ITERATOR_LIFETIME_MS} milliseconds.`);
  }
  return { streamArn, shardNo: shardNo!, counter: counter!, issuedAt: issuedAt! };
}
