/** The issue's performance targets, checked against one run's numbers. */
import type { MeasuredLoad } from './loadRunner.js';
import type { RunReport, TargetReport } from './results.js';
import { describeRatios, type AlternatingResult } from './alternating.js';
import { median } from './median.js';
import { WORKLOADS } from './workloads.js';

export interface GoalResult {
  target: string;
  goal: string;
  measured: string;
  /** undefined: could not be judged in this run (not measured, or the peer lacks the operation). */
  pass: boolean | undefined;
}

/**
 * Shares of the ceiling's throughput, per workload, and which targets they judge.
 * Durable writes are judged against the disk instead (COMMIT_RATE_SHARE), relaxed ones
 * against in-memory writes; Query `Limit 10` with `--workers 2`, where a second
 * process can take the HTTP front's share.
 */
const CEILING_SHARE: Record<string, { share: number; targets: string[] }> = {
  put: { share: 0.5, targets: ['openddb-memory'] },
  get: { share: 0.6, targets: ['openddb-disk', 'openddb-workers', 'openddb-relaxed', 'openddb-memory'] },
  'get-consistent': { share: 0.6, targets: ['openddb-disk', 'openddb-workers', 'openddb-relaxed', 'openddb-memory'] },
  'query-10': { share: 0.5, targets: ['openddb-workers'] },
};
const DYNALITE_MULTIPLE: Record<string, number> = { 'query-100': 5, scan: 5, 'batch-write': 5, 'batch-get': 5 };
const EVERY_WORKLOAD_DYNALITE_MULTIPLE = 1.5;
const SINGLE_ITEM_P99_MS = 10;
const COLD_START_MS = 300;
/** Anonymous RSS (the process's own memory, without the store's mapped file) after the preload. */
const RSS_ANON_LIMIT_BYTES = 120 * 1024 * 1024;
/** In memory the data itself counts: RSS relative to the preloaded items' own size. */
const IN_MEMORY_RSS_PER_RAW_BYTE = 2.5;
/** Durable PutItem / BatchWriteItem items per second against the bare store's synced commits of the same shape. */
const COMMIT_RATE_SHARE = 0.8;
/** Relaxed-durability PutItem against in-memory PutItem. */
const RELAXED_PUT_SHARE = 0.8;
/** Server CPU per GetItem against the ceiling's per request. */
const GET_CPU_MULTIPLE = 1.5;
const SCALE_TOLERANCE = 1.25; // "equal within noise"
const SOAK_GROWTH_LIMIT = 1.2;
/** `--auth` with a ten-statement policy against the same server without it (in memory). */
const AUTH_SHARE = 0.85;
export const AUTH_WORKLOADS = ['get', 'put'];
/** A NEW_AND_OLD_IMAGES stream may cost at most 20 % of PutItem throughput. */
const STREAM_SHARE = 0.8;

function opsOf(report: TargetReport | undefined, workload: string): number | undefined {
  const outcome = report?.workloads[workload];
  return outcome?.status === 'ok' ? outcome.load.opsPerSec : undefined;
}

const fmt = (x: number, digits = 2) => x.toFixed(digits);

/**
 * The `--auth` target is judged only against the same server without `--auth`, on the
 * median of their interleaved slices' per-round ratios (run.ts measures them whenever both run).
 */
function authGoals(target: TargetReport, pairs: Record<string, AlternatingResult>, add: (goal: string, measured: string, pass: boolean | undefined) => void): void {
  for (const id of AUTH_WORKLOADS) {
    const outcome = target.workloads[id];
    if (outcome === undefined) continue;
    const title = WORKLOADS.find((w) => w.id === id)!.title;
    if (outcome.status !== 'ok') {
      add(`${title} with --auth: served`, outcome.status === 'unsupported' ? 'unsupported' : outcome.message, false);
      continue;
    }
    const pair = pairs[id];
    // The main window and, when measured, the interleaved slices of both servers.
    const loads = [outcome.load, ...(pair === undefined ? [] : [pair.loadA, pair.loadB])];
    const sum = (of: (l: (typeof loads)[number]) => number) => loads.reduce((total, l) => total + of(l), 0);
    add(`${title} with --auth: no errors, bodies check out`, `${sum((l) => l.errors)} errors, ${sum((l) => l.checkFailures)} bad bodies`,
      sum((l) => l.errors + l.checkFailures + l.warmupErrors) === 0);
    const goal = `${title} with --auth ≥ ${AUTH_SHARE} × without (interleaved slices)`;
    if (pair === undefined) add(goal, 'openddb-memory not measured', undefined);
    else add(goal, describeRatios(pair.opsRatios), median(pair.opsRatios) >= AUTH_SHARE);
  }
}

