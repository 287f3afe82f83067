/**
 * GetItem through the same AWS SDK v3 client, two ways: the in-process request handler
 * (startInProcess, no socket) and HTTP to a server in this process on a local port
 * (the SDK's node:http handler, keep-alive). Same data, same concurrency; prints ops/s
 * of each and their ratio. The in-process handler is what a test suite gets from
 * `startInProcess`; the HTTP figure is what it gets from a local server. Target: the
 * in-process handler at least 3 × HTTP. `npm run bench` runs it as one phase.
 *
 *   npm run build && node dist/bench/sdkFronts.js [--seconds 3] [--concurrency 16] [--items 1000]
 */
import { parseArgs } from 'node:util';
import { fileURLToPath } from 'node:url';
import { CreateTableCommand, DynamoDBClient, GetItemCommand, PutItemCommand, type DynamoDBClientConfig } from '@aws-sdk/client-dynamodb';
import { startInProcess, startServer } from '../src/index.js';

export interface SdkFrontsOptions {
  seconds: number;
  concurrency: number;
  items: number;
}

/** In-process GetItem ops/s over HTTP's, with the same SDK client: at least this much. */
export const IN_PROCESS_TARGET = 3;
const TABLE = 'bench_items';
const CREDENTIALS = { accessKeyId: 'bench', secretAccessKey: 'bench' };

async function load(client: DynamoDBClient, items: number): Promise<void> {
  await client.send(new CreateTableCommand({
    TableName: TABLE,
    BillingMode: 'PAY_PER_REQUEST',
    KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
    AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }],
  }));
  for (let i = 0; i < items; i++) {
    await client.send(new PutItemCommand({ TableName: TABLE, Item: { id: { S: `item-${i}` }, name: { S: `name ${i}` }, n: { N: String(i) } } }));
  }
}

/** GetItems from `concurrency` loops for `seconds` (after a one-second warm-up); ops/s. */
async function measure(client: DynamoDBClient, { seconds, concurrency, items }: SdkFrontsOptions): Promise<number> {
  const run = async (ms: number) => {
    let done = 0;
    const until = performance.now() + ms;
    await Promise.all(Array.from({ length: concurrency }, async (_, worker) => {
      for (let i = worker; performance.now() < until; i += concurrency) {
        const out = await client.send(new GetItemCommand({ TableName: TABLE, Key: { id: { S: `item-${i % items}` } } }));
        if (out.Item === undefined) throw new Error('missing item');
        done++;
      }
    }));
    return done / (ms / 1000);
  };
  await run(1000);
  return run(seconds * 1000);
}

/** Loads the data through a client of this front, then measures it; ops/s. */
async function rateThrough(front: Pick<DynamoDBClientConfig, 'endpoint' | 'requestHandler'>, options: SdkFrontsOptions): Promise<number> {
  const client = new DynamoDBClient({ ...front, region: 'us-east-1', credentials: CREDENTIALS });
  try {
    await load(client, options.items);
    return await measure(client, options);
  } finally {
    client.destroy();
  }
}

/** Measures both fronts and prints their ops/s, ratio and verdict. */
export async function sdkFrontsPhase(options: SdkFrontsOptions): Promise<void> {
  const inProcess = await startInProcess();
  const inProcessRate = await rateThrough({ requestHandler: inProcess.requestHandler }, options);
  await inProcess.close();
  const server = await startServer();
  const httpRate = await rateThrough({ endpoint: server.url }, options);
  await server.close();

  const ratio = inProcessRate / httpRate;
  const fmt = (n: number) => Math.round(n).toLocaleString('en-US');
  process.stdout.write(`GetItem, same SDK client, ${options.concurrency} concurrent, ${options.seconds} s each:\n`);
  process.stdout.write(`  in-process handler: ${fmt(inProcessRate)} ops/s\n`);
  process.stdout.write(`  HTTP (local port):  ${fmt(httpRate)} ops/s\n`);
  process.stdout.write(`  ratio:              ${ratio.toFixed(2)}x (target >= ${IN_PROCESS_TARGET}x: ${ratio >= IN_PROCESS_TARGET ? 'pass' : 'FAIL'})\n`);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const { values } = parseArgs({ options: { seconds: { type: 'string' }, concurrency: { type: 'string' }, items: { type: 'string' } } });
  await sdkFrontsPhase({ seconds: Number(values.seconds ?? 3), concurrency: Number(values.concurrency ?? 16), items: Number(values.items ?? 1000) });
}
