/**
 * The one place capacity is accounted. Every data operation adds what it consumed —
 * per table, and per secondary index — to a tally, which
 *   - records it in the metrics (ConsumedRead/WriteCapacityUnits), asked for or not,
 *   - takes it from the throttling buckets when throttling is on for the table, and
 *   - shapes the ConsumedCapacity member for ReturnConsumedCapacity = TOTAL | INDEXES.
 *
 * Shapes follow DynamoDB: TableName and CapacityUnits always; Table and the
 * GlobalSecondaryIndexes / LocalSecondaryIndexes maps with INDEXES; the split into
 * ReadCapacityUnits / WriteCapacityUnits only for transactional operations.
 */
import { writeUnits } from './units.js';
import type { Table } from '../table.js';
import type { WriteResult } from '../itemWrite.js';
import type { IndexInfo } from '../indexes/indexInfo.js';
import type { AttributeValue, Item } from '../../values/types.js';
import type { Metrics } from '../metrics.js';
import type { ThrottleGate } from './throttleGate.js';
import type { CapacityKind } from './units.js';

interface Units {
  read: number;
  write: number;
}

interface Entry extends Units {
  table: Table;
  /** What the table itself consumed (the rest went to its indexes). */
  own: Units;
  indexes: Map<IndexInfo, Units> | undefined;
}

/** Where consumed capacity goes besides the response: the metrics and the throttling buckets. */
export interface CapacitySinks {
  metrics: Metrics;
  throttle: ThrottleGate;
}

export class CapacityTally {
  private readonly entries: Entry[] = [];
  readonly wanted: boolean;

  constructor(
    private readonly sinks: CapacitySinks,
    private readonly operation: string,
    private readonly mode: unknown,
    private readonly transactional = false,
  ) {
    this.wanted = mode === 'TOTAL' || mode === 'INDEXES';
  }

  /**
   * Read capacity on the table, or on `index`. `pk` is the partition key value read
   * (of the index for index reads), when the read targets one partition.
   */
  read(table: Table, units: number, index?: IndexInfo, pk?: AttributeValue): void {
    this.add(table, 'read', units, index, pk);
  }

  write(table: Table, units: number, index?: IndexInfo, pk?: AttributeValue): void {
    this.add(table, 'write', units, index, pk);
  }

  /** A committed item write: the table's share and each index's (`factor` 2 for transactions). */
  written(table: Table, key: Item, result: WriteResult, factor = 1): void {
    const pk = key[table.schema.hashKey];
    this.write(table, factor * writeUnits(result.oldSize, result.newSize), undefined, pk);
    const perIndex = result.indexWriteUnits;
    if (perIndex === undefined) return;
    for (let i = 0; i < perIndex.length; i++) {
      if (perIndex[i]! > 0) this.write(table, factor * perIndex[i]!, table.indexing.indexes[i]);
    }
  }

  private add(table: Table, kind: CapacityKind, units: number, index: IndexInfo | undefined, pk: AttributeValue | undefined): void {
    const name = table.meta.name;
    // CloudWatch reports LSI consumption as the table's: only GSIs have a dimension.
    const gsi = index !== undefined && index.meta.kind === 'GSI' ? index : undefined;
    this.sinks.metrics.consumed(name, gsi?.name, this.operation, kind, units);
    this.sinks.throttle.consume(table, gsi, kind, units, pk);
    if (!this.wanted) return;
    let entry: Entry | undefined;
    for (const e of this.entries) if (e.table.meta.name === name) entry = e;
    if (entry === undefined) {
      entry = { table, read: 0, write: 0, own: { read: 0, write: 0 }, indexes: undefined };
      this.entries.push(entry);
    }
    entry[kind] += units;
    if (index === undefined) {
      entry.own[kind] += units;
      return;
    }
    entry.indexes ??= new Map();
    let perIndex = entry.indexes.get(index);
    if (perIndex === undefined) entry.indexes.set(index, (perIndex = { read: 0, write: 0 }));
    perIndex[kind] += units;
  }

  /** The ConsumedCapacity of a single-table operation, or undefined when not asked for. */
  single(table: Table): Record<string, unknown> | undefined {
    if (!this.wanted) return undefined;
    const entry = this.entries[0] ?? { table, read: 0, write: 0, own: { read: 0, write: 0 }, indexes: undefined };
    return this.shape(entry);
  }

  /** The ConsumedCapacity list of a multi-table operation (first-touched order), or undefined. */
  list(): Record<string, unknown>[] | undefined {
    if (!this.wanted) return undefined;
    return this.entries.map((e) => this.shape(e));
  }

  private shape(entry: Entry): Record<string, unknown> {
    const out: Record<string, unknown> = { TableName: entry.table.meta.name, ...this.capacity(entry) };
    if (this.mode !== 'INDEXES') return out;
    out.Table = this.capacity(entry.own);
    if (entry.indexes === undefined) return out;
    for (const [index, units] of entry.indexes) {
      const member = index.meta.kind === 'GSI' ? 'GlobalSecondaryIndexes' : 'LocalSecondaryIndexes';
      ((out[member] ??= {}) as Record<string, unknown>)[index.name] = this.capacity(units);
    }
    return out;
  }

  private capacity(units: Units): Record<string, number> {
    const out: Record<string, number> = { CapacityUnits: units.read + units.write };
    if (this.transactional) {
      if (units.read > 0) out.ReadCapacityUnits = units.read;
      if (units.write > 0) out.WriteCapacityUnits = units.write;
    }
    return out;
  }
}