export function evaluateGoals(run: RunReport): GoalResult[] {
  const byId = new Map(run.targets.map((t) => [t.spec.id, t]));
  const ceiling = byId.get('ceiling');
  const dynalite = byId.get('dynalite');
  const results: GoalResult[] = [];
  for (const target of run.targets.filter((t) => t.spec.isOpenDDB)) {
    const add = (goal: string, measured: string, pass: boolean | undefined) => results.push({ target: target.spec.id, goal, measured, pass });
    if (target.spec.id === 'openddb-auth') {
      authGoals(target, run.authPairs, add);
      continue;
    }
    for (const workload of WORKLOADS) {
      const outcome = target.workloads[workload.id];
      if (outcome === undefined) continue;
      if (outcome.status !== 'ok') {
        add(`${workload.title}: served`, outcome.status === 'unsupported' ? 'unsupported' : outcome.message, false);
        continue;
      }
      const load = outcome.load;
      add(`${workload.title}: no errors, bodies check out`, `${load.errors} errors, ${load.checkFailures} bad bodies`, load.errors === 0 && load.checkFailures === 0 && load.warmupErrors === 0);
      const share = CEILING_SHARE[workload.id]?.targets.includes(target.spec.id) ? CEILING_SHARE[workload.id]!.share : undefined;
      const ceilingOps = opsOf(ceiling, workload.id);
      if (share !== undefined) {
        add(`${workload.title} ≥ ${share} × ceiling`, ceilingOps === undefined ? 'ceiling not measured' : `${fmt(load.opsPerSec / ceilingOps)} ×`,
          ceilingOps === undefined ? undefined : load.opsPerSec >= share * ceilingOps);
      }
      const dynaliteOps = opsOf(dynalite, workload.id);
      const multiple = Math.max(DYNALITE_MULTIPLE[workload.id] ?? 0, EVERY_WORKLOAD_DYNALITE_MULTIPLE);
      add(`${workload.title} ≥ ${multiple} × dynalite`,
        dynaliteOps === undefined ? (dynalite?.workloads[workload.id]?.status === 'unsupported' ? 'dynalite lacks it' : 'dynalite not measured') : `${fmt(load.opsPerSec / dynaliteOps)} ×`,
        dynaliteOps === undefined ? undefined : load.opsPerSec >= multiple * dynaliteOps);
      if (workload.singleItem) add(`${workload.title}: p99 ≤ ${SINGLE_ITEM_P99_MS} ms`, `${fmt(load.p99Ms)} ms`, load.p99Ms <= SINGLE_ITEM_P99_MS);
      for (const goal of extraWorkloadGoals(run, target, workload.id, load)) add(goal.goal, goal.measured, goal.pass);
    }
    const puts = opsOf(target, 'put');
    const streamedPuts = opsOf(target, 'put-streamed');
    if (puts !== undefined && streamedPuts !== undefined) {
      add(`PutItem with a stream ≥ ${STREAM_SHARE} × PutItem without`, `${fmt(streamedPuts / puts)} ×`, streamedPuts >= STREAM_SHARE * puts);
    }
    add(`cold start ≤ ${COLD_START_MS} ms`, `${fmt(target.coldStartMs, 0)} ms`, target.coldStartMs <= COLD_START_MS);
    if (target.reopenColdStartMs !== undefined) {
      add(`cold start over ${run.items.toLocaleString('en-US')} items ≤ ${COLD_START_MS} ms`, `${fmt(target.reopenColdStartMs, 0)} ms`, target.reopenColdStartMs <= COLD_START_MS);
    }
    if (target.rssAfterPreload !== undefined) {
      const full = run.items >= 100_000;
      const { total, anon } = target.rssAfterPreload;
      const mapped = `${fmt((total - anon) / 2 ** 20, 0)} MB file-backed beside it`;
      if (target.spec.onDisk) {
        add(`anonymous RSS ≤ 120 MB after preloading 100k items${full ? '' : ` (this run: ${run.items} items)`}`,
          `${fmt(anon / 2 ** 20, 0)} MB (${mapped})`, full ? anon <= RSS_ANON_LIMIT_BYTES : undefined);
      } else {
        const perRawByte = anon / run.rawItemBytes;
        // Judged at the full preload only: at --quick's size the process's fixed ~15-25 MB dominates.
        add(`anonymous RSS ≤ ${IN_MEMORY_RSS_PER_RAW_BYTE} × the preloaded items' bytes (${fmt(run.rawItemBytes / 2 ** 20, 0)} MB)${full ? '' : ` (this run: ${run.items} items)`}`,
          `${fmt(perRawByte)} × (${fmt(anon / 2 ** 20, 0)} MB; ${mapped})`, full ? perRawByte <= IN_MEMORY_RSS_PER_RAW_BYTE : undefined);
      }
    }
    const coldStart = coldStartGoal(run, target.spec.id);
    if (coldStart !== undefined) add(coldStart.goal, coldStart.measured, coldStart.pass);
    if (target.scale !== undefined) {
      const ratio = target.scale.large.p50Ms / target.scale.small.p50Ms;
      add(`Query 100 items: p50 with ${target.scale.largeItems.toLocaleString('en-US')} items ≤ ${SCALE_TOLERANCE} × with ${target.scale.smallItems.toLocaleString('en-US')}`,
        `${fmt(ratio)} ×`, ratio <= SCALE_TOLERANCE);
    }
    if (target.soak !== undefined && target.soak.length >= 2) {
      const first = target.soak[0]!.rss.total;
      const last = target.soak[target.soak.length - 1]!.rss.total;
      add(`no unbounded growth over a ${target.soak.length}-minute mixed run`, `RSS ${fmt(first / 2 ** 20, 0)} → ${fmt(last / 2 ** 20, 0)} MB`, last <= first * SOAK_GROWTH_LIMIT);
    }
  }
  const workers = workersGoal(byId.get('openddb-disk'), byId.get('openddb-workers'));
  if (workers !== undefined) results.push(workers);
  return results;
}

