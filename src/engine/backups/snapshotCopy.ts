/**
 * Taking a backup without blocking traffic: copy-on-write, first copy wins.
 *
 * A backup's moment is the commit that starts it. A background job then walks the
 * table's items in key order, in bounded pages, copying each into the backup; the
 * table's write observer, meanwhile, saves an item's *old* state into the backup
 * before a write changes it, unless the backup holds the item already (`putIfAbsent`).
 * So every item lands in the backup as it was at the moment — a consistent snapshot,
 * while writes go on. An item created after the moment leaves an empty marker that the
 * last phase removes.
 *
 * The walk never reads, in a transaction, what writers write. Each page is read from a
 * storage snapshot taken after the moment (`readCopyPage`): the items, and which of them
 * the observer has saved already. An item not saved by then was not written between the
 * moment and the snapshot, so its snapshot state is its state at the moment, and any
 * write before the page's transaction commits saves those same bytes: the transaction
 * (`copyBatch`) puts them blindly. Writers read only the "copying" key, which the walk
 * writes at its start and deletes at its end, never in between (its position is the job's
 * own state). Over a store with serializable transactions writers and the walk thus meet
 * only on the very item both save at the same time, and writers saving items next to each
 * other do not meet at all: none reads what the others insert.
 */
import type { ReadOps, WriteOps } from '../../storage/kv.js';
import type { ItemChange, WriteObserver } from '../table.js';
import { indexPrefix } from '../keyspace.js';
import { prefixEnd } from '../../values/keycodec.js';
import { storedItemSize } from '../storedItem.js';
import type { JobBatch } from '../jobs/runner.js';
import { backupItemKey, backupItemsRange, backupItemSuffix, copyingKey, itemSuffix, keyAfter } from './keys.js';

const NOTHING = Buffer.alloc(0);
const BATCH = 500;

/** The write observer of a table with backups in progress (their numbers). */
export function snapshotCopyObserver(backupNos: readonly number[]): WriteObserver {
  return function saveBeforeWrite(txn: WriteOps, change: ItemChange): void {
    const suffix = itemSuffix(change.storageKey);
    for (const no of backupNos) {
      if (txn.get(copyingKey(no)) === undefined) continue; // the walk is over: the backup is complete
      // Copied, or saved by an earlier write: the backup has the item as it was at the moment.
      txn.putIfAbsent(backupItemKey(no, suffix), change.stored ?? NOTHING);
    }
  };
}

/** Starts the walk (in the transaction that marks the backup's moment). */
export function startCopy(txn: WriteOps, backupNo: number): void {
  txn.put(copyingKey(backupNo), NOTHING);
}

export interface CopyState {
  phase: 'copy' | 'tally';
  /** Hex of the last key handled. */
  after?: string;
  itemCount: number;
  sizeBytes: number;
}

/** One page of the walk, read from a snapshot: what to copy, and where the page ends. */
export interface CopyPage {
  /** Items the observer had not saved at the snapshot: item-key suffix and stored bytes. */
  copies: { suffix: Buffer; stored: Buffer }[];
  /** The last item of the page (undefined: the page is empty). */
  last?: Buffer;
  /** Items the page covered. */
  processed: number;
  /** The walk has reached the end of the table. */
  end: boolean;
}

/** Reads the next page of the copy walk (in the copy phase) from a snapshot taken after the moment. */
export function readCopyPage(ops: ReadOps, tableId: number, backupNo: number, state: CopyState | undefined): CopyPage | undefined {
  if (state !== undefined && state.phase !== 'copy') return undefined;
  const prefix = indexPrefix(tableId, 0);
  const gte = state?.after === undefined ? prefix : keyAfter(Buffer.concat([prefix, Buffer.from(state.after, 'hex')]));
  // Copied out: an embedded store's buffers are valid only inside the snapshot.
  const items = [...ops.range({ gte, lt: prefixEnd(prefix)!, limit: BATCH })].map(({ key, value }) => ({ suffix: Buffer.from(itemSuffix(key)), stored: Buffer.from(value) }));
  const copies = items.filter(({ suffix }) => ops.get(backupItemKey(backupNo, suffix)) === undefined);
  return { copies, last: items.at(-1)?.suffix, processed: items.length, end: items.length < BATCH };
}

/**
 * One batch: first copy a page the observer has not saved (read by `readCopyPage`), then
 * (phase "tally") count the backup and drop the markers of items that did not exist at the moment.
 */
export function copyBatch(txn: WriteOps, backupNo: number, state: CopyState | undefined, page: CopyPage | undefined): JobBatch<CopyState> {
  const current = state ?? { phase: 'copy', itemCount: 0, sizeBytes: 0 };
  if (current.phase === 'copy') {
    if (page === undefined) throw new Error('A backup copy batch needs the page read before it');
    return copyPage(txn, backupNo, page, current);
  }
  return tally(txn, backupNo, current.after === undefined ? undefined : Buffer.from(current.after, 'hex'), current);
}

function copyPage(txn: WriteOps, backupNo: number, page: CopyPage, state: CopyState): JobBatch<CopyState> {
  for (const { suffix, stored } of page.copies) txn.put(backupItemKey(backupNo, suffix), stored);
  if (page.end) {
    txn.delete(copyingKey(backupNo)); // from here on, writes leave the backup alone
    return { state: { ...state, phase: 'tally', after: undefined }, processed: page.processed, done: false };
  }
  return { state: { ...state, after: page.last!.toString('hex') }, processed: page.processed, done: false };
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
