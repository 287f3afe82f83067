/** Adds up the ConsumedCapacity of several item API calls made for one statement. */

type Capacity = Record<string, unknown>;

export function addCapacity(total: Capacity | undefined, next: Capacity | undefined): Capacity | undefined {
  if (next === undefined) return total;
  if (total === undefined) return structuredClone(next);
  for (const [key, value] of Object.entries(next)) {
    const sum = total[key];
    if (typeof value === 'number') total[key] = (typeof sum === 'number' ? sum : 0) + value;
    else if (value !== null && typeof value === 'object') total[key] = addCapacity(sum as Capacity | undefined, value as Capacity);
    else total[key] = value;
  }
  return total;
}

/** Per-table totals of several ConsumedCapacity entries, in order of first appearance. */
export function capacityPerTable(entries: (Capacity | undefined)[]): Capacity[] {
  const byTable = new Map<string, Capacity>();
  for (const entry of entries) {
    if (entry === undefined) continue;
    const name = entry.TableName as string;
    byTable.set(name, addCapacity(byTable.get(name), entry)!);
  }
  return [...byTable.values()];
}
