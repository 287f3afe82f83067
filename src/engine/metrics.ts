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

export class Metrics {
  readonly registry = new Registry();
  private readonly consumedRead: Counter<string>;
  private readonly consumedWrite: Counter<string>;
  private readonly readThrottles: Counter<string>;
  private readonly writeThrottles: Counter<string>;
  private readonly throttledRequests: Counter<string>;
  private readonly latency: Histogram<string>;
  private readonly userErrors: Counter<string>;
  private readonly systemErrors: Counter<string>;
  private readonly conditionalFailures: Counter<string>;
  private readonly transactionConflicts: Counter<string>;
  private readonly returnedItems: Counter<string>;
  private readonly returnedBytes: Counter<string>;

  constructor(provisioned: () => ProvisionedView[]) {
    const registers = [this.registry];
    const capacityLabels = ['TableName', 'GlobalSecondaryIndexName', 'Operation'];
    this.consumedRead = new Counter({ name: 'ConsumedReadCapacityUnits', help: 'Read capacity units consumed', labelNames: capacityLabels, registers });
    this.consumedWrite = new Counter({ name: 'ConsumedWriteCapacityUnits', help: 'Write capacity units consumed', labelNames: capacityLabels, registers });
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
    this.transactionConflicts = new Counter({ name: 'TransactionConflict', help: 'Item-level requests rejected by transactional conflicts', labelNames: ['TableName'], registers });
    this.returnedItems = new Counter({ name: 'ReturnedItemCount', help: 'Items returned by Query, Scan and ExecuteStatement', labelNames: ['TableName', 'Operation'], registers });
    this.returnedBytes = new Counter({ name: 'ReturnedBytes', help: 'Bytes returned', labelNames: ['TableName', 'Operation'], registers });
  }

  /** One finished request: latency on success, an error counter otherwise. */
  request(operation: string, table: string | undefined, status: number, errorCode: string | undefined, ms: number): void {
    const TableName = table ?? '';
    if (status < 300) this.latency.observe({ TableName, Operation: operation }, ms);
    else if (status >= 500) this.systemErrors.inc({ TableName, Operation: operation });
    else {
      this.userErrors.inc({ Operation: operation });
      if (errorCode === 'ConditionalCheckFailedException') this.conditionalFailures.inc({ TableName });
      if (errorCode === 'TransactionConflictException') this.transactionConflicts.inc({ TableName });
    }
  }

  consumed(table: string, index: string | undefined, operation: string, kind: 'read' | 'write', units: number): void {
    if (units <= 0) return;
    const counter = kind === 'read' ? this.consumedRead : this.consumedWrite;
    counter.inc({ TableName: table, GlobalSecondaryIndexName: index ?? '', Operation: operation }, units);
  }

  throttled(table: string, index: string | undefined, operation: string, kind: 'read' | 'write'): void {
    const counter = kind === 'read' ? this.readThrottles : this.writeThrottles;
    counter.inc({ TableName: table, GlobalSecondaryIndexName: index ?? '', Operation: operation });
    this.throttledRequests.inc({ TableName: table, Operation: operation });
  }

  returned(table: string, operation: string, items: number, bytes: number): void {
    this.returnedItems.inc({ TableName: table, Operation: operation }, items);
    this.returnedBytes.inc({ TableName: table, Operation: operation }, bytes);
  }

  text(): Promise<string> {
    return this.registry.metrics();
  }

  get contentType(): string {
    return this.registry.contentType;
  }
}
