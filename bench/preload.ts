/**
 * Creating the benchmark tables and loading them: BatchWriteItem (25 per request)
 * where the server has it, PutItem with the same concurrency where it does not.
 */
import { BenchClient, errorType, isUnsupported } from './client.js';
import { bigItem, createTableInput, ITEMS_TABLE, RANGES_TABLE, smallItem, type DataSizes, type Item } from './data.js';

const CONCURRENCY = 32;

export async function createTable(client: BenchClient, table: string): Promise<void> {
  await client.call('CreateTable', createTableInput(table));
  for (let i = 0; i < 500; i++) {
    const { Table } = await client.call('DescribeTable', { TableName: table });
    if (Table.TableStatus === 'ACTIVE') return;
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error(`table ${table} never became ACTIVE`);
}

/** Whether BatchWriteItem works on this server (a probe write of one item); PutItem is the fallback. */
export async function supportsBatchWrite(client: BenchClient, table: string, probe: Item): Promise<boolean> {
  const { status, body } = await client.send('BatchWriteItem', { RequestItems: { [table]: [{ PutRequest: { Item: probe } }] } });
  if (status === 200) return true;
  if (!isUnsupported(status, body)) {
    process.stderr.write(`  BatchWriteItem failed (${status} ${errorType(body)}: ${body?.message ?? ''}); preloading with PutItem\n`);
  }
  return false;
}

/** Writes items from..to-1 made by `makeItem`; returns how it wrote them. */
export async function preload(client: BenchClient, table: string, from: number, to: number, makeItem: (n: number) => Item): Promise<'BatchWriteItem' | 'PutItem'> {
  const batched = await supportsBatchWrite(client, table, makeItem(from));
  const perRequest = batched ? 25 : 1;
  let next = from;
  const worker = async () => {
    while (next < to) {
      const first = next;
      next = Math.min(to, next + perRequest);
      if (batched) await batchWrite(client, table, first, next, makeItem);
      else await client.call('PutItem', { TableName: table, Item: makeItem(first) });
    }
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
  return batched ? 'BatchWriteItem' : 'PutItem';
}

async function batchWrite(client: BenchClient, table: string, from: number, to: number, makeItem: (n: number) => Item): Promise<void> {
  let requests: unknown[] = [];
  for (let n = from; n < to; n++) requests.push({ PutRequest: { Item: makeItem(n) } });
  for (let attempt = 0; requests.length > 0; attempt++) {
    if (attempt > 50) throw new Error(`BatchWriteItem left items unprocessed 50 times on ${table}`);
    const out = await client.call('BatchWriteItem', { RequestItems: { [table]: requests } });
    requests = out.UnprocessedItems?.[table] ?? [];
    if (requests.length > 0) await new Promise((r) => setTimeout(r, 10 * attempt));
  }
}

/** Both benchmark tables created and filled: `sizes.items` items of ~1 KB, and the partitions of small items. */
export async function loadBenchTables(client: BenchClient, sizes: DataSizes): Promise<void> {
  await createTable(client, ITEMS_TABLE);
  await createTable(client, RANGES_TABLE);
  await preload(client, ITEMS_TABLE, 0, sizes.items, bigItem);
  const per = sizes.perPartition;
  await preload(client, RANGES_TABLE, 0, sizes.partitions * per, (n) => smallItem(Math.floor(n / per), n % per));
}
