/** When an item has expired under Time to Live, as DynamoDB decides it. */
import type { Item } from '../../values/types.js';

/** Items whose TTL is further in the past than this are never deleted (DynamoDB: five years). */
const MAX_AGE_SECONDS = 5 * 365 * 24 * 60 * 60;

/**
 * True when the item's TTL attribute is a Number of epoch seconds at or before `nowMs`,
 * and no more than five years back. Missing, non-Number and far-past values never expire.
 */
export function isExpired(item: Item, attributeName: string, nowMs: number): boolean {
  const value = item[attributeName] as { N?: string } | undefined;
  if (value?.N === undefined) return false;
  const seconds = Number(value.N);
  const now = nowMs / 1000;
  return Number.isFinite(seconds) && seconds <= now && seconds >= now - MAX_AGE_SECONDS;
}
