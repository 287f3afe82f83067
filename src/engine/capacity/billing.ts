/** Billing mode and provisioned throughput rules shared by CreateTable and UpdateTable. */
import { dynamoError, invalidParameter } from '../../errors.js';
import type { BillingMode, ProvisionedState } from '../tableMeta.js';

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

const HOUR_MS = 60 * 60 * 1000;
const DAY_MS = 24 * HOUR_MS;
/** Decreases allowed at any time in a UTC day; after them, one per hour without a decrease. */
export const FREE_DECREASES_PER_DAY = 4;
/** Switches from provisioned to on-demand allowed in a rolling 24 hours. */
export const ON_DEMAND_SWITCHES_PER_DAY = 4;

/**
 * Applies a new provisioned throughput to a table's or GSI's state, enforcing DynamoDB's
 * daily decrease limit: four decreases at any time in a UTC day, then one more each
 * time an hour has passed without a decrease.
 */
export function changeProvisioned(p: ProvisionedState, t: Required<Throughput>, now: number): void {
  validateCapacityLimits(t);
  const decreasing = t.ReadCapacityUnits < p.read || t.WriteCapacityUnits < p.write;
  if (p.lastDecrease !== undefined && utcDay(p.lastDecrease) !== utcDay(now)) p.decreasesToday = 0;
  if (decreasing && p.decreasesToday >= FREE_DECREASES_PER_DAY && now - p.lastDecrease! < HOUR_MS) {
    throw dynamoError(
      'LimitExceededException',
      'Subscriber limit exceeded: Provisioned throughput decreases are limited within a given UTC day. ' +
        `After the first ${FREE_DECREASES_PER_DAY} decreases, each subsequent decrease in the same UTC day can be performed at most once every 3600 seconds. ` +
        `Number of decreases today: ${p.decreasesToday}. Last decrease at ${new Date(p.lastDecrease!).toUTCString()}. ` +
        `Next decrease can be made at ${new Date(p.lastDecrease! + HOUR_MS).toUTCString()}`,
    );
  }
  if (t.ReadCapacityUnits > p.read || t.WriteCapacityUnits > p.write) p.lastIncrease = now;
  if (decreasing) {
    p.lastDecrease = now;
    p.decreasesToday += 1;
  }
  p.read = t.ReadCapacityUnits;
  p.write = t.WriteCapacityUnits;
}

/** Refuses a fifth switch to on-demand within 24 hours; returns the switch times to keep. */
export function recordOnDemandSwitch(switches: number[] | undefined, now: number): number[] {
  const recent = (switches ?? []).filter((at) => now - at < DAY_MS);
  if (recent.length >= ON_DEMAND_SWITCHES_PER_DAY) {
    throw dynamoError(
      'LimitExceededException',
      `Subscriber limit exceeded: Update to PayPerRequest mode are limited to ${ON_DEMAND_SWITCHES_PER_DAY} times within 1 day(s). ` +
        `Next update can be made at ${new Date(recent[0]! + DAY_MS).toUTCString()}`,
    );
  }
  return [...recent, now];
}

function utcDay(ms: number): number {
  return Math.floor(ms / DAY_MS);
}
