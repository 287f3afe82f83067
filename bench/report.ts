/** Turning a run into the markdown of docs/performance.md and the console summary. */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import type { GoalResult } from './goals.js';
import type { Rss } from './procStats.js';
import type { RunReport, TargetReport, WorkloadOutcome } from './results.js';
import { WORKLOADS } from './workloads.js';

export const BEGIN_MARK = '<!-- bench:results:begin (written by npm run bench) -->';
export const END_MARK = '<!-- bench:results:end -->';

const mb = (bytes: number | undefined) => (bytes === undefined ? '–' : `${(bytes / 2 ** 20).toFixed(0)} MB`);
const rssCell = (rss: Rss | undefined) => (rss === undefined ? '–' : `${mb(rss.total)} (${mb(rss.anon)})`);
const int = (x: number) => Math.round(x).toLocaleString('en-US');
const ms = (x: number) => (x < 10 ? x.toFixed(2) : x.toFixed(1));

function opsCell(outcome: WorkloadOutcome | undefined): string {
  if (outcome === undefined) return '–';
  if (outcome.status === 'unsupported') return 'unsupported';
  if (outcome.status === 'failed') return 'failed';
  return int(outcome.load.opsPerSec);
}

function ratio(a: WorkloadOutcome | undefined, b: WorkloadOutcome | undefined): string {
  if (a?.status !== 'ok' || b?.status !== 'ok' || b.load.opsPerSec === 0) return '–';
  return `${(a.load.opsPerSec / b.load.opsPerSec).toFixed(2)}`;
}

function throughputTable(run: RunReport): string[] {
  const t = (id: string) => run.targets.find((x) => x.spec.id === id);
  const openddb = run.targets.filter((x) => x.spec.isOpenDDB);
  const short = (x: TargetReport) => x.spec.short;
  const head = ['workload', ...run.targets.map((x) => x.spec.label)];
  for (const o of openddb) head.push(`${short(o)} / ceiling`);
  for (const o of openddb) head.push(`${short(o)} / dynalite`);
  const lines = [`| ${head.join(' | ')} |`, `|${head.map((_, i) => (i === 0 ? ' --- ' : ' ---: ')).join('|')}|`];
  for (const w of WORKLOADS) {
    if (!run.targets.some((x) => x.workloads[w.id] !== undefined)) continue;
    const cells = [w.title, ...run.targets.map((x) => opsCell(x.workloads[w.id]))];
    for (const o of openddb) cells.push(ratio(o.workloads[w.id], t('ceiling')?.workloads[w.id]));
    for (const o of openddb) cells.push(ratio(o.workloads[w.id], t('dynalite')?.workloads[w.id]));
    lines.push(`| ${cells.join(' | ')} |`);
  }
  return lines;
}

function cpuCell(outcome: WorkloadOutcome | undefined): string {
  return outcome?.status === 'ok' ? int(outcome.load.cpuUsPerOp) : opsCell(outcome);
}

/** Server CPU per operation: less sensitive than ops/s to other load on the machine. */
function cpuTable(run: RunReport): string[] {
  const openddb = run.targets.filter((x) => x.spec.isOpenDDB);
  const dynalite = run.targets.find((x) => x.spec.id === 'dynalite');
  const short = (x: TargetReport) => x.spec.short;
  const head = ['workload', ...run.targets.map((x) => x.spec.label), ...openddb.map((o) => `dynalite / ${short(o)}`)];
  const lines = [`| ${head.join(' | ')} |`, `|${head.map((_, i) => (i === 0 ? ' --- ' : ' ---: ')).join('|')}|`];
  for (const w of WORKLOADS) {
    if (!run.targets.some((x) => x.workloads[w.id] !== undefined)) continue;
    const cells = [w.title, ...run.targets.map((x) => cpuCell(x.workloads[w.id]))];
    for (const o of openddb) {
      const mine = o.workloads[w.id];
      const theirs = dynalite?.workloads[w.id];
      cells.push(mine?.status === 'ok' && theirs?.status === 'ok' && mine.load.cpuUsPerOp > 0 ? (theirs.load.cpuUsPerOp / mine.load.cpuUsPerOp).toFixed(2) : '–');
    }
    lines.push(`| ${cells.join(' | ')} |`);
  }
  return lines;
}

