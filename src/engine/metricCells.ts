/** The shapes Metrics (metrics.ts) and its prom-client side (promMetrics.ts) share: the figures kept between scrapes and the provisioned view. */

export interface ProvisionedView {
  table: string;
  index?: string;
  read: number;
  write: number;
}

export interface ConsumedCell {
  read: number;
  write: number;
}

export interface ReturnedCell {
  items: number;
  bytes: number;
}

/** Upper bounds (ms) of SuccessfulRequestLatency's buckets. */
export const LATENCY_BUCKETS = [0.25, 0.5, 1, 2, 5, 10, 25, 50, 100, 250, 1000];

/** Successful requests of one table and operation: how many, their summed latency, and per bucket (the last: above every bound). */
export interface LatencyCell {
  count: number;
  sum: number;
  buckets: number[];
}
