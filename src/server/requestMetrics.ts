/**
 * Counting a finished request by its HTTP outcome: the status code decides which of
 * DynamoDB's request metrics it lands in, so that decision lives with HTTP, here.
 */
import type { Metrics } from '../engine/metrics.js';

export function countRequest(metrics: Metrics, operation: string, table: string | undefined, status: number, errorCode: string | undefined, ms: number): void {
  if (status < 300) metrics.succeeded(operation, table, ms);
  else if (status >= 500) metrics.systemError(operation, table);
  else metrics.userError(operation, table, errorCode ?? '');
}
