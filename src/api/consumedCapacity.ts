/** The ConsumedCapacity member, shaped for ReturnConsumedCapacity = TOTAL | INDEXES. */

export function consumedCapacity(mode: unknown, tableName: string, units: number, kind: 'read' | 'write'): Record<string, unknown> | undefined {
  if (mode !== 'TOTAL' && mode !== 'INDEXES') return undefined;
  const split = kind === 'read' ? { ReadCapacityUnits: units } : { WriteCapacityUnits: units };
  const out: Record<string, unknown> = { TableName: tableName, CapacityUnits: units, ...split };
  if (mode === 'INDEXES') out.Table = { CapacityUnits: units, ...split };
  return out;
}
