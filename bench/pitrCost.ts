/**
 * `node dist/bench/pitrCost.js [--quick]`: what point-in-time recovery costs. The same
 * PutItem load (overwrites over a fixed key set, so the table itself stops growing)
 * runs against OpenDDB on disk with recovery off and on, each in a fresh data
 * directory, alternating off and on twice (the best round of each counts, so warm-up
 * and a busy machine weigh on both alike); prints write throughput and the data
 * directory's growth for both, and their ratios. `npm run bench` runs it as one phase.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { BenchClient } from './client.js';
import { diskBytes } from './procStats.js';
import { startTarget, TARGETS } from './targets.js';

const CONCURRENCY = 16;
const PAYLOAD = 'x'.repeat(180);

interface Measured {
  writesPerSecond: number;
  grownBytes: number;
}

async function measure(pitr: boolean, writes: number, keys: number): Promise<Measured> {
  const dataDir = mkdtempSync(join(tmpdir(), 'openddb-pitr-cost-'));
  const target = await startTarget(TARGETS.find((t) => t.id === 'openddb-disk')!, { dataDir });
  const client = new BenchClient(target.host, target.port);
  try {
    await client.call('CreateTable', {
      TableName: 'cost', BillingMode: 'PAY_PER_REQUEST',
      KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }], AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }],
    });
    if (pitr) await client.call('UpdateContinuousBackups', { TableName: 'cost', PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true } });
    const before = diskBytes(dataDir);
    let next = 0;
    const started = performance.now();
    await Promise.all(Array.from({ length: CONCURRENCY }, async () => {
      while (next < writes) {
        const n = next++;
        await client.call('PutItem', { TableName: 'cost', Item: { pk: { S: `key-${n % keys}` }, n: { N: String(n) }, payload: { S: PAYLOAD } } });
      }
    }));
    const seconds = (performance.now() - started) / 1000;
    return { writesPerSecond: writes / seconds, grownBytes: diskBytes(dataDir) - before };
  } finally {
    client.close();
    await target.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

const ROUNDS = 2;
const best = (a: Measured | undefined, b: Measured): Measured => (a === undefined || b.writesPerSecond > a.writesPerSecond ? b : a);
const mb = (bytes: number) => (bytes / 1e6).toFixed(1);

/** Measures PITR off and on and prints both, with their ratios. */
export async function pitrCostPhase(quick: boolean): Promise<void> {
  const writes = quick ? 4000 : 40_000;
  const keys = quick ? 1000 : 5000;
  let off: Measured | undefined;
  let on: Measured | undefined;
  for (let round = 0; round < ROUNDS; round++) {
    off = best(off, await measure(false, writes, keys));
    on = best(on, await measure(true, writes, keys));
  }
  if (off === undefined || on === undefined) throw new Error('no rounds ran');
  process.stdout.write(`${writes} PutItems (${keys} keys, ~${PAYLOAD.length + 40} B items, ${CONCURRENCY} in flight), OpenDDB on disk:\n`);
  process.stdout.write(`  PITR off: ${off.writesPerSecond.toFixed(0)} writes/s, data directory +${mb(off.grownBytes)} MB\n`);
  process.stdout.write(`  PITR on:  ${on.writesPerSecond.toFixed(0)} writes/s, data directory +${mb(on.grownBytes)} MB\n`);
  process.stdout.write(`  ratio on/off: throughput ${(on.writesPerSecond / off.writesPerSecond).toFixed(2)}, disk growth ${(on.grownBytes / Math.max(1, off.grownBytes)).toFixed(2)}\n`);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) await pitrCostPhase(process.argv.includes('--quick'));
