/**
 * The prom-client side of Metrics (metrics.ts): the registry and its collectors. Loaded
 * on the first metric event or scrape, not at startup: prom-client takes a noticeable
 * share of a cold start and the first request never needs it.
 */
import { Counter, Gauge, Registry, type Metric } from 'prom-client';
import { LATENCY_BUCKETS, type ConsumedCell, type LatencyCell, type ProvisionedView, type ReturnedCell } from './metricCells.js';
import type { CapacityKind } from './capacity/units.js';
import type { ReplicaState } from '../storage/kv.js';

export class PromMetrics {
  readonly registry = new Registry();
  readonly readThrottles: Counter<string>;
  readonly writeThrottles: Counter<string>;
  readonly throttledRequests: Counter<string>;
  readonly userErrors: Counter<string>;
  readonly systemErrors: Counter<string>;
  readonly conditionalFailures: Counter<string>;
  readonly ttlDeletions: Counter<string>;

  constructor(
    provisioned: () => ProvisionedView[],
    consumption: Map<string, Map<string, Map<string, ConsumedCell>>>,
    returns: Map<string, Map<string, ReturnedCell>>,
    latencies: Map<string, Map<string, LatencyCell>>,
    replicas: () => ReplicaState[],
  ) {
    const registers = [this.registry];
    const capacityLabels = ['TableName', 'GlobalSecondaryIndexName', 'Operation'];
    // Consumption is recorded on every data request, so it is summed in plain cells and
    // handed to prom-client only when scraped (a labelled inc hashes its labels each call).
    const consumedCounter = (name: string, kind: CapacityKind) =>
      new Counter({
        name,
        help: `${kind === 'read' ? 'Read' : 'Write'} capacity units consumed`,
        labelNames: capacityLabels,
        registers,
        collect() {
          this.reset();
          for (const [TableName, byIndex] of consumption) {
            for (const [GlobalSecondaryIndexName, byOperation] of byIndex) {
              for (const [Operation, cell] of byOperation) {
                if (cell[kind] > 0) this.inc({ TableName, GlobalSecondaryIndexName, Operation }, cell[kind]);
              }
            }
          }
        },
      });
    consumedCounter('ConsumedReadCapacityUnits', 'read');
    consumedCounter('ConsumedWriteCapacityUnits', 'write');
    const provisionedGauge = (name: string, kind: 'read' | 'write') =>
      new Gauge({
        name,
        help: `Provisioned ${kind} capacity units`,
        labelNames: ['TableName', 'GlobalSecondaryIndexName'],
        registers,
        collect() {
          this.reset();
          for (const p of provisioned()) this.set({ TableName: p.table, GlobalSecondaryIndexName: p.index ?? '' }, p[kind]);
        },
      });
    provisionedGauge('ProvisionedReadCapacityUnits', 'read');
    provisionedGauge('ProvisionedWriteCapacityUnits', 'write');
    this.readThrottles = new Counter({ name: 'ReadThrottleEvents', help: 'Requests that exceeded provisioned read capacity', labelNames: capacityLabels, registers });
    this.writeThrottles = new Counter({ name: 'WriteThrottleEvents', help: 'Requests that exceeded provisioned write capacity', labelNames: capacityLabels, registers });
    this.throttledRequests = new Counter({ name: 'ThrottledRequests', help: 'Requests throttled', labelNames: ['TableName', 'Operation'], registers });
    this.registry.registerMetric(latencyHistogram(latencies));
    this.userErrors = new Counter({ name: 'UserErrors', help: 'Requests that failed with HTTP 400', labelNames: ['Operation'], registers });
    this.systemErrors = new Counter({ name: 'SystemErrors', help: 'Requests that failed with HTTP 500', labelNames: ['TableName', 'Operation'], registers });
    this.conditionalFailures = new Counter({ name: 'ConditionalCheckFailedRequests', help: 'Failed conditional writes', labelNames: ['TableName'], registers });
    this.ttlDeletions = new Counter({ name: 'TimeToLiveDeletedItemCount', help: 'Items deleted by Time to Live', labelNames: ['TableName'], registers });
    const returnedCounter = (name: string, help: string, field: 'items' | 'bytes') =>
      new Counter({
        name,
        help,
        labelNames: ['TableName', 'Operation'],
        registers,
        collect() {
          this.reset();
          for (const [TableName, byOperation] of returns) {
            for (const [Operation, cell] of byOperation) if (cell[field] > 0) this.inc({ TableName, Operation }, cell[field]);
          }
        },
      });
    returnedCounter('ReturnedItemCount', 'Items returned by Query and Scan', 'items');
    returnedCounter('ReturnedBytes', 'Bytes of the items returned by Query and Scan (JSON)', 'bytes');
    // Not CloudWatch metrics: the storage's read replicas (PostgreSQL streaming standbys).
    const replicaGauge = (name: string, help: string, value: (state: ReplicaState) => number | undefined) =>
      new Gauge({
        name,
        help,
        labelNames: ['Replica'],
        registers,
        collect() {
          this.reset();
          for (const state of replicas()) {
            const v = value(state);
            if (v !== undefined) this.set({ Replica: state.name }, v);
          }
        },
      });
    replicaGauge('ReplicaLagMilliseconds', 'How far behind the primary a read replica may be (upper bound, ms)', (s) => s.lagMs);
    replicaGauge('ReplicaLagBytes', 'WAL bytes a read replica has still to replay', (s) => s.lagBytes);
    replicaGauge('ReplicaServingReads', '1 while a read replica serves eventually consistent reads', (s) => (s.serving ? 1 : 0));
  }
}

/**
 * SuccessfulRequestLatency as a Prometheus histogram, from cells summed on each request
 * (prom-client's Histogram#observe validates and hashes its labels on every call, more
 * than a GetItem's own work in places): a collector of the shape the registry reads.
 */
function latencyHistogram(latencies: Map<string, Map<string, LatencyCell>>): Metric {
  const name = 'SuccessfulRequestLatency';
  const help = 'Latency of successful requests in milliseconds';
  const get = async () => {
    const values: { labels: Record<string, string | number>; value: number; metricName: string }[] = [];
    for (const [TableName, byOperation] of latencies) {
      for (const [Operation, cell] of byOperation) {
        let cumulative = 0;
        LATENCY_BUCKETS.forEach((le, i) => {
          cumulative += cell.buckets[i]!;
          values.push({ labels: { le, TableName, Operation }, value: cumulative, metricName: `${name}_bucket` });
        });
        values.push({ labels: { le: '+Inf', TableName, Operation }, value: cell.count, metricName: `${name}_bucket` });
        values.push({ labels: { TableName, Operation }, value: cell.sum, metricName: `${name}_sum` });
        values.push({ labels: { TableName, Operation }, value: cell.count, metricName: `${name}_count` });
      }
    }
    return { name, help, type: 'histogram', values, aggregator: 'sum' };
  };
  return { name, help, type: 'histogram', aggregator: 'sum', get, reset: () => latencies.clear() } as unknown as Metric;
}