function detailTable(run: RunReport): string[] {
  const lines = [
    '| workload | target | ops/s | p50 ms | p99 ms | errors | server CPU µs/op | cores: server / load gen / other |',
    '| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: |',
  ];
  for (const w of WORKLOADS) {
    for (const x of run.targets) {
      const o = x.workloads[w.id];
      if (o === undefined) continue;
      if (o.status !== 'ok') {
        lines.push(`| ${w.title} | ${x.spec.label} | ${o.status === 'unsupported' ? 'unsupported' : `failed: ${o.message.replace(/\|/g, '/').slice(0, 80)}`} | | | | | |`);
        continue;
      }
      const l = o.load;
      const errors = l.errors + l.warmupErrors + l.checkFailures;
      lines.push(`| ${w.title} | ${x.spec.label} | ${int(l.opsPerSec)} | ${ms(l.p50Ms)} | ${ms(l.p99Ms)} | ${errors} | ${int(l.cpuUsPerOp)} | ${l.cpuCores.toFixed(2)} / ${l.loadgenCores.toFixed(2)} / ${l.otherCores.toFixed(2)} |`);
    }
  }
  return lines;
}

function processTable(run: RunReport): string[] {
  const lines = [
    '| target | cold start | cold start, reopening the data | RSS idle (anonymous) | RSS after preload (anonymous) | preload | disk per 100k items |',
    '| --- | ---: | ---: | ---: | ---: | ---: | ---: |',
  ];
  for (const x of run.targets) {
    const preload = x.preloadSeconds === undefined ? '–' : `${x.preloadSeconds.toFixed(1)} s (${x.preloadMethod})`;
    lines.push(`| ${x.spec.label} | ${int(x.coldStartMs)} ms | ${x.reopenColdStartMs === undefined ? '–' : `${int(x.reopenColdStartMs)} ms`} | ${rssCell(x.rssIdle)} | ${rssCell(x.rssAfterPreload)} | ${preload} | ${mb(x.diskBytesPer100k)} |`);
  }
  return lines;
}

function coldStartLines(run: RunReport): string[] {
  if (run.coldStarts === undefined) return ['Not run (`--cold-starts 0`).'];
  const dynalite = run.coldStarts.find((c) => c.spec.id === 'dynalite');
  const lines = ['| target | median | ÷ dynalite | every start |', '| --- | ---: | ---: | --- |'];
  for (const c of run.coldStarts) {
    const ratioToDynalite = dynalite === undefined ? '–' : (c.medianMs / dynalite.medianMs).toFixed(2);
    lines.push(`| ${c.spec.label} | ${int(c.medianMs)} ms | ${ratioToDynalite} | ${c.samplesMs.map((x) => int(x)).join(', ')} ms |`);
  }
  lines.push('', 'Process spawn to the first answered request, on an empty data directory; the targets take turns, round after round.');
  return lines;
}

function commitRateLines(run: RunReport): string[] {
  const rates = Object.entries(run.commitRates);
  if (rates.length === 0) return ['Not run (needs the openddb-disk target and the put or batch-write workload).'];
  const lines = ['| beside workload | puts per transaction | synced transactions/s | items/s |', '| --- | ---: | ---: | ---: |'];
  for (const [workload, rate] of rates) lines.push(`| ${workload} | ${rate.itemsPerTransaction} | ${int(rate.transactionsPerSec)} | ${int(rate.itemsPerSec)} |`);
  lines.push('', 'Bare commits through the LMDB adapter with full durability (no HTTP, no DynamoDB logic), the workload\'s connections each with one transaction in flight, over a store preloaded with as many ~1 KB items: what the disk allows durable writes.');
  return lines;
}

function scaleLines(run: RunReport): string[] {
  const scaled = run.targets.filter((x) => x.scale !== undefined);
  if (scaled.length === 0) return ['Not run (`--scale-items 0` or `--quick`).'];
  const lines = ['| target | items in table | ops/s | p50 ms | p99 ms |', '| --- | ---: | ---: | ---: | ---: |'];
  for (const x of scaled) {
    const s = x.scale!;
    for (const [items, l] of [[s.smallItems, s.small], [s.largeItems, s.large]] as const) {
      lines.push(`| ${x.spec.label} | ${int(items)} | ${int(l.opsPerSec)} | ${ms(l.p50Ms)} | ${ms(l.p99Ms)} |`);
    }
  }
  lines.push('', `Growing the table took ${scaled.map((x) => `${x.scale!.growSeconds.toFixed(0)} s (${x.spec.label})`).join(', ')}. One connection, so the latencies are the server's own, not queueing.`);
  return lines;
}

