/**
 * Opt-in throttling as the API layer applies it. Off by default; on for every table
 * with `--throttle`, and per table with the tag `openddb:throttle` = `on` | `off`
 * (which overrides the server default). When on, a request is admitted only while the
 * buckets of its table, the GSI it reads, and the partition it targets hold credit
 * (see throttle.ts); writes also need credit on every GSI of the table, because
 * DynamoDB throttles a table write when an index it must update is out of capacity.
 */
import { dynamoError, type DynamoError } from '../../errors.js';
import type { Table } from '../table.js';
import type { IndexInfo } from '../indexes/indexInfo.js';
import type { Metrics } from '../metrics.js';
import type { IndexMeta, TableMeta } from '../tableMeta.js';
import { Throttler, type CapacityLimits, type ThrottleScope } from './throttle.js';
import type { CapacityKind } from './units.js';
import { encodeKeyValue, partitionHash, type KeyValue } from '../../values/keycodec.js';
import type { AttributeValue } from '../../values/types.js';

/** The table tag that turns throttling on or off for one table. */
export const THROTTLE_TAG = 'openddb:throttle';

interface Scope extends ThrottleScope {
  arn: string;
  onDemand: boolean;
  /** The GSI's name; undefined for the table. */
  index: string | undefined;
}

/** How one version of a table's catalog entry is throttled; undefined = not at all. */
interface Plan {
  table: Scope;
  gsis: Map<string, Scope>;
}

export class ThrottleGate {
  private readonly throttler: Throttler;
  /** Plans per catalog entry: an UpdateTable or tag change makes a new entry, and so a new plan. */
  private readonly plans = new WeakMap<TableMeta, Plan | null>();

  constructor(private readonly metrics: Metrics, private readonly onByDefault: boolean, clock: () => number) {
    this.throttler = new Throttler(clock);
  }

  private plan(table: Table): Plan | undefined {
    let plan = this.plans.get(table.meta);
    if (plan === undefined) this.plans.set(table.meta, (plan = this.planFor(table.meta)));
    return plan ?? undefined;
  }

  private planFor(meta: TableMeta): Plan | null {
    const tag = meta.tags.find((t) => t.Key === THROTTLE_TAG)?.Value.toLowerCase();
    const on = tag === 'on' ? true : tag === 'off' ? false : this.onByDefault;
    if (!on) return null;
    const onDemand = meta.billingMode === 'PAY_PER_REQUEST';
    const table: Scope = {
      key: String(meta.id),
      limits: onDemand ? onDemandLimits(meta.onDemand) : { read: meta.provisioned.read, write: meta.provisioned.write },
      partitioned: !onDemand,
      arn: meta.arn,
      onDemand,
      index: undefined,
    };
    const gsis = new Map<string, Scope>();
    for (const index of meta.indexes ?? []) {
      if (index.kind !== 'GSI' || index.status === 'DELETING') continue;
      gsis.set(index.name, {
        key: `${meta.id}/${index.no}`,
        limits: onDemand ? onDemandLimits(index.onDemand) : gsiProvisioned(index),
        partitioned: !onDemand,
        arn: `${meta.arn}/index/${index.name}`,
        onDemand,
        index: index.name,
      });
    }
    const limited = (s: Scope) => Number.isFinite(s.limits.read) || Number.isFinite(s.limits.write);
    if (!limited(table) && ![...gsis.values()].some(limited)) return null;
    return { table, gsis };
  }

  /**
   * The ProvisionedThroughputExceededException a read would get now, or undefined when it
   * may proceed. `index` is the index read (an LSI reads the table's capacity); `pk` the
   * partition key value, when the read targets one partition.
   */
  refuseRead(table: Table, operation: string, index: IndexInfo | undefined, pk: AttributeValue | undefined): DynamoError | undefined {
    const plan = this.plan(table);
    if (plan === undefined) return undefined;
    const scope = index !== undefined && index.meta.kind === 'GSI' ? plan.gsis.get(index.name) ?? plan.table : plan.table;
    return this.check(table, scope, operation, 'read', pk);
  }

  /** The same for a write of an item with partition key value `pk`: the table and every GSI need credit. */
  refuseWrite(table: Table, operation: string, pk: AttributeValue | undefined): DynamoError | undefined {
    const plan = this.plan(table);
    if (plan === undefined) return undefined;
    for (const gsi of plan.gsis.values()) {
      const refused = this.check(table, gsi, operation, 'write', undefined);
      if (refused !== undefined) return refused;
    }
    return this.check(table, plan.table, operation, 'write', pk);
  }

  private check(table: Table, scope: Scope, operation: string, kind: CapacityKind, pk: AttributeValue | undefined): DynamoError | undefined {
    const verdict = this.throttler.admits(scope, kind, pk === undefined ? undefined : hashOf(pk));
    if (verdict === 'ok') return undefined;
    this.metrics.throttled(table.meta.name, scope.index, operation, kind);
    return throttlingError(scope, kind, verdict === 'partition');
  }

  /** Takes consumed capacity from the buckets of the table (or GSI `index`), when throttling is on for it. */
  consume(table: Table, index: IndexInfo | undefined, kind: CapacityKind, units: number, pk: AttributeValue | undefined): void {
    const plan = this.plan(table);
    if (plan === undefined) return;
    const scope = index === undefined ? plan.table : plan.gsis.get(index.name);
    if (scope === undefined) return;
    this.throttler.consume(scope, kind, units, pk === undefined ? undefined : hashOf(pk));
  }
}

function hashOf(pk: AttributeValue): number {
  return partitionHash(encodeKeyValue(pk as KeyValue));
}

function onDemandLimits(max: TableMeta['onDemand']): CapacityLimits {
  const limit = (n: number | undefined) => (n === undefined || n <= 0 ? Infinity : n);
  return { read: limit(max?.MaxReadRequestUnits), write: limit(max?.MaxWriteRequestUnits) };
}

function gsiProvisioned(index: IndexMeta): CapacityLimits {
  return index.provisioned === undefined ? { read: Infinity, write: Infinity } : { read: index.provisioned.read, write: index.provisioned.write };
}

/**
 * DynamoDB's throttling error, with the ThrottlingReasons it now attaches
 * (Table|Index + Read|Write + ProvisionedThroughputExceeded | KeyRangeThroughputExceeded |
 * MaxOnDemandThroughputExceeded).
 */
function throttlingError(scope: Scope, kind: CapacityKind, partition: boolean): DynamoError {
  const limit = partition ? 'KeyRangeThroughputExceeded' : scope.onDemand ? 'MaxOnDemandThroughputExceeded' : 'ProvisionedThroughputExceeded';
  const reason = `${scope.index === undefined ? 'Table' : 'Index'}${kind === 'read' ? 'Read' : 'Write'}${limit}`;
  const message =
    scope.onDemand && !partition
      ? `Throughput exceeds the maximum OnDemandThroughput configured on ${scope.index === undefined ? 'the table' : 'one or more global secondary indexes of the table'}.`
      : scope.index === undefined
        ? 'The level of configured provisioned throughput for the table was exceeded. Consider increasing your provisioning level with the UpdateTable API.'
        : 'The level of configured provisioned throughput for one or more global secondary indexes of the table was exceeded. ' +
          'Consider increasing your provisioning level for the under-provisioned global secondary indexes with the UpdateTable API';
  return dynamoError('ProvisionedThroughputExceededException', message, { ThrottlingReasons: [{ reason, resource: scope.arn }] });
}
