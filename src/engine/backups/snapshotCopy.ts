/**
 * Taking a backup without blocking traffic: copy-on-write against a cursor.
 *
 * A backup's moment is the commit that starts it. A background job then walks the
 * table's items in key order, in bounded batches, copying each into the backup; the
 * table's write observer, meanwhile, saves an item's *old* state into the backup
 * before a write changes it, if the walk has not reached that item yet. Whichever
 * comes first wins (the other sees the backup key taken), so every item lands in the
 * backup as it was at the moment — a consistent snapshot, while writes go on.
 * An item created after the moment leaves an empty marker that the last phase removes.
 */
import type { ReadOps, WriteOps } from '../../storage/kv.js';
import type { ItemChange, WriteObserver } from '../itemWrite.js';
import { indexPrefix } from '../keyspace.js';
import { prefixEnd } from '../../values/keycodec.js';
import { storedItemSize } from '../storedItem.js';
import type { JobBatch } from '../jobs/runner.js';
import { backupItemKey, backupItemsRange, backupItemSuffix, copyCursorKey, itemSuffix, keyAfter } from './keys.js';

const NOTHING = Buffer.alloc(0);
const BATCH = 500;

/** The write observer of a table with backups in progress (their numbers). */
export function snapshotCopyObserver(backupNos: readonly number[]): WriteObserver {
  return function saveBeforeWrite(txn: WriteOps, change: ItemChange): void {
    const suffix = itemSuffix(change.storageKey);
    for (const no of backupNos) {
      const cursor = txn.get(copyCursorKey(no));
      if (cursor === undefined) continue; // the walk is over: the backup is complete
      if (cursor.length > 0 && Buffer.compare(suffix, cursor) <= 0) continue; // already copied
      const key = backupItemKey(no, suffix);
      if (txn.get(key) === undefined) txn.put(key, change.stored ?? NOTHING);
    }
  };
}

/** Starts the walk (in the transaction that marks the backup's moment). */
export function startCopy(txn: WriteOps, backupNo: number): void {
  txn.put(copyCursorKey(backupNo), NOTHING);
}

export interface CopyState {
  phase: 'copy' | 'tally';
  /** Hex of the last key handled. */
  after?: string;
  itemCount: number;
  sizeBytes: number;
}

/**
 * One batch: first copy items the observer has not saved, then (phase "tally") count
 * the backup and drop the markers of items that did not exist at the moment.
 */
export function copyBatch(txn: WriteOps, tableId: number, backupNo: number, state: CopyState | undefined): JobBatch<CopyState> {
  const current = state ?? { phase: 'copy', itemCount: 0, sizeBytes: 0 };
  const after = current.after === undefined ? undefined : Buffer.from(current.after, 'hex');
  return current.phase === 'copy' ? copyItems(txn, tableId, backupNo, after, current) : tally(txn, backupNo, after, current);
}

function copyItems(txn: WriteOps, tableId: number, backupNo: number, after: Buffer | undefined, state: CopyState): JobBatch<CopyState> {
  const prefix = indexPrefix(tableId, 0);
  const gte = after === undefined ? prefix : keyAfter(Buffer.concat([prefix, after]));
  let last: Buffer | undefined;
  let processed = 0;
  for (const { key, value } of txn.range({ gte, lt: prefixEnd(prefix)!, limit: BATCH })) {
    last = Buffer.from(itemSuffix(key));
    const target = backupItemKey(backupNo, last);
    if (txn.get(target) === undefined) txn.put(target, value);
    processed++;
  }
  if (processed < BATCH) {
    txn.delete(copyCursorKey(backupNo)); // from here on, writes leave the backup alone
    return { state: { ...state, phase: 'tally', after: undefined }, processed, done: false };
  }
  txn.put(copyCursorKey(backupNo), last!);
  return { state: { ...state, after: last!.toString('hex') }, processed, done: false };
}

function tally(txn: WriteOps, backupNo: number, after: Buffer | undefined, state: CopyState): JobBatch<CopyState> {
  const range = backupItemsRange(backupNo);
  const gte = after === undefined ? range.gte : keyAfter(backupItemKey(backupNo, after));
  let { itemCount, sizeBytes } = state;
  let last: Buffer | undefined;
  let processed = 0;
  for (const { key, value } of txn.range({ gte, lt: range.lt, limit: BATCH })) {
    last = Buffer.from(backupItemSuffix(key));
    processed++;
    if (value.length === 0) txn.delete(key);
    else {
      itemCount++;
      sizeBytes += storedItemSize(value);
    }
  }
  const next: CopyState = { phase: 'tally', itemCount, sizeBytes, ...(last ? { after: last.toString('hex') } : {}) };
  return { state: next, processed, done: processed < BATCH };
}

/** One batch of a backup's stored items after `after` (a suffix), for a restore or a deletion. */
export function backupItems(ops: ReadOps, backupNo: number, after: Buffer | undefined, limit: number): { key: Buffer; suffix: Buffer; stored: Buffer }[] {
  const range = backupItemsRange(backupNo);
  const gte = after === undefined ? range.gte : keyAfter(backupItemKey(backupNo, after));
  return [...ops.range({ gte, lt: range.lt, limit })].map(({ key, value }) => ({ key, suffix: Buffer.from(backupItemSuffix(key)), stored: value }));
}
