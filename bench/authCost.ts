/**
 * `node dist/bench/authCost.js`: the CPU `--auth` adds to one request — SigV4
 * verification, the caller and its namespace, the authorization check against the
 * benchmark's ten-statement policy — measured without HTTP: the same pool of distinct,
 * signed GetItem and PutItem requests goes through two in-process fronts (the server's
 * pipeline, no socket), one without `--auth` and one with it, in many short alternating
 * batches. It prints the median time per request of each front and the median of the
 * per-batch differences: on a shared machine a neighbour's burst slows a few batches,
 * not the medians (batches are too short for CPU-time accounting, so this is wall time,
 * one request after another).
 *
 *   npm run build && node dist/bench/authCost.js [--workloads get,put] [--rounds 200] [--requests 1000]
 *
 * In-process requests have no peer address, so the policy's `aws:SourceIp` condition is
 * left out here; everything else is the policy `npm run bench` uses.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { startInProcess, type InProcessDatabase } from '../src/index.js';
import { BENCH_ACCOUNT, TEN_STATEMENTS } from './authUsers.js';
import { bigItem, createTableInput, ITEMS_TABLE, type DataSizes } from './data.js';
import { median } from './median.js';
import { BENCH_CREDENTIALS, signedHeaders } from './sigv4.js';
import { findWorkload } from './workloads.js';

const { values } = parseArgs({
  options: {
    workloads: { type: 'string', default: 'get,put' },
    rounds: { type: 'string', default: '200' },
    requests: { type: 'string', default: '1000' },
    items: { type: 'string', default: '10000' },
  },
});
const sizes: DataSizes = { items: Number(values.items), partitions: 1, perPartition: 1 };
const HOST = 'openddb.in-process';
const BATCH = 25;

interface SignedRequest {
  method: string;
  path: string;
  headers: Record<string, string>;
  body: Buffer;
}

function signed(operation: string, body: unknown): SignedRequest {
  const bytes = Buffer.from(JSON.stringify(body), 'utf8');
  return { method: 'POST', path: '/', headers: { host: HOST, ...signedHeaders(HOST, `DynamoDB_20120810.${operation}`, bytes) }, body: bytes };
}

async function answered(db: InProcessDatabase, request: SignedRequest): Promise<void> {
  const { response } = await db.requestHandler.handle(request);
  if (response.statusCode !== 200) throw new Error(`${response.statusCode}: ${Buffer.from(response.body).toString()}`);
}

async function front(usersFile: string | undefined): Promise<InProcessDatabase> {
  const db = await startInProcess(usersFile === undefined ? {} : { auth: usersFile });
  await answered(db, signed('CreateTable', createTableInput(ITEMS_TABLE)));
  for (let n = 0; n < sizes.items; n += BATCH) {
    const puts = Array.from({ length: Math.min(BATCH, sizes.items - n) }, (_, i) => ({ PutRequest: { Item: bigItem(n + i) } }));
    await answered(db, signed('BatchWriteItem', { RequestItems: { [ITEMS_TABLE]: puts } }));
  }
  return db;
}

/** µs per request over `count` requests of the pool from `first` on, one after another. */
async function timePerRequest(db: InProcessDatabase, pool: SignedRequest[], first: number, count: number): Promise<number> {
  const started = performance.now();
  for (let i = first; i < first + count; i++) await answered(db, pool[i % pool.length]!);
  return ((performance.now() - started) * 1000) / count;
}

const dir = mkdtempSync(join(tmpdir(), 'openddb-auth-cost-'));
const usersFile = join(dir, 'users.json');
const statements = TEN_STATEMENTS.map(({ Condition, ...statement }) => (statement.Sid === 'Reads' ? statement : { ...statement, Condition }));
writeFileSync(usersFile, JSON.stringify({ users: [{
  accessKeyId: BENCH_CREDENTIALS.accessKeyId, secretAccessKey: BENCH_CREDENTIALS.secretAccessKey, account: BENCH_ACCOUNT, name: 'bench',
  policies: [{ Version: '2012-10-17', Statement: statements }],
}] }));
const plain = await front(undefined);
const authenticated = await front(usersFile);
try {
  const count = Number(values.requests);
  for (const id of values.workloads!.split(',')) {
    const workload = findWorkload(id);
    const pool = Array.from({ length: workload.poolSize }, (_, i) => {
      const { operation, body } = workload.build(i, sizes);
      return signed(operation, body);
    });
    await timePerRequest(plain, pool, 0, pool.length);
    await timePerRequest(authenticated, pool, 0, pool.length);
    const without: number[] = [];
    const withAuth: number[] = [];
    for (let round = 0; round < Number(values.rounds); round++) {
      // The same requests for both, in turns of who goes first.
      const first = round * count;
      const [a, b] = round % 2 === 0 ? [plain, authenticated] : [authenticated, plain];
      const timeA = await timePerRequest(a, pool, first, count);
      const timeB = await timePerRequest(b, pool, first, count);
      without.push(a === plain ? timeA : timeB);
      withAuth.push(a === plain ? timeB : timeA);
    }
    const added = without.map((w, round) => withAuth[round]! - w).sort((x, y) => x - y);
    const quartile = (q: number) => added[Math.floor(q * (added.length - 1))]!.toFixed(2);
    process.stdout.write(`${workload.title}: ${median(without).toFixed(2)} µs per request without --auth, ${median(withAuth).toFixed(2)} with: `
      + `--auth adds ${median(added).toFixed(2)} µs (quartiles ${quartile(0.25)}–${quartile(0.75)}, ${added.length} batches of ${count})\n`);
  }
} finally {
  await plain.close();
  await authenticated.close();
  rmSync(dir, { recursive: true, force: true });
}
