/** `npm run bench -- [flags]`: what to run and for how long. */
import { parseArgs } from 'node:util';
import type { DataSizes } from './data.js';
import { TARGETS, type TargetId } from './targets.js';
import { WORKLOADS } from './workloads.js';

export interface BenchOptions {
  quick: boolean;
  targets: TargetId[];
  workloads: string[];
  sizes: DataSizes;
  connections: number;
  warmupMs: number;
  durationMs: number;
  /** Items in the scale check's large table; 0 skips the scale check. */
  scaleItems: number;
  /** Spawns per target for the cold-start medians; 0 skips them. */
  coldStartRounds: number;
  /** Minutes of the mixed soak run on OpenDDB on disk; 0 skips it. */
  soakMinutes: number;
  write: boolean;
  /** Directory for `node --cpu-prof` profiles of the OpenDDB targets, or undefined. */
  profileDir: string | undefined;
  /** Only the targets' workloads: no PostgreSQL, point-in-time recovery or in-process phases. */
  targetsOnly: boolean;
}

export const USAGE = `Usage: npm run bench -- [options]

  --quick               short run: 1 s warm-up, 3 s per workload, 10k items, 100 partitions,
                        no scale check, docs/performance.md left alone unless --write
  --targets a,b         among: ${TARGETS.map((t) => t.id).join(', ')} (default: all)
  --workloads a,b       among: ${WORKLOADS.map((w) => w.id).join(', ')} (default: all)
  --warmup <s>          warm-up seconds per workload (default 2)
  --duration <s>        measured seconds per workload (default 8)
  --connections <n>     concurrent keep-alive connections (default 32)
  --items <n>           items of ~1 KB in the hash-key table (default 100000)
  --partitions <n>      partitions of 100 items in the hash+range table (default 1000)
  --scale-items <n>     large table of the scale check (default 1000000; 0 skips it)
  --cold-starts <n>     spawns per target for the cold-start medians (default 7, quick 3; 0 skips)
  --soak <minutes>      also run the mixed load on OpenDDB on disk this long, sampling RSS
  --write / --no-write  write docs/performance.md (default: yes for a full run)
  --profile <dir>       run OpenDDB under node --cpu-prof, profiles written to <dir>
  --targets-only        skip the phases after the targets (PostgreSQL, point-in-time recovery,
                        in-process handler)
  Environment: OPENDDB_BENCH_BUILD=<checkout> benchmarks another built checkout's OpenDDB
  with this checkout's load generator (to compare two builds over HTTP).
  --help
`;

function positive(name: string, text: string | undefined, fallback: number, allowZero = false): number {
  if (text === undefined) return fallback;
  const value = Number(text);
  if (!Number.isFinite(value) || value < 0 || (!allowZero && value === 0)) throw new Error(`--${name} must be a positive number, got ${text}`);
  return value;
}

function list<T extends string>(name: string, text: string | undefined, known: readonly T[]): T[] {
  if (text === undefined) return [...known];
  const picked = text.split(',').map((s) => s.trim()).filter((s) => s.length > 0);
  for (const p of picked) if (!known.includes(p as T)) throw new Error(`--${name}: unknown ${p} (known: ${known.join(', ')})`);
  return picked as T[];
}

/** Returns undefined when --help was asked for. */
export function parseBenchArgs(argv: string[]): BenchOptions | undefined {
  const { values } = parseArgs({
    args: argv,
    options: {
      quick: { type: 'boolean' },
      targets: { type: 'string' },
      workloads: { type: 'string' },
      warmup: { type: 'string' },
      duration: { type: 'string' },
      connections: { type: 'string' },
      items: { type: 'string' },
      partitions: { type: 'string' },
      'scale-items': { type: 'string' },
      soak: { type: 'string' },
      'cold-starts': { type: 'string' },
      write: { type: 'boolean' },
      'no-write': { type: 'boolean' },
      profile: { type: 'string' },
      'targets-only': { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
    strict: true,
    allowPositionals: false,
  });
  if (values.help) return undefined;
  const quick = values.quick === true;
  return {
    quick,
    targets: list('targets', values.targets, TARGETS.map((t) => t.id)),
    workloads: list('workloads', values.workloads, WORKLOADS.map((w) => w.id)),
    sizes: {
      items: positive('items', values.items, quick ? 10_000 : 100_000),
      partitions: positive('partitions', values.partitions, quick ? 100 : 1_000),
      perPartition: 100,
    },
    connections: positive('connections', values.connections, 32),
    warmupMs: positive('warmup', values.warmup, quick ? 1 : 2) * 1000,
    durationMs: positive('duration', values.duration, quick ? 3 : 8) * 1000,
    scaleItems: positive('scale-items', values['scale-items'], quick ? 0 : 1_000_000, true),
    soakMinutes: positive('soak', values.soak, 0, true),
    coldStartRounds: Math.round(positive('cold-starts', values['cold-starts'], quick ? 3 : 7, true)),
    write: values['no-write'] === true ? false : (values.write ?? !quick),
    profileDir: values.profile,
    targetsOnly: values['targets-only'] === true,
  };
}
