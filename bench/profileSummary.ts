/**
 * Summarises a `node --cpu-prof` profile: the functions with the most self time, and
 * the project's own functions with the most total (inclusive) time.
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
  for (const [id, micros] of selfMicros) {
    const key = label(byId.get(id)!);
    self.set(key, (self.get(key) ?? 0) + micros);
  }
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
  const pct = (m: number) => `${((100 * m) / total).toFixed(1).padStart(5)} %`;
  const lines = [`total ${(total / 1e6).toFixed(1)} s sampled`, '', `top ${top} by self time:`];
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
