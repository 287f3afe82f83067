/** Shared helpers for the Query and Scan tests (not a test file itself). */
import {
  QueryCommand, ScanCommand,
  type AttributeValue, type QueryCommandInput, type QueryCommandOutput, type ScanCommandInput, type ScanCommandOutput,
} from '@aws-sdk/client-dynamodb';
import { type TestContext } from './helpers.js';

export type Item = Record<string, AttributeValue>;

/**
 * Writes items with PutItem, `parallel` requests at a time. Plain HTTP requests, not
 * the SDK: loading is setup, and the SDK's per-call cost would dominate the test's time.
 */
export async function putAll(t: TestContext, table: string, items: Item[], parallel = 128): Promise<void> {
  for (let i = 0; i < items.length; i += parallel) {
    await Promise.all(items.slice(i, i + parallel).map(async (item) => {
      const res = await t.raw('PutItem', JSON.stringify({ TableName: table, Item: wire(item) }));
      if (res.status !== 200) throw new Error(`PutItem failed: ${res.text}`);
    }));
  }
}

/** The SDK's AttributeValue (binary as bytes) in DynamoDB's JSON wire form (binary as base64). */
function wire(item: Item): unknown {
  return JSON.parse(JSON.stringify(item, (_key, value) =>
    value instanceof Uint8Array ? Buffer.from(value).toString('base64') : value?.type === 'Buffer' ? Buffer.from(value.data).toString('base64') : value));
}

/** Every page of a Query, following LastEvaluatedKey. */
export function queryPages(t: TestContext, input: QueryCommandInput): Promise<QueryCommandOutput[]> {
  return allPages((start) => t.client.send(new QueryCommand({ ...input, ExclusiveStartKey: start })), 10_000);
}

/** Every page of a Scan, following LastEvaluatedKey. */
export function scanPages(t: TestContext, input: ScanCommandInput): Promise<ScanCommandOutput[]> {
  return allPages((start) => t.client.send(new ScanCommand({ ...input, ExclusiveStartKey: start })), 100_000);
}

/** Fetches pages until one has no LastEvaluatedKey (or `maxPages`, against endless paging). */
async function allPages<P extends { LastEvaluatedKey?: Item }>(fetchPage: (start: Item | undefined) => Promise<P>, maxPages: number): Promise<P[]> {
  const pages: P[] = [];
  let start: Item | undefined;
  do {
    const page = await fetchPage(start);
    pages.push(page);
    start = page.LastEvaluatedKey;
  } while (start !== undefined && pages.length < maxPages);
  return pages;
}

export function allItems(pages: { Items?: Item[] }[]): Item[] {
  return pages.flatMap((p) => p.Items ?? []);
}

/** A string of about `bytes` characters, to make items of a known size. */
export function filler(bytes: number): string {
  return 'x'.repeat(bytes);
}
