/**
 * Cold start as a newcomer sees it: process spawn to the first answered request, on an
 * empty data directory, taken `rounds` times per target with the targets interleaved
 * (so a busy moment of the machine hits them alike); the median counts.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startTarget, type TargetSpec } from './targets.js';
import { median } from './median.js';

export interface ColdStarts {
  spec: TargetSpec;
  samplesMs: number[];
  medianMs: number;
  /** The server's CPU time to its first answer, per spawn and median. */
  cpuSamplesMs: number[];
  medianCpuMs: number;
}

export async function measureColdStarts(specs: TargetSpec[], rounds: number): Promise<ColdStarts[]> {
  const samples = new Map<TargetSpec, number[]>(specs.map((spec) => [spec, []]));
  const cpuSamples = new Map<TargetSpec, number[]>(specs.map((spec) => [spec, []]));
  for (let round = 0; round < rounds; round++) {
    for (const spec of specs) {
      const dataDir = spec.onDisk ? mkdtempSync(join(tmpdir(), 'openddb-cold-')) : undefined;
      try {
        const target = await startTarget(spec, { dataDir });
        samples.get(spec)!.push(target.coldStartMs);
        cpuSamples.get(spec)!.push(target.coldStartCpuMs);
        await target.stop();
      } finally {
        if (dataDir !== undefined) rmSync(dataDir, { recursive: true, force: true });
      }
    }
  }
  return specs.map((spec) => ({
    spec,
    samplesMs: samples.get(spec)!,
    medianMs: median(samples.get(spec)!),
    cpuSamplesMs: cpuSamples.get(spec)!,
    medianCpuMs: median(cpuSamples.get(spec)!),
  }));
}
