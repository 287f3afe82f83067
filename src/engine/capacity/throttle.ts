/**
 * Opt-in throttling: token buckets per table and per GSI at the provisioned rate
 * (with up to 300 s of unused capacity kept as burst credit, as DynamoDB does), and,
 * for provisioned tables, per partition, where the rate is divided evenly over the
 * partitions. Each partition keeps its own 300 s of burst credit, but never serves
 * more than 3,000 RCU / 1,000 WCU in a second, burst or not. A hot partition key
 * therefore throttles while the rest of the table does not. On-demand tables
 * throttle only above their OnDemandThroughput maxima.
 *
 * A request is admitted while its buckets hold credit; what it consumed is taken
 * afterwards (DynamoDB cannot know a read's cost before reading either), so a bucket
 * may go negative and then refuses requests until it refills.
 */
import type { CapacityKind } from './units.js';

export const BURST_SECONDS = 300;
export const PARTITION_MAX_RCU = 3000;
export const PARTITION_MAX_WCU = 1000;

class TokenBucket {
  private tokens: number;
  private last: number;

  constructor(
    readonly ratePerSecond: number,
    private readonly burstSeconds: number,
    now: number,
  ) {
    // A new bucket holds one second of capacity; burst credit builds up from unused capacity.
    this.tokens = ratePerSecond;
    this.last = now;
  }

  private refill(now: number): void {
    const elapsed = (now - this.last) / 1000;
    this.last = now;
    this.tokens = Math.min(this.ratePerSecond * this.burstSeconds, this.tokens + elapsed * this.ratePerSecond);
  }

  hasCredit(now: number): boolean {
    this.refill(now);
    return this.tokens > 0;
  }

  /** Takes `units` (a negative amount gives back what an estimate overcharged). */
  take(units: number, now: number): void {
    this.refill(now);
    this.tokens -= units;
  }
}

/** The capacity a table (or GSI) is allowed, per kind; Infinity = unlimited. */
export interface CapacityLimits {
  read: number;
  write: number;
}

/** What is throttled together: a table or one GSI, with its limits. */
export interface ThrottleScope {
  /** Names the scope's buckets: e.g. the table id, or table id / index number. */
  key: string;
  limits: CapacityLimits;
  /** Provisioned capacity is split over partitions; on-demand maxima are not. */
  partitioned: boolean;
}

/** DynamoDB's classic partition count for a provisioned table. */
export function partitionCount(limits: CapacityLimits): number {
  if (!Number.isFinite(limits.read) || !Number.isFinite(limits.write)) return 1;
  return Math.max(1, Math.ceil(limits.read / PARTITION_MAX_RCU + limits.write / PARTITION_MAX_WCU));
}

/** Which of `count` partitions a partition-key hash (uint32) falls into. */
export function partitionOf(hash: number, count: number): number {
  return Math.floor((hash * count) / 2 ** 32);
}

/** One partition's buckets: its share of the rate with burst credit, and its hard per-second ceiling. */
interface PartitionBuckets {
  share: TokenBucket;
  ceiling: TokenBucket;
}

interface Buckets {
  limits: CapacityLimits;
  partitioned: boolean;
  /** When the scope's buckets started; a partition's buckets, made on first use, count from here too. */
  since: number;
  whole: Record<CapacityKind, TokenBucket | undefined>;
  partitions: Record<CapacityKind, Map<number, PartitionBuckets>>;
}

/** Throttling state for every table and index, keyed by scope. */
export class Throttler {
  private readonly buckets = new Map<string, Buckets>();

  constructor(private readonly clock: () => number) {}

  private bucketsFor(scope: ThrottleScope): Buckets {
    const { limits } = scope;
    let b = this.buckets.get(scope.key);
    if (!b || b.limits.read !== limits.read || b.limits.write !== limits.write || b.partitioned !== scope.partitioned) {
      const now = this.clock();
      const whole = (rate: number) => (Number.isFinite(rate) ? new TokenBucket(rate, BURST_SECONDS, now) : undefined);
      b = {
        limits: { ...limits },
        partitioned: scope.partitioned,
        since: now,
        whole: { read: whole(limits.read), write: whole(limits.write) },
        partitions: { read: new Map(), write: new Map() },
      };
      this.buckets.set(scope.key, b);
    }
    return b;
  }

  private partitionBuckets(b: Buckets, kind: CapacityKind, hash: number): PartitionBuckets {
    const count = partitionCount(b.limits);
    const index = partitionOf(hash, count);
    let buckets = b.partitions[kind].get(index);
    if (!buckets) {
      const cap = kind === 'read' ? PARTITION_MAX_RCU : PARTITION_MAX_WCU;
      buckets = {
        // Burst credit is kept per partition: an idle partition can absorb a burst of its own.
        share: new TokenBucket(Math.min(b.limits[kind] / count, cap), BURST_SECONDS, b.since),
        // A partition's hardware limit holds however much credit it has saved.
        ceiling: new TokenBucket(cap, 1, b.since),
      };
      b.partitions[kind].set(index, buckets);
    }
    return buckets;
  }

  /**
   * Whether a request may proceed: 'ok', 'scope' when the table's (or index's) bucket
   * is empty, 'partition' when only the key's partition is. `hash` is the partition-key
   * hash when the request targets one partition.
   */
  admits(scope: ThrottleScope, kind: CapacityKind, hash: number | undefined): 'ok' | 'scope' | 'partition' {
    const b = this.bucketsFor(scope);
    const now = this.clock();
    const whole = b.whole[kind];
    if (whole !== undefined && !whole.hasCredit(now)) return 'scope';
    if (hash !== undefined && b.partitioned) {
      const partition = this.partitionBuckets(b, kind, hash);
      if (!partition.share.hasCredit(now) || !partition.ceiling.hasCredit(now)) return 'partition';
    }
    return 'ok';
  }

  /** Records what a request consumed (negative: returns an overestimate). */
  consume(scope: ThrottleScope, kind: CapacityKind, units: number, hash: number | undefined): void {
    const b = this.bucketsFor(scope);
    const now = this.clock();
    b.whole[kind]?.take(units, now);
    if (hash !== undefined && b.partitioned) {
      const partition = this.partitionBuckets(b, kind, hash);
      partition.share.take(units, now);
      partition.ceiling.take(units, now);
    }
  }
}
