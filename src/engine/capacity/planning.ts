/**
 * The provisioned-capacity arithmetic DynamoDB teaches (and the seed works through):
 * how many RCU / WCU a steady workload needs.
 *   requiredReadCapacity({ itemSizeBytes: 11 * 1024, readsPerSecond: 20, consistency: 'eventual' }) === 30
 *   requiredWriteCapacity({ itemSizeBytes: 7 * 1024, writesPerSecond: 120 / 60 }) === 14
 */
import { readUnits, writeUnits } from './units.js';

export interface ReadWorkload {
  itemSizeBytes: number;
  readsPerSecond: number;
  consistency?: 'eventual' | 'strong' | 'transactional';
}

export interface WriteWorkload {
  itemSizeBytes: number;
  writesPerSecond: number;
  transactional?: boolean;
}

export function requiredReadCapacity(w: ReadWorkload): number {
  const perRead = readUnits(w.itemSizeBytes, w.consistency !== undefined && w.consistency !== 'eventual');
  const factor = w.consistency === 'transactional' ? 2 : 1;
  return Math.ceil(perRead * factor * w.readsPerSecond);
}

export function requiredWriteCapacity(w: WriteWorkload): number {
  return Math.ceil(writeUnits(0, w.itemSizeBytes) * (w.transactional ? 2 : 1) * w.writesPerSecond);
}
