/**
 * A table's items as they were at a time, and its changes between two times, from its
 * point-in-time-recovery base and change log (read from one snapshot), keyed by the
 * item's key suffix (hex).
 */
import type { ReadOps } from '../../storage/kv.js';
import { keySchemaInfo } from '../tableMeta.js';
import { allRecords } from '../changelog/replay.js';
import { readBackup } from '../backups/backupRecord.js';
import { backupItemsRange, backupItemSuffix } from '../backups/keys.js';
import { recordSuffix, storedAfter } from '../backups/logImages.js';

/** An item's state after a change: the stored item, or undefined once deleted. */
export interface ItemChangeAt {
  time: number;
  stored: Buffer | undefined;
  keys: Record<string, unknown>;
}

export function itemsAt(snap: ReadOps, tableNo: number, baseNo: number, time: number): Map<string, Buffer> {
  const items = new Map<string, Buffer>();
  for (const { key, value } of snap.range(backupItemsRange(baseNo))) items.set(backupItemSuffix(key).toString('hex'), value);
  const base = readBackup(snap, baseNo)!;
  const schema = keySchemaInfo(base.table);
  const taken = base.logFolded ?? {};
  for (const { shardNo, record } of allRecords(snap, tableNo)) {
    if (record.counter <= (taken[shardNo] ?? 0) || record.time > time) continue;
    const suffix = recordSuffix(schema, record).toString('hex');
    const stored = storedAfter(record);
    if (stored !== undefined) items.set(suffix, stored);
    else items.delete(suffix);
  }
  return items;
}

/** The last change of each item in (from, to]. */
export function changesBetween(snap: ReadOps, tableNo: number, baseNo: number, from: number, to: number): Map<string, ItemChangeAt> {
  const schema = keySchemaInfo(readBackup(snap, baseNo)!.table);
  const changes = new Map<string, ItemChangeAt>();
  for (const { record } of allRecords(snap, tableNo)) {
    if (record.time <= from || record.time > to) continue;
    changes.set(recordSuffix(schema, record).toString('hex'), { time: record.time, stored: storedAfter(record), keys: record.keys });
  }
  return changes;
}
