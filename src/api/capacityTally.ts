/**
 * ConsumedCapacity for operations that touch several tables (batch and transactional
 * operations): units summed per table, answered as a list in first-touched order.
 */
export class CapacityTally {
  private readonly tables = new Map<string, { read: number; write: number }>();

  constructor(private readonly mode: unknown) {}

  /** False when the request did not ask for ConsumedCapacity: callers skip the arithmetic. */
  get wanted(): boolean {
    return this.mode === 'TOTAL' || this.mode === 'INDEXES';
  }

  add(tableName: string, read: number, write: number): void {
    let entry = this.tables.get(tableName);
    if (entry === undefined) this.tables.set(tableName, (entry = { read: 0, write: 0 }));
    entry.read += read;
    entry.write += write;
  }

  /** The ConsumedCapacity list, or undefined when it was not asked for. */
  toJson(): Record<string, unknown>[] | undefined {
    if (!this.wanted) return undefined;
    const out: Record<string, unknown>[] = [];
    for (const [tableName, { read, write }] of this.tables) {
      const units: Record<string, number> = { CapacityUnits: read + write };
      if (read > 0) units.ReadCapacityUnits = read;
      if (write > 0) units.WriteCapacityUnits = write;
      const entry: Record<string, unknown> = { TableName: tableName, ...units };
      if (this.mode === 'INDEXES') entry.Table = { ...units };
      out.push(entry);
    }
    return out;
  }
}
