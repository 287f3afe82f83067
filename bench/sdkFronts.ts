/**
 * GetItem through the same AWS SDK v3 client, two ways: the in-process request handler
 * (startInProcess, no socket) and HTTP to a server in this process on a local port
 * (the SDK's node:http handler, keep-alive). Same data, same concurrency; prints ops/s
 * of each and their ratio. The in-process handler is what a test suite gets from
 * `startInProcess`; the HTTP figure is what it gets from a local server.
 *
 *   npm run build && node dist/bench/sdkFronts.js [--seconds 3] [--concurrency 16] [--items 1000]
 */
import { parseArgs } from 'node:util';
import { CreateTableCommand, DynamoDBClient, GetItemCommand, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { startInProcess, startServer } from '../src/index.js';

const { values } = parseArgs({ options: { seconds: { type: 'string' }, concurrency: { type: 'string' }, items: { type: 'string' } } });
const SECONDS = Number(values.seconds ?? 3);
const CONCURRENCY = Number(values.concurrency ?? 16);
const ITEMS = Number(values.items ?? 1000);
const TABLE = 'bench_items';
const CREDENTIALS = { accessKeyId: 'bench', secretAccessKey: 'bench' };

async function load(client: DynamoDBClient): Promise<void> {
  await client.send(new CreateTableCommand({
    TableName: TABLE,
    BillingMode: 'PAY_PER_REQUEST',
    KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
    AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }],
  }));
  for (let i = 0; i < ITEMS; i++) {
    await client.send(new PutItemCommand({ TableName: TABLE, Item: { id: { S: `item-${i}` }, name: { S: `name ${i}` }, n: { N: String(i) } } }));
  }
}

/** GetItems from CONCURRENCY loops for SECONDS (after a one-second warm-up); ops/s. */
async function measure(client: DynamoDBClient): Promise<number> {
  const run = async (ms: number) => {
    let done = 0;
    const until = performance.now() + ms;
    await Promise.all(Array.from({ length: CONCURRENCY }, async (_, worker) => {
      for (let i = worker; performance.now() < until; i += CONCURRENCY) {
        const out = await client.send(new GetItemCommand({ TableName: TABLE, Key: { id: { S: `item-${i % ITEMS}` } } }));
        if (out.Item === undefined) throw new Error('missing item');
        done++;
      }
    }));
    return done / (ms / 1000);
  };
  await run(1000);
  return run(SECONDS * 1000);
}

const inProcess = await startInProcess();
const local = new DynamoDBClient({ requestHandler: inProcess.requestHandler, region: 'us-east-1', credentials: CREDENTIALS });
await load(local);
const inProcessRate = await measure(local);
local.destroy();
await inProcess.close();

const server = await startServer();
const remote = new DynamoDBClient({ endpoint: server.url, region: 'us-east-1', credentials: CREDENTIALS });
await load(remote);
const httpRate = await measure(remote);
remote.destroy();
await server.close();

const fmt = (n: number) => Math.round(n).toLocaleString('en-US');
process.stdout.write(`GetItem, same SDK client, ${CONCURRENCY} concurrent, ${SECONDS} s each:\n`);
process.stdout.write(`  in-process handler: ${fmt(inProcessRate)} ops/s\n`);
process.stdout.write(`  HTTP (local port):  ${fmt(httpRate)} ops/s\n`);
process.stdout.write(`  ratio:              ${(inProcessRate / httpRate).toFixed(2)}x\n`);
