/** The issue's performance targets, checked against one run's numbers. */
import type { RunReport, TargetReport } from './results.js';
import { WORKLOADS } from './workloads.js';

export interface GoalResult {
  target: string;
  goal: string;
  measured: string;
  /** undefined: could not be judged in this run (not measured, or the peer lacks the operation). */
  pass: boolean | undefined;
}

const CEILING_SHARE: Record<string, number> = { put: 0.6, get: 0.6, 'get-consistent': 0.6, 'query-10': 0.5 };
const DYNALITE_MULTIPLE: Record<string, number> = { 'query-100': 5, scan: 5, 'batch-write': 5, 'batch-get': 5 };
const EVERY_WORKLOAD_DYNALITE_MULTIPLE = 1.5;
const SINGLE_ITEM_P99_MS = 10;
const COLD_START_MS = 300;
const RSS_LIMIT_BYTES = 120 * 1024 * 1024;
const SCALE_TOLERANCE = 1.25; // "equal within noise"
const SOAK_GROWTH_LIMIT = 1.2;
/** A NEW_AND_OLD_IMAGES stream may cost at most 20 % of PutItem throughput. */
const STREAM_SHARE = 0.8;

function opsOf(report: TargetReport | undefined, workload: string): number | undefined {
  const outcome = report?.workloads[workload];
  return outcome?.status === 'ok' ? outcome.load.opsPerSec : undefined;
}

const fmt = (x: number, digits = 2) => x.toFixed(digits);

export function evaluateGoals(run: RunReport): GoalResult[] {
  const byId = new Map(run.targets.map((t) => [t.spec.id, t]));
  const ceiling = byId.get('ceiling');
  const dynalite = byId.get('dynalite');
  const results: GoalResult[] = [];
  for (const target of run.targets.filter((t) => t.spec.isOpenDDB)) {
    const add = (goal: string, measured: string, pass: boolean | undefined) => results.push({ target: target.spec.id, goal, measured, pass });
    for (const workload of WORKLOADS) {
      const outcome = target.workloads[workload.id];
      if (outcome === undefined) continue;
      if (outcome.status !== 'ok') {
        add(`${workload.title}: served`, outcome.status === 'unsupported' ? 'unsupported' : outcome.message, false);
        continue;
      }
      const load = outcome.load;
      add(`${workload.title}: no errors, bodies check out`, `${load.errors} errors, ${load.checkFailures} bad bodies`, load.errors === 0 && load.checkFailures === 0 && load.warmupErrors === 0);
      const share = CEILING_SHARE[workload.id];
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
      add(`RSS ≤ 120 MB after preloading 100k items${full ? '' : ` (this run: ${run.items} items)`}`,
        `${fmt(total / 2 ** 20, 0)} MB (${fmt(anon / 2 ** 20, 0)} MB without mapped files)`,
        full ? total <= RSS_LIMIT_BYTES : undefined);
    }
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
