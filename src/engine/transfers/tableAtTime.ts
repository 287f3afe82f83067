/**
 * A table's items as they were at a time, from its point-in-time-recovery base and
 * history (read from one snapshot): item key suffix (hex) -> stored item.
 */
import type { ReadOps } from '../../storage/kv.js';
import { backupItemsRange, backupItemSuffix, historyRange, historySuffix, historyTime } from '../backups/keys.js';

const PUT = 0x01;

export function itemsAt(snap: ReadOps, tableNo: number, baseNo: number, time: number): Map<string, Buffer> {
  const items = new Map<string, Buffer>();
  for (const { key, value } of snap.range(backupItemsRange(baseNo))) items.set(backupItemSuffix(key).toString('hex'), value);
  for (const { key, value } of snap.range(historyRange(tableNo, time))) {
    const suffix = historySuffix(key).toString('hex');
    if (value[0] === PUT) items.set(suffix, value.subarray(1));
    else items.delete(suffix);
  }
  return items;
}

/** The last change of each item in (from, to]: suffix (hex) -> { time, stored or undefined (deleted), key JSON }. */
export function changesBetween(snap: ReadOps, tableNo: number, from: number, to: number): Map<string, { time: number; value: Buffer }> {
  const changes = new Map<string, { time: number; value: Buffer }>();
  for (const { key, value } of snap.range({ gte: historyRange(tableNo, from).lt, lt: historyRange(tableNo, to).lt })) {
    changes.set(historySuffix(key).toString('hex'), { time: historyTime(key), value });
  }
  return changes;
}
