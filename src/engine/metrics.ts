/**
 * Prometheus metrics named and labelled like DynamoDB's CloudWatch metrics
 * (ConsumedReadCapacityUnits by TableName / GlobalSecondaryIndexName / Operation, ...),
 * served at GET /metrics. Each server has its own registry, so several servers can
 * live in one process (test suites).
 *
 * prom-client itself (promMetrics.ts) is imported on the first event that needs it or
 * the first scrape; events arriving while it loads are applied once it has.
 */
import type { PromMetrics } from './promMetrics.js';
import type { ReplicaState } from '../storage/kv.js';
import { LATENCY_BUCKETS, type ConsumedCell, type LatencyCell, type ProvisionedView, type ReturnedCell } from './metricCells.js';
import type { CapacityKind } from './capacity/units.js';

/** The cell at `cells[first][second]`, made by `create` the first time. */
function cellOf<C>(cells: Map<string, Map<string, C>>, first: string, second: string, create: () => C): C {
  let inner = cells.get(first);
  if (inner === undefined) cells.set(first, (inner = new Map()));
  let cell = inner.get(second);
  if (cell === undefined) inner.set(second, (cell = create()));
  return cell;
}

const newConsumedCell = (): ConsumedCell => ({ read: 0, write: 0 });
const newReturnedCell = (): ReturnedCell => ({ items: 0, bytes: 0 });
const newLatencyCell = (): LatencyCell => ({ count: 0, sum: 0, buckets: new Array<number>(LATENCY_BUCKETS.length + 1).fill(0) });

/** prom-client's Registry.contentType for the Prometheus text format. */
const PROMETHEUS_CONTENT_TYPE = 'text/plain; version=0.0.4; charset=utf-8';

export class Metrics {
  /**
   * Consumption per table -> GSI ('' = the table) -> operation, summed here and read at
   * scrape time (recorded on every data request; a labelled inc hashes its labels each call).
   */
  private readonly consumption = new Map<string, Map<string, Map<string, ConsumedCell>>>();
  /** Items and bytes returned per table -> operation, read at scrape time. */
  private readonly returns = new Map<string, Map<string, ReturnedCell>>();
  /** Latency of successful requests per table ('' = none) -> operation, read at scrape time (every request records one). */
  private readonly latencies = new Map<string, Map<string, LatencyCell>>();
  private prom: PromMetrics | undefined;
  private loading: Promise<PromMetrics> | undefined;
  private pending: ((prom: PromMetrics) => void)[] = [];

  constructor(
    private readonly provisioned: () => ProvisionedView[],
    /** The storage's read replicas, read at scrape time. */
    private readonly replicas: () => ReplicaState[] = () => [],
  ) {}

  /** Items the TTL sweeper deleted from a table. */
  ttlDeleted(table: string, count: number): void {
    if (count > 0) this.apply((p) => p.ttlDeletions.inc({ TableName: table }, count));
  }

  /** A request that succeeded, with its latency. */
  succeeded(operation: string, table: string | undefined, ms: number): void {
    if (!Number.isFinite(ms)) return;
    const cell = cellOf(this.latencies, table ?? '', operation, newLatencyCell);
    let bucket = 0;
    while (bucket < LATENCY_BUCKETS.length && ms > LATENCY_BUCKETS[bucket]!) bucket++;
    cell.buckets[bucket]!++;
    cell.count++;
    cell.sum += ms;
  }

  /** A request refused for what it asked (DynamoDB's UserErrors), by its error code. */
  userError(operation: string, table: string | undefined, errorCode: string): void {
    const TableName = table ?? '';
    this.apply((p) => {
      p.userErrors.inc({ Operation: operation });
      if (errorCode === 'ConditionalCheckFailedException') p.conditionalFailures.inc({ TableName });
    });
  }

  /** A request that failed on the server's side (DynamoDB's SystemErrors). */
  systemError(operation: string, table: string | undefined): void {
    this.apply((p) => p.systemErrors.inc({ TableName: table ?? '', Operation: operation }));
  }

  /** Capacity consumed on a table, or on one of its GSIs (`index`). */
  consumed(table: string, index: string | undefined, operation: string, kind: CapacityKind, units: number): void {
    if (units <= 0) return;
    let byIndex = this.consumption.get(table);
    if (byIndex === undefined) this.consumption.set(table, (byIndex = new Map()));
    cellOf(byIndex, index ?? '', operation, newConsumedCell)[kind] += units;
  }

  /** One throttled request; `index` names the GSI whose capacity ran out, if it was one. */
  throttled(table: string, index: string | undefined, operation: string, kind: CapacityKind): void {
    this.apply((p) => {
      const counter = kind === 'read' ? p.readThrottles : p.writeThrottles;
      counter.inc({ TableName: table, GlobalSecondaryIndexName: index ?? '', Operation: operation });
      p.throttledRequests.inc({ TableName: table, Operation: operation });
    });
  }

  returned(table: string, operation: string, items: number, bytes: number): void {
    const cell = cellOf(this.returns, table, operation, newReturnedCell);
    cell.items += items;
    cell.bytes += bytes;
  }

  async text(): Promise<string> {
    return (await this.load()).registry.metrics();
  }

  get contentType(): string {
    return PROMETHEUS_CONTENT_TYPE;
  }

  private apply(event: (prom: PromMetrics) => void): void {
    if (this.prom !== undefined) return event(this.prom);
    this.pending.push(event);
    void this.load();
  }

  private load(): Promise<PromMetrics> {
    this.loading ??= import('./promMetrics.js').then(({ PromMetrics }) => {
      const prom = new PromMetrics(this.provisioned, this.consumption, this.returns, this.latencies, this.replicas);
      for (const event of this.pending) event(prom);
      this.pending = [];
      this.prom = prom;
      return prom;
    });
    return this.loading;
  }
}
