/** A change-log batch as Lambda's DynamoDB event records (the Streams record plus eventSourceARN). */
import type { ConsumerBatch } from '../engine/changelog/consumer.js';
import { streamRecord } from '../api/streams/recordView.js';
import { streamArn } from '../api/streams/streamArn.js';

export function lambdaRecords(batch: ConsumerBatch, tableArn: string, region: string): Record<string, unknown>[] {
  const eventSourceARN = streamArn(tableArn, batch.stream.label);
  return batch.records.map((record) => ({
    ...streamRecord(record, batch.tableId, batch.shard.no, batch.stream.viewType, region),
    eventSourceARN,
  }));
}
