/** What one benchmark run measured, per target. */
import type { MeasuredLoad } from './loadRunner.js';
import type { Rss } from './procStats.js';
import type { TargetSpec } from './targets.js';
import type { ColdStarts } from './coldStart.js';
import type { CommitRate } from './commitRate.js';
import type { AlternatingResult } from './alternating.js';

export type WorkloadOutcome =
  | { status: 'ok'; load: MeasuredLoad }
  | { status: 'unsupported' }
  | { status: 'failed'; message: string };

export interface ScaleCheck {
  smallItems: number;
  largeItems: number;
  /** Seconds to grow the table from small to large. */
  growSeconds: number;
  small: MeasuredLoad;
  large: MeasuredLoad;
}

export interface SoakSample {
  minute: number;
  rss: Rss;
  opsPerSec: number;
  errors: number;
}

export interface TargetReport {
  spec: TargetSpec;
  coldStartMs: number;
  /** Restart over the preloaded data directory (on-disk targets). */
  reopenColdStartMs?: number;
  rssIdle: Rss;
  rssAfterPreload?: Rss;
  preloadSeconds?: number;
  preloadMethod?: string;
  diskBytesPer100k?: number;
  workloads: Record<string, WorkloadOutcome>;
  scale?: ScaleCheck;
  soak?: SoakSample[];
}

export interface RunReport {
  date: string;
  quick: boolean;
  machine: string;
  settings: string;
  items: number;
  /** DynamoDB's size of every preloaded item, summed: what the in-memory bound is relative to. */
  rawItemBytes: number;
  targets: TargetReport[];
  /** Spawn to first answer, median of several rounds on empty data (undefined: not measured). */
  coldStarts?: ColdStarts[];
  /** The storage engine's synced commit rate per workload id it stands beside (put, batch-write). */
  commitRates: Record<string, CommitRate>;
  /** Per workload id: the in-memory target (A) and the `--auth` target (B) in alternating windows. */
  authPairs: Record<string, AlternatingResult>;
}
