/** A change record as DynamoDB Streams answers it, filtered by the stream's view type. */
import { createHash } from 'node:crypto';
import type { ChangeRecord } from '../../engine/changelog/record.js';
import { sequenceNumber } from '../../engine/changelog/record.js';
import type { StreamViewType } from '../../engine/tableMeta.js';
import { itemSize } from '../../values/size.js';

/** What TTL deletions carry as their identity. */
const TTL_IDENTITY = { PrincipalId: 'dynamodb.amazonaws.com', Type: 'Service' };

export function streamRecord(record: ChangeRecord, tableId: number, shardNo: number, viewType: StreamViewType, region: string): Record<string, unknown> {
  const seq = sequenceNumber(shardNo, record.counter);
  const data: Record<string, unknown> = {
    ApproximateCreationDateTime: Math.floor(record.time / 1000),
    Keys: record.keys,
  };
  let size = itemSize(record.keys);
  if ((viewType === 'NEW_IMAGE' || viewType === 'NEW_AND_OLD_IMAGES') && record.new !== undefined) {
    data.NewImage = record.new;
    size += itemSize(record.new);
  }
  if ((viewType === 'OLD_IMAGE' || viewType === 'NEW_AND_OLD_IMAGES') && record.old !== undefined) {
    data.OldImage = record.old;
    size += itemSize(record.old);
  }
  data.SequenceNumber = seq;
  data.SizeBytes = size;
  data.StreamViewType = viewType;
  const out: Record<string, unknown> = {
    eventID: createHash('md5').update(`${tableId}:${seq}`).digest('hex'),
    eventName: record.event,
    eventVersion: '1.1',
    eventSource: 'aws:dynamodb',
    awsRegion: region,
    dynamodb: data,
  };
  if (record.origin === 'ttl') out.userIdentity = TTL_IDENTITY;
  return out;
}
