/**
 * `npm run bench`: OpenDDB side by side with dynalite and a bare node:http ceiling,
 * same data, same load; each workload runs on one target after another. See
 * docs/performance.md.
 */
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { cpus, release, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { performance } from 'node:perf_hooks';
import { BenchClient, errorType, isUnsupported } from './client.js';
import { measureColdStarts, type ColdStarts } from './coldStart.js';
import { measureCommitRate, type CommitRate } from './commitRate.js';
import { bigItem, ITEMS_TABLE, RANGES_TABLE, SCALE_TABLE, smallItem, STREAMED_TABLE, type DataSizes, type Item } from './data.js';
import { evaluateGoals } from './goals.js';
import { runLoad, type MeasuredLoad } from './loadRunner.js';
import { parseBenchArgs, USAGE, type BenchOptions } from './options.js';
import { postgresPhase } from './postgres.js';
import { pitrCostPhase } from './pitrCost.js';
import { sdkFrontsPhase } from './sdkFronts.js';
import { createTable, preload } from './preload.js';
import { rawItemBytes } from './rawBytes.js';
import { diskBytes, rss } from './procStats.js';
import { goalSummary, resultsMarkdown, writeResults } from './report.js';
import type { RunReport, ScaleCheck, SoakSample, TargetReport, WorkloadOutcome } from './results.js';
import { startTarget, TARGETS, type RunningTarget, type TargetSpec } from './targets.js';
import { findWorkload, SCALE_QUERY, type Workload } from './workloads.js';
import { alternate, describeRatios, type AlternatingResult } from './alternating.js';
import { AUTH_WORKLOADS } from './goals.js';

const DOC = fileURLToPath(new URL('../../docs/performance.md', import.meta.url));
const DOC_INTRO = '# Performance\n\nHow fast OpenDDB is next to its peers, measured with `npm run bench` (code in `bench/`).';
const SOAK_WINDOW_MS = 60_000;

const log = (text: string) => process.stderr.write(`${text}\n`);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const mbText = (bytes: number) => `${(bytes / 2 ** 20).toFixed(0)} MB`;

function describeLoad(l: MeasuredLoad): string {
  const bad = l.errors + l.warmupErrors + l.checkFailures;
  return `${Math.round(l.opsPerSec).toLocaleString('en-US')} ops/s  p50 ${l.p50Ms.toFixed(2)} ms  p99 ${l.p99Ms.toFixed(2)} ms  ` +
    `cpu ${Math.round(l.cpuUsPerOp)} µs/op  server ${l.cpuCores.toFixed(2)} / loadgen ${l.loadgenCores.toFixed(2)} / other ${l.otherCores.toFixed(2)} cores${bad > 0 ? `  ERRORS ${bad}: ${l.samples[0] ?? ''}` : ''}`;
}

async function measure(target: RunningTarget, workload: Workload, opts: BenchOptions, overrides: { sizes?: DataSizes; connections?: number; warmupMs?: number; durationMs?: number } = {}): Promise<MeasuredLoad> {
  return runLoad(target.pid, {
    host: target.host, port: target.port, workload: workload.id,
    sizes: overrides.sizes ?? opts.sizes,
    connections: overrides.connections ?? opts.connections,
    warmupMs: overrides.warmupMs ?? opts.warmupMs,
    durationMs: overrides.durationMs ?? opts.durationMs,
    checkBodies: target.spec.id !== 'ceiling',
  });
}

/** Probes the operation once (unsupported servers are reported, not crashed on), then loads it. */
async function runWorkload(target: RunningTarget, client: BenchClient | undefined, workload: Workload, opts: BenchOptions): Promise<WorkloadOutcome> {
  if (client !== undefined) {
    const { operation, body } = workload.build(0, opts.sizes);
    const probe = await client.send(operation, body);
    if (isUnsupported(probe.status, probe.body)) return { status: 'unsupported' };
    if (probe.status < 200 || probe.status >= 300) {
      return { status: 'failed', message: `${operation} answered ${probe.status} ${errorType(probe.body)}: ${probe.body?.message ?? ''}` };
    }
  }
  return { status: 'ok', load: await measure(target, workload, opts) };
}

async function preloadTables(target: RunningTarget, client: BenchClient, report: TargetReport, opts: BenchOptions): Promise<void> {
  await createTable(client, ITEMS_TABLE);
  await createTable(client, RANGES_TABLE);
  const diskBefore = target.dataDir === undefined ? 0 : diskBytes(target.dataDir);
  const started = performance.now();
  report.preloadMethod = await preload(client, ITEMS_TABLE, 0, opts.sizes.items, bigItem);
  if (target.dataDir !== undefined) report.diskBytesPer100k = ((diskBytes(target.dataDir) - diskBefore) * 100_000) / opts.sizes.items;
  const per = opts.sizes.perPartition;
  await preload(client, RANGES_TABLE, 0, opts.sizes.partitions * per, (n) => smallItem(Math.floor(n / per), n % per));
  report.preloadSeconds = (performance.now() - started) / 1000;
  log(`  preloaded ${opts.sizes.items} items + ${opts.sizes.partitions * per} small items in ${report.preloadSeconds.toFixed(1)} s (${report.preloadMethod})`);
}

/**
 * The stream-enabled table of the put-streamed workload, loaded after the memory reading:
 * the RSS bounds are judged against the two tables above (it would double the items and
 * add their stream records).
 */
async function preloadStreamedTable(client: BenchClient, opts: BenchOptions): Promise<void> {
  if (!opts.workloads.includes('put-streamed')) return;
  // Same items as ITEMS_TABLE, so both put workloads replace existing items.
  try {
    await createTable(client, STREAMED_TABLE);
    await preload(client, STREAMED_TABLE, 0, opts.sizes.items, bigItem);
  } catch (err) {
    log(`  no stream-enabled table on this target: ${(err as Error).message}`);
  }
}

async function scaleCheck(target: RunningTarget, client: BenchClient, opts: BenchOptions): Promise<ScaleCheck> {
  const per = opts.sizes.perPartition;
  const small = 10 * per;
  const sizes = { ...opts.sizes, perPartition: per };
  const item = (n: number) => smallItem(Math.floor(n / per), n % per);
  await createTable(client, SCALE_TABLE);
  await preload(client, SCALE_TABLE, 0, small, item);
  const one = { sizes, connections: 1 };
  const smallLoad = await measure(target, SCALE_QUERY, opts, one);
  log(`  scale ${small} items: ${describeLoad(smallLoad)}`);
  const started = performance.now();
  await preload(client, SCALE_TABLE, small, opts.scaleItems, item);
  const growSeconds = (performance.now() - started) / 1000;
  const largeLoad = await measure(target, SCALE_QUERY, opts, one);
  log(`  scale ${opts.scaleItems} items (grown in ${growSeconds.toFixed(0)} s): ${describeLoad(largeLoad)}`);
  return { smallItems: small, largeItems: opts.scaleItems, growSeconds, small: smallLoad, large: largeLoad };
}

async function soak(target: RunningTarget, opts: BenchOptions): Promise<SoakSample[]> {
  const samples: SoakSample[] = [];
  const mixed = findWorkload('mixed');
  for (let minute = 1; minute <= opts.soakMinutes; minute++) {
    const load = await measure(target, mixed, opts, { warmupMs: 100, durationMs: SOAK_WINDOW_MS - 100 });
    const sample = { minute, rss: rss(target.pid), opsPerSec: load.opsPerSec, errors: load.errors };
    samples.push(sample);
    log(`  soak minute ${minute}: RSS ${mbText(sample.rss.total)}, ${describeLoad(load)}`);
  }
  return samples;
}

function profileArgs(spec: TargetSpec, opts: BenchOptions): string[] {
  if (opts.profileDir === undefined || !spec.isOpenDDB) return [];
  return ['--cpu-prof', `--cpu-prof-dir=${opts.profileDir}`, `--cpu-prof-name=${spec.id}-${Date.now()}.cpuprofile`];
}

/** A target that is up, preloaded, and taking its turn at each workload. */
interface TargetSession {
  dataDir: string | undefined;
  target: RunningTarget;
  client: BenchClient | undefined;
  report: TargetReport;
}

async function setUpTarget(spec: TargetSpec, opts: BenchOptions): Promise<TargetSession> {
  log(`\n== ${spec.label}`);
  const dataDir = spec.onDisk ? mkdtempSync(join(tmpdir(), 'openddb-bench-')) : undefined;
  let target: RunningTarget;
  try {
    target = await startTarget(spec, { dataDir, nodeArgs: profileArgs(spec, opts) });
  } catch (err) {
    if (dataDir !== undefined) rmSync(dataDir, { recursive: true, force: true });
    throw err;
  }
  const report: TargetReport = { spec, coldStartMs: target.coldStartMs, rssIdle: { total: 0, anon: 0 }, workloads: {} };
  const session: TargetSession = { dataDir, target, client: spec.id === 'ceiling' ? undefined : new BenchClient(target.host, target.port), report };
  try {
    await sleep(500);
    report.rssIdle = rss(target.pid);
    log(`  cold start ${target.coldStartMs.toFixed(0)} ms, RSS idle ${mbText(report.rssIdle.total)} (anonymous ${mbText(report.rssIdle.anon)})`);
    if (session.client !== undefined) {
      await preloadTables(target, session.client, report, opts);
      report.rssAfterPreload = rss(target.pid);
      log(`  RSS after preload ${mbText(report.rssAfterPreload.total)} (anonymous ${mbText(report.rssAfterPreload.anon)})`);
      await preloadStreamedTable(session.client, opts);
    }
    return session;
  } catch (err) {
    await tearDown(session);
    throw err;
  }
}

/** Puts per storage transaction of the workloads durable writes are judged against the disk for. */
const COMMIT_SHAPES: Record<string, number> = { put: 1, 'batch-write': 25 };

/**
 * The `--auth` target's goal is a ratio to the same server without `--auth`: judged on
 * interleaved slices of the two (bench/alternating.ts), not on one window each.
 */
const AUTH_SLICE_MS = 500;

async function pairAuth(sessions: TargetSession[], id: string, opts: BenchOptions, authPairs: Record<string, AlternatingResult>): Promise<void> {
  const plain = sessions.find((s) => s.target.spec.id === 'openddb-memory');
  const auth = sessions.find((s) => s.target.spec.id === 'openddb-auth');
  if (plain === undefined || auth === undefined || !AUTH_WORKLOADS.includes(id)) return;
  const pair = await alternate(plain.target, auth.target, {
    workload: id, sizes: opts.sizes, connections: opts.connections, warmupMs: 500, sliceMs: AUTH_SLICE_MS, rounds: opts.quick ? 8 : 24,
  });
  authPairs[id] = pair;
  log(`  ${'auth / mem'.padEnd(15)} ops/s ${describeRatios(pair.opsRatios)}, server CPU per op ${describeRatios(pair.cpuRatios)}, interleaved ${AUTH_SLICE_MS} ms slices`);
}

async function runWorkloadEverywhere(sessions: TargetSession[], id: string, opts: BenchOptions, commitRates: Record<string, CommitRate>, authPairs: Record<string, AlternatingResult>): Promise<void> {
  const workload = findWorkload(id);
  log(`\n== ${workload.id}`);
  for (const { target, client, report } of sessions.filter((s) => s.target.spec.workloads?.includes(id) ?? true)) {
    const outcome = await runWorkload(target, client, workload, opts);
    report.workloads[id] = outcome;
    log(`  ${target.spec.id.padEnd(15)} ${outcome.status === 'ok' ? describeLoad(outcome.load) : outcome.status === 'unsupported' ? 'unsupported' : `failed: ${outcome.message}`}`);
  }
  await pairAuth(sessions, id, opts, authPairs);
  const itemsPerTransaction = COMMIT_SHAPES[id];
  if (itemsPerTransaction !== undefined && sessions.some((s) => s.target.spec.id === 'openddb-disk')) {
    // Right after the workload, so the two figures of the ratio see the same disk.
    const rate = await measureCommitRate({ itemsPerTransaction, connections: opts.connections, items: opts.sizes.items, warmupMs: opts.warmupMs, durationMs: opts.durationMs });
    commitRates[id] = rate;
    log(`  ${'storage commits'.padEnd(15)} ${Math.round(rate.transactionsPerSec).toLocaleString('en-US')} synced transactions/s of ${itemsPerTransaction} put${itemsPerTransaction > 1 ? 's' : ''} (${Math.round(rate.itemsPerSec).toLocaleString('en-US')} items/s)`);
  }
}

/** Scale check and soak, then stop, time a restart over the same data, and clean up. */
async function finishTarget(session: TargetSession, opts: BenchOptions): Promise<TargetReport> {
  const { dataDir, target, client, report } = session;
  const spec = target.spec;
  const scale = spec.isOpenDDB && spec.workloads === undefined && client !== undefined && opts.scaleItems > 0;
  const soaks = spec.id === 'openddb-disk' && opts.soakMinutes > 0;
  const reopen = dataDir !== undefined && opts.profileDir === undefined;
  if (scale || soaks || reopen) log(`\n== ${spec.label}: ${[scale && 'scale check', soaks && 'soak', reopen && 'restart'].filter(Boolean).join(', ')}`);
  try {
    try {
      if (scale) report.scale = await scaleCheck(target, client, opts);
      if (soaks) report.soak = await soak(target, opts);
    } finally {
      client?.close();
      await target.stop();
    }
    if (reopen) {
      const reopened = await startTarget(spec, { dataDir });
      report.reopenColdStartMs = reopened.coldStartMs;
      await reopened.stop();
      log(`  cold start over the preloaded data ${reopened.coldStartMs.toFixed(0)} ms`);
    }
    return report;
  } finally {
    if (dataDir !== undefined) rmSync(dataDir, { recursive: true, force: true });
  }
}

/** Stops a target that will not be finished (the run failed). */
async function tearDown({ dataDir, target, client }: TargetSession): Promise<void> {
  client?.close();
  await target.stop().catch(() => undefined);
  if (dataDir !== undefined) rmSync(dataDir, { recursive: true, force: true });
}

/**
 * Every target is set up first; then each workload runs on every target in turn, so
 * the figures a ratio compares are measured minutes apart at most, not a whole run
 * apart (this machine's speed drifts by ±10 % over a quarter of an hour). Idle
 * targets take no CPU while another is measured.
 */
async function benchTargets(specs: TargetSpec[], opts: BenchOptions, commitRates: Record<string, CommitRate>, authPairs: Record<string, AlternatingResult>): Promise<TargetReport[]> {
  const sessions: TargetSession[] = [];
  const reports: TargetReport[] = [];
  try {
    for (const spec of specs) sessions.push(await setUpTarget(spec, opts));
    for (const id of opts.workloads) await runWorkloadEverywhere(sessions, id, opts, commitRates, authPairs);
    while (sessions.length > 0) reports.push(await finishTarget(sessions.shift()!, opts));
    return reports;
  } finally {
    for (const session of sessions) await tearDown(session);
  }
}

function machine(): string {
  const cpu = cpus();
  return `${cpu.length} × ${cpu[0]?.model.trim() ?? 'unknown CPU'}, ${(totalmem() / 2 ** 30).toFixed(0)} GB RAM, Linux ${release()}, Node.js ${process.version}`;
}

function settings(opts: BenchOptions): string {
  const s = opts.sizes;
  return `${opts.connections} keep-alive connections from a separate load-generator process, ${opts.warmupMs / 1000} s warm-up (bodies checked) + ${opts.durationMs / 1000} s measured per workload; ` +
    `${s.items.toLocaleString('en-US')} items of ~1 KB, ${s.partitions.toLocaleString('en-US')} partitions × ${s.perPartition} small items`;
}

/** Cold-start medians of the single-process OpenDDB targets, dynalite and the ceiling, before anything else loads the machine. */
async function coldStartPhase(specs: TargetSpec[], opts: BenchOptions): Promise<ColdStarts[] | undefined> {
  const timed = specs.filter((s) => s.id !== 'openddb-workers' && s.id !== 'openddb-relaxed' && s.workloads === undefined);
  if (opts.coldStartRounds === 0 || timed.length === 0) return undefined;
  log(`\n== cold start, median of ${opts.coldStartRounds}`);
  const results = await measureColdStarts(timed, opts.coldStartRounds);
  for (const r of results) log(`  ${r.spec.id.padEnd(15)} ${r.medianMs.toFixed(0)} ms (${r.samplesMs.map((x) => x.toFixed(0)).join(', ')})`);
  return results;
}

async function main(): Promise<void> {
  let opts: BenchOptions | undefined;
  try {
    opts = parseBenchArgs(process.argv.slice(2));
  } catch (err) {
    process.stderr.write(`${(err as Error).message}\n\n${USAGE}`);
    process.exit(2);
  }
  if (opts === undefined) {
    process.stdout.write(USAGE);
    return;
  }
  if (opts.profileDir !== undefined) mkdirSync(opts.profileDir, { recursive: true });
  const started = performance.now();
  const specs = TARGETS.filter((t) => opts.targets.includes(t.id));
  const coldStarts = await coldStartPhase(specs, opts);
  const commitRates: Record<string, CommitRate> = {};
  const authPairs: Record<string, AlternatingResult> = {};
  const targets = await benchTargets(specs, opts, commitRates, authPairs);
  const run: RunReport = {
    date: new Date().toISOString().slice(0, 16).replace('T', ' ') + ' UTC', quick: opts.quick, machine: machine(), settings: settings(opts),
    items: opts.sizes.items, rawItemBytes: rawItemBytes(opts.sizes), targets, coldStarts, commitRates, authPairs,
  };
  const goals = evaluateGoals(run);
  const markdown = resultsMarkdown(run, goals);
  process.stdout.write(`\n${markdown.split('\n').slice(1, -1).join('\n')}\n\n${goalSummary(goals)}\n`);
  if (opts.write) {
    writeResults(DOC, markdown, DOC_INTRO);
    log(`\nwrote ${DOC}`);
  }
  if (opts.targetsOnly) return;
  // OpenDDB nodes over PostgreSQL beside pgbench (bench/postgres.ts); skipped, saying why, without PostgreSQL.
  await postgresPhase({ connections: opts.connections, warmupMs: opts.warmupMs, durationMs: opts.durationMs });
  // What point-in-time recovery costs on disk: the same PutItem load with it off and on (bench/pitrCost.ts).
  log('\n== Point-in-time recovery: PutItem throughput and disk growth, off and on');
  await pitrCostPhase(opts.quick);
  // GetItem through the same SDK client, in-process handler against HTTP (bench/sdkFronts.ts).
  log('\n== In-process request handler against HTTP');
  await sdkFrontsPhase({ seconds: opts.quick ? 1 : 2, rounds: opts.quick ? 3 : 5, concurrency: opts.connections, items: 1000 });
  log(`benchmark took ${((performance.now() - started) / 1000).toFixed(0)} s`);
}

main().catch((err) => {
  process.stderr.write(`benchmark failed: ${(err as Error).stack ?? err}\n`);
  process.exit(1);
});
