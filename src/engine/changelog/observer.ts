/**
 * The change log's write observer: appends a record for every real change of an item
 * to the open shard of the item's partition-hash range, in the write's own transaction.
 * A put of an identical item, or a delete of a missing one, records nothing.
 */
import type { WriteOps } from '../../storage/kv.js';
import type { Item } from '../../values/types.js';
import { valuesEqual } from '../../values/compare.js';
import { storedItemSize } from '../storedItem.js';
import type { ItemChange } from '../table.js';
import { decodeHead, encodeHead, hashRangeOf, headKey, recordKey } from './keys.js';
import { encodeRecord } from './record.js';

/** The partition hash sits right after `tag | table id | index no` in a storage key. */
const HASH_OFFSET = 6;

export function changeLogObserver(now: () => number) {
  return function logChange(txn: WriteOps, change: ItemChange): void {
    const { stored, nextStored } = change;
    if (stored === undefined && nextStored === undefined) return;
    if (stored !== undefined && nextStored !== undefined && sameItem(stored, nextStored, change)) return;
    const tableId = change.table.meta.id;
    const head = headKey(tableId, hashRangeOf(change.storageKey.readUInt32BE(HASH_OFFSET)));
    const current = txn.get(head);
    if (current === undefined) return; // no open stream (disabled since the request looked the table up)
    const { shardNo, nextCounter } = decodeHead(current);
    const event = stored === undefined ? 'INSERT' : nextStored === undefined ? 'REMOVE' : 'MODIFY';
    const record = encodeRecord(
      event,
      now(),
      JSON.stringify(keysOf(change)),
      stored?.toString('utf8', 4),
      nextStored?.toString('utf8', 4),
      change.origin,
    );
    txn.put(recordKey(tableId, shardNo, nextCounter), record);
    txn.put(head, encodeHead(shardNo, nextCounter + 1));
  };
}

/** Equal stored bytes, or (rarer) the same attributes in another order or form. */
function sameItem(stored: Buffer, nextStored: Buffer, change: ItemChange): boolean {
  if (stored.equals(nextStored)) return true;
  if (storedItemSize(stored) !== storedItemSize(nextStored)) return false;
  return valuesEqual({ M: change.old()! }, { M: change.next! });
}

function keysOf({ table, key }: ItemChange): Item {
  const { hashKey, rangeKey } = table.schema;
  const keys: Item = { [hashKey]: key[hashKey]! };
  if (rangeKey !== undefined) keys[rangeKey] = key[rangeKey]!;
  return keys;
}
