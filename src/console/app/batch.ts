/** BatchWriteItem in chunks of 25, sending back unprocessed items with backoff. */
import type { Item } from './attr.js';
import { call } from './client.js';

type WriteRequest = { PutRequest: { Item: Item } } | { DeleteRequest: { Key: Item } };

const CHUNK = 25;
const MAX_ROUNDS = 8;

export async function batchWrite(table: string, requests: WriteRequest[], onProgress?: (done: number) => void): Promise<void> {
  let done = 0;
  for (let i = 0; i < requests.length; i += CHUNK) {
    let pending = requests.slice(i, i + CHUNK);
    for (let round = 0; pending.length > 0; round++) {
      if (round === MAX_ROUNDS) throw new Error(`${pending.length} writes stayed unprocessed after ${MAX_ROUNDS} attempts`);
      if (round > 0) await new Promise((r) => setTimeout(r, 50 * 2 ** round));
      const answer = await call<{ UnprocessedItems?: Record<string, WriteRequest[]> }>('BatchWriteItem', { RequestItems: { [table]: pending } });
      const unprocessed = answer.UnprocessedItems?.[table] ?? [];
      done += pending.length - unprocessed.length;
      pending = unprocessed;
      onProgress?.(done);
    }
  }
}

export function putRequests(items: Item[]): WriteRequest[] {
  return items.map((Item) => ({ PutRequest: { Item } }));
}

export function deleteRequests(keys: Item[]): WriteRequest[] {
  return keys.map((Key) => ({ DeleteRequest: { Key } }));
}
