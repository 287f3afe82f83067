/** Billing mode and provisioned throughput rules shared by CreateTable and UpdateTable. */
import { dynamoError, invalidParameter } from '../errors.js';
import type { BillingMode, ProvisionedState } from '../engine/tableMeta.js';

interface Throughput {
  ReadCapacityUnits?: number;
  WriteCapacityUnits?: number;
}

/** DynamoDB's default per-table maximum for provisioned capacity. */
export const MAX_TABLE_CAPACITY = 40000;

export function validateBillingAndThroughput(mode: BillingMode, throughput: Throughput | undefined): void {
  if (mode === 'PAY_PER_REQUEST') {
    if (throughput !== undefined) {
      throw invalidParameter('Neither ReadCapacityUnits nor WriteCapacityUnits can be specified when BillingMode is PAY_PER_REQUEST');
    }
    return;
  }
  if (throughput?.ReadCapacityUnits === undefined || throughput.WriteCapacityUnits === undefined) {
    throw invalidParameter('ReadCapacityUnits and WriteCapacityUnits must both be specified when BillingMode is PROVISIONED');
  }
  validateCapacityLimits(throughput as Required<Throughput>);
}

export function validateCapacityLimits(t: Required<Throughput>): void {
  if (t.ReadCapacityUnits > MAX_TABLE_CAPACITY || t.WriteCapacityUnits > MAX_TABLE_CAPACITY) {
    throw dynamoError('LimitExceededException',
      `Subscriber limit exceeded: Provisioned throughput for a single table cannot exceed ${MAX_TABLE_CAPACITY} read or write capacity units`);
  }
}

export function provisionedFrom(mode: BillingMode, throughput: Throughput | undefined): ProvisionedState {
  if (mode === 'PAY_PER_REQUEST') return { read: 0, write: 0, decreasesToday: 0 };
  return { read: throughput!.ReadCapacityUnits!, write: throughput!.WriteCapacityUnits!, decreasesToday: 0 };
}
