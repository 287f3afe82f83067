/**
 * `node dist/bench/memoryCheck.js [items] [partitions] [target,...]`: memory after the
 * benchmark's preload alone. Starts each target (default: openddb-memory), loads
 * `items` ~1 KB items (default 100000) and `partitions` × 100 small ones (default 1000)
 * as the benchmark does, and prints anonymous RSS against the items' DynamoDB size —
 * the in-memory bound of docs/performance.md (≤ 2.5 ×) — without running any workload.
 */
import { BenchClient } from './client.js';
import { bigItem, ITEMS_TABLE, RANGES_TABLE, smallItem, type DataSizes } from './data.js';
import { createTable, preload } from './preload.js';
import { rss } from './procStats.js';
import { rawItemBytes } from './rawBytes.js';
import { startTarget, TARGETS, type TargetId } from './targets.js';

const IN_MEMORY_BOUND = 2.5;
const sizes: DataSizes = { items: Number(process.argv[2] ?? 100_000), partitions: Number(process.argv[3] ?? 1_000), perPartition: 100 };
const ids = (process.argv[4] ?? 'openddb-memory').split(',') as TargetId[];
const specs = TARGETS.filter((t) => ids.includes(t.id) && !t.onDisk);
if (specs.length === 0) throw new Error(`no in-memory target among ${ids.join(', ')} (known: openddb-memory, dynalite)`);

const mb = (bytes: number) => `${(bytes / 2 ** 20).toFixed(0)} MB`;
const raw = rawItemBytes(sizes);
process.stdout.write(`${sizes.items} items + ${sizes.partitions * sizes.perPartition} small items: ${mb(raw)} by DynamoDB's item size\n`);
for (const spec of specs) {
  const target = await startTarget(spec);
  const client = new BenchClient(target.host, target.port);
  try {
    const idle = rss(target.pid);
    await createTable(client, ITEMS_TABLE);
    await createTable(client, RANGES_TABLE);
    const started = Date.now();
    await preload(client, ITEMS_TABLE, 0, sizes.items, bigItem);
    await preload(client, RANGES_TABLE, 0, sizes.partitions * sizes.perPartition, (n) => smallItem(Math.floor(n / sizes.perPartition), n % sizes.perPartition));
    const seconds = (Date.now() - started) / 1000;
    const after = rss(target.pid);
    const ratio = after.anon / raw;
    process.stdout.write(`${spec.id.padEnd(16)} anonymous RSS ${mb(after.anon)} = ${ratio.toFixed(2)} × the items (${ratio <= IN_MEMORY_BOUND ? 'pass' : 'FAIL'} ≤ ${IN_MEMORY_BOUND} ×)` +
      `  idle ${mb(idle.anon)}, total RSS ${mb(after.total)}, preload ${seconds.toFixed(1)} s\n`);
  } finally {
    client.close();
    await target.stop();
  }
}
