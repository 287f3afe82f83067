/**
 * GetItem through the same AWS SDK v3 client, two ways: the in-process request handler
 * (startInProcess, no socket) and HTTP to a server in this process on a local port
 * (the SDK's node:http handler, keep-alive). Same data, same concurrency; prints ops/s
 * of each and their ratio. The in-process handler is what a test suite gets from
 * `startInProcess`; the HTTP figure is what it gets from a local server. Target: the
 * in-process handler at least 3 × HTTP. `npm run bench` runs it as one phase.
 *
 *   npm run build && node dist/bench/sdkFronts.js [--seconds 2] [--rounds 5] [--concurrency 16] [--items 1000]
 */
import { parseArgs } from 'node:util';
import { fileURLToPath } from 'node:url';
import { CreateTableCommand, DynamoDBClient, GetItemCommand, PutItemCommand, type DynamoDBClientConfig } from '@aws-sdk/client-dynamodb';
import { startInProcess, startServer } from '../src/index.js';
import { median } from './median.js';

export interface SdkFrontsOptions {
  seconds: number;
  concurrency: number;
  items: number;
  /** Alternating measuring windows per front. */
  rounds: number;
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

interface Rate {
  opsPerSecond: number;
  /** This process's CPU time (user + system, all threads) per GetItem, in µs. */
  cpuMicrosPerOp: number;
}

/** GetItems from `concurrency` loops for `ms`. */
async function measure(client: DynamoDBClient, ms: number, { concurrency, items }: SdkFrontsOptions): Promise<Rate> {
  let done = 0;
  const cpuBefore = process.cpuUsage();
  const until = performance.now() + ms;
  await Promise.all(Array.from({ length: concurrency }, async (_, worker) => {
    for (let i = worker; performance.now() < until; i += concurrency) {
      const out = await client.send(new GetItemCommand({ TableName: TABLE, Key: { id: { S: `item-${i % items}` } } }));
      if (out.Item === undefined) throw new Error('missing item');
      done++;
    }
  }));
  const cpu = process.cpuUsage(cpuBefore);
  return { opsPerSecond: done / (ms / 1000), cpuMicrosPerOp: (cpu.user + cpu.system) / done };
}

/** A client of one front, its data loaded and warmed up. */
async function readyClient(front: Pick<DynamoDBClientConfig, 'endpoint' | 'requestHandler'>, options: SdkFrontsOptions): Promise<DynamoDBClient> {
  const client = new DynamoDBClient({ ...front, region: 'us-east-1', credentials: CREDENTIALS });
  await load(client, options.items);
  await measure(client, 1000, options);
  return client;
}

/**
 * Measures both fronts in alternating windows (so a shared machine's changing load falls on
 * both alike) and prints the median ops/s of each, the median of the per-round ratios and
 * the verdict.
 */
export async function sdkFrontsPhase(options: SdkFrontsOptions): Promise<void> {
  const inProcess = await startInProcess();
  const server = await startServer();
  const inProcessClient = await readyClient({ requestHandler: inProcess.requestHandler }, options);
  const httpClient = await readyClient({ endpoint: server.url }, options);
  const inProcessRates: Rate[] = [];
  const httpRates: Rate[] = [];
  const ratios: number[] = [];
  try {
    for (let round = 0; round < options.rounds; round++) {
      inProcessRates.push(await measure(inProcessClient, options.seconds * 1000, options));
      httpRates.push(await measure(httpClient, options.seconds * 1000, options));
      ratios.push(inProcessRates[round]!.opsPerSecond / httpRates[round]!.opsPerSecond);
    }
  } finally {
    inProcessClient.destroy();
    httpClient.destroy();
    await inProcess.close();
    await server.close();
  }

  const ratio = median(ratios);
  const fmt = (n: number) => Math.round(n).toLocaleString('en-US');
  process.stdout.write(`GetItem, same SDK client, ${options.concurrency} concurrent, ${options.rounds} alternating rounds of ${options.seconds} s (medians):\n`);
  const ops = (rates: Rate[]) => fmt(median(rates.map((r) => r.opsPerSecond)));
  const cpu = (rates: Rate[]) => median(rates.map((r) => r.cpuMicrosPerOp));
  process.stdout.write(`  in-process handler: ${ops(inProcessRates)} ops/s, ${fmt(cpu(inProcessRates))} µs CPU per GetItem\n`);
  process.stdout.write(`  HTTP (local port):  ${ops(httpRates)} ops/s, ${fmt(cpu(httpRates))} µs CPU per GetItem\n`);
  process.stdout.write(`  ratio:              ${ratio.toFixed(2)}x, rounds ${ratios.map((r) => r.toFixed(2)).join(' ')} (target >= ${IN_PROCESS_TARGET}x: ${ratio >= IN_PROCESS_TARGET ? 'pass' : 'FAIL'})\n`);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const { values } = parseArgs({ options: { seconds: { type: 'string' }, concurrency: { type: 'string' }, items: { type: 'string' }, rounds: { type: 'string' } } });
  await sdkFrontsPhase({ seconds: Number(values.seconds ?? 2), concurrency: Number(values.concurrency ?? 16), items: Number(values.items ?? 1000), rounds: Number(values.rounds ?? 5) });
}
