/** Shared by the batch and transaction tests: table creation and a backoff retry loop. */
import { CreateTableCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';

type KeyType = 'S' | 'N' | 'B';

export async function createTable(client: DynamoDBClient, name: string, hash: [string, KeyType], range?: [string, KeyType]): Promise<void> {
  await client.send(new CreateTableCommand({
    TableName: name,
    BillingMode: 'PAY_PER_REQUEST',
    KeySchema: [{ AttributeName: hash[0], KeyType: 'HASH' }, ...(range ? [{ AttributeName: range[0], KeyType: 'RANGE' as const }] : [])],
    AttributeDefinitions: [{ AttributeName: hash[0], AttributeType: hash[1] }, ...(range ? [{ AttributeName: range[0], AttributeType: range[1] }] : [])],
  }));
}

/**
 * The seed's advice for batch operations: resend what came back unprocessed, waiting
 * exponentially longer between attempts. `send` returns what is still left (empty: done).
 */
export async function retryWithBackoff<T>(
  first: T,
  send: (request: T) => Promise<T | undefined>,
  options: { baseMs?: number; maxAttempts?: number; sleep?: (ms: number) => Promise<void> } = {},
): Promise<{ attempts: number; delays: number[] }> {
  const baseMs = options.baseMs ?? 10;
  const maxAttempts = options.maxAttempts ?? 8;
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  const delays: number[] = [];
  let request: T | undefined = first;
  for (let attempt = 1; attempt <= maxAttempts; attempt++) {
    request = await send(request!);
    if (request === undefined) return { attempts: attempt, delays };
    // Full jitter keeps many retrying clients from hammering in lockstep.
    const delay = Math.round(Math.random() * baseMs * 2 ** (attempt - 1));
    delays.push(delay);
    await sleep(delay);
  }
  throw new Error(`still unprocessed after ${maxAttempts} attempts`);
}
