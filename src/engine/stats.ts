/** Per-table item count and size, kept in the key space and updated in every write transaction. */
import type { ReadOps, WriteOps } from '../storage/kv.js';
import { statsKey } from './keyspace.js';

export interface TableStats {
  itemCount: number;
  sizeBytes: number;
}

export function readStats(ops: ReadOps, tableId: number): TableStats {
  return readStatsAt(ops, statsKey(tableId));
}

export function adjustStats(txn: WriteOps, tableId: number, countDelta: number, sizeDelta: number): void {
  if (countDelta === 0 && sizeDelta === 0) return;
  adjustStatsAt(txn, statsKey(tableId), countDelta, sizeDelta);
}

/** The counts stored under a statistics key (a table's, or an index's). */
export function readStatsAt(ops: ReadOps, key: Buffer): TableStats {
  const raw = ops.get(key);
  if (!raw) return { itemCount: 0, sizeBytes: 0 };
  return { itemCount: raw.readDoubleBE(0), sizeBytes: raw.readDoubleBE(8) };
}

export function adjustStatsAt(txn: WriteOps, key: Buffer, countDelta: number, sizeDelta: number): void {
  const current = readStatsAt(txn, key);
  const raw = Buffer.allocUnsafe(16);
  raw.writeDoubleBE(current.itemCount + countDelta, 0);
  raw.writeDoubleBE(current.sizeBytes + sizeDelta, 8);
  txn.put(key, raw);
}
