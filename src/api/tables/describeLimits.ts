/** DescribeLimits: the account and table capacity maxima. */
import { MAX_TABLE_CAPACITY } from '../../engine/capacity/billing.js';
import type { Operation } from '../context.js';
import type { DescribeLimitsResult } from '../results.js';

export const describeLimits: Operation<DescribeLimitsResult> = () =>
  ({
    AccountMaxReadCapacityUnits: 80000,
    AccountMaxWriteCapacityUnits: 80000,
    TableMaxReadCapacityUnits: MAX_TABLE_CAPACITY,
    TableMaxWriteCapacityUnits: MAX_TABLE_CAPACITY,
  });
