/**
 * CPU per operation of two builds, compared: each round runs both builds'
 * `dist/bench/inProcess.js` at the same time (a process each), so that a shared machine's
 * changing load falls on both alike, and prints per workload each build's median, the
 * median of the per-round ratios B / A and their spread. Both checkouts must be built;
 * an older one needs this directory's inProcess.ts, workloads.ts and data.ts copied in.
 *
 *   node dist/bench/compareBuilds.js --a ../base --b . [--rounds 6] [--workloads put,get,query-10] [--seconds 2] [--on-disk]
 */
import { execFile } from 'node:child_process';
import { join, resolve } from 'node:path';
import { parseArgs, promisify } from 'node:util';
import { median } from './median.js';

const run = promisify(execFile);

const { values } = parseArgs({
  options: {
    a: { type: 'string' },
    b: { type: 'string', default: '.' },
    rounds: { type: 'string', default: '6' },
    workloads: { type: 'string', default: 'put,get,query-10' },
    seconds: { type: 'string', default: '2' },
    'on-disk': { type: 'boolean', default: false },
  },
});
if (values.a === undefined) throw new Error('--a <checkout> is required (the build to compare against)');
const builds = [resolve(values.a), resolve(values.b)];
const rounds = Number(values.rounds);

/** One run of a build: µs CPU per operation by workload title. */
async function runOnce(dir: string): Promise<Map<string, number>> {
  const { stdout: out } = await run(process.execPath, [join(dir, 'dist/bench/inProcess.js'), '--workloads', values.workloads!, '--seconds', values.seconds!, ...(values['on-disk'] ? ['--on-disk'] : [])], { cwd: dir, encoding: 'utf8' });
  const figures = new Map<string, number>();
  for (const line of out.split('\n')) {
    const match = /^(.*?)\s+([\d.]+) µs CPU\/op$/.exec(line);
    if (match) figures.set(match[1]!, Number(match[2]));
  }
  return figures;
}

const perBuild: Map<string, number>[][] = [[], []];
for (let round = 0; round < rounds; round++) {
  const [a, b] = await Promise.all(builds.map(runOnce));
  perBuild[0]!.push(a!);
  perBuild[1]!.push(b!);
  process.stderr.write(`round ${round + 1}/${rounds} done\n`);
}

console.log(`A = ${builds[0]}\nB = ${builds[1]}\n${rounds} rounds, both builds at once; µs CPU/op medians, B/A per round`);
for (const title of perBuild[0]![0]!.keys()) {
  const a = perBuild[0]!.map((run) => run.get(title)!);
  const b = perBuild[1]!.map((run) => run.get(title)!);
  const ratios = a.map((x, i) => b[i]! / x);
  const spread = `${Math.min(...ratios).toFixed(2)}–${Math.max(...ratios).toFixed(2)}`;
  console.log(`${title.padEnd(40)} A ${median(a).toFixed(1).padStart(7)}  B ${median(b).toFixed(1).padStart(7)}  B/A median ${median(ratios).toFixed(3)} (${spread})`);
}
