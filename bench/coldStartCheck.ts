/**
 * `node dist/bench/coldStartCheck.js [rounds] [target,...]`: cold starts alone (spawn to
 * the first answered request, median of `rounds`, default 7), for checking a start-up
 * change without the whole benchmark. The server's CPU time to its first answer is printed
 * beside it: on a busy machine it moves far less than the wall time.
 */
import { measureColdStarts } from './coldStart.js';
import { TARGETS, type TargetId } from './targets.js';

const rounds = Number(process.argv[2] ?? 7);
const ids = (process.argv[3] ?? 'openddb-memory,openddb-disk,dynalite,ceiling').split(',') as TargetId[];
const specs = TARGETS.filter((t) => ids.includes(t.id));
const results = await measureColdStarts(specs, rounds);
const dynalite = results.find((r) => r.spec.id === 'dynalite');
const list = (values: number[]) => values.map((x) => x.toFixed(0)).join(', ');
for (const r of results) {
  const ratio = dynalite === undefined ? '' : `  ${(r.medianMs / dynalite.medianMs).toFixed(2)} × dynalite`;
  const cpuRatio = dynalite === undefined ? '' : `  ${(r.medianCpuMs / dynalite.medianCpuMs).toFixed(2)} ×`;
  process.stdout.write(`${r.spec.id.padEnd(16)} median ${r.medianMs.toFixed(0)} ms${ratio}  (${list(r.samplesMs)})\n` +
    `${''.padEnd(16)} CPU to the first answer: median ${r.medianCpuMs.toFixed(0)} ms${cpuRatio}  (${list(r.cpuSamplesMs)})\n`);
}
