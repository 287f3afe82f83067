/**
 * Summarises a `node --cpu-prof` profile of the main thread: its self time by area (the
 * project, Node.js's own JavaScript, each package, native calls, garbage collection),
 * the functions with the most self time, and the project's own functions with the most
 * total (inclusive) time. Shares are of the busy time: a server's profile spans its whole
 * life, most of it idle between benchmark phases. A native call's time is wall time on
 * the main thread, blocking included (a synchronous commit's disk sync shows there).
 * Usage: node dist/bench/profileSummary.js <file.cpuprofile> [top=25]
 */
import { readFileSync } from 'node:fs';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}

interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

function label(node: ProfileNode): string {
  const { functionName, url, lineNumber } = node.callFrame;
  const file = url.replace(/^file:\/\//, '').replace(/^.*\/(dist|node_modules)\//, '$1/');
  return `${functionName || '(anonymous)'} ${file ? `${file}:${lineNumber + 1}` : ''}`.trim();
}

/** Where a function's self time is counted in the by-area summary. */
function area(node: ProfileNode): string {
  const { functionName, url } = node.callFrame;
  if (url === '') return functionName.startsWith('(') ? functionName : 'native calls (syscalls, bindings)';
  if (url.startsWith('node:')) return 'Node.js (node:*)';
  const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (pkg) return `package ${pkg[1]}`;
  return /\/dist\/src\//.test(url) ? 'project (dist/src)' : 'other';
}

function summarise(profile: CpuProfile, top: number): string {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const selfMicros = new Map<number, number>();
  let total = 0;
  profile.samples.forEach((id, i) => {
    const dt = profile.timeDeltas[i] ?? 0;
    selfMicros.set(id, (selfMicros.get(id) ?? 0) + dt);
    total += dt;
  });
  const self = new Map<string, number>();
  const areas = new Map<string, number>();
  let idle = 0;
  for (const [id, micros] of selfMicros) {
    const node = byId.get(id)!;
    if (node.callFrame.functionName === '(idle)') {
      idle += micros;
      continue;
    }
    const key = label(node);
    self.set(key, (self.get(key) ?? 0) + micros);
    const where = area(node);
    areas.set(where, (areas.get(where) ?? 0) + micros);
  }
  const busy = total - idle;
  // Inclusive time per function, counting a function once per stack (recursion is not double counted).
  const inclusive = new Map<string, number>();
  const walk = (id: number, onStack: Set<string>): number => {
    const node = byId.get(id)!;
    let sum = selfMicros.get(id) ?? 0;
    const key = label(node);
    const fresh = !onStack.has(key);
    if (fresh) onStack.add(key);
    for (const child of node.children ?? []) sum += walk(child, onStack);
    if (fresh) {
      onStack.delete(key);
      inclusive.set(key, (inclusive.get(key) ?? 0) + sum);
    }
    return sum;
  };
  walk(profile.nodes[0]!.id, new Set());
  const pct = (m: number) => `${((100 * m) / busy).toFixed(1).padStart(5)} %`;
  const lines = [`${(total / 1e6).toFixed(1)} s sampled, ${(busy / 1e6).toFixed(1)} s busy (shares below are of the busy time)`, '', 'self time by area:'];
  for (const [key, m] of [...areas].sort((a, b) => b[1] - a[1])) lines.push(`  ${pct(m)}  ${key}`);
  lines.push('', `top ${top} by self time:`);
  for (const [key, m] of [...self].sort((a, b) => b[1] - a[1]).slice(0, top)) lines.push(`  ${pct(m)}  ${key}`);
  lines.push('', `top ${top} project functions by total time:`);
  const own = [...inclusive].filter(([key]) => / dist\/src\//.test(key)).sort((a, b) => b[1] - a[1]);
  for (const [key, m] of own.slice(0, top)) lines.push(`  ${pct(m)}  ${key}`);
  return lines.join('\n');
}

const [file, topText] = process.argv.slice(2);
if (file === undefined) {
  process.stderr.write('usage: node dist/bench/profileSummary.js <file.cpuprofile> [top]\n');
  process.exit(2);
}
process.stdout.write(`${summarise(JSON.parse(readFileSync(file, 'utf8')) as CpuProfile, Number(topText ?? 25))}\n`);
