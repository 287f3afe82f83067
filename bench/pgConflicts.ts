/**
 * Why PutItem over PostgreSQL costs what it does: PutItem load (the PostgreSQL phase's
 * overwrite of 1,000 items) through OpenDDB nodes over a throw-away cluster, with what
 * PostgreSQL counted meanwhile — transactions rolled back per committed write (each a
 * serialization failure the engine retried) and how many row updates were HOT (no new
 * index entry, so no B-tree page for SERIALIZABLE's predicate locks to collide on).
 *
 * `npm run build && node dist/bench/pgConflicts.js [--nodes 1] [--connections 32] [--seconds 4] [--rounds 2]
 * [--operation GetItem] [--profile dir]` (the last writes each node's CPU profile there when it stops)
 */
import { parseArgs } from 'node:util';
import pg from 'pg';
import { findBinaries, startPostgresCluster } from '../test/postgresCluster.js';
import { load, preload, startNode, type OpenDDBNode } from './postgres.js';

const { values } = parseArgs({ options: { nodes: { type: 'string' }, connections: { type: 'string' }, seconds: { type: 'string' }, rounds: { type: 'string' }, profile: { type: 'string' }, operation: { type: 'string' } } });
const operation = values.operation === 'GetItem' ? 'GetItem' : 'PutItem';
const nodeCount = Number(values.nodes ?? 1);
const options = { connections: Number(values.connections ?? 32), warmupMs: 1000, durationMs: Number(values.seconds ?? 4) * 1000 };

interface Counters { commits: number; rollbacks: number; updates: number; hotUpdates: number }

async function counters(client: pg.Client): Promise<Counters> {
  // Statistics are sent by backends at transaction end and read from a snapshot: clear it.
  await client.query('SELECT pg_stat_clear_snapshot()');
  const db = await client.query('SELECT xact_commit::float8 AS c, xact_rollback::float8 AS r FROM pg_stat_database WHERE datname = current_database()');
  const table = await client.query(`SELECT coalesce(sum(n_tup_upd), 0)::float8 AS u, coalesce(sum(n_tup_hot_upd), 0)::float8 AS h FROM pg_stat_user_tables WHERE relname LIKE 'openddb%'`);
  return { commits: db.rows[0].c, rollbacks: db.rows[0].r, updates: table.rows[0].u, hotUpdates: table.rows[0].h };
}

if (findBinaries() === undefined) throw new Error('PostgreSQL server binaries not found');
const started = await startPostgresCluster();
if (started.skip !== undefined) throw new Error(started.skip);
const cluster = started.cluster;
const nodes: OpenDDBNode[] = [];
const stats = new pg.Client({ connectionString: cluster.url });
try {
  await stats.connect();
  while (nodes.length < nodeCount) nodes.push(await startNode(cluster.url, values.profile === undefined ? [] : ['--cpu-prof', '--cpu-prof-dir', values.profile]));
  await preload(nodes[0]!.client);
  for (let round = 0; round < Number(values.rounds ?? 2); round++) {
    const before = await counters(stats);
    const perSecond = await load(nodes, options, operation);
    await new Promise((resolve) => setTimeout(resolve, 600)); // let the backends report
    const after = await counters(stats);
    // Warm-up included: PostgreSQL counted it too (its rate taken as the measured one's).
    const operations = perSecond * ((options.durationMs + options.warmupMs) / 1000);
    const updates = after.updates - before.updates;
    process.stdout.write(
      `round ${round + 1}: ${Math.round(perSecond)} ${operation}/s, ${((after.rollbacks - before.rollbacks) / operations).toFixed(2)} rollbacks per operation, ` +
      `${((after.commits - before.commits) / operations).toFixed(2)} transactions or statements committed per operation, HOT updates ${((100 * (after.hotUpdates - before.hotUpdates)) / Math.max(1, updates)).toFixed(0)} % of ${updates}\n`,
    );
  }
} finally {
  await stats.end().catch(() => undefined);
  for (const node of nodes) node.stop();
  await cluster.stop();
}