function soakLines(run: RunReport): string[] {
  const soaked = run.targets.filter((x) => x.soak !== undefined);
  if (soaked.length === 0) return ['Not run (`--soak <minutes>`).'];
  const lines: string[] = [];
  for (const x of soaked) {
    lines.push(`${x.spec.label}, mixed load: ` + x.soak!.map((s) => `${s.minute} min ${rssCell(s.rss)} (${int(s.opsPerSec)} ops/s${s.errors ? `, ${s.errors} errors` : ''})`).join('; '));
  }
  return lines;
}

function goalLines(goals: GoalResult[]): string[] {
  const lines = ['| target | goal | measured | result |', '| --- | --- | --- | --- |'];
  for (const g of goals) lines.push(`| ${g.target} | ${g.goal} | ${g.measured.replace(/\|/g, '/')} | ${g.pass === undefined ? 'n/a' : g.pass ? 'pass' : '**FAIL**'} |`);
  return lines;
}

function noiseLine(run: RunReport): string {
  let worst = 0;
  for (const x of run.targets) for (const o of Object.values(x.workloads)) if (o.status === 'ok') worst = Math.max(worst, o.load.otherCores);
  return `- Other processes on the machine used up to ${worst.toFixed(2)} cores during the measured windows` +
    (worst > 0.2 ? ' — the machine was not quiet, so read the ratios with care.' : '.');
}

export function resultsMarkdown(run: RunReport, goals: GoalResult[]): string {
  return [
    BEGIN_MARK,
    `## Results${run.quick ? ' (quick run)' : ''}`,
    '',
    `- Date: ${run.date}`,
    `- Machine: ${run.machine}`,
    `- Settings: ${run.settings}`,
    noiseLine(run),
    '',
    '### Throughput (ops/s) and ratios',
    '',
    ...throughputTable(run),
    '',
    '### Server CPU per operation (µs; lower is better, and steadier than ops/s on a busy machine)',
    '',
    ...cpuTable(run),
    '',
    '### Latency, errors and server CPU',
    '',
    ...detailTable(run),
    '',
    '### Start, memory, disk',
    '',
    ...processTable(run),
    '',
    `The preloaded items measure ${mb(run.rawItemBytes)} by DynamoDB's item size (attribute names and values).`,
    '',
    '### Cold start, median',
    '',
    ...coldStartLines(run),
    '',
    '### The storage engine\'s own synced commits',
    '',
    ...commitRateLines(run),
    '',
    '### Scale check: Query of one 100-item partition, small vs large table',
    '',
    ...scaleLines(run),
    '',
    '### Soak',
    '',
    ...soakLines(run),
    '',
    '### Targets',
    '',
    ...goalLines(goals),
    END_MARK,
  ].join('\n');
}

/** Replaces the generated block of the document, keeping everything written around it. */
export function writeResults(path: string, markdown: string, intro: string): void {
  const current = existsSync(path) ? readFileSync(path, 'utf8') : '';
  const begin = current.indexOf(BEGIN_MARK);
  const end = current.indexOf(END_MARK);
  const next = begin >= 0 && end > begin
    ? current.slice(0, begin) + markdown + current.slice(end + END_MARK.length)
    : `${current.length > 0 ? current.trimEnd() : intro}\n\n${markdown}\n`;
  writeFileSync(path, next);
}

export function goalSummary(goals: GoalResult[]): string {
  const lines: string[] = [];
  for (const target of [...new Set(goals.map((g) => g.target))]) {
    const mine = goals.filter((g) => g.target === target);
    const failed = mine.filter((g) => g.pass === false).length;
    const passed = mine.filter((g) => g.pass === true).length;
    lines.push(`${target}: ${failed === 0 ? 'PASS' : 'FAIL'} (${passed} passed, ${failed} failed, ${mine.length - passed - failed} not judged)`);
    for (const g of mine) lines.push(`  ${g.pass === undefined ? 'n/a ' : g.pass ? 'pass' : 'FAIL'}  ${g.goal}: ${g.measured}`);
  }
  return lines.join('\n');
}
