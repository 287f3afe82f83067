/**
 * The TTL sweeper: walks a table's items in bounded batches, each its own transaction,
 * and deletes expired ones through the normal write path (indexes, statistics and the
 * change log, where the deletion carries the TTL service identity). The recurring
 * `ttl-sweep` job (jobs/upkeepJobs.ts) runs one batch per job batch; the test control
 * sweeps a whole table at once.
 */
import type { EngineCore } from '../engineCore.js';
import type { Table } from '../table.js';
import { blindMutation, type ItemTransaction } from '../itemWrite.js';
import { indexPrefix } from '../keyspace.js';
import { decodeStoredItem } from '../storedItem.js';
import { prefixEnd } from '../../values/keycodec.js';
import type { Item } from '../../values/types.js';
import { isExpired } from './expiry.js';

/** Items examined per transaction: small enough never to stall foreground writes. */
export const SWEEP_BATCH = 500;

export interface SweepBatch {
  deleted: number;
  /** Where the next batch starts; undefined when the table has been walked to its end. */
  next: Buffer | undefined;
}

const deleteByTtl = blindMutation(() => undefined);

/**
 * Inside `txn`: examines up to SWEEP_BATCH items of the table from `from` on (a key of
 * this table, from an earlier batch) and deletes the expired ones.
 */
export function sweepTtlBatch(txn: ItemTransaction, table: Table, from: Buffer | undefined, now: number): SweepBatch {
  const ttl = table.meta.ttl;
  if (ttl === undefined || !ttl.enabled) return { deleted: 0, next: undefined };
  const prefix = indexPrefix(table.meta.id, 0);
  const expired: { storageKey: Buffer; item: Item }[] = [];
  let seen = 0;
  let last: Buffer | undefined;
  for (const { key, value } of txn.kv.range({ gte: from ?? prefix, lt: prefixEnd(prefix)!, limit: SWEEP_BATCH })) {
    seen++;
    last = Buffer.from(key);
    const item = decodeStoredItem(value);
    if (isExpired(item, ttl.attributeName, now)) expired.push({ storageKey: last, item });
  }
  // Deleted after the walk: the range is not modified while it is being read.
  for (const { storageKey, item } of expired) txn.write({ table, key: keyOf(table, item), mutate: deleteByTtl, storageKey, origin: 'ttl' });
  const next = seen < SWEEP_BATCH || last === undefined ? undefined : Buffer.concat([last, Buffer.from([0])]);
  return { deleted: expired.length, next };
}

/** Sweeps the whole table now, batch by batch, letting other work run in between; returns how many items it deleted. */
export async function sweepTtl(db: EngineCore, tableName: string): Promise<number> {
  let deleted = 0;
  let from: Buffer | undefined;
  do {
    const table = db.findTable(tableName);
    if (table === undefined || table.meta.status === 'DELETING') break;
    const batch = await db.transactItems((txn) => sweepTtlBatch(txn, table, from, db.clock.now()));
    deleted += batch.deleted;
    from = batch.next;
    await new Promise((resolve) => setImmediate(resolve));
  } while (from !== undefined);
  return deleted;
}

function keyOf(table: Table, item: Item): Item {
  const { hashKey, rangeKey } = table.schema;
  const key: Item = { [hashKey]: item[hashKey]! };
  if (rangeKey !== undefined) key[rangeKey] = item[rangeKey]!;
  return key;
}
