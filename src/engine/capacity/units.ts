/**
 * DynamoDB's capacity-unit arithmetic: reads in 4 KB units (eventually consistent
 * costs half), writes in 1 KB units, transactional operations cost double.
 */

/** Which of a table's (or index's) two capacities a request consumes. */
export type CapacityKind = 'read' | 'write';

const READ_UNIT_BYTES = 4096;
const WRITE_UNIT_BYTES = 1024;

export function readUnits(sizeBytes: number, consistent: boolean): number {
  const units = Math.max(1, Math.ceil(sizeBytes / READ_UNIT_BYTES));
  return consistent ? units : units / 2;
}

/** A write is charged on the larger of the old and new item. */
export function writeUnits(oldSize: number, newSize: number): number {
  return Math.max(1, Math.ceil(Math.max(oldSize, newSize) / WRITE_UNIT_BYTES));
}
