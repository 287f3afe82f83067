/**
 * Prometheus metrics named and labelled like DynamoDB's CloudWatch metrics
 * (ConsumedReadCapacityUnits by TableName / GlobalSecondaryIndexName / Operation, ...),
 * served at GET /metrics. Each server has its own registry, so several servers can
 * live in one process (test suites).
 */
import { Counter, Gauge, Histogram, Registry } from 'prom-client';

export interface ProvisionedView {
  table: string;
  index?: string;
  read: number;
  write: number;
}

type CapacityKind = 'read' | 'write';

interface ConsumedCell {
  read: number;
  write: number;
}

export class Metrics {
  readonly registry = new Registry();
  /** Consumption per table -> GSI ('' = the table) -> operation, summed here and read at scrape time. */
  private readonly consumption = new Map<string, Map<string, Map<string, ConsumedCell>>>();
  private readonly readThrottles: Counter<string>;
  private readonly writeThrottles: Counter<string>;
  private readonly throttledRequests: Counter<string>;
  private readonly latency: Histogram<string>;
  private readonly userErrors: Counter<string>;
  private readonly systemErrors: Counter<string>;
  private readonly conditionalFailures: Counter<string>;
  private readonly ttlDeletions: Counter<string>;
  /** Items and bytes returned per table -> operation, read at scrape time. */
  private readonly returns = new Map<string, Map<string, { items: number; bytes: number }>>();

  constructor(provisioned: () => ProvisionedView[]) {
    const registers = [this.registry];
    const capacityLabels = ['TableName', 'GlobalSecondaryIndexName', 'Operation'];
    // Consumption is recorded on every data request, so it is summed in plain cells and
    // handed to prom-client only when scraped (a labelled inc hashes its labels each call).
    const consumption = this.consumption;
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
    this.latency = new Histogram({
      name: 'SuccessfulRequestLatency',
      help: 'Latency of successful requests in milliseconds',
      labelNames: ['TableName', 'Operation'],
      buckets: [0.25, 0.5, 1, 2, 5, 10, 25, 50, 100, 250, 1000],
      registers,
    });
    this.userErrors = new Counter({ name: 'UserErrors', help: 'Requests that failed with HTTP 400', labelNames: ['Operation'], registers });
    this.systemErrors = new Counter({ name: 'SystemErrors', help: 'Requests that failed with HTTP 500', labelNames: ['TableName', 'Operation'], registers });
    this.conditionalFailures = new Counter({ name: 'ConditionalCheckFailedRequests', help: 'Failed conditional writes', labelNames: ['TableName'], registers });
    this.ttlDeletions = new Counter({ name: 'TimeToLiveDeletedItemCount', help: 'Items deleted by Time to Live', labelNames: ['TableName'], registers });
    const returns = this.returns;
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
  }

  /** Items the TTL sweeper deleted from a table. */
  ttlDeleted(table: string, count: number): void {
    if (count > 0) this.ttlDeletions.inc({ TableName: table }, count);
  }

  /** A request that succeeded, with its latency. */
  succeeded(operation: string, table: string | undefined, ms: number): void {
    this.latency.observe({ TableName: table ?? '', Operation: operation }, ms);
  }

  /** A request refused for what it asked (DynamoDB's UserErrors), by its error code. */
  userError(operation: string, table: string | undefined, errorCode: string): void {
    const TableName = table ?? '';
    this.userErrors.inc({ Operation: operation });
    if (errorCode === 'ConditionalCheckFailedException') this.conditionalFailures.inc({ TableName });
  }

  /** A request that failed on the server's side (DynamoDB's SystemErrors). */
  systemError(operation: string, table: string | undefined): void {
    this.systemErrors.inc({ TableName: table ?? '', Operation: operation });
  }

  /** Capacity consumed on a table, or on one of its GSIs (`index`). */
  consumed(table: string, index: string | undefined, operation: string, kind: CapacityKind, units: number): void {
    if (units <= 0) return;
    let byIndex = this.consumption.get(table);
    if (byIndex === undefined) this.consumption.set(table, (byIndex = new Map()));
    let byOperation = byIndex.get(index ?? '');
    if (byOperation === undefined) byIndex.set(index ?? '', (byOperation = new Map()));
    let cell = byOperation.get(operation);
    if (cell === undefined) byOperation.set(operation, (cell = { read: 0, write: 0 }));
    cell[kind] += units;
  }

  /** One throttled request; `index` names the GSI whose capacity ran out, if it was one. */
  throttled(table: string, index: string | undefined, operation: string, kind: CapacityKind): void {
    const counter = kind === 'read' ? this.readThrottles : this.writeThrottles;
    counter.inc({ TableName: table, GlobalSecondaryIndexName: index ?? '', Operation: operation });
    this.throttledRequests.inc({ TableName: table, Operation: operation });
  }

  returned(table: string, operation: string, items: number, bytes: number): void {
    let byOperation = this.returns.get(table);
    if (byOperation === undefined) this.returns.set(table, (byOperation = new Map()));
    let cell = byOperation.get(operation);
    if (cell === undefined) byOperation.set(operation, (cell = { items: 0, bytes: 0 }));
    cell.items += items;
    cell.bytes += bytes;
  }

  text(): Promise<string> {
    return this.registry.metrics();
  }

  get contentType(): string {
    return this.registry.contentType;
  }
}
