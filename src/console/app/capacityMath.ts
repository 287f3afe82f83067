/**
 * The RCU/WCU calculator's arithmetic, as DynamoDB teaches it: reads in 4 KB units
 * (eventually consistent costs half, transactional double), writes in 1 KB units
 * (transactional double). Mirrors the server's engine/capacityPlanning.ts.
 */
export type ReadConsistency = 'eventual' | 'strong' | 'transactional';

export function requiredReadCapacity(itemSizeBytes: number, readsPerSecond: number, consistency: ReadConsistency): number {
  const units = Math.max(1, Math.ceil(itemSizeBytes / 4096));
  const perRead = consistency === 'eventual' ? units / 2 : consistency === 'transactional' ? units * 2 : units;
  return Math.ceil(perRead * readsPerSecond);
}

export function requiredWriteCapacity(itemSizeBytes: number, writesPerSecond: number, transactional: boolean): number {
  const units = Math.max(1, Math.ceil(itemSizeBytes / 1024));
  return Math.ceil(units * (transactional ? 2 : 1) * writesPerSecond);
}
