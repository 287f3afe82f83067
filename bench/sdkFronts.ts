/**
 * GetItem through the same AWS SDK v3 client, two ways: the in-process request handler
 * (startInProcess, no socket) and HTTP to a server in this process on a local port
 * (the SDK's node:http handler, keep-alive). Same data, same concurrency; prints ops/s
 * of each and their ratio. The in-process handler is what a test suite gets from
 * `startInProcess`; the HTTP figure is what it gets from a local server. Target: the
 * in-process handler at least 3 × HTTP. `npm run bench` runs it as one phase.
 *
 * A third front measures the SDK alone: a handler that answers every call at once with
 * one GetItem answer recorded from the in-process handler (same bytes, same headers), so
 * the client does all of its own work and no database does any. No handler can beat it,
 * so its ratio to HTTP is the ceiling of the in-process ratio on this machine, and the
 * in-process handler's share of it is the part OpenDDB's code decides.
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
async function readyClient(front: Pick<DynamoDBClientConfig, 'endpoint' | 'requestHandler'>, options: SdkFrontsOptions, loaded = false): Promise<DynamoDBClient> {
  const client = new DynamoDBClient({ ...front, region: 'us-east-1', credentials: CREDENTIALS });
  if (!loaded) await load(client, options.items);
  await measure(client, 1000, options);
  return client;
}

type Handler = NonNullable<Awaited<ReturnType<typeof startInProcess>>['requestHandler']>;
type Answer = Awaited<ReturnType<Handler['handle']>>;

/**
 * A request handler that gives back, at once, the answer `handler` gave to the first
 * request it saw: the SDK's own cost per call, with no database behind it.
 */
async function recordedAnswerOf(handler: Handler): Promise<Handler> {
  let recorded: Answer | undefined;
  const recorder = Object.create(handler) as Handler;
  recorder.handle = async (request, handlerOptions) => (recorded ??= await handler.handle(request, handlerOptions));
  const client = new DynamoDBClient({ requestHandler: recorder, region: 'us-east-1', credentials: CREDENTIALS });
  await client.send(new GetItemCommand({ TableName: TABLE, Key: { id: { S: 'item-0' } } }));
  client.destroy();
  const answer = recorded!;
  const replayer = Object.create(handler) as Handler;
  replayer.handle = () => Promise.resolve({ response: { ...answer.response, headers: { ...answer.response.headers } } });
  return replayer;
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
  const sdkAloneClient = await readyClient({ requestHandler: await recordedAnswerOf(inProcess.requestHandler) }, options, true);
  const inProcessRates: Rate[] = [];
  const httpRates: Rate[] = [];
  const sdkAloneRates: Rate[] = [];
  const ratios: number[] = [];
  const ceilings: number[] = [];
  try {
    for (let round = 0; round < options.rounds; round++) {
      inProcessRates.push(await measure(inProcessClient, options.seconds * 1000, options));
      httpRates.push(await measure(httpClient, options.seconds * 1000, options));
      sdkAloneRates.push(await measure(sdkAloneClient, options.seconds * 1000, options));
      ratios.push(inProcessRates[round]!.opsPerSecond / httpRates[round]!.opsPerSecond);
      ceilings.push(sdkAloneRates[round]!.opsPerSecond / httpRates[round]!.opsPerSecond);
    }
  } finally {
    inProcessClient.destroy();
    httpClient.destroy();
    sdkAloneClient.destroy();
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
  process.stdout.write(`  SDK alone:          ${ops(sdkAloneRates)} ops/s, ${fmt(cpu(sdkAloneRates))} µs CPU per GetItem (a recorded answer, no database)\n`);
  process.stdout.write(`  ratio:              ${ratio.toFixed(2)}x, rounds ${ratios.map((r) => r.toFixed(2)).join(' ')} (target >= ${IN_PROCESS_TARGET}x: ${ratio >= IN_PROCESS_TARGET ? 'pass' : 'FAIL'})\n`);
  const shares = ratios.map((r, round) => r / ceilings[round]!);
  process.stdout.write(`  ceiling:            ${median(ceilings).toFixed(2)}x (SDK alone over HTTP), rounds ${ceilings.map((r) => r.toFixed(2)).join(' ')}; the in-process handler reaches ${median(shares).toFixed(2)} of it\n`);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const { values } = parseArgs({ options: { seconds: { type: 'string' }, concurrency: { type: 'string' }, items: { type: 'string' }, rounds: { type: 'string' } } });
  await sdkFrontsPhase({ seconds: Number(values.seconds ?? 2), concurrency: Number(values.concurrency ?? 16), items: Number(values.items ?? 1000), rounds: Number(values.rounds ?? 5) });
}
