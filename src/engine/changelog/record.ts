/**
 * A change record as the log stores it: JSON text put together from the stored item
 * encodings without parsing them. Both images are always kept (point-in-time recovery
 * and replication need them whatever a stream's view type); readers filter.
 *   {"e":"INSERT"|"MODIFY"|"REMOVE","t":ms,"k":{keys},"o":{old item},"n":{new item},"u":"ttl"}
 */
import type { Item } from '../../values/types.js';

export type ChangeEvent = 'INSERT' | 'MODIFY' | 'REMOVE';
/** Who made a change: a client request, or the TTL sweeper (DynamoDB's service identity). */
export type ChangeOrigin = 'ttl';

export interface ChangeRecord {
  /** The record's place in its shard (1, 2, ...). */
  counter: number;
  event: ChangeEvent;
  /** Milliseconds since the epoch. */
  time: number;
  keys: Item;
  old?: Item;
  new?: Item;
  origin?: ChangeOrigin;
  /** Bytes the record takes in the log (for read paging). */
  bytes: number;
}

export function encodeRecord(event: ChangeEvent, time: number, keysJson: string, oldJson: string | undefined, newJson: string | undefined, origin: ChangeOrigin | undefined): Buffer {
  let text = `{"e":"${event}","t":${time},"k":${keysJson}`;
  if (oldJson !== undefined) text += `,"o":${oldJson}`;
  if (newJson !== undefined) text += `,"n":${newJson}`;
  if (origin !== undefined) text += `,"u":"${origin}"`;
  return Buffer.from(text + '}', 'utf8');
}

export function decodeRecord(counter: number, value: Buffer): ChangeRecord {
  const raw = JSON.parse(value.toString('utf8')) as { e: ChangeEvent; t: number; k: Item; o?: Item; n?: Item; u?: ChangeOrigin };
  const record: ChangeRecord = { counter, event: raw.e, time: raw.t, keys: raw.k, bytes: value.length };
  if (raw.o !== undefined) record.old = raw.o;
  if (raw.n !== undefined) record.new = raw.n;
  if (raw.u !== undefined) record.origin = raw.u;
  return record;
}

/**
 * DynamoDB's sequence number form (21+ decimal digits): the shard number followed by
 * the record's 20-digit counter, so numbers grow within a shard and from parent to child.
 */
export function sequenceNumber(shardNo: number, counter: number): string {
  return String(shardNo) + String(counter).padStart(20, '0');
}

/** The shard number and counter of a sequence number, or undefined if it is not one. */
export function parseSequenceNumber(text: string): { shardNo: number; counter: number } | undefined {
  if (!/^[1-9][0-9]{20,29}$/.test(text)) return undefined;
  const shardNo = Number(text.slice(0, -20));
  const counter = Number(text.slice(-20));
  if (!Number.isSafeInteger(shardNo) || !Number.isSafeInteger(counter)) return undefined;
  return { shardNo, counter };
}