type Judged = Omit<GoalResult, 'target'>;

/** The goals of one workload that compare with something other than the ceiling or dynalite's throughput. */
function extraWorkloadGoals(run: RunReport, target: TargetReport, workload: string, load: MeasuredLoad): Judged[] {
  const goals: Judged[] = [];
  const rate = run.commitRates[workload];
  if (target.spec.id === 'openddb-disk' && rate !== undefined) {
    const perItem = workload === 'batch-write' ? 25 : 1;
    const itemsPerSec = load.opsPerSec * perItem;
    goals.push({
      goal: `${workload === 'put' ? 'PutItem' : 'BatchWriteItem'} items/s ≥ ${COMMIT_RATE_SHARE} × the store's own synced commits of ${rate.itemsPerTransaction} put${rate.itemsPerTransaction > 1 ? 's' : ''}`,
      measured: `${fmt(itemsPerSec / rate.itemsPerSec)} × (${Math.round(itemsPerSec).toLocaleString('en-US')} against ${Math.round(rate.itemsPerSec).toLocaleString('en-US')})`,
      pass: itemsPerSec >= COMMIT_RATE_SHARE * rate.itemsPerSec,
    });
  }
  const memory = run.targets.find((t) => t.spec.id === 'openddb-memory');
  if (target.spec.id === 'openddb-relaxed' && workload === 'put') {
    const memoryOps = opsOf(memory, 'put');
    goals.push({
      goal: `PutItem ≥ ${RELAXED_PUT_SHARE} × in-memory PutItem`,
      measured: memoryOps === undefined ? 'in-memory not measured' : `${fmt(load.opsPerSec / memoryOps)} ×`,
      pass: memoryOps === undefined ? undefined : load.opsPerSec >= RELAXED_PUT_SHARE * memoryOps,
    });
  }
  if (workload === 'get') {
    const ceilingLoad = run.targets.find((t) => t.spec.id === 'ceiling')?.workloads.get;
    const ceilingCpu = ceilingLoad?.status === 'ok' ? ceilingLoad.load.cpuUsPerOp : undefined;
    goals.push({
      goal: `server CPU per GetItem ≤ ${GET_CPU_MULTIPLE} × the ceiling's per request`,
      measured: ceilingCpu === undefined ? 'ceiling not measured' : `${fmt(load.cpuUsPerOp / ceilingCpu)} × (${fmt(load.cpuUsPerOp, 0)} against ${fmt(ceilingCpu, 0)} µs)`,
      pass: ceilingCpu === undefined ? undefined : load.cpuUsPerOp <= GET_CPU_MULTIPLE * ceilingCpu,
    });
  }
  return goals;
}

/** Median cold start against dynalite's, measured in the same rounds. */
function coldStartGoal(run: RunReport, id: string): Judged | undefined {
  const mine = run.coldStarts?.find((c) => c.spec.id === id);
  if (mine === undefined) return undefined;
  const dynalite = run.coldStarts?.find((c) => c.spec.id === 'dynalite');
  const rounds = mine.samplesMs.length;
  return {
    goal: `cold start (spawn to first answer, median of ${rounds}) ≤ dynalite's`,
    measured: dynalite === undefined ? `${fmt(mine.medianMs, 0)} ms; dynalite not measured` : `${fmt(mine.medianMs / dynalite.medianMs)} × (${fmt(mine.medianMs, 0)} against ${fmt(dynalite.medianMs, 0)} ms)`,
    pass: dynalite === undefined ? undefined : mine.medianMs <= dynalite.medianMs,
  };
}

/** `--workers 2` against one process, over every workload both ran: the geometric mean of the ratios. */
function workersGoal(single: TargetReport | undefined, workers: TargetReport | undefined): GoalResult | undefined {
  if (single === undefined || workers === undefined) return undefined;
  const ratios: string[] = [];
  let logSum = 0;
  for (const workload of WORKLOADS) {
    const one = opsOf(single, workload.id);
    const two = opsOf(workers, workload.id);
    if (one === undefined || two === undefined) continue;
    ratios.push(`${workload.id} ${fmt(two / one)}`);
    logSum += Math.log(two / one);
  }
  const goal = 'workers raise throughput (2 workers vs 1 process, geometric mean over workloads)';
  if (ratios.length === 0) return { target: 'openddb-workers', goal, measured: 'not measured', pass: undefined };
  const mean = Math.exp(logSum / ratios.length);
  return { target: 'openddb-workers', goal, measured: `${fmt(mean)} × (${ratios.join(', ')})`, pass: mean > 1 };
}
